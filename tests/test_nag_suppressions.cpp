// The cdk-nag suppressions the templates carry: which IAM5 findings mrp
// explains, with which reason, and that every wildcard mrp's roles hold is
// one of the kinds it can explain (the validators' cdk-nag check fails on any
// other).

#include <algorithm>
#include <filesystem>
#include <regex>

#include <doctest/doctest.h>

#include "compiler/cli/driver.h"
#include "compiler/emit/nag_suppressions.h"
#include "tests/support.h"

namespace {

using Kind = mrp::PolicyValue::Kind;

mrp::PolicyValue sub(std::string s) { return {Kind::sub, std::move(s)}; }

mrp::Statement allow(std::vector<std::string> actions, std::vector<mrp::PolicyValue> resources) {
  mrp::Statement s;
  s.sid = "S";
  s.actions = std::move(actions);
  s.resources = std::move(resources);
  return s;
}

// Every resource of `role` that cdk-nag reports, flattened.
std::vector<std::string> wildcards(const mrp::Role& role) {
  std::vector<std::string> out;
  for (const auto& s : role.statements)
    for (const auto& r : s.resources)
      if (!s.deny && mrp::nag_flatten(r).find('*') != std::string::npos)
        out.push_back("Resource::" + mrp::nag_flatten(r));
  return out;
}

}  // namespace

TEST_CASE("policy values are flattened as cdk-nag shows them") {
  CHECK(mrp::nag_flatten(sub("arn:${AWS::Partition}:s3:::b-${AWS::AccountId}-*/*")) ==
        "arn:<AWS::Partition>:s3:::b-<AWS::AccountId>-*/*");
  CHECK(mrp::nag_flatten({Kind::arn_of, "Topic"}) == "<Topic.Arn>");
  CHECK(mrp::nag_flatten({Kind::text, "*"}) == "*");
}

TEST_CASE("each kind of wildcard gets its reason; stacks one pattern; unknown kinds none") {
  mrp::Role role;
  role.statements.push_back(allow({"lambda:CreateEventSourceMapping"}, {{Kind::text, "*"}}));
  role.statements.push_back(
      allow({"cloudformation:DescribeStacks"},
            {sub("arn:${AWS::Partition}:cloudformation:us-east-1:${AWS::AccountId}:stack/a/*"),
             sub("arn:${AWS::Partition}:cloudformation:eu-west-1:${AWS::AccountId}:stack/a/*")}));
  role.statements.push_back(
      allow({"ssm:GetParameter"},
            {sub("arn:${AWS::Partition}:ssm:us-east-1:${AWS::AccountId}:parameter/a*")}));
  role.statements.push_back(
      allow({"kms:Decrypt"}, {sub("arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*")}));
  role.statements.back().conditions.push_back(
      {"ForAnyValue:StringEquals", "kms:ResourceAliases", {{Kind::text, "alias/p-artifacts"}}});
  mrp::Statement spec = allow({"kinesis:*"}, {sub("arn:${AWS::Partition}:kinesis:*:1:stream/*")});
  spec.from_spec = true;
  role.statements.push_back(spec);
  mrp::Statement deny = allow({"iam:*"}, {{Kind::text, "*"}});
  deny.deny = true;
  role.statements.push_back(deny);

  const auto s = mrp::wildcard_suppressions(role);
  REQUIRE(s.size() == 4);
  CHECK(s[0].rule == "AwsSolutions-IAM5");
  CHECK(s[0].reason ==
        "`lambda:CreateEventSourceMapping`: IAM cannot narrow it to a resource known before the "
        "stack exists; only `*` grants it");
  CHECK(s[0].applies_to == std::vector<std::string>{"Resource::*"});
  CHECK(s[1].applies_to.empty());
  CHECK(s[1].applies_to_patterns ==
        std::vector<std::string>{"/^Resource::arn:<AWS::Partition>:cloudformation:"
                                 "(us-east-1|eu-west-1):<AWS::AccountId>:stack\\/(a)\\/\\*$/"});
  // The parameter pattern is of no kind mrp explains: cdk-nag reports it.
  CHECK(s[2].reason == "KMS makes up key ids; narrowed by the condition on `kms:ResourceAliases`");
  CHECK(s[3].reason == "granted as written in the spec's `permissions`");
  CHECK(s[3].applies_to ==
        std::vector<std::string>{"Resource::arn:<AWS::Partition>:kinesis:*:1:stream/*"});
}

TEST_CASE("every wildcard in the roles of every example spec is explained") {
  for (const auto& dir : std::filesystem::directory_iterator(mrp::test::source_dir() / "specs")) {
    const auto r = mrp::compile(mrp::test::read_text(dir.path() / "pipeline.mrp"), "pipeline.mrp",
                                mrp::test::files_in(dir.path()));
    REQUIRE(r.ir);
    for (const mrp::Role* role : {&r.ir->pipeline_role, &r.ir->build_role, &r.ir->deploy_role}) {
      const auto suppressions = mrp::wildcard_suppressions(*role);
      for (const auto& w : wildcards(*role)) {
        const bool explained = std::any_of(
            suppressions.begin(), suppressions.end(), [&](const mrp::NagSuppression& s) {
              if (std::find(s.applies_to.begin(), s.applies_to.end(), w) != s.applies_to.end())
                return true;
              return std::any_of(s.applies_to_patterns.begin(), s.applies_to_patterns.end(),
                                 [&](const std::string& p) {
                                   return std::regex_search(w,
                                                            std::regex(p.substr(1, p.size() - 2)));
                                 });
            });
        CHECK_MESSAGE(explained, dir.path().filename().string(), ": ", w);
      }
    }
  }
}
