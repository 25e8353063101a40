// AWS's catalogue of IAM actions: the lookups, the check of `permissions`
// against it, and that every action the generated files grant exists.

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "compiler/aws/iam_actions.h"
#include "tests/support.h"

using mrp::test::compile_errors;

namespace {

// A spec whose app allows `actions`.
std::string allowing(const std::string& actions) {
  return "pipeline shop {\n"
         "  source codecommit { repo shop; branch main }\n"
         "  regions us-east-1\n"
         "  app shop-app {\n"
         "    template template.yaml\n"
         "    permissions { allow " +
         actions +
         " }\n"
         "  }\n"
         "}\n";
}

// The first line of `errors`, without the source line and caret that follow.
std::string first_line(const std::string& errors) { return errors.substr(0, errors.find('\n')); }

// The error of compiling allowing(actions).
std::string allow_error(const std::string& actions) {
  return first_line(compile_errors(allowing(actions)));
}

bool known(std::string_view action_or_pattern) {
  if (action_or_pattern.find_first_of("*?") != std::string_view::npos)
    return mrp::iam_actions_matching(action_or_pattern) > 0;
  return mrp::canonical_iam_action(action_or_pattern).has_value();
}

// The IAM policy statements in `node` (maps with an `Effect`), anywhere in a
// template: roles' inline policies, managed policies, bucket and key policies,
// trust policies.
void collect_actions(const YAML::Node& node, std::vector<std::string>& out) {
  if (node.IsSequence()) {
    for (const auto& n : node) collect_actions(n, out);
    return;
  }
  if (!node.IsMap()) return;
  if (node["Effect"]) {
    for (const char* key : {"Action", "NotAction"}) {
      const YAML::Node actions = node[key];
      if (!actions) continue;
      if (actions.IsScalar()) out.push_back(actions.as<std::string>());
      if (actions.IsSequence())
        for (const auto& a : actions) out.push_back(a.IsScalar() ? a.as<std::string>() : "?");
    }
  }
  for (const auto& kv : node) collect_actions(kv.second, out);
}

// `name: action` for each action of the YAML `text` the catalogue does not
// know; `text` must hold at least one action, so that a file whose policies
// moved out of reach of collect_actions does not pass unseen.
std::vector<std::string> unknown_actions(const std::string& name, const std::string& text,
                                         std::size_t& count) {
  std::vector<std::string> actions;
  collect_actions(YAML::Load(text), actions);
  count += actions.size();
  std::vector<std::string> unknown;
  for (const auto& a : actions)
    if (!known(a)) unknown.push_back(name + ": " + a);
  return unknown;
}

bool parses(const std::string& text) {
  try {
    YAML::Load(text);
    return true;
  } catch (const YAML::Exception&) {
    return false;
  }
}

std::vector<std::filesystem::path> golden_yaml_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(mrp::test::source_dir() / "golden"))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_SUITE("iam-catalogue") {
  TEST_CASE("an action is found without regard to case and returned as AWS spells it") {
    CHECK(mrp::canonical_iam_action("s3:GetObject") == "s3:GetObject");
    CHECK(mrp::canonical_iam_action("S3:getobject") == "s3:GetObject");
    CHECK(mrp::canonical_iam_action("LAMBDA:CREATEFUNCTION") == "lambda:CreateFunction");
    CHECK(mrp::canonical_iam_action("cognito-idp:createuserpool") == "cognito-idp:CreateUserPool");
    // The catalogue's few lower-case and hyphenated names, and the first and
    // last entries of a service.
    CHECK(mrp::canonical_iam_action("rds-db:Connect") == "rds-db:connect");
    CHECK(mrp::canonical_iam_action("vpc-lattice:associateviaawsservice-eventsandstates") ==
          "vpc-lattice:AssociateViaAWSService-EventsAndStates");
    CHECK(mrp::canonical_iam_action("a2c:GetContainerizationJobDetails"));
    CHECK(mrp::canonical_iam_action("a2c:StartDeploymentJob"));
  }

  TEST_CASE("what is not an action of the catalogue is not found") {
    CHECK_FALSE(mrp::canonical_iam_action("s3:GetObjekt"));
    CHECK_FALSE(mrp::canonical_iam_action("cognito:CreateUserPool"));
    CHECK_FALSE(mrp::canonical_iam_action("s3:GetObject2"));
    CHECK_FALSE(mrp::canonical_iam_action("s3:GetObjec"));
    CHECK_FALSE(mrp::canonical_iam_action("s3:"));
    CHECK_FALSE(mrp::canonical_iam_action(":GetObject"));
    CHECK_FALSE(mrp::canonical_iam_action("s3GetObject"));
    CHECK_FALSE(mrp::canonical_iam_action("s3:Get*"));
    CHECK_FALSE(mrp::canonical_iam_action(""));
    CHECK_FALSE(mrp::canonical_iam_action("s3:GetObject:x"));
  }

  TEST_CASE("service prefixes") {
    CHECK(mrp::iam_service_known("s3"));
    CHECK(mrp::iam_service_known("cognito-idp"));
    CHECK(mrp::iam_service_known("elasticloadbalancing"));
    CHECK(mrp::iam_service_known("Lambda"));
    CHECK_FALSE(mrp::iam_service_known("cognito"));
    CHECK_FALSE(mrp::iam_service_known("elbv2"));
    CHECK_FALSE(mrp::iam_service_known(""));
    CHECK_FALSE(mrp::iam_service_known("s3:GetObject"));
  }

  TEST_CASE("wildcards count the actions they match") {
    CHECK(mrp::iam_actions_matching("sqs:SendMessage") == 1);
    CHECK(mrp::iam_actions_matching("sqs:sendmessage") == 1);
    // Delete, Receive and Send; SendMessageBatch is not an action of its own.
    CHECK(mrp::iam_actions_matching("sqs:*Message") == 3);
    CHECK(mrp::iam_actions_matching("sqs:*message") == 3);
    CHECK(mrp::iam_actions_matching("sqs:SendMessage*") == 1);
    CHECK(mrp::iam_actions_matching("s3:Get*") > 50);
    CHECK(mrp::iam_actions_matching("s3:*Object?") == 0);
    CHECK(mrp::iam_actions_matching("s3:*Objec?") >= 3);       // Delete, Get, Put, …
    CHECK(mrp::iam_actions_matching("s3:GetObject?cl") == 1);  // GetObjectAcl
    CHECK(mrp::iam_actions_matching("s3:Frob*") == 0);
    CHECK(mrp::iam_actions_matching("nosuchservice:*") == 0);
    CHECK(mrp::iam_actions_matching("cognito-*:CreateUserPool") == 1);
    CHECK(mrp::iam_actions_matching("*") > 15000);
    CHECK(mrp::iam_actions_matching("*:*") == mrp::iam_actions_matching("*"));
    CHECK(mrp::iam_actions_matching("dynamodb:*") > 50);
    CHECK(mrp::iam_actions_matching("dynamodb:*") < mrp::iam_actions_matching("*"));
  }

  TEST_CASE("suggestions: a near name in the service, or the name in the service meant") {
    CHECK(mrp::suggest_iam_action("s3:GetObjekt") == "s3:GetObject");
    CHECK(mrp::suggest_iam_action("dynamodb:Getitem2") == "dynamodb:GetItem");
    CHECK(mrp::suggest_iam_action("lambda:CreateFuntion") == "lambda:CreateFunction");
    CHECK(mrp::suggest_iam_action("cognito:CreateUserPool") == "cognito-idp:CreateUserPool");
    CHECK(mrp::suggest_iam_action("elbv2:CreateLoadBalancer") ==
          "elasticloadbalancing:CreateLoadBalancer");
    // A known service without the name: the service that has it.
    CHECK(mrp::suggest_iam_action("cognito-identity:CreateUserPool") ==
          "cognito-idp:CreateUserPool");
    CHECK(mrp::suggest_iam_action("sqs:Publish") == "sns:Publish");
    // A misspelt prefix and a misspelt name.
    CHECK(mrp::suggest_iam_action("dynamodbb:GetItemm") == "dynamodb:GetItem");
    // Nothing close.
    CHECK(mrp::suggest_iam_action("s3:Frobnicate") == "");
    CHECK(mrp::suggest_iam_action("zzzz:Frobnicate") == "");
    CHECK(mrp::suggest_iam_action("no-colon") == "");
  }

  TEST_CASE("an allowed action AWS does not define is an error at the action") {
    CHECK(compile_errors(allowing("sqs:SendMessage cognito:CreateUserPool")) ==
          "test.mrp:6:41: error: unknown IAM action `cognito:CreateUserPool`: AWS has no "
          "service `cognito`; did you mean `cognito-idp:CreateUserPool`? [permissions]\n"
          "    permissions { allow sqs:SendMessage cognito:CreateUserPool }\n"
          "                                        ^\n");
    CHECK(allow_error("elbv2:CreateLoadBalancer") ==
          "test.mrp:6:25: error: unknown IAM action `elbv2:CreateLoadBalancer`: AWS has no "
          "service `elbv2`; did you mean `elasticloadbalancing:CreateLoadBalancer`? "
          "[permissions]");
    CHECK(allow_error("s3:GetObjekt") ==
          "test.mrp:6:25: error: unknown IAM action `s3:GetObjekt`; did you mean "
          "`s3:GetObject`? [permissions]");
    CHECK(allow_error("s3:Frobnicate") ==
          "test.mrp:6:25: error: unknown IAM action `s3:Frobnicate`: `s3` has no such action "
          "[permissions]");
    CHECK(allow_error("zzzz:Frobnicate") ==
          "test.mrp:6:25: error: unknown IAM action `zzzz:Frobnicate`: AWS has no service "
          "`zzzz` [permissions]");
  }

  TEST_CASE("a wildcard must match an action; one of an unknown service is an error") {
    CHECK(allow_error("s3:Frob*") ==
          "test.mrp:6:25: error: `s3:Frob*` matches no IAM action of `s3` [permissions]");
    CHECK(allow_error("s3:*Object?") ==
          "test.mrp:6:25: error: `s3:*Object?` matches no IAM action of `s3` [permissions]");
    CHECK(allow_error("cognito:*") ==
          "test.mrp:6:25: error: unknown IAM action `cognito:*`: AWS has no service `cognito` "
          "[permissions]");
  }

  TEST_CASE("actions of the catalogue pass in any case, wildcards that match too") {
    CHECK(compile_errors(allowing("sqs:SendMessage s3:getobject s3:Get*Acl kms:Decrypt")) == "");
    CHECK(compile_errors(allowing("vpc-lattice:AssociateViaAWSService-EventsAndStates")) == "");
    // In `build` too.
    std::string spec = allowing("sqs:SendMessage");
    spec.replace(spec.find("  app"), 0,
                 "  build {\n    permissions { allow codebuild:BatchGetProjectz }\n  }\n");
    CHECK(first_line(compile_errors(spec)) ==
          "test.mrp:5:25: error: unknown IAM action `codebuild:BatchGetProjectz`; did you mean "
          "`codebuild:BatchGetProjects`? [permissions]");
  }

  TEST_CASE("every IAM action in the golden files is an action of the catalogue") {
    // Read when the test runs: the goldens change with the roles.
    std::size_t files = 0, actions = 0;
    std::vector<std::string> unknown;
    for (const auto& path : golden_yaml_files()) {
      const auto rel = std::filesystem::relative(path, mrp::test::source_dir()).string();
      const std::string text = mrp::test::read_text(path);
      // golden/errors/ holds app templates that are broken on purpose.
      if (rel.rfind("golden/errors/", 0) == 0 && !parses(text)) continue;
      const auto found = unknown_actions(rel, text, actions);
      unknown.insert(unknown.end(), found.begin(), found.end());
      ++files;
    }
    INFO("files: ", files, ", actions: ", actions);
    CHECK(files >= 30);
    CHECK(actions >= 500);
    CHECK(unknown == std::vector<std::string>{});
  }

  TEST_CASE("the golden check reports an action the catalogue does not know") {
    const auto path =
        mrp::test::source_dir() / "golden" / "orders-api" / "deployment-pipeline" / "pipeline.yaml";
    std::string text = mrp::test::read_text(path);
    std::size_t actions = 0;
    REQUIRE(unknown_actions("pipeline.yaml", text, actions).empty());
    REQUIRE(actions > 0);
    // A bogus action in a list, and a lower-case one that IAM would take.
    const auto at = text.find("- cloudformation:DescribeStacks\n");
    REQUIRE(at != std::string::npos);
    const auto line = text.rfind('\n', at) + 1;
    text.insert(at, "- cloudformation:DescribeStackz\n" + text.substr(line, at - line));
    const auto get = text.find("s3:GetObject");
    REQUIRE(get != std::string::npos);
    text.replace(get, 12, "s3:getobject");
    CHECK(unknown_actions("pipeline.yaml", text, actions) ==
          std::vector<std::string>{"pipeline.yaml: cloudformation:DescribeStackz"});
    // A bucket policy's single action, not in a list.
    const auto buckets = mrp::test::source_dir() / "golden" / "orders-api" / "deployment-pipeline" /
                         "artifact-buckets.yaml";
    std::string bucket_text = mrp::test::read_text(buckets);
    const auto s3 = bucket_text.find("Action: s3:*");
    REQUIRE(s3 != std::string::npos);
    bucket_text.replace(s3, 12, "Action: s4:*");
    CHECK(unknown_actions("artifact-buckets.yaml", bucket_text, actions) ==
          std::vector<std::string>{"artifact-buckets.yaml: s4:*"});
  }
}
