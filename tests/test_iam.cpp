// The service roles: what each may do, what the spec's `permissions` adds,
// and the checks on them. The roles of the examples are in golden/; these
// cases pin down the rules that decide them.

#include <algorithm>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/lower/iam.h"
#include "tests/support.h"

using mrp::test::compile_text;
using mrp::test::minimal_spec;

namespace {

mrp::Ir ir_of(const std::string& spec) {
  const auto r = compile_text(spec);
  INFO(mrp::render_all(r.diags, spec));
  REQUIRE(r.ir);
  REQUIRE_FALSE(r.diags.has_errors());
  return *r.ir;
}

std::string with(const std::string& from, const std::string& to) {
  std::string s = minimal_spec;
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

const mrp::Statement* find_sid(const mrp::Role& role, std::string_view sid) {
  const auto it = std::find_if(role.statements.begin(), role.statements.end(),
                               [&](const mrp::Statement& s) { return s.sid == sid; });
  return it == role.statements.end() ? nullptr : &*it;
}

std::vector<std::string> sids(const mrp::Role& role) {
  std::vector<std::string> out;
  for (const auto& s : role.statements) out.push_back(s.sid);
  return out;
}

bool any_wildcard_action(const mrp::Role& role) {
  for (const auto& s : role.statements)
    for (const auto& a : s.actions)
      if (a == "*" || a.find(":*") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("no role has AdministratorAccess or a wildcard action by default") {
  const mrp::Ir ir = ir_of(minimal_spec);
  for (const mrp::Role* role : {&ir.pipeline_role, &ir.build_role, &ir.deploy_role}) {
    CHECK(role->managed_policies.empty());
    CHECK_FALSE(any_wildcard_action(*role));
  }
  CHECK(sids(ir.pipeline_role) == std::vector<std::string>{"ArtifactBuckets", "ArtifactObjects",
                                                           "BuildProject", "AppStacks",
                                                           "PassDeployRole"});
  CHECK(sids(ir.build_role) ==
        std::vector<std::string>{"BuildLogs", "ArtifactBuckets", "ArtifactObjects"});
  // The deploy role reads packaged code and manages what the template (one
  // SNS topic) declares.
  CHECK(sids(ir.deploy_role) == std::vector<std::string>{"ReadPackagedCode", "Sns"});
}

TEST_CASE("the pipeline role names each app stack in each region and passes only the deploy role") {
  const mrp::Ir ir = ir_of(with("  app shop-app {\n    template template.yaml\n  }",
                                "  app shop-app { template template.yaml }\n"
                                "  app shop-jobs { template template.yaml }\n"
                                "  deploy change-set"));
  const mrp::Statement* stacks = find_sid(ir.pipeline_role, "AppStacks");
  REQUIRE(stacks);
  // DescribeStackEvents: a failed action names the failing resource.
  CHECK(stacks->actions == std::vector<std::string>{
                               "cloudformation:DescribeStackEvents",
                               "cloudformation:DescribeStacks", "cloudformation:CreateChangeSet",
                               "cloudformation:DeleteChangeSet", "cloudformation:DescribeChangeSet",
                               "cloudformation:ExecuteChangeSet"});
  std::vector<std::string> arns;
  for (const auto& r : stacks->resources) arns.push_back(r.text);
  const std::string prefix = "arn:${AWS::Partition}:cloudformation:";
  CHECK(arns == std::vector<std::string>{prefix + "us-east-1:${AWS::AccountId}:stack/shop-app/*",
                                         prefix + "eu-west-1:${AWS::AccountId}:stack/shop-app/*",
                                         prefix + "us-east-1:${AWS::AccountId}:stack/shop-jobs/*",
                                         prefix + "eu-west-1:${AWS::AccountId}:stack/shop-jobs/*"});
  const mrp::Statement* pass = find_sid(ir.pipeline_role, "PassDeployRole");
  REQUIRE(pass);
  REQUIRE(pass->resources.size() == 1);
  CHECK(pass->resources[0].kind == mrp::PolicyValue::Kind::arn_of);
  CHECK(pass->resources[0].text == "CloudformationRole");
  REQUIRE(pass->conditions.size() == 1);
  CHECK(pass->conditions[0].key == "iam:PassedToService");
  CHECK(pass->conditions[0].values[0].text == "cloudformation.amazonaws.com");
}

TEST_CASE("each source kind gets exactly its own access") {
  const std::string codestar = with(
      "  source github {\n    owner acme\n    repo shop\n    branch main\n  }",
      "  source codestar {\n    connection arn:aws:codestar-connections:us-east-1:123456789012:"
      "connection/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\n    repo acme/shop\n    branch main\n  }");
  const mrp::Ir codestar_ir = ir_of(codestar);
  const mrp::Statement* use = find_sid(codestar_ir.pipeline_role, "UseConnection");
  REQUIRE(use);
  CHECK(use->resources[0].text ==
        "arn:aws:codestar-connections:us-east-1:123456789012:connection/"
        "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");

  const std::string s3 =
      with("  source github {\n    owner acme\n    repo shop\n    branch main\n  }",
           "  source s3 { bucket acme-drops; key shop/app.zip }");
  const mrp::Ir s3_ir = ir_of(s3);
  REQUIRE(find_sid(s3_ir.pipeline_role, "SourceObject"));
  CHECK(find_sid(s3_ir.pipeline_role, "SourceObject")->resources[0].text ==
        "arn:${AWS::Partition}:s3:::acme-drops/shop/app.zip");
  const mrp::Ir github = ir_of(minimal_spec);
  CHECK_FALSE(find_sid(github.pipeline_role, "UseConnection"));
  CHECK_FALSE(find_sid(github.pipeline_role, "SourceObject"));
}

TEST_CASE("permissions blocks add to the build and deploy roles; admin replaces them") {
  const mrp::Ir ir =
      ir_of(with("  app shop-app {\n    template template.yaml\n  }",
                 "  build {\n    permissions {\n      allow ssm:GetParameter\n    }\n  }\n"
                 "  app shop-app {\n    template template.yaml\n    permissions {\n"
                 "      managed-policy arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess\n"
                 "      allow kinesis:CreateStream kinesis:DeleteStream {\n"
                 "        resources "
                 "\"arn:${AWS::Partition}:kinesis:*:${AWS::AccountId}:stream/${aws:username}\"\n"
                 "      }\n    }\n  }"));
  const mrp::Statement* build = find_sid(ir.build_role, "Build1");
  REQUIRE(build);
  CHECK(build->actions == std::vector<std::string>{"ssm:GetParameter"});
  CHECK(build->resources == std::vector<mrp::PolicyValue>{{mrp::PolicyValue::Kind::text, "*"}});
  CHECK(ir.deploy_role.managed_policies ==
        std::vector<std::string>{"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"});
  const mrp::Statement* app = find_sid(ir.deploy_role, "ShopApp1");
  REQUIRE(app);
  // ${AWS::…} makes it a !Sub string; an IAM policy variable stays literal.
  CHECK(app->resources ==
        std::vector<mrp::PolicyValue>{
            {mrp::PolicyValue::Kind::sub,
             "arn:${AWS::Partition}:kinesis:*:${AWS::AccountId}:stream/${!aws:username}"}});

  const mrp::Ir admin = ir_of(
      with("    template template.yaml\n", "    template template.yaml\n    permissions admin\n"));
  CHECK(admin.deploy_role.managed_policies ==
        std::vector<std::string>{std::string(mrp::administrator_access)});
  CHECK(admin.deploy_role.statements.empty());
  CHECK(admin.build_role.managed_policies.empty());
}

TEST_CASE("encryption kms: every role may use the keys by their alias, and only them") {
  const mrp::Ir ir =
      ir_of(with("  app shop-app {", "  artifacts { encryption kms }\n  app shop-app {"));
  CHECK(ir.artifacts.key_alias == "alias/shop-artifacts");
  CHECK(ir.artifacts.role_path == "/mrp/shop/");
  for (const mrp::Role* role : {&ir.pipeline_role, &ir.build_role, &ir.deploy_role}) {
    const mrp::Statement* keys = find_sid(*role, "ArtifactKeys");
    REQUIRE(keys);
    REQUIRE(keys->conditions.size() == 1);
    CHECK(keys->conditions[0].op == "ForAnyValue:StringEquals");
    CHECK(keys->conditions[0].key == "kms:ResourceAliases");
    CHECK(keys->conditions[0].values[0].text == "alias/shop-artifacts");
  }
  CHECK(find_sid(ir.deploy_role, "ArtifactKeys")->actions ==
        std::vector<std::string>{"kms:Decrypt", "kms:DescribeKey"});
  const mrp::Ir plain = ir_of(minimal_spec);
  CHECK_FALSE(find_sid(plain.pipeline_role, "ArtifactKeys"));
}

TEST_CASE("the permission table: which resource types it covers") {
  CHECK(mrp::resource_type_covered("AWS::Serverless::Function"));
  CHECK(mrp::resource_type_covered("Custom::SeedData"));
  CHECK(mrp::resource_type_covered("AWS::CloudFormation::WaitConditionHandle"));
  CHECK(mrp::resource_type_covered("AWS::Kinesis::Stream"));
  // Older types AWS's handler data does not list, nor mrp's own list of them.
  CHECK_FALSE(mrp::resource_type_covered("AWS::Kinesis::StreamConsumer"));
}

TEST_CASE("inline_policy_size is never below the policy IAM stores") {
  // The policy as IAM stores it: JSON without white space, every ${AWS::…}
  // filled in (with the longest partition) and each GetAtt a role's ARN.
  const mrp::Ir ir =
      ir_of(with("  app shop-app {", "  artifacts { encryption kms }\n  app shop-app {"));
  for (const mrp::Role* role : {&ir.pipeline_role, &ir.build_role, &ir.deploy_role}) {
    nlohmann::json statements = nlohmann::json::array();
    const auto value = [](const mrp::PolicyValue& v) {
      std::string s = v.kind == mrp::PolicyValue::Kind::arn_of
                          ? "arn:aws-us-gov:iam::123456789012:role/" + std::string(64, 'r')
                          : v.text;
      for (const auto& [var, val] :
           {std::pair<std::string, std::string>{"${AWS::Partition}", "aws-us-gov"},
            {"${AWS::AccountId}", "123456789012"},
            {"${AWS::Region}", "ap-southeast-7"}})
        for (auto at = s.find(var); at != std::string::npos; at = s.find(var))
          s.replace(at, var.size(), val);
      return s;
    };
    for (const auto& s : role->statements) {
      nlohmann::json j = {{"Sid", s.sid}, {"Effect", "Allow"}, {"Action", s.actions}};
      for (const auto& r : s.resources) j["Resource"].push_back(value(r));
      for (const auto& c : s.conditions)
        for (const auto& v : c.values) j["Condition"][c.op][c.key].push_back(value(v));
      statements.push_back(j);
    }
    const nlohmann::json doc = {{"Version", "2012-10-17"}, {"Statement", statements}};
    const std::size_t stored = doc.dump().size();
    const std::size_t bound = mrp::inline_policy_size(*role);
    CAPTURE(stored);
    CHECK(stored <= bound);
    CHECK(bound <= stored + stored / 4);
  }
}

TEST_CASE("more than 10 managed policies on a role is a warning") {
  std::string policies;
  for (int i = 0; i < 11; ++i)
    policies += fmt::format(" arn:aws:iam::123456789012:policy/team-{}", i);
  const std::string spec =
      with("    template template.yaml\n",
           "    template template.yaml\n    permissions { managed-policy" + policies + " }\n");
  const auto r = compile_text(spec);
  CHECK(mrp::render_all(r.diags, spec)
            .find("test.mrp:1:10: warning: the CloudFormation deploy role would have 11 managed "
                  "policies; IAM attaches 10 to a role unless the account's quota is raised "
                  "(Service Quotas, \"Managed policies per role\") [policy-size]\n") !=
        std::string::npos);
  CHECK(r.outputs);
}

TEST_CASE("fit_policies: what the inline policy cannot hold goes to managed policies in order") {
  mrp::Role role;
  // 40 statements of 12 actions: about 20,000 characters, one of them with
  // 400 actions (about 13,000 characters alone).
  for (int i = 0; i < 40; ++i) {
    mrp::Statement s;
    s.sid = fmt::format("Part{}", i);
    for (int a = 0; a < (i == 30 ? 400 : 12); ++a)
      s.actions.push_back(fmt::format("service{}:SomeAction{}", i, a));
    s.resources.push_back(
        {mrp::PolicyValue::Kind::sub,
         fmt::format("arn:${{AWS::Partition}}:service{}:*:${{AWS::AccountId}}:*", i)});
    role.statements.push_back(std::move(s));
  }
  const mrp::Role before = role;
  mrp::fit_policies(role);
  CHECK(mrp::inline_policy_size(role) <= mrp::max_inline_policy_size);
  REQUIRE(role.stack_policies.size() >= 3);
  for (const auto& p : role.stack_policies) {
    CHECK_FALSE(p.empty());
    CHECK(mrp::policy_size(p) <= mrp::max_managed_policy_size);
  }
  // Every action is still granted, on the same resources, in the same order.
  std::vector<std::pair<std::string, std::string>> granted;
  std::vector<std::pair<std::string, std::string>> wanted;
  const auto collect = [](const std::vector<mrp::Statement>& ss, auto& out) {
    for (const auto& st : ss)
      for (const auto& a : st.actions) out.emplace_back(a, st.resources.front().text);
  };
  collect(before.statements, wanted);
  collect(role.statements, granted);
  for (const auto& p : role.stack_policies) collect(p, granted);
  CHECK(granted == wanted);
  // The big statement is cut into parts named after it.
  int parts = 0;
  for (const auto& p : role.stack_policies)
    for (const auto& st : p) parts += st.sid.rfind("Part30", 0) == 0 ? 1 : 0;
  CHECK(parts >= 2);
  // A role that fits is left alone.
  mrp::Role small = before;
  small.statements.resize(3);
  const mrp::Role small_before = small;
  mrp::fit_policies(small);
  CHECK(small.stack_policies.empty());
  CHECK(small.statements.size() == small_before.statements.size());
}

TEST_CASE("a boundary: the deploy role grants roles only within it and cannot change it") {
  mrp::Ir ir = ir_of(with("    template template.yaml\n",
                          "    template template.yaml\n    permissions {\n      boundary "
                          "arn:aws:iam::123456789012:policy/shop-boundary\n    }\n"));
  // As if the template had been read: a function and the role SAM makes for it.
  ir.apps[0].resource_types = {"AWS::Serverless::Function", "AWS::IAM::Role"};
  mrp::derive_roles(ir);
  const mrp::Statement* roles = find_sid(ir.deploy_role, "Iam");
  const mrp::Statement* bounded = find_sid(ir.deploy_role, "IamWithinBoundary");
  const mrp::Statement* keep = find_sid(ir.deploy_role, "KeepBoundary");
  REQUIRE(roles);
  REQUIRE(bounded);
  REQUIRE(keep);
  CHECK(bounded->actions ==
        std::vector<std::string>{"iam:AttachRolePolicy", "iam:CreateRole", "iam:PutRolePolicy"});
  for (const auto& a : bounded->actions)
    CHECK(std::find(roles->actions.begin(), roles->actions.end(), a) == roles->actions.end());
  REQUIRE(bounded->conditions.size() == 1);
  CHECK(bounded->conditions[0].key == "iam:PermissionsBoundary");
  CHECK(bounded->conditions[0].values[0].text == "arn:aws:iam::123456789012:policy/shop-boundary");
  CHECK(keep->deny);
  CHECK(keep->resources[0].text == "arn:aws:iam::123456789012:policy/shop-boundary");
  // Without a boundary the role statements stay whole and nothing is denied.
  mrp::Ir plain = ir_of(minimal_spec);
  plain.apps[0].resource_types = {"AWS::IAM::Role"};
  mrp::derive_roles(plain);
  CHECK(find_sid(plain.deploy_role, "Iam"));
  CHECK_FALSE(find_sid(plain.deploy_role, "IamWithinBoundary"));
  CHECK_FALSE(find_sid(plain.deploy_role, "KeepBoundary"));
}
