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
  const auto r = mrp::compile(text, "pipeline.mrp", mrp::LowerOptions{},
                              mrp::LintOptions{dir, {2026, 11, 26}});
  REQUIRE(r.outputs);
  const YAML::Node stages = YAML::Load(r.outputs->at("deployment-pipeline/pipeline.yaml"))
      ["Resources"]["CodePipeline"]["Properties"]["Stages"];
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
  CHECK(stages[2].second == std::map<std::string, int>{{"CreateChangeSetUsEast1", 1},
                                                      {"ExecuteChangeSetUsEast1", 2}});
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
