#include "compiler/lower/sam_resources.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "compiler/yaml/yaml_nodes.h"

namespace mrp {
namespace {

using yaml::child;
using yaml::is_map;
using yaml::present;
using yaml::text;

// The CloudFormation resource each SAM type stands for.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> base_types = {{
    {"AWS::Serverless::Function", "AWS::Lambda::Function"},
    {"AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"},
    {"AWS::Serverless::Api", "AWS::ApiGateway::RestApi"},
    {"AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"},
    {"AWS::Serverless::WebSocketApi", "AWS::ApiGatewayV2::Api"},
    {"AWS::Serverless::SimpleTable", "AWS::DynamoDB::Table"},
    {"AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"},
    {"AWS::Serverless::Application", "AWS::CloudFormation::Stack"},
    {"AWS::Serverless::GraphQLApi", "AWS::AppSync::GraphQLApi"},
    {"AWS::Serverless::CapacityProvider", "AWS::Lambda::CapacityProvider"},
    {"AWS::Serverless::Connector", ""},
}};

// Function events Lambda polls: each becomes an event source mapping, and the
// access it needs goes into the function's role.
constexpr std::array<std::string_view, 7> polled_events = {
    "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "SelfManagedKafka", "DocumentDB"};

// A value SAM reads as false (it takes the strings too).
bool is_false(const YAML::Node& n) {
  const std::string t = text(n);
  return t == "false" || t == "False";
}

// Whether `n` leaves the value to SAM: absent, or `!If` with `AWS::NoValue` in
// one of its branches (SAM then makes the resource under that condition).
bool left_to_sam(const YAML::Node& n) {
  if (!present(n) || yaml::is_no_value(n)) return true;
  const auto f = yaml::intrinsic(n);
  if (!f || f->name != "Fn::If" || !yaml::is_list(f->arg) || f->arg.size() != 3) return false;
  return yaml::is_no_value(f->arg[1]) || yaml::is_no_value(f->arg[2]);
}

// A SAM resource's properties as the transform reads them: its own, or else
// those of its type's section of `Globals`.
class SamProps {
 public:
  SamProps(const YAML::Node& own, const YAML::Node& global) : own_(own), global_(global) {}
  YAML::Node operator[](std::string_view key) const {
    const YAML::Node n = child(own_, key);
    return present(n) ? n : child(global_, key);
  }
  bool has(std::string_view key) const { return present((*this)[key]); }

 private:
  YAML::Node own_;
  YAML::Node global_;
};

class Expander {
 public:
  Expander(const std::string& id, const SamTemplate& tpl, SamExpansion& out)
      : id_(id), tpl_(tpl), out_(out) {}

  void resource(const std::string& type, const YAML::Node& res) {
    const YAML::Node global = child(tpl_.globals, type.substr(type.rfind(':') + 1));
    const SamProps p(child(res, "Properties"), global);
    if (const auto base = sam_base_type(type); !base.empty() && base != type) add(base);
    if (type == "AWS::Serverless::Function") function(p);
    if (type == "AWS::Serverless::StateMachine") state_machine(p);
    if (type == "AWS::Serverless::Api") rest_api(p);
    if (type == "AWS::Serverless::HttpApi") http_api(p);
    if (type == "AWS::Serverless::WebSocketApi") websocket_api(p);
    if (type == "AWS::Serverless::GraphQLApi") graphql_api(p);
    if (type == "AWS::Serverless::CapacityProvider" && !p.has("OperatorRole"))
      role(fmt::format("`{}` ({}) has no `OperatorRole`, so SAM creates one", id_, type));
    if (type == "AWS::Serverless::Connector") connector(child(res, "Properties"));
    const YAML::Node connectors = child(res, "Connectors");
    if (is_map(connectors))
      for (const auto& c : connectors)
        connection(fmt::format("`{}`'s connector `{}`", id_, text(c.first)), sam_base_type(type),
                   child(child(c.second, "Properties"), "Destination"));
  }

 private:
  void add(std::string_view type) { out_.types.emplace_back(type); }
  void role(std::string why) {
    add("AWS::IAM::Role");
    if (out_.iam.empty()) out_.iam = std::move(why);
  }

  void function(const SamProps& p) {
    const YAML::Node role_given = p["Role"];
    if (!present(role_given))
      role(fmt::format("`{}` (AWS::Serverless::Function) creates its own role", id_));
    else if (left_to_sam(role_given))
      role(
          fmt::format("`{}` (AWS::Serverless::Function) creates its own role where its `Role` "
                      "is `AWS::NoValue`",
                      id_));
    if (p.has("AutoPublishAlias")) {
      add("AWS::Lambda::Version");
      add("AWS::Lambda::Alias");
    }
    deployment_preference(p["DeploymentPreference"]);
    function_url(p["FunctionUrlConfig"]);
    event_invoke_config(p["EventInvokeConfig"]);
    const YAML::Node events = p["Events"];
    if (is_map(events))
      for (const auto& e : events) function_event(text(e.first), e.second);
  }

  // CodeDeploy shifts traffic to each new version; SAM makes one application
  // per stack, a deployment group per function and, for functions without a
  // `Role` in their preference, CodeDeploy's service role.
  void deployment_preference(const YAML::Node& pref) {
    if (!is_map(pref) || is_false(child(pref, "Enabled"))) return;
    add("AWS::CodeDeploy::Application");
    add("AWS::CodeDeploy::DeploymentGroup");
    if (!present(child(pref, "Role")))
      role(
          fmt::format("`{}`'s `DeploymentPreference` has no `Role`, so SAM creates CodeDeploy's "
                      "service role",
                      id_));
  }

  // A public URL (AuthType NONE) also gets the permissions that let anyone
  // call it.
  void function_url(const YAML::Node& url) {
    if (!is_map(url)) return;
    add("AWS::Lambda::Url");
    if (text(child(url, "AuthType")) == "NONE") add("AWS::Lambda::Permission");
  }

  // An SQS or SNS destination without an ARN is a queue or topic SAM makes.
  void event_invoke_config(const YAML::Node& config) {
    if (!is_map(config)) return;
    add("AWS::Lambda::EventInvokeConfig");
    const YAML::Node destinations = child(config, "DestinationConfig");
    for (const char* on : {"OnSuccess", "OnFailure"}) {
      const YAML::Node d = child(destinations, on);
      if (!is_map(d) || !left_to_sam(child(d, "Destination"))) continue;
      const std::string type = text(child(d, "Type"));
      if (type == "SQS") add("AWS::SQS::Queue");
      if (type == "SNS") add("AWS::SNS::Topic");
    }
  }

  void function_event(const std::string& name, const YAML::Node& event) {
    const std::string type = text(child(event, "Type"));
    const YAML::Node props = child(event, "Properties");
    if (type == "Api" || type == "HttpApi") {
      add("AWS::Lambda::Permission");
      if (type == "Api" && !present(child(props, "RestApiId"))) implicit_rest_api();
      if (type == "HttpApi" && !present(child(props, "ApiId"))) implicit_http_api();
    } else if (type == "Schedule" || type == "CloudWatchEvent" || type == "EventBridgeRule") {
      add("AWS::Events::Rule");
      dead_letter_queue(props, true);
      add("AWS::Lambda::Permission");
    } else if (type == "ScheduleV2") {
      schedule_v2(name, props);
    } else if (std::find(polled_events.begin(), polled_events.end(), type) != polled_events.end()) {
      add("AWS::Lambda::EventSourceMapping");
    } else if (type == "SNS") {
      sns(props);
    } else {
      pushed_event(type);
    }
  }

  // Events whose service calls the function, allowed by a Lambda permission;
  // S3 and Cognito events change the bucket or user pool of the template.
  void pushed_event(const std::string& type) {
    static const std::array<std::pair<std::string_view, std::string_view>, 5> pushed = {{
        {"S3", "AWS::S3::Bucket"},
        {"CloudWatchLogs", "AWS::Logs::SubscriptionFilter"},
        {"IoTRule", "AWS::IoT::TopicRule"},
        {"Cognito", "AWS::Cognito::UserPool"},
        {"AlexaSkill", ""},
    }};
    for (const auto& [event, made] : pushed) {
      if (type != event) continue;
      add("AWS::Lambda::Permission");
      if (!made.empty()) add(made);
    }
  }

  // An SNS event subscribes the function, or with `SqsSubscription` a queue
  // (SAM's own when it is `true`) that the function polls.
  void sns(const YAML::Node& props) {
    const YAML::Node queue = child(props, "SqsSubscription");
    if (!present(queue) || is_false(queue)) {
      add("AWS::Lambda::Permission");
      add("AWS::SNS::Subscription");
      return;
    }
    if (!is_map(queue)) add("AWS::SQS::Queue");
    add("AWS::SQS::QueuePolicy");
    add("AWS::SNS::Subscription");
    add("AWS::Lambda::EventSourceMapping");
  }

  // A dead-letter queue given by `Type` rather than `Arn` is one SAM makes;
  // EventBridge rules also get a queue policy, Scheduler does not need one.
  void dead_letter_queue(const YAML::Node& props, bool with_policy) {
    const YAML::Node dlq = child(props, "DeadLetterConfig");
    if (!is_map(dlq) || present(child(dlq, "Arn"))) return;
    add("AWS::SQS::Queue");
    if (with_policy) add("AWS::SQS::QueuePolicy");
  }

  void schedule_v2(const std::string& name, const YAML::Node& props) {
    add("AWS::Scheduler::Schedule");
    dead_letter_queue(props, false);
    if (!present(child(props, "RoleArn")))
      role(
          fmt::format("`{}`'s ScheduleV2 event `{}` has no `RoleArn`, so SAM creates a role for "
                      "EventBridge Scheduler",
                      id_, name));
  }

  // The API SAM makes for Api and HttpApi events that name none; the
  // template's Globals for that type apply to it as to any other.
  void implicit_rest_api() {
    add("AWS::ApiGateway::RestApi");
    rest_api(SamProps(YAML::Node(), child(tpl_.globals, "Api")));
  }
  void implicit_http_api() {
    add("AWS::ApiGatewayV2::Api");
    http_api(SamProps(YAML::Node(), child(tpl_.globals, "HttpApi")));
  }

  void state_machine(const SamProps& p) {
    if (!p.has("Role"))
      role(fmt::format("`{}` (AWS::Serverless::StateMachine) creates its own role", id_));
    if (p.has("AutoPublishAlias")) {
      add("AWS::StepFunctions::StateMachineVersion");
      add("AWS::StepFunctions::StateMachineAlias");
    }
    const YAML::Node events = p["Events"];
    if (!is_map(events)) return;
    for (const auto& e : events) state_machine_event(text(e.first), e.second);
  }

  // Events start the state machine with a role SAM makes for the service
  // (unless the event names one, where it may).
  void state_machine_event(const std::string& name, const YAML::Node& event) {
    const std::string type = text(child(event, "Type"));
    const YAML::Node props = child(event, "Properties");
    const bool rule = type == "Schedule" || type == "CloudWatchEvent" || type == "EventBridgeRule";
    if (type == "ScheduleV2") return schedule_v2(name, props);
    if (!rule && type != "Api") return;
    if (rule) {
      add("AWS::Events::Rule");
      dead_letter_queue(props, true);
    }
    if (type == "Api" && !present(child(props, "RestApiId"))) implicit_rest_api();
    if (type != "Schedule" || !present(child(props, "RoleArn")))
      role(
          fmt::format("`{}`'s {} event `{}` makes SAM create a role that lets the service start "
                      "the state machine",
                      id_, type, name));
  }

  void rest_api(const SamProps& p) {
    add("AWS::ApiGateway::Deployment");
    add("AWS::ApiGateway::Stage");
    const YAML::Node auth = p["Auth"];
    const YAML::Node authorizers = child(auth, "Authorizers");
    if (is_map(authorizers))
      for (const auto& a : authorizers)
        if (present(child(a.second, "FunctionArn")) &&
            text(child(a.second, "DisableFunctionDefaultPermissions")) != "true")
          add("AWS::Lambda::Permission");
    const std::string plan = text(child(child(auth, "UsagePlan"), "CreateUsagePlan"));
    if (plan == "PER_API" || plan == "SHARED") {
      add("AWS::ApiGateway::UsagePlan");
      add("AWS::ApiGateway::ApiKey");
      add("AWS::ApiGateway::UsagePlanKey");
    }
    const YAML::Node domain = p["Domain"];
    if (!is_map(domain)) return;
    const bool is_private = text(child(domain, "EndpointConfiguration")) == "PRIVATE";
    add(is_private ? "AWS::ApiGateway::DomainNameV2" : "AWS::ApiGateway::DomainName");
    if (is_private) add("AWS::ApiGateway::DomainNameAccessAssociation");
    add(is_private ? "AWS::ApiGateway::BasePathMappingV2" : "AWS::ApiGateway::BasePathMapping");
    if (is_map(child(domain, "Route53"))) add("AWS::Route53::RecordSetGroup");
  }

  // An HTTP API always gets a stage: without a `StageName`, SAM names it
  // `$default`. SAM adds authorizer permissions only when asked to.
  void http_api(const SamProps& p) {
    add("AWS::ApiGatewayV2::Stage");
    const YAML::Node authorizers = child(p["Auth"], "Authorizers");
    if (is_map(authorizers))
      for (const auto& a : authorizers)
        if (present(child(a.second, "FunctionArn")) &&
            text(child(a.second, "EnableFunctionDefaultPermissions")) == "true")
          add("AWS::Lambda::Permission");
    v2_domain(p["Domain"]);
  }

  void v2_domain(const YAML::Node& domain) {
    if (!is_map(domain)) return;
    add("AWS::ApiGatewayV2::DomainName");
    add("AWS::ApiGatewayV2::ApiMapping");
    if (is_map(child(domain, "Route53"))) add("AWS::Route53::RecordSetGroup");
  }

  void websocket_api(const SamProps& p) {
    add("AWS::ApiGatewayV2::Stage");
    const YAML::Node routes = p["Routes"];
    if (is_map(routes) && routes.size() > 0) {
      add("AWS::ApiGatewayV2::Route");
      add("AWS::ApiGatewayV2::Integration");
      add("AWS::Lambda::Permission");
    }
    if (is_map(p["Auth"])) {
      add("AWS::ApiGatewayV2::Authorizer");
      add("AWS::Lambda::Permission");
    }
    v2_domain(p["Domain"]);
  }

  void graphql_api(const SamProps& p) {
    add("AWS::AppSync::GraphQLSchema");
    if (graphql_lambda_auth(p["Auth"])) add("AWS::Lambda::Permission");
    const YAML::Node logging = p["Logging"];
    if (!is_false(logging) && !present(child(logging, "CloudWatchLogsRoleArn")))
      role(
          fmt::format("`{}` (AWS::Serverless::GraphQLApi) logs without a "
                      "`CloudWatchLogsRoleArn`, so SAM creates a role for AppSync's logs",
                      id_));
    if (p.has("ApiKeys")) add("AWS::AppSync::ApiKey");
    if (p.has("Cache")) add("AWS::AppSync::ApiCache");
    if (p.has("DomainName")) {
      add("AWS::AppSync::DomainName");
      add("AWS::AppSync::DomainNameApiAssociation");
    }
    graphql_data_sources(p["DataSources"]);
    if (p.has("Functions")) add("AWS::AppSync::FunctionConfiguration");
    if (p.has("Resolvers")) add("AWS::AppSync::Resolver");
    if (graphql_uses_none_source(p["Functions"])) add("AWS::AppSync::DataSource");
  }

  static bool graphql_lambda_auth(const YAML::Node& auth) {
    if (text(child(auth, "Type")) == "AWS_LAMBDA") return true;
    const YAML::Node more = child(auth, "Additional");
    if (!yaml::is_list(more)) return false;
    return std::any_of(more.begin(), more.end(),
                       [](const YAML::Node& a) { return text(child(a, "Type")) == "AWS_LAMBDA"; });
  }

  // DynamoDB and Lambda data sources: each without a `ServiceRoleArn` gets a
  // role, and a connector's managed policy on it.
  void graphql_data_sources(const YAML::Node& sources) {
    for (const char* kind : {"DynamoDb", "Lambda"}) {
      const YAML::Node of_kind = child(sources, kind);
      if (!is_map(of_kind)) continue;
      for (const auto& s : of_kind) {
        add("AWS::AppSync::DataSource");
        if (present(child(s.second, "ServiceRoleArn"))) continue;
        role(
            fmt::format("`{}`'s data source `{}` has no `ServiceRoleArn`, so SAM creates a role "
                        "and a policy for it",
                        id_, text(s.first)));
        add("AWS::IAM::ManagedPolicy");
      }
    }
  }

  // A function may name `NONE` as its data source: SAM makes one for it.
  static bool graphql_uses_none_source(const YAML::Node& functions) {
    if (!is_map(functions)) return false;
    return std::any_of(functions.begin(), functions.end(), [](const auto& f) {
      std::string source = text(child(f.second, "DataSource"));
      std::transform(source.begin(), source.end(), source.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      return source == "NONE";
    });
  }

  // AWS::Serverless::Connector: from its `Source` to each `Destination`.
  void connector(const YAML::Node& props) {
    const YAML::Node source = child(props, "Source");
    const std::string source_type = end_type(source);
    connection(fmt::format("`{}` (AWS::Serverless::Connector)", id_), source_type,
               child(props, "Destination"));
  }

  void connection(const std::string& who, std::string_view source_type,
                  const YAML::Node& destinations) {
    const auto one = [&](const YAML::Node& d) {
      const std::string_view made = connector_grant(source_type, end_type(d));
      if (made != "AWS::IAM::ManagedPolicy") return add(made);
      add(made);
      if (out_.iam.empty())
        out_.iam = fmt::format("{} grants its access through an IAM managed policy", who);
    };
    if (yaml::is_list(destinations))
      for (const auto& d : destinations) one(d);
    else if (is_map(destinations))
      one(destinations);
  }

  // The type of one end of a connector: the resource its `Id` names, or its
  // `Type`, as the CloudFormation type SAM makes of it.
  std::string end_type(const YAML::Node& end) const {
    const std::string id = text(child(end, "Id"));
    const std::string type =
        id.empty() || !tpl_.type_of ? text(child(end, "Type")) : tpl_.type_of(id);
    return std::string(sam_base_type(type));
  }

  // How a connector grants access: services that hold no role of their own
  // are let in by the destination's resource policy; a source that runs with a
  // role gets an IAM managed policy on it.
  static std::string_view connector_grant(std::string_view source, std::string_view dest) {
    const auto one_of = [&](std::initializer_list<std::string_view> types) {
      return std::find(types.begin(), types.end(), source) != types.end();
    };
    if (dest == "AWS::Lambda::Function" &&
        one_of({"AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", "AWS::AppSync::GraphQLApi",
                "AWS::Events::Rule", "AWS::S3::Bucket", "AWS::SNS::Topic"}))
      return "AWS::Lambda::Permission";
    if (dest == "AWS::SQS::Queue" && one_of({"AWS::Events::Rule", "AWS::SNS::Topic"}))
      return "AWS::SQS::QueuePolicy";
    if (dest == "AWS::SNS::Topic" && source == "AWS::Events::Rule") return "AWS::SNS::TopicPolicy";
    return "AWS::IAM::ManagedPolicy";
  }

  const std::string& id_;
  const SamTemplate& tpl_;
  SamExpansion& out_;
};

}  // namespace

std::string_view sam_base_type(std::string_view type) {
  for (const auto& [sam, base] : base_types)
    if (sam == type) return base;
  return type;
}

SamExpansion sam_expansion(const std::string& id, const YAML::Node& resource,
                           const SamTemplate& tpl) {
  SamExpansion out;
  Expander(id, tpl, out).resource(text(child(resource, "Type")), resource);
  return out;
}

}  // namespace mrp
