// The deploy role against AWS's own data: for every resource type the data
// lists, the role grants every permission the type's CloudFormation handlers
// call (data/aws/, see its README), except those another service's property
// calls for, which it grants with the property. A missing permission fails a
// deploy with "… is not authorized to perform …".

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/handler_permissions.h"
#include "compiler/aws/iam_actions.h"
#include "compiler/aws/service_prefixes.h"
#include "compiler/lower/iam.h"
#include "tests/support.h"

namespace {

using Actions = std::set<std::string>;

std::string lower_case(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Type -> every permission its create, read, update and delete handlers call:
// the registry data, the permissions newer than it and those of the older
// types; IAM compares action names without case.
std::map<std::string, Actions> handler_permissions() {
  std::map<std::string, Actions> out;
  for (const char* file : {"resource-handler-permissions.json", "handler-permissions-newer.json",
                           "legacy-type-permissions.json"}) {
    const auto data = nlohmann::json::parse(
        mrp::test::read_text(mrp::test::source_dir() / "data" / "aws" / file));
    for (const auto& [type, handlers] : data.items())
      for (const auto& [op, actions] : handlers.items())
        for (const auto& action : actions)
          if (!action.get<std::string>().empty()) out[type].insert(lower_case(action));
  }
  return out;
}

// The actions of the deploy role a template of one resource of `type` (with
// no properties) gets; PassRole and CreateGrant with their conditions.
Actions deploy_role_actions(const std::string& type) {
  mrp::MemoryFileReader files;
  files.add("template.yaml", fmt::format("Resources:\n  Thing:\n    Type: {}\n", type));
  const auto r = mrp::test::compile_text(mrp::test::minimal_spec, files);
  REQUIRE(r.ir);
  Actions out;
  for (const auto& s : r.ir->deploy_role.statements)
    for (const auto& a : s.actions) out.insert(lower_case(a));
  return out;
}

}  // namespace

TEST_CASE("handler permissions: the deploy role grants what each type's handlers call") {
  std::size_t types = 0;
  std::size_t left_out = 0;
  for (const auto& [type, actions] : handler_permissions()) {
    const mrp::TypeHandlers* table = mrp::find_type_handlers(type);
    CAPTURE(type);
    REQUIRE(table);
    ++types;
    Actions in_table;
    Actions needs_property;
    for (const auto& a : mrp::actions_of(*table)) {
      in_table.insert(lower_case(std::string(a.action)));
      if (!a.property.empty()) needs_property.insert(lower_case(std::string(a.action)));
    }
    const Actions granted = deploy_role_actions(type);
    for (const auto& action : actions) {
      // Names IAM does not know (an API name in a schema, such as
      // s3:PutBucketEncryption for s3:PutEncryptionConfiguration) are left
      // out by scripts/gen-aws-data.
      if (!in_table.count(action)) {
        CHECK_FALSE_MESSAGE(mrp::canonical_iam_action(action), action);
        ++left_out;
        continue;
      }
      if (needs_property.count(action)) {
        // Only another service's actions wait for a property (or a layer of
        // another account): removing a property of the type's own service
        // makes the handler call its own actions to undo it.
        CHECK_MESSAGE((action.rfind(std::string(table->prefix) + ":", 0) != 0 ||
                       action == "lambda:getlayerversion"),
                      action);
        // The artifact buckets' objects are readable whatever the template.
        if (action != "s3:getobject" && action != "s3:getobjectversion")
          CHECK_MESSAGE(!granted.count(action), action);
        continue;
      }
      CHECK_MESSAGE(granted.count(action), action);
    }
  }
  CHECK(types > 1000);
  // The names left out, all types together (scripts/gen-aws-data lists them).
  CHECK(left_out < 200);
}

TEST_CASE("handler permissions: an action that needs a property is granted with it") {
  mrp::MemoryFileReader files;
  files.add("template.yaml",
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
            "      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}\n");
  const auto r = mrp::test::compile_text(mrp::test::minimal_spec, files);
  REQUIRE(r.ir);
  REQUIRE(r.ir->apps.size() == 1);
  const auto& uses = r.ir->apps[0].property_uses;
  CHECK(std::find(uses.begin(), uses.end(), "AWS::Lambda::Function.VpcConfig") != uses.end());
  Actions granted;
  for (const auto& s : r.ir->deploy_role.statements)
    for (const auto& a : s.actions) granted.insert(a);
  CHECK(granted.count("ec2:DescribeSubnets"));
  CHECK(granted.count("ec2:DescribeSecurityGroups"));
  CHECK_FALSE(granted.count("kms:CreateGrant"));
}

TEST_CASE("service prefixes come from the handler data, not from the type's namespace") {
  CHECK(mrp::service_prefix("AWS::Cognito::UserPool") == "cognito-idp");
  CHECK(mrp::service_prefix("AWS::EFS::FileSystem") == "elasticfilesystem");
  CHECK(mrp::service_prefix("AWS::KinesisFirehose::DeliveryStream") == "firehose");
  CHECK(mrp::service_prefix("AWS::ElasticLoadBalancingV2::LoadBalancer") == "elasticloadbalancing");
  CHECK(mrp::service_prefix("AWS::OpenSearchService::Domain") == "es");
  CHECK(mrp::service_prefix("AWS::MSK::Cluster") == "kafka");
  CHECK(mrp::service_prefix("AWS::Pipes::Pipe") == "pipes");
  // Types the data does not list take their namespace's prefix.
  CHECK(mrp::service_prefix("AWS::ApiGatewayV2::Integration") == "apigateway");
  CHECK(mrp::service_prefix("AWS::CertificateManager::Certificate") == "acm");
  CHECK(mrp::service_prefix("AWS::AmazonMQ::Broker") == "mq");
  // SAM types, that of what SAM makes of them.
  CHECK(mrp::service_prefix("AWS::Serverless::Function") == "lambda");
  CHECK(mrp::service_prefix("AWS::Serverless::GraphQLApi") == "appsync");
  // Unknown namespaces, their own name.
  CHECK(mrp::service_prefix("Vendor::Thing::Widget") == "thing");
  CHECK(mrp::service_prefix("NoColons") == "");
}

TEST_CASE("an allow of the type's service clears its warning; one named after the type does not") {
  mrp::MemoryFileReader files;
  // An older type, which AWS's handler data does not list.
  files.add("template.yaml",
            "Resources:\n  Overrides:\n    Type: AWS::ApiGatewayV2::ApiGatewayManagedOverrides\n");
  const auto warned = [&](const std::string& action) {
    const std::string spec =
        "pipeline shop {\n  source codecommit { repo shop; branch main }\n  regions us-east-1\n"
        "  app shop-app {\n    template template.yaml\n"
        "    permissions { allow " +
        action + " }\n  }\n}\n";
    const auto r = mrp::test::compile_text(spec, files);
    return std::any_of(r.diags.all().begin(), r.diags.all().end(),
                       [](const mrp::Diagnostic& d) { return d.rule == "resource-permissions"; });
  };
  CHECK_FALSE(warned("apigateway:PATCH"));
  CHECK(warned("apigatewayv2:PATCH"));
}
