#include "compiler/aws/service_prefixes.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace mrp {
namespace {

struct TypePrefix {
  std::string_view name;
  std::string_view prefix;
};

#include "compiler/aws/service_prefixes.inc"

// The CloudFormation type each SAM type becomes (AWS SAM Developer Guide,
// "Generated AWS CloudFormation resources").
constexpr TypePrefix sam_types[] = {
    {"AWS::Serverless::Api", "AWS::ApiGateway::RestApi"},
    {"AWS::Serverless::Application", "AWS::CloudFormation::Stack"},
    {"AWS::Serverless::Connector", "AWS::IAM::ManagedPolicy"},
    {"AWS::Serverless::Function", "AWS::Lambda::Function"},
    {"AWS::Serverless::GraphQLApi", "AWS::AppSync::GraphQLApi"},
    {"AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"},
    {"AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"},
    {"AWS::Serverless::SimpleTable", "AWS::DynamoDB::Table"},
    {"AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"},
};

template <std::size_t N>
const TypePrefix* find(const TypePrefix (&table)[N], std::string_view name) {
  const auto it =
      std::lower_bound(std::begin(table), std::end(table), name,
                       [](const TypePrefix& e, std::string_view n) { return e.name < n; });
  return it != std::end(table) && it->name == name ? &*it : nullptr;
}

}  // namespace

std::string service_prefix(std::string_view type) {
  if (const TypePrefix* sam = find(sam_types, type)) type = sam->prefix;
  if (const TypePrefix* t = find(type_prefixes, type)) return std::string(t->prefix);
  const auto a = type.find("::");
  const auto b = a == std::string_view::npos ? a : type.find("::", a + 2);
  if (b == std::string_view::npos) return "";
  if (const TypePrefix* ns = find(namespace_prefixes, type.substr(0, b)))
    return std::string(ns->prefix);
  std::string out(type.substr(a + 2, b - a - 2));
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace mrp
