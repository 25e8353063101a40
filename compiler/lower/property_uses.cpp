#include "compiler/lower/property_uses.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "compiler/yaml/yaml_nodes.h"

namespace mrp {
namespace {

using yaml::child;
using yaml::is_map;
using yaml::present;
using yaml::text;

// Where the SAM transform puts a property of a SAM resource: the type and the
// property it becomes ("" for the same name). Properties that only steer the
// transform (Events, Policies, DeploymentPreference, …) are not listed; what
// they make is counted among the types (compiler/lower/sam_resources.cpp).
struct Passed {
  std::string_view sam_type;
  std::string_view property;
  std::string_view type;
  std::string_view as;
};

constexpr std::string_view function = "AWS::Serverless::Function";
constexpr std::string_view lambda = "AWS::Lambda::Function";
constexpr std::string_view api = "AWS::Serverless::Api";
constexpr std::string_view http_api = "AWS::Serverless::HttpApi";
constexpr std::string_view machine = "AWS::Serverless::StateMachine";
constexpr std::string_view graphql = "AWS::Serverless::GraphQLApi";

// clang-format off
constexpr Passed passed[] = {
    {function, "FunctionName", lambda, ""}, {function, "Handler", lambda, ""},
    {function, "Runtime", lambda, ""}, {function, "Description", lambda, ""},
    {function, "MemorySize", lambda, ""}, {function, "Timeout", lambda, ""},
    {function, "VpcConfig", lambda, ""}, {function, "Role", lambda, ""},
    {function, "Environment", lambda, ""}, {function, "Tags", lambda, ""},
    {function, "KmsKeyArn", lambda, ""}, {function, "ReservedConcurrentExecutions", lambda, ""},
    {function, "Layers", lambda, ""}, {function, "FileSystemConfigs", lambda, ""},
    {function, "ImageConfig", lambda, ""}, {function, "PackageType", lambda, ""},
    {function, "Architectures", lambda, ""}, {function, "SnapStart", lambda, ""},
    {function, "EphemeralStorage", lambda, ""}, {function, "CodeSigningConfigArn", lambda, ""},
    {function, "RuntimeManagementConfig", lambda, ""}, {function, "LoggingConfig", lambda, ""},
    {function, "RecursiveLoop", lambda, ""}, {function, "TenancyConfig", lambda, ""},
    {function, "DurableConfig", lambda, ""}, {function, "CapacityProviderConfig", lambda, ""},
    {function, "FunctionScalingConfig", lambda, ""},
    {function, "PublishToLatestPublished", lambda, ""},
    {function, "CodeUri", lambda, "Code"}, {function, "InlineCode", lambda, "Code"},
    {function, "ImageUri", lambda, "Code"}, {function, "SourceKMSKeyArn", lambda, "Code"},
    {function, "DeadLetterQueue", lambda, "DeadLetterConfig"},
    {function, "AutoPublishAlias", "AWS::Lambda::Alias", "Name"},
    {function, "ProvisionedConcurrencyConfig", "AWS::Lambda::Alias", ""},
    {function, "VersionDescription", "AWS::Lambda::Version", "Description"},
    {machine, "Definition", "AWS::StepFunctions::StateMachine", "DefinitionString"},
    {machine, "DefinitionUri", "AWS::StepFunctions::StateMachine", "DefinitionS3Location"},
    {machine, "DefinitionSubstitutions", "AWS::StepFunctions::StateMachine", ""},
    {machine, "Logging", "AWS::StepFunctions::StateMachine", "LoggingConfiguration"},
    {machine, "Tracing", "AWS::StepFunctions::StateMachine", "TracingConfiguration"},
    {machine, "Name", "AWS::StepFunctions::StateMachine", "StateMachineName"},
    {machine, "Type", "AWS::StepFunctions::StateMachine", "StateMachineType"},
    {machine, "Role", "AWS::StepFunctions::StateMachine", "RoleArn"},
    {machine, "Tags", "AWS::StepFunctions::StateMachine", ""},
    {machine, "AutoPublishAlias", "AWS::StepFunctions::StateMachineAlias", "Name"},
    {machine, "DeploymentPreference", "AWS::StepFunctions::StateMachineAlias", ""},
    {"AWS::Serverless::SimpleTable", "ProvisionedThroughput", "AWS::DynamoDB::Table", ""},
    {"AWS::Serverless::SimpleTable", "SSESpecification", "AWS::DynamoDB::Table", ""},
    {"AWS::Serverless::SimpleTable", "TableName", "AWS::DynamoDB::Table", ""},
    {"AWS::Serverless::SimpleTable", "Tags", "AWS::DynamoDB::Table", ""},
    {"AWS::Serverless::SimpleTable", "PointInTimeRecoverySpecification", "AWS::DynamoDB::Table", ""},
    {api, "Name", "AWS::ApiGateway::RestApi", ""}, {api, "Description", "AWS::ApiGateway::RestApi", ""},
    {api, "BinaryMediaTypes", "AWS::ApiGateway::RestApi", ""},
    {api, "MinimumCompressionSize", "AWS::ApiGateway::RestApi", ""},
    {api, "FailOnWarnings", "AWS::ApiGateway::RestApi", ""},
    {api, "Mode", "AWS::ApiGateway::RestApi", ""},
    {api, "ApiKeySourceType", "AWS::ApiGateway::RestApi", ""},
    {api, "DisableExecuteApiEndpoint", "AWS::ApiGateway::RestApi", ""},
    {api, "EndpointConfiguration", "AWS::ApiGateway::RestApi", ""},
    {api, "SecurityPolicy", "AWS::ApiGateway::RestApi", ""},
    {api, "DefinitionBody", "AWS::ApiGateway::RestApi", "Body"},
    {api, "DefinitionUri", "AWS::ApiGateway::RestApi", "BodyS3Location"},
    {api, "StageName", "AWS::ApiGateway::Stage", ""},
    {api, "CacheClusterEnabled", "AWS::ApiGateway::Stage", ""},
    {api, "CacheClusterSize", "AWS::ApiGateway::Stage", ""},
    {api, "Variables", "AWS::ApiGateway::Stage", ""},
    {api, "MethodSettings", "AWS::ApiGateway::Stage", ""},
    {api, "AccessLogSetting", "AWS::ApiGateway::Stage", ""},
    {api, "CanarySetting", "AWS::ApiGateway::Stage", ""},
    {api, "TracingEnabled", "AWS::ApiGateway::Stage", ""},
    {api, "Tags", "AWS::ApiGateway::Stage", ""},
    {http_api, "Name", "AWS::ApiGatewayV2::Api", ""},
    {http_api, "Description", "AWS::ApiGatewayV2::Api", ""},
    {http_api, "FailOnWarnings", "AWS::ApiGatewayV2::Api", ""},
    {http_api, "DisableExecuteApiEndpoint", "AWS::ApiGatewayV2::Api", ""},
    {http_api, "Tags", "AWS::ApiGatewayV2::Api", ""},
    {http_api, "DefinitionBody", "AWS::ApiGatewayV2::Api", "Body"},
    {http_api, "DefinitionUri", "AWS::ApiGatewayV2::Api", "BodyS3Location"},
    {http_api, "StageName", "AWS::ApiGatewayV2::Stage", ""},
    {http_api, "StageVariables", "AWS::ApiGatewayV2::Stage", ""},
    {http_api, "AccessLogSettings", "AWS::ApiGatewayV2::Stage", ""},
    {http_api, "DefaultRouteSettings", "AWS::ApiGatewayV2::Stage", ""},
    {http_api, "RouteSettings", "AWS::ApiGatewayV2::Stage", ""},
    {"AWS::Serverless::LayerVersion", "ContentUri", "AWS::Lambda::LayerVersion", "Content"},
    {"AWS::Serverless::LayerVersion", "LayerName", "AWS::Lambda::LayerVersion", ""},
    {"AWS::Serverless::LayerVersion", "Description", "AWS::Lambda::LayerVersion", ""},
    {"AWS::Serverless::LayerVersion", "CompatibleRuntimes", "AWS::Lambda::LayerVersion", ""},
    {"AWS::Serverless::LayerVersion", "CompatibleArchitectures", "AWS::Lambda::LayerVersion", ""},
    {"AWS::Serverless::LayerVersion", "LicenseInfo", "AWS::Lambda::LayerVersion", ""},
    {"AWS::Serverless::Application", "Location", "AWS::CloudFormation::Stack", "TemplateURL"},
    {"AWS::Serverless::Application", "Parameters", "AWS::CloudFormation::Stack", ""},
    {"AWS::Serverless::Application", "NotificationARNs", "AWS::CloudFormation::Stack", ""},
    {"AWS::Serverless::Application", "Tags", "AWS::CloudFormation::Stack", ""},
    {"AWS::Serverless::Application", "TimeoutInMinutes", "AWS::CloudFormation::Stack", ""},
    {graphql, "Name", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "XrayEnabled", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "Visibility", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "OwnerContact", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "IntrospectionConfig", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "QueryDepthLimit", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "ResolverCountLimit", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "Tags", "AWS::AppSync::GraphQLApi", ""},
    {graphql, "Auth", "AWS::AppSync::GraphQLApi", "AuthenticationType"},
    {graphql, "SchemaInline", "AWS::AppSync::GraphQLSchema", "Definition"},
    {graphql, "SchemaUri", "AWS::AppSync::GraphQLSchema", "DefinitionS3Location"},
};
// clang-format on

// Maps whose keys each become a property of a resource SAM makes, by the
// same name.
struct Spread {
  std::string_view sam_type;
  std::string_view property;
  std::string_view type;
};
constexpr Spread spread[] = {
    {function, "FunctionUrlConfig", "AWS::Lambda::Url"},
    {function, "EventInvokeConfig", "AWS::Lambda::EventInvokeConfig"},
};

class Uses {
 public:
  Uses(std::string_view type, const YAML::Node& props, const YAML::Node& global,
       std::vector<std::string>& out)
      : type_(type), props_(props), global_(global), out_(out) {}

  void sam() {
    std::set<std::string> keys;
    for (const YAML::Node& from : {props_, global_})
      if (is_map(from))
        for (const auto& p : from)
          if (yaml::is_scalar(p.first) && present(p.second)) keys.insert(p.first.Scalar());
    for (const auto& key : keys) sam_property(key);
    if (type_ == function && !present(get("Role")))
      role({"AssumeRolePolicyDocument", "ManagedPolicyArns"});
    if (type_ == machine && !present(get("Role"))) role({"AssumeRolePolicyDocument"});
    if (type_ == "AWS::Serverless::SimpleTable") {
      add("AWS::DynamoDB::Table", "AttributeDefinitions");
      add("AWS::DynamoDB::Table", "KeySchema");
      if (!present(get("ProvisionedThroughput"))) add("AWS::DynamoDB::Table", "BillingMode");
    }
  }

 private:
  YAML::Node get(std::string_view key) const {
    const YAML::Node n = child(props_, key);
    return present(n) ? n : child(global_, key);
  }

  void add(std::string_view type, std::string_view property) {
    out_.push_back(std::string(type) + "." + std::string(property));
  }

  void sam_property(const std::string& key) {
    // Tracing that is `Disabled` sets nothing; GraphQL logging turned off neither.
    if (key == "Tracing" && text(get(key)) == "Disabled") return;
    if (type_ == graphql && key == "Logging") {
      if (text(get(key)) != "false") add("AWS::AppSync::GraphQLApi", "LogConfig");
      return;
    }
    for (const auto& p : passed)
      if (p.sam_type == type_ && p.property == key) add(p.type, p.as.empty() ? p.property : p.as);
    if (type_ == function && key == "Tracing") add(lambda, "TracingConfig");
    for (const auto& s : spread) {
      if (s.sam_type != type_ || s.property != key || !is_map(get(key))) continue;
      for (const auto& sub : get(key))
        if (yaml::is_scalar(sub.first)) add(s.type, sub.first.Scalar());
    }
  }

  // The role SAM makes for a function or state machine carries these, and
  // what the resource says of it.
  void role(std::initializer_list<std::string_view> always) {
    for (auto p : always) add("AWS::IAM::Role", p);
    if (present(get("Policies"))) add("AWS::IAM::Role", "Policies");
    if (present(get("RolePath"))) add("AWS::IAM::Role", "Path");
    if (present(get("PermissionsBoundary"))) add("AWS::IAM::Role", "PermissionsBoundary");
    if (type_ == function && present(get("Tags"))) add("AWS::IAM::Role", "Tags");
  }

  std::string_view type_;
  YAML::Node props_;
  YAML::Node global_;
  std::vector<std::string>& out_;
};

}  // namespace

void add_property_uses(const YAML::Node& resource, const YAML::Node& globals,
                       std::vector<std::string>& out) {
  const std::string type = text(child(resource, "Type"));
  const YAML::Node props = child(resource, "Properties");
  if (type.rfind("AWS::Serverless::", 0) == 0) {
    const YAML::Node global = child(globals, type.substr(type.rfind(':') + 1));
    Uses(type, props, global, out).sam();
    return;
  }
  // Properties a macro makes (`Properties: !Transform …`) are not known here.
  if (type.empty() || !is_map(props) || props.Tag() == "!Transform") return;
  for (const auto& p : props) {
    // `Fn::Transform` and other functions in place of a property name are not
    // properties of the type.
    if (!yaml::is_scalar(p.first) || p.first.Scalar().rfind("Fn::", 0) == 0) continue;
    if (present(p.second)) out.push_back(type + "." + p.first.Scalar());
  }
}

}  // namespace mrp
