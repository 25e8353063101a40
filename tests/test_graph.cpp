// mrp graph: the picture of each spec's pipeline is golden/graph/<spec>.mmd and
// .dot, byte for byte; it names every stage and action pipeline.yaml has;
// labels are escaped for each format; and the command's exit codes.
// tests/validators/graph.sh runs Mermaid's parser and Graphviz on the golden
// files.

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/base/diff.h"
#include "compiler/emit/emit_graph.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::GraphFormat;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::source_dir;

namespace {

bool updating() {
  const char* v = std::getenv("MRP_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// As test_golden.cpp: checks one expected file, or with MRP_UPDATE_GOLDEN=1
// rewrites it.
void check_golden_file(const fs::path& expected, const std::string& actual) {
  if (updating()) {
    if (!fs::exists(expected) || read_text(expected) != actual) {
      fs::create_directories(expected.parent_path());
      std::ofstream(expected, std::ios::binary) << actual;
    }
    return;
  }
  if (fs::exists(expected) && read_text(expected) == actual) return;
  const std::string diff = fs::exists(expected) ? mrp::unified_diff(read_text(expected), actual,
                                                                    expected.string(), "generated")
                                                : "(missing)\n" + actual;
  FAIL_CHECK(
      fmt::format("{} differs from the generated text:\n{}to accept the new output, run "
                  "scripts/update-golden and review `git diff golden/`",
                  expected.string(), diff));
}

std::vector<std::string> spec_names() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(source_dir() / "specs"))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

mrp::Ir compile_spec(const std::string& name) {
  const fs::path dir = source_dir() / "specs" / name;
  const auto r = mrp::compile(read_text(dir / "pipeline.mrp"), "specs/" + name + "/pipeline.mrp",
                              mrp::test::files_in(dir), {}, {mrp::Date{2026, 11, 26}});
  REQUIRE(r.outputs);
  return *r.ir;
}

// What the escaping test puts in every label the graph draws from the spec.
constexpr const char* awkward = "a\"b\\c<d>e{f}g|h#i;j&k`l\nm";

// storefront (waves, approvals, change sets) with every label awkward.
mrp::Ir awkward_ir() {
  mrp::Ir ir = compile_spec("storefront");
  ir.pipeline_name += awkward;
  ir.source.repo += awkward;
  ir.source.branch += awkward;
  ir.build.project_name += awkward;
  ir.build.image += awkward;
  ir.change_set_name += awkward;
  for (auto& r : ir.regions) r.code += awkward;
  for (auto& w : ir.waves) {
    w.stage_name += awkward;
    if (w.approval) w.approval->topic_arn += awkward;
    if (w.change_set_approval) w.change_set_approval->topic_arn += awkward;
  }
  for (auto& a : ir.apps) {
    a.stack_name += awkward;
    for (auto& r : a.regions) r.create_change_set_action += awkward;
  }
  return ir;
}

}  // namespace

TEST_SUITE("golden") {
  TEST_CASE("every spec in specs/ draws exactly golden/graph/<spec>.mmd and .dot") {
    const auto names = spec_names();
    REQUIRE(names.size() >= 3);
    for (const auto& name : names) {
      CAPTURE(name);
      const mrp::Ir ir = compile_spec(name);
      const fs::path golden = source_dir() / "golden" / "graph";
      check_golden_file(golden / (name + ".mmd"), mrp::emit_graph(ir, GraphFormat::mermaid));
      check_golden_file(golden / (name + ".dot"), mrp::emit_graph(ir, GraphFormat::dot));
      // Drawing twice gives the same bytes.
      CHECK(mrp::emit_graph(ir, GraphFormat::dot) == mrp::emit_graph(ir, GraphFormat::dot));
    }
    // README.md shows the example's picture as it is drawn now.
    if (!updating())
      CHECK(read_text(source_dir() / "README.md")
                .find("```mermaid\n" +
                      read_text(source_dir() / "golden/graph/multi-region-codepipeline.mmd") +
                      "```\n") != std::string::npos);
    // The validators read these too, so that awkward labels are parsed as well.
    const mrp::Ir ir = awkward_ir();
    check_golden_file(source_dir() / "golden" / "graph" / "awkward-labels.mmd",
                      mrp::emit_graph(ir, GraphFormat::mermaid));
    check_golden_file(source_dir() / "golden" / "graph" / "awkward-labels.dot",
                      mrp::emit_graph(ir, GraphFormat::dot));
  }

  TEST_CASE("the graph names every stage and action of pipeline.yaml, with its run order") {
    for (const auto& name : spec_names()) {
      CAPTURE(name);
      const std::string graph = mrp::emit_graph(compile_spec(name), GraphFormat::dot);
      const YAML::Node pipeline = YAML::LoadFile(
          (source_dir() / "golden" / name / "deployment-pipeline" / "pipeline.yaml").string());
      const YAML::Node stages = pipeline["Resources"]["CodePipeline"]["Properties"]["Stages"];
      REQUIRE(stages.IsSequence());
      std::size_t actions = 0;
      for (const auto& stage : stages) {
        const auto stage_name = stage["Name"].as<std::string>();
        CAPTURE(stage_name);
        // A deploy stage's actions are looked for inside its cluster only: an
        // action name (DeployToUsEast1) recurs when a region is in two waves of
        // different accounts. The cluster ends where a `}` closes at depth 1.
        std::size_t stage_at = 0, stage_end = graph.size();
        if (stage_name != "Source" && stage_name != "Build") {
          stage_at = graph.find("label=\"Stage " + stage_name + "\\n");
          if (stage_at == std::string::npos)
            stage_at = graph.find("label=\"Stage " + stage_name + "\"");
          if (stage_at == std::string::npos)
            stage_at = graph.find("label=\"Stage " + stage_name + " (account ");
          REQUIRE(stage_at != std::string::npos);
          stage_end = graph.find("\n  }\n", stage_at);
        }
        for (const auto& action : stage["Actions"]) {
          const auto action_name = action["Name"].as<std::string>();
          const std::string region = action["Region"] ? action["Region"].as<std::string>() : "";
          CAPTURE(action_name);
          ++actions;
          if (stage_name == "Source" || stage_name == "Build") {
            CHECK(graph.find("label=\"" + stage_name + "\\n") != std::string::npos);
            continue;
          }
          // The node's label: its name first, its run order last.
          const auto at = graph.find("label=\"" + action_name + "\\n", stage_at);
          REQUIRE(at < stage_end);
          const auto end = graph.find("\"]", at);
          CHECK(graph.substr(at, end - at)
                    .ends_with(fmt::format("run order {}", action["RunOrder"].as<int>())));
          // A regional action sits in its region's cluster.
          if (!region.empty()) {
            const auto cluster = graph.rfind("label=\"" + region, at);
            CHECK(cluster != std::string::npos);
            CHECK(cluster > stage_at);
            CHECK(graph.find("}\n", cluster) > at);
          }
        }
      }
      // As many action nodes as pipeline.yaml has actions, Source and Build included.
      std::size_t nodes = 0;
      for (auto at = graph.find("\" [label="); at != std::string::npos;
           at = graph.find("\" [label=", at + 1))
        ++nodes;
      CHECK(nodes == actions);
    }
  }
}

TEST_CASE("graph labels escape what Mermaid and DOT treat specially") {
  CHECK(mrp::graph_label(awkward, GraphFormat::mermaid) ==
        "a#34;b\\c#60;d#62;e{f}g|h#35;i;j#38;k#96;l<br/>m");
  CHECK(mrp::graph_label(awkward, GraphFormat::dot) == "a\\\"b\\\\c<d>e{f}g|h#i;j&k`l\\nm");
  CHECK(mrp::graph_label("a\r\nb", GraphFormat::dot) == "a\\nb");

  const mrp::Ir ir = awkward_ir();
  const std::string mermaid = mrp::emit_graph(ir, GraphFormat::mermaid);
  const std::string dot = mrp::emit_graph(ir, GraphFormat::dot);
  const std::string m = "#34;b\\c#60;d#62;e{f}g|h#35;i;j#38;k#96;l<br/>m";
  const std::string d = "\\\"b\\\\c<d>e{f}g|h#i;j&k`l\\nm";
  for (const std::string label :
       {"branch main", "CodeStar connection acme-retail/storefront", "stack storefront-app",
        "image aws/codebuild/standard:7.0", "CodeBuild project storefront-build", "us-east-1",
        "Stage Deploy-canary", "CreateChangeSetUsEast1"}) {
    CAPTURE(label);
    // The awkward text starts with "a", which needs no escape.
    CHECK(mermaid.find(fmt::format("{}a{}", label, m)) != std::string::npos);
    CHECK(dot.find(fmt::format("{}a{}", label, d)) != std::string::npos);
  }
  // No raw line break survives in a label: the awkward graph has as many
  // lines as the plain one, one statement each.
  const mrp::Ir plain = compile_spec("storefront");
  for (const auto format : {GraphFormat::mermaid, GraphFormat::dot}) {
    const auto lines = [](const std::string& text) {
      return std::count(text.begin(), text.end(), '\n');
    };
    CHECK(lines(mrp::emit_graph(ir, format)) == lines(mrp::emit_graph(plain, format)));
  }
  CHECK(dot.starts_with(fmt::format("digraph \"storefronta{}\" {{\n", d)));
}

TEST_SUITE("behaviour") {
  TEST_CASE("mrp graph: stdout, -o, exit codes and --help") {
    mrp::test::Workspace ws("multi-region-codepipeline");
    const auto shown = ws.run(mrp_command("graph pipeline.mrp"), ws.repo());
    CHECK(shown.status == 0);
    CHECK(shown.out == read_text(source_dir() / "golden/graph/multi-region-codepipeline.mmd"));

    const auto written =
        ws.run(mrp_command("graph --format dot -o out/graph.dot pipeline.mrp"), ws.repo());
    CHECK(written.status == 0);
    CHECK(written.out.empty());
    CHECK(read_text(ws.repo() / "out/graph.dot") ==
          read_text(source_dir() / "golden/graph/multi-region-codepipeline.dot"));

    // A spec with errors: its diagnostics, status 1, and no file.
    std::ofstream(ws.repo() / "bad.mrp", std::ios::binary)
        << "pipeline shop {\n  source github { owner acme; repo shop; branch main }\n"
           "  regions us-east-1 eu-wets-1\n  app shop-app { template template.yaml }\n}\n";
    const auto bad = ws.run(mrp_command("graph -o bad.mmd bad.mrp"), ws.repo());
    CHECK(bad.status == 1);
    CHECK(bad.err.find("bad.mrp:3:") != std::string::npos);
    CHECK(bad.err.find("error:") != std::string::npos);
    CHECK_FALSE(fs::exists(ws.repo() / "bad.mmd"));

    const auto missing = ws.run(mrp_command("graph nope.mrp"), ws.repo());
    CHECK(missing.status == 2);
    CHECK(missing.err == "mrp: error: cannot read nope.mrp\n");
    CHECK(ws.run(mrp_command("graph --format svg pipeline.mrp"), ws.repo()).status == 2);
    // A folder where the file should go: an I/O error, and the folder as it was.
    const auto onto_folder = ws.run(mrp_command("graph -o out pipeline.mrp"), ws.repo());
    CHECK(onto_folder.status == 2);
    CHECK(onto_folder.err.find("out is unchanged") != std::string::npos);
    CHECK(fs::is_directory(ws.repo() / "out"));

    const auto help = ws.run(mrp_command("graph --help"), ws.repo());
    CHECK(help.status == 0);
    CHECK(help.out.find("--format") != std::string::npos);
    CHECK(ws.run(mrp_command("--help"), ws.repo()).out.find("graph") != std::string::npos);
  }
}
