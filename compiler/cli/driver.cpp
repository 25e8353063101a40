#include "compiler/cli/driver.h"

#include <filesystem>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/lower/placeholders.h"
#include "compiler/syntax/parser.h"

namespace mrp {

namespace {

// Parse, lower and lint: what compile() and check_spec() share. Nothing when
// the file is refused before parsing or does not parse.
std::optional<Ir> lower_and_lint(std::string_view source, const std::string& file,
                                 const FileReader& files, const LowerOptions& options,
                                 const LintOptions& lint, Diagnostics& diags) {
  if (source.size() > max_spec_bytes) {
    diags.error(SourcePos{file, 1, 1, 0}, rule::file_size,
                fmt::format("the spec is larger than {} bytes, the most mrp reads; a spec is a "
                            "few kilobytes",
                            max_spec_bytes));
    return std::nullopt;
  }
  auto tree = parse_spec(source, file, diags);
  if (!tree) return std::nullopt;
  auto ir = lower(*tree, options, files, diags);
  if (ir) lint_spec(*ir, lint, diags);
  // Last, over the syntax tree: a placeholder replaces whatever lowering and
  // lint said at its position, wherever in the spec it stands.
  report_placeholders(*tree, diags);
  return ir;
}

}  // namespace

CompileResult compile(std::string_view source, const std::string& file, const FileReader& files,
                      const LowerOptions& options, const LintOptions& lint) {
  CompileResult result;
  result.ir = lower_and_lint(source, file, files, options, lint, result.diags);
  if (result.ir && !result.diags.has_errors()) {
    Outputs outputs = emit_all(*result.ir);
    check_pipeline_template_size(*result.ir, outputs.at(result.ir->paths.pipeline_template).size(),
                                 result.diags);
    if (!result.diags.has_errors()) result.outputs = std::move(outputs);
  }
  result.diags.sort_by_position();
  return result;
}

Diagnostics check_spec(std::string_view source, const std::string& file, const FileReader& files,
                       const LintOptions& lint) {
  Diagnostics diags;
  const auto ir = lower_and_lint(source, file, files, LowerOptions{}, lint, diags);
  if (ir && !diags.has_errors() && pipeline_template_may_be_too_large(*ir))
    check_pipeline_template_size(*ir, emit_pipeline(*ir).size(), diags);
  diags.sort_by_position();
  return diags;
}

LowerOptions lower_options_for(const std::string& spec_path, const std::string& output_dir) {
  namespace fs = std::filesystem;
  const fs::path spec = fs::weakly_canonical(fs::absolute(spec_path));
  const fs::path out = fs::weakly_canonical(fs::absolute(output_dir));
  LowerOptions o;
  o.spec_path = spec.lexically_relative(out).generic_string();
  const std::string dir = spec.parent_path().lexically_relative(out).generic_string();
  o.spec_dir = dir == "." ? "" : dir;
  // The record of the last build is in the output folder, read like the
  // templates, relative to the spec's folder.
  o.record_path =
      (out / OutputPaths{}.record).lexically_relative(spec.parent_path()).generic_string();
  return o;
}

namespace {

std::string describe_source(const Source& s) {
  switch (s.kind) {
    case SourceKind::github:
      return fmt::format("github {}/{} branch {}", s.owner, s.repo, s.branch);
    case SourceKind::codestar:
      return fmt::format("codestar {} branch {} via {}", s.repo, s.branch, s.connection_arn);
    case SourceKind::codecommit:
      return fmt::format("codecommit {} branch {}", s.repo, s.branch);
    case SourceKind::s3:
      return fmt::format("s3://{}/{}", s.bucket, s.key);
  }
  return "";
}

}  // namespace

std::string dump_ir(const Ir& ir) {
  std::string out = fmt::format(
      "pipeline {}\n  spec: {}\n  description: {:?}\n  pipeline stack: {}\n"
      "  artifact-bucket stack: {}\n  source: {}\n",
      ir.pipeline_name, ir.spec_path, ir.description, ir.pipeline_stack, ir.artifact_bucket_stack,
      describe_source(ir.source));
  for (const auto& w : ir.waves) {
    if (!w.name.empty())
      out += fmt::format("  wave {} (stage {}){}\n", w.name, w.stage_name,
                         w.approval ? ", after an approval" : "");
    for (std::size_t i : w.regions) {
      const TargetRegion& r = ir.regions[i];
      out += fmt::format("  region {}{}\n    bucket: {}\n    bucket env var: {}\n", r.code,
                         i == ir.home ? " (home)" : "", r.bucket_name_sub, r.bucket_env_var);
    }
  }
  out += fmt::format(
      "  artifacts: expire after {} days, versioning {}\n",
      ir.artifacts.expire_after_days ? fmt::to_string(*ir.artifacts.expire_after_days) : "no",
      ir.artifacts.versioning ? "on" : "off");
  if (ir.artifacts.access_logs)
    out += fmt::format("  access logs: {}\n", ir.artifacts.log_bucket_name_sub);
  out += fmt::format("  build: image {}, compute {}, {} install, {} run, {} env\n", ir.build.image,
                     ir.build.compute_type, ir.build.install.size(), ir.build.run.size(),
                     ir.build.env.size());
  for (const auto& app : ir.apps) {
    std::string caps;
    for (const auto& c : app.capabilities) caps += " " + c;
    out +=
        fmt::format("  app stack {} (step {})\n    template: {}\n    capabilities:{}\n",
                    app.stack_name, app.step + 1, app.template_path, caps.empty() ? " none" : caps);
    if (app.build_with == BuildWith::sam)
      out += fmt::format("    sam build -> {}\n", app.built_template);
    for (std::size_t r = 0; r < app.regions.size(); ++r)
      out += fmt::format("    {}: {} -> {}\n", ir.regions[r].code, app.regions[r].packaged_path,
                         app.regions[r].deploy_action);
  }
  return out;
}

}  // namespace mrp
