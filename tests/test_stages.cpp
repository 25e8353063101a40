// Stages and run orders of the deploy side: waves in order, approvals before
// what they guard, change sets created before they run, apps after the stacks
// they wait for. Read from the pipeline template the examples compile to.

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "tests/support.h"

namespace {

// Stage name -> (action name -> run order), in the template's stage order.
std::vector<std::pair<std::string, std::map<std::string, int>>> stages_of(const std::string& spec) {
  const auto dir = mrp::test::source_dir() / "specs" / spec;
  const std::string text = mrp::test::read_text(dir / "pipeline.mrp");
  const auto r = mrp::compile(text, "pipeline.mrp", mrp::test::files_in(dir), {}, {{2026, 11, 26}});
  REQUIRE(r.outputs);
  const YAML::Node stages = YAML::Load(r.outputs->at(
      "deployment-pipeline/pipeline.yaml"))["Resources"]["CodePipeline"]["Properties"]["Stages"];
  std::vector<std::pair<std::string, std::map<std::string, int>>> out;
  for (const auto& st : stages) {
    std::map<std::string, int> actions;
    for (const auto& a : st["Actions"])
      actions[a["Name"].as<std::string>()] = a["RunOrder"].as<int>();
    out.emplace_back(st["Name"].as<std::string>(), actions);
  }
  return out;
}

}  // namespace

TEST_CASE("waves are stages in order; approvals and change sets in run order") {
  const auto stages = stages_of("storefront");
  REQUIRE(stages.size() == 5);
  CHECK(stages[0].first == "Source");
  CHECK(stages[1].first == "Build");
  CHECK(stages[2].first == "Deploy-canary");
  CHECK(stages[3].first == "Deploy-rest");
  CHECK(stages[4].first == "Deploy-sydney");
  CHECK(stages[2].second ==
        std::map<std::string, int>{{"CreateChangeSetUsEast1", 1}, {"ExecuteChangeSetUsEast1", 2}});
  CHECK(stages[3].second == std::map<std::string, int>{{"Approve", 1},
                                                       {"CreateChangeSetUsWest2", 2},
                                                       {"CreateChangeSetEuWest1", 2},
                                                       {"ExecuteChangeSetUsWest2", 3},
                                                       {"ExecuteChangeSetEuWest1", 3}});
  CHECK(stages[4].second == std::map<std::string, int>{{"CreateChangeSetApSoutheast2", 1},
                                                       {"ApproveChangeSets", 2},
                                                       {"ExecuteChangeSetApSoutheast2", 3}});
}

TEST_CASE("an app deploys after the stack it waits for, every region in parallel") {
  const auto stages = stages_of("ledger");
  REQUIRE(stages.size() == 3);
  CHECK(stages[2].first == "Deploy");
  CHECK(stages[2].second == std::map<std::string, int>{{"DeployLedgerDataToEuWest1", 1},
                                                       {"DeployLedgerDataToEuCentral1", 1},
                                                       {"DeployLedgerApiToEuWest1", 2},
                                                       {"DeployLedgerApiToEuCentral1", 2}});
}

TEST_CASE("a plain region list is one Deploy stage, every region at run order 1") {
  const auto stages = stages_of("orders-api");
  REQUIRE(stages.size() == 3);
  CHECK(stages[2].first == "Deploy");
  for (const auto& [name, order] : stages[2].second) {
    CAPTURE(name);
    CHECK(order == 1);
  }
  CHECK(stages[2].second.size() == 5);
}

TEST_CASE("the issue's wave syntax compiles: approve; then regions on the same line") {
  std::string spec = mrp::test::minimal_spec;
  spec.replace(spec.find("  regions us-east-1 eu-west-1"), 29,
               "  regions {\n    wave canary { us-east-1 }\n"
               "    wave rest   { approve; us-west-2 eu-west-1 ap-southeast-2 }\n  }");
  const auto r = mrp::test::compile_text(spec);
  INFO(mrp::render_all(r.diags, spec));
  REQUIRE(r.outputs);
  REQUIRE(r.ir->waves.size() == 2);
  CHECK(r.ir->waves[1].approval.has_value());
  CHECK(r.ir->waves[1].regions.size() == 3);
  CHECK(r.ir->regions.size() == 4);
}

TEST_CASE("pull request triggers carry their events, branches and file paths") {
  std::string spec = mrp::test::minimal_spec;
  const auto from = spec.find("  source github {");
  const auto to = spec.find("  }\n", from) + 4;
  spec.replace(from, to - from,
               "  source codestar {\n"
               "    connection arn:aws:codeconnections:us-east-1:123456789012:connection/"
               "4f6c7e1a-9b2d-4c3e-8f10-2a3b4c5d6e7f\n"
               "    repo acme/shop\n    branch main\n"
               "    trigger pull-request { events open closed; branches main; "
               "exclude-file-paths docs/** }\n  }\n");
  const auto r = mrp::test::compile_text(spec);
  INFO(mrp::render_all(r.diags, spec));
  REQUIRE(r.outputs);
  const YAML::Node p = YAML::Load(r.outputs->at(
      "deployment-pipeline/pipeline.yaml"))["Resources"]["CodePipeline"]["Properties"];
  CHECK(p["PipelineType"].as<std::string>() == "V2");
  const YAML::Node git = p["Triggers"][0]["GitConfiguration"];
  CHECK(git["SourceActionName"].as<std::string>() == "Source");
  CHECK_FALSE(git["Push"]);
  const YAML::Node pr = git["PullRequest"][0];
  CHECK(pr["Events"].size() == 2);
  CHECK(pr["Events"][0].as<std::string>() == "OPEN");
  CHECK(pr["Events"][1].as<std::string>() == "CLOSED");
  CHECK(pr["Branches"]["Includes"][0].as<std::string>() == "main");
  CHECK(pr["FilePaths"]["Excludes"][0].as<std::string>() == "docs/**");
  CHECK_FALSE(pr["FilePaths"]["Includes"]);
}
