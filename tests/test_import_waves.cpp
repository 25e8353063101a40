// mrp import of deploy stages beyond the example's one: change sets, waves,
// manual approvals and rollback, written here in the example's 2018 style.
// Each maps to an exact spec that builds a pipeline deploying the same
// stages, actions and modes; what does not fit mrp's shape is reported.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/import_support.h"
#include "tests/support.h"

using namespace mrp::test;

TEST_SUITE_BEGIN("import" * doctest::skip(!find_original_dir()));

namespace {

const std::string pipeline = "deployment-pipeline/pipeline.yaml";
const std::string topic = "arn:aws:sns:us-east-1:123456789012:releases";

// The example with its Deploy stage replaced by `stages`.
Files with_deploy_stages(const std::string& stages) {
  Files f = original_files();
  std::string& text = f.at(pipeline);
  const auto from = text.find("      - Name: Deploy\n");
  const auto to = text.find("\n  CodeBuildProject:");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  text.replace(from, to - from, stages);
  return f;
}

// A CloudFormation action as the example writes them; change sets are named
// as a hand-written pipeline might, not as mrp names them.
std::string deploy(const std::string& name, const std::string& region, const std::string& mode,
                   int order) {
  const bool execute = mode == "CHANGE_SET_EXECUTE";
  const std::string change_set =
      mode == "CREATE_UPDATE" ? "" : "            ChangeSetName: app-release\n";
  const std::string inputs =
      execute ? "" : "          InputArtifacts:\n            - Name: BuildOutput\n";
  const std::string creates =
      execute ? ""
              : fmt::format(
                    "            Capabilities: CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND\n"
                    "            RoleArn: !GetAtt CloudformationRole.Arn\n"
                    "            TemplatePath: \"BuildOutput::packaged-template-{}.yaml\"\n",
                    region);
  return fmt::format(R"(        - Name: {}
          Region: {}
          ActionTypeId:
            Category: Deploy
            Owner: AWS
            Provider: CloudFormation
            Version: '1'
{}          Configuration:
            ActionMode: {}
{}            StackName: !Ref ApplicationStackName
{}          RunOrder: {}
)",
                     name, region, inputs, mode, change_set, creates, order);
}

// A manual approval with `settings` (lines of its own) after its type.
std::string approval(const std::string& name, const std::string& settings, int order) {
  return fmt::format(R"(        - Name: {}
          ActionTypeId:
            Category: Approval
            Owner: AWS
            Provider: Manual
            Version: '1'
{}          RunOrder: {}
)",
                     name, settings, order);
}

std::string stage(const std::string& name) {
  return fmt::format("      - Name: {}\n        Actions:\n", name);
}

// The example's spec with its `regions` line replaced by `regions`.
std::string spec_with(const std::string& regions) {
  return replaced(imported_original, "  regions us-east-1 us-west-2\n", regions);
}

}  // namespace

TEST_CASE("import: change sets created and then executed in each region") {
  const Files f = with_deploy_stages(
      stage("Deploy") + deploy("CreateChangeSetUsEast1", "us-east-1", "CHANGE_SET_REPLACE", 1) +
      deploy("ExecuteChangeSetUsEast1", "us-east-1", "CHANGE_SET_EXECUTE", 2) +
      deploy("CreateChangeSetUsWest2", "us-west-2", "CHANGE_SET_REPLACE", 1) +
      deploy("ExecuteChangeSetUsWest2", "us-west-2", "CHANGE_SET_EXECUTE", 2));
  round_trip(f, spec_with("  regions us-east-1 us-west-2\n\n  deploy change-set\n"));
}

TEST_CASE("import: two deploy stages, the second after an approval and rolled back on failure") {
  const std::string settings = fmt::format(
      "          Configuration:\n            NotificationArn: {}\n          TimeoutInMinutes: "
      "2880\n",
      topic);
  const Files f = with_deploy_stages(stage("Deploy-canary") +
                                     deploy("DeployToUsEast1", "us-east-1", "CREATE_UPDATE", 1) +
                                     stage("Deploy-rest") + approval("Approve", settings, 1) +
                                     deploy("DeployToUsWest2", "us-west-2", "CREATE_UPDATE", 2) +
                                     "        OnFailure:\n          Result: ROLLBACK\n");
  round_trip(f, spec_with(fmt::format(R"(  regions {{
    wave canary {{
      us-east-1
    }}
    wave rest {{
      approve {{
        topic {}
        timeout 2d
      }}
      on-failure rollback
      us-west-2
    }}
  }}
)",
                                      topic)));
}

TEST_CASE("import: an approval between creating change sets and executing them") {
  const Files f =
      with_deploy_stages(stage("Review changes") +
                         deploy("CreateChangeSetUsEast1", "us-east-1", "CHANGE_SET_REPLACE", 1) +
                         deploy("CreateChangeSetUsWest2", "us-west-2", "CHANGE_SET_REPLACE", 1) +
                         approval("ReviewChangeSets", "", 2) +
                         deploy("ExecuteChangeSetUsEast1", "us-east-1", "CHANGE_SET_EXECUTE", 3) +
                         deploy("ExecuteChangeSetUsWest2", "us-west-2", "CHANGE_SET_EXECUTE", 3));
  round_trip(f, spec_with(R"(  regions {
    wave Review-changes {
      approve-change-sets
      us-east-1 us-west-2
    }
  }

  deploy change-set
)"));
}

TEST_CASE("import reports change sets and approvals that do not fit mrp's shape") {
  const std::string settings =
      "          Configuration:\n            NotificationArn: !Ref ReleaseTopic\n"
      "            CustomData: Check the canary's dashboard first\n";
  const Files f =
      with_deploy_stages(stage("Deploy") + approval("Approve", settings, 1) +
                         deploy("DeployToUsEast1", "us-east-1", "CREATE_UPDATE", 2) +
                         deploy("CreateChangeSetUsWest2", "us-west-2", "CHANGE_SET_REPLACE", 2));
  const Imported imported = import_files(f);
  REQUIRE(imported.spec);
  check_text(spec_with(R"(  regions {
    wave Deploy {
      approve
      us-east-1 us-west-2
    }
  }
)"),
             *imported.spec);
  check_text(
      R"(deployment-pipeline/pipeline.yaml:121:30: warning: the topic of approval `Approve` is not carried over: `topic` takes the ARN itself, not a `!Ref` or `!Sub` [import]
            NotificationArn: !Ref ReleaseTopic
                             ^
deployment-pipeline/pipeline.yaml:122:13: warning: `CustomData` of approval `Approve` is not carried over: an mrp approval has a topic and a timeout [import]
            CustomData: Check the canary's dashboard first
            ^
deployment-pipeline/pipeline.yaml:124:11: warning: action `DeployToUsEast1` deploys with ActionMode CREATE_UPDATE where other regions deploy with change sets; `deploy change-set` pairs the two for every region, so the spec deploys every region directly [import]
        - Name: DeployToUsEast1
          ^
deployment-pipeline/pipeline.yaml:140:11: warning: action `CreateChangeSetUsWest2` creates a change set that no later action of its stage executes; `deploy change-set` pairs the two for every region, so the spec deploys every region directly [import]
        - Name: CreateChangeSetUsWest2
          ^
)",
      imported.findings);
}

TEST_CASE("import: an approval's timeout in minutes, and a region two stages deploy") {
  const Files f = with_deploy_stages(
      stage("Deploy-first") + deploy("DeployToUsEast1", "us-east-1", "CREATE_UPDATE", 1) +
      stage("Deploy-second") + approval("Approve", "          TimeoutInMinutes: 90\n", 1) +
      deploy("DeployToUsWest2", "us-west-2", "CREATE_UPDATE", 2) +
      deploy("DeployToUsEast1Again", "us-east-1", "CREATE_UPDATE", 2));
  const Imported imported = import_files(f);
  REQUIRE(imported.spec);
  check_text(spec_with(R"(  regions {
    wave first {
      us-east-1
    }
    wave second {
      approve {
        timeout 90m
      }
      us-west-2
    }
  }
)"),
             *imported.spec);
  check_text(
      R"(deployment-pipeline/pipeline.yaml:156:11: warning: action `DeployToUsEast1Again` deploys us-east-1 again, which an earlier stage deploys; mrp deploys each region in one wave [import]
        - Name: DeployToUsEast1Again
          ^
)",
      imported.findings);
}
