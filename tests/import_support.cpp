// What the tests of mrp import share: the hand-written example read from
// ../shared/reference/ at test time, edits of its text, and the round trip.

#include "tests/import_support.h"

#include <algorithm>
#include <iterator>
#include <set>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/base/diff.h"
#include "compiler/import/layout.h"
#include "tests/support.h"

namespace mrp::test {

namespace fs = std::filesystem;

// ../shared/reference/original beside the source folder, or beside a folder
// above it (a git worktree of the repository sits deeper than its checkout).
std::optional<fs::path> find_original_dir() {
  const fs::path tail = fs::path("shared") / "reference" / "original";
  for (fs::path dir = fs::absolute(source_dir()).lexically_normal(); dir.has_relative_path();
       dir = dir.parent_path())
    if (fs::exists(dir.parent_path() / tail / "deployment-pipeline" / "pipeline.yaml"))
      return dir.parent_path() / tail;
  return std::nullopt;
}

fs::path original_dir() {
  const auto dir = find_original_dir();
  if (!dir) FAIL("the hand-written example is not at " << missing_original_path());
  return dir.value_or(fs::path());
}

std::string missing_original_path() {
  return (source_dir() / ".." / "shared" / "reference" / "original").string() +
         " (nor beside a folder above it)";
}

Files original_files() {
  Files out;
  const fs::path dir = original_dir();
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      out[e.path().lexically_relative(dir).generic_string()] = read_text(e.path());
  return out;
}

// The spec mrp import writes for the hand-written example.
const std::string imported_original =
    R"(# Imported by `mrp import` from the hand-written deployment-pipeline/ and multiregion-build.sh.
# `mrp build` now writes those files from this spec.

pipeline multi-region-codepipeline {
  description "Multi Region Codepipeline Example"

  # The OAuth token was a parameter of pipeline.yaml: create-pipeline.sh now reads it from
  # GITHUB_TOKEN, or the template from Secrets Manager with `token-secret`.
  source github {
    owner symphoniacloud
    repo multi-region-codepipeline
    branch master
  }

  regions us-east-1 us-west-2

  artifacts {
    expire-after 90d
  }

  build {
    image aws/codebuild/nodejs:8.11.0
    compute small
    install "pip install --upgrade awscli"
    run "npm run clean"
    run "npm install --production"
    run "npm run dist"
  }

  # The hand-written roles had AdministratorAccess; mrp derives least-privilege roles from
  # the template. Add `permissions` here for what a deploy needs beyond them.
  app multi-region-codepipeline-app {
    template template.yaml
    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
  }
}
)";

// An edit that matched more often, or less, than its test means would test
// something else than it says.
std::string replaced(std::string text, std::string_view from, std::string_view to,
                     std::size_t times) {
  std::vector<std::size_t> found;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + 1))
    found.push_back(at);
  REQUIRE_MESSAGE(found.size() == times,
                  "found " << found.size() << " times, not " << times << ", in the text: " << from);
  for (auto at = found.rbegin(); at != found.rend(); ++at) text.replace(*at, from.size(), to);
  return text;
}

void edit(Files& files, const std::string& file, std::string_view from, std::string_view to,
          std::size_t times) {
  files.at(file) = replaced(files.at(file), from, to, times);
}

Imported import_files(const Files& files) {
  mrp::Diagnostics diags;
  Imported out;
  out.spec = mrp::import_layout(mrp::MemoryFileReader(files), diags);
  out.findings = mrp::render_findings(diags);
  return out;
}

void check_text(const std::string& expected, const std::string& actual) {
  if (expected == actual) return;
  FAIL_CHECK(mrp::unified_diff(expected, actual, "expected", "actual"));
}

// The files `mrp build` writes from `spec` in the folder of `files`.
mrp::Outputs build(const std::string& spec, const Files& files) {
  const auto r = mrp::compile(spec, "pipeline.mrp", mrp::MemoryFileReader(files), {},
                              mrp::LintOptions{import_test_day});
  INFO(mrp::render_all(r.diags, spec));
  REQUIRE(r.outputs);
  return *r.outputs;
}

namespace {

// A scalar's text, a parameter's Default for `!Ref NAME`, "-" when absent.
struct Values {
  YAML::Node root;
  std::string operator()(const YAML::Node& n) const {
    if (!n.IsDefined()) return "-";
    if (n.Tag() == "!Ref") return root["Parameters"][n.Scalar()]["Default"].as<std::string>();
    return n.as<std::string>();
  }
};

// An action of a stage, without its RunOrder.
std::string action_line(const YAML::Node& action, const Values& value) {
  const YAML::Node c =
      action["Configuration"] ? action["Configuration"] : YAML::Node(YAML::NodeType::Map);
  const auto category = action["ActionTypeId"]["Category"].as<std::string>();
  if (category == "Source") {
    std::string line = "source " + action["ActionTypeId"]["Provider"].as<std::string>();
    for (const char* key : {"Owner", "Repo", "Branch", "ConnectionArn", "FullRepositoryId",
                            "BranchName", "RepositoryName", "S3Bucket", "S3ObjectKey"})
      if (c[key]) line += fmt::format(" {}={}", key, value(c[key]));
    return line;
  }
  if (category == "Deploy")
    return fmt::format("deploy {} {} {} {}", action["Region"].as<std::string>(),
                       value(c["StackName"]), value(c["Capabilities"]), value(c["ActionMode"]));
  if (category == "Approval")
    return fmt::format("approve {} {}", value(c["NotificationArn"]),
                       value(action["TimeoutInMinutes"]));
  return "";
}

// A stage's actions, one a line, each after the rank of its RunOrder among
// the stage's (1, 2, 3, … whatever numbers a layout gives), sorted.
std::string stage_lines(const YAML::Node& stage, const Values& value) {
  std::set<int> orders;
  for (const auto& action : stage["Actions"])
    orders.insert(action["RunOrder"] ? action["RunOrder"].as<int>() : 1);
  std::vector<std::string> lines;
  for (const auto& action : stage["Actions"]) {
    const int order = action["RunOrder"] ? action["RunOrder"].as<int>() : 1;
    const std::string line = action_line(action, value);
    if (!line.empty())
      lines.push_back(
          fmt::format("  {} {}\n", std::distance(orders.begin(), orders.find(order)) + 1, line));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

}  // namespace

// What a pipeline template deploys, whatever its layout: the build's image
// and compute type, and each stage with a source, deploy or approval action,
// in order: whether it rolls back, and its actions (the source's provider and
// location; deploys with region, stack, capabilities and ActionMode; approvals
// with topic and timeout) by the rank of their RunOrder. Parameters stand for their defaults.
std::string deployed_pipeline(const std::string& pipeline_yaml) {
  const YAML::Node root = YAML::Load(pipeline_yaml);
  const Values value{root};
  std::string build, out;
  for (const auto& r : root["Resources"]) {
    const auto type = r.second["Type"].as<std::string>();
    const YAML::Node props = r.second["Properties"];
    if (type == "AWS::CodeBuild::Project")
      build += fmt::format("build {} {}\n", props["Environment"]["Image"].as<std::string>(),
                           props["Environment"]["ComputeType"].as<std::string>());
    if (type != "AWS::CodePipeline::Pipeline") continue;
    for (const auto& stage : props["Stages"]) {
      const std::string lines = stage_lines(stage, value);
      if (lines.empty()) continue;
      const YAML::Node failure = stage["OnFailure"];
      out += fmt::format("stage{}\n{}", failure ? " on-failure " + value(failure["Result"]) : "",
                         lines);
    }
  }
  return build + out;  // the build first: resources come in each template's own order
}

// Imports `files`, checks the spec, builds it and checks that the generated
// pipeline deploys what the hand-written pipeline.yaml of `files` deploys.
void round_trip(const Files& files, const std::string& expected_spec,
                const std::string& expected_findings) {
  const Imported imported = import_files(files);
  CHECK(imported.findings == expected_findings);
  REQUIRE(imported.spec);
  check_text(expected_spec, *imported.spec);
  const mrp::Outputs outputs = build(*imported.spec, files);
  CHECK(deployed_pipeline(outputs.at("deployment-pipeline/pipeline.yaml")) ==
        deployed_pipeline(files.at("deployment-pipeline/pipeline.yaml")));
}

// Every file `mrp build` writes from the imported spec is the golden file
// of specs/multi-region-codepipeline, byte for byte, and no other.
void check_golden(const mrp::Outputs& outputs) {
  const fs::path golden = source_dir() / "golden" / "multi-region-codepipeline";
  std::vector<std::string> expected, written;
  for (const auto& e : fs::recursive_directory_iterator(golden))
    if (e.is_regular_file())
      expected.push_back(e.path().lexically_relative(golden).generic_string());
  for (const auto& output : outputs) {
    written.push_back(output.first);
    if (fs::exists(golden / output.first)) {
      INFO(output.first);
      check_text(read_text(golden / output.first), output.second);
    }
  }
  std::sort(expected.begin(), expected.end());
  CHECK(written == expected);
}

}  // namespace mrp::test

// Runs whether or not the example is there: without it, the import suite's
// other cases are skipped, and this says so in the words ctest looks for.
TEST_CASE("import: the hand-written example is there to import" * doctest::test_suite("import")) {
  const auto dir = mrp::test::find_original_dir();
  if (!dir) {
    MESSAGE("SKIPPED: the hand-written example is not at "
            << mrp::test::missing_original_path() << "; the tests of mrp import read it there");
    return;
  }
  CHECK(std::filesystem::is_regular_file(*dir / "multiregion-build.sh"));
}
