// The deploy role against AWS's own data: for every resource type mrp's
// permission table covers, the role grants every permission the type's
// CloudFormation read handler calls (data/aws/, see its README). CloudFormation
// reads each resource after creating and updating it, so a missing read
// permission fails every first deploy with "… is not authorized to perform …".

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/service_prefixes.h"
#include "compiler/lower/iam.h"
#include "tests/support.h"

namespace {

using Actions = std::set<std::string>;

std::string lower_case(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Type -> the read handler's permissions, from the registry data and the
// permissions newer than it; IAM compares action names without case.
std::map<std::string, Actions> read_handler_permissions() {
  std::map<std::string, Actions> out;
  for (const char* file : {"resource-handler-permissions.json", "handler-permissions-newer.json"}) {
    const auto data = nlohmann::json::parse(
        mrp::test::read_text(mrp::test::source_dir() / "data" / "aws" / file));
    for (const auto& [type, handlers] : data.items())
      if (handlers.contains("read"))
        for (const auto& action : handlers["read"]) out[type].insert(lower_case(action));
  }
  return out;
}

// Read permissions a handler calls only when the template sets a property,
// which the deploy role does not grant yet for every template.
const std::map<std::string, Actions> needs_a_property = {
    // kms:Decrypt only for a customer managed key (KmsKeyArn of filter criteria).
    {"AWS::Lambda::EventSourceMapping", {"kms:decrypt"}},
    // kms:Decrypt only with an EncryptionConfiguration of a customer managed key.
    {"AWS::StepFunctions::StateMachine", {"kms:decrypt"}},
    // s3:GetObject only for a definition read from BodyS3Location.
    {"AWS::ApiGatewayV2::Api", {"s3:getobject"}},
    // iam:PassRole only for a target with a RoleArn.
    {"AWS::Events::Rule", {"iam:passrole"}},
};

// The actions of the deploy role a template of one resource of `type` gets.
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

TEST_CASE("handler permissions: the deploy role grants every read permission of each type") {
  std::size_t types = 0;
  for (const auto& [type, reads] : read_handler_permissions()) {
    if (!mrp::resource_type_covered(type)) continue;
    ++types;
    CAPTURE(type);
    const Actions granted = deploy_role_actions(type);
    const auto skip = needs_a_property.find(type);
    for (const auto& action : reads) {
      if (skip != needs_a_property.end() && skip->second.count(action)) continue;
      CHECK_MESSAGE(granted.count(action), action);
    }
  }
  // Every type of the table that the registry data knows (SAM types and legacy
  // types have no handler list).
  CHECK(types >= 30);
}

TEST_CASE("handler permissions: each property-dependent exception is still in the data") {
  const auto reads = read_handler_permissions();
  for (const auto& [type, actions] : needs_a_property) {
    CAPTURE(type);
    REQUIRE(reads.count(type));
    for (const auto& a : actions) CHECK_MESSAGE(reads.at(type).count(a), a);
  }
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
  files.add("template.yaml", "Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n");
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
  CHECK_FALSE(warned("cognito-idp:CreateUserPool"));
  CHECK(warned("cognito:CreateUserPool"));
}
