// mrp: compiles a .mrp spec into the deployment files of a multi-region pipeline.

#include <cstdio>
#include <map>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "compiler/cli/commands.h"
#include "mrp_build_info.h"

namespace {

// "mrp 0.1.0", and for a build from git the commit, so that a bug report says
// what was run. Only this line carries the commit: the generated files and the
// SARIF report name the version alone, so that they do not change from one
// commit to the next unless the compiler's output does.
std::string version_text() {
  std::string text = std::string("mrp ") + MRP_VERSION;
  if (*MRP_GIT_DESCRIBE) text += std::string(" (git ") + MRP_GIT_DESCRIBE + ")";
  return text;
}

int run(int argc, char** argv) {
  CLI::App app{
      "mrp: compiles a .mrp spec into the deployment files of a multi-region "
      "AWS CodePipeline",
      "mrp"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  mrp::BuildCommand build;
  auto* build_cmd = app.add_subcommand("build", "Compile a spec and write every deployment file");
  build_cmd->add_option("spec", build.spec, "The .mrp spec to compile")->required();
  build_cmd->add_option("-o,--output", build.output_dir,
                        "Output folder: the repository root as CodeBuild sees it (default: the "
                        "spec's folder)");
  build_cmd->add_flag("--dump-ir", build.dump_ir, "Print what lowering produced");
  build_cmd->add_flag("--forget-retired", build.forget_retired,
                      "Drop what deployed.json keeps for retire.sh, once retire.sh has deleted "
                      "it");
  std::string build_format = "text";
  build_cmd->add_option("--format", build_format, "How to print the plan: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));

  mrp::LintCommand lint;
  std::string as_of;
  auto* lint_cmd = app.add_subcommand("lint",
                                      "Check specs for what would fail at deploy time; "
                                      "write nothing");
  lint_cmd->add_option("files", lint.files, "The .mrp specs to check")->required();
  const std::map<std::string, mrp::ReportFormat> formats = {{"text", mrp::ReportFormat::text},
                                                            {"json", mrp::ReportFormat::json},
                                                            {"sarif", mrp::ReportFormat::sarif}};
  std::string format = "text";
  lint_cmd->add_option("--format", format, "text (default), json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  lint_cmd->add_flag("--werror", lint.werror, "Fail on warnings too");
  lint_cmd->add_option("--as-of", as_of,
                       "Read the deprecation table for this day (YYYY-MM-DD; default: today)");

  mrp::CheckCommand check;
  auto* check_cmd = app.add_subcommand(
      "check", "Compare the files a spec generates with those on disk; write nothing");
  check_cmd->add_option("specs", check.specs, "The .mrp specs")->required();
  check_cmd->add_option("-o,--output", check.output_dir,
                        "Output folder, as for build, with one spec (default: each spec's "
                        "folder)");
  std::string check_format = "text";
  check_cmd->add_option("--format", check_format, "How to print the plan: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));

  mrp::FmtCommand format_cmd;
  auto* fmt_cmd = app.add_subcommand("fmt", "Rewrite specs in the canonical layout");
  fmt_cmd->add_option("files", format_cmd.files, "The .mrp specs to format")->required();
  fmt_cmd->add_flag("--check", format_cmd.check,
                    "Show the diff and exit 1 for any spec not formatted; write nothing");

  mrp::GraphCommand graph;
  auto* graph_cmd = app.add_subcommand(
      "graph", "Draw the pipeline a spec defines: its stages, regions and actions");
  graph_cmd->add_option("spec", graph.spec, "The .mrp spec to draw")->required();
  std::string graph_format = "mermaid";
  graph_cmd
      ->add_option("--format", graph_format,
                   "mermaid (default; Markdown on GitHub and GitLab renders it) or dot (Graphviz)")
      ->check(CLI::IsMember({"mermaid", "dot"}));
  graph_cmd->add_option("-o,--output", graph.output,
                        "Write the graph to this file, whole or not at all (default: stdout)");

  mrp::InitCommand init;
  auto* init_cmd = app.add_subcommand(
      "init",
      "Write a first pipeline.mrp for a repository, guessed from its app templates, build "
      "files, git remote and AWS region; never over an existing spec");
  init_cmd->add_option("dir", init.dir, "The repository's folder (default: the current folder)");
  init_cmd
      ->add_option("--regions", init.regions,
                   "The regions to deploy to, the home region first: us-east-1,eu-west-1 "
                   "(default: AWS_REGION, AWS_DEFAULT_REGION or `aws configure get region`)")
      ->delimiter(',');

  mrp::ImportCommand import;
  auto* import_cmd = app.add_subcommand(
      "import", "Write the spec of a hand-written 2018 pipeline folder (deployment-pipeline/)");
  import_cmd->add_option("dir", import.dir, "The folder that holds deployment-pipeline/")
      ->required();
  import_cmd->add_option("-o,--output", import.output,
                         "Where to write the spec, never over an existing file (default: "
                         "DIR/pipeline.mrp; - for stdout)");

  try {
    app.parse(argc, argv);
    if (!as_of.empty()) {
      const auto day = mrp::Date::parse(as_of);
      if (!day) throw CLI::ValidationError("--as-of", "expected a date YYYY-MM-DD, got " + as_of);
      lint.as_of = *day;
    }
    lint.format = formats.at(format);
    build.format = build_format == "json" ? mrp::PlanFormat::json : mrp::PlanFormat::text;
    graph.format = graph_format == "dot" ? mrp::GraphFormat::dot : mrp::GraphFormat::mermaid;
    check.format = check_format == "json" ? mrp::PlanFormat::json : mrp::PlanFormat::text;
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? mrp::exit_ok : mrp::exit_usage_or_io;
  }
  try {
    if (*lint_cmd) return mrp::run_lint(lint);
    if (*check_cmd) return mrp::run_check(check);
    if (*fmt_cmd) return mrp::run_fmt(format_cmd);
    if (*graph_cmd) return mrp::run_graph(graph);
    if (*init_cmd) return mrp::run_init(init);
    if (*import_cmd) return mrp::run_import(import);
    return mrp::run_build(build);
  } catch (const std::exception& e) {
    fmt::print(stderr, "mrp: internal error: {}\n", e.what());
    return mrp::exit_usage_or_io;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // run() reports every error it expects; this is the last guard, so that even
  // a failure while setting up the command line ends with a message and
  // status 2, never an abort.
  try {
    return run(argc, argv);
  } catch (...) {
    std::fputs("mrp: internal error\n", stderr);
    return mrp::exit_usage_or_io;
  }
}
