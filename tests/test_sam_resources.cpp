// What the SAM transform makes of each kind of resource, as
// compiler/lower/sam_resources.cpp reads it from properties and Globals.

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "compiler/lower/sam_resources.h"

namespace {

using Types = std::vector<std::string>;

// The expansion of the resource `Res` in `resources` (the text of a
// `Resources` map), with `globals` as the template's `Globals`.
mrp::SamExpansion expand(const std::string& resources, const std::string& globals = "") {
  const YAML::Node root =
      YAML::Load("Resources:\n" + resources + (globals.empty() ? "" : "Globals:\n" + globals));
  const YAML::Node all = root["Resources"];
  const mrp::SamTemplate tpl{
      globals.empty() ? YAML::Node() : root["Globals"], [all](const std::string& id) {
        const YAML::Node r = all[id];
        return r && r.IsMap() && r["Type"] ? r["Type"].Scalar() : std::string();
      }};
  return mrp::sam_expansion("Res", all["Res"], tpl);
}

}  // namespace

TEST_CASE("a function: its role unless given one, and what each event makes") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
        Queue: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
        Tick: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}
        Logs: {Type: CloudWatchLogs, Properties: {LogGroupName: g, FilterPattern: ""}}
)");
  CHECK(e.types == Types{"AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Lambda::Permission",
                         "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment",
                         "AWS::ApiGateway::Stage", "AWS::Lambda::EventSourceMapping",
                         "AWS::Events::Rule", "AWS::Lambda::Permission", "AWS::Lambda::Permission",
                         "AWS::Logs::SubscriptionFilter"});
  CHECK(e.iam == "`Res` (AWS::Serverless::Function) creates its own role");
  const auto given = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt R.Arn
      Events: {Get: {Type: Api, Properties: {RestApiId: !Ref A, Path: /, Method: get}}}
)");
  CHECK(given.types == Types{"AWS::Lambda::Function", "AWS::Lambda::Permission"});
  CHECK(given.iam.empty());
}

TEST_CASE("a role left to AWS::NoValue in one branch of Fn::If is one SAM may make") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: !If [HasRole, !Ref RoleArn, !Ref AWS::NoValue]
)");
  CHECK(e.types == Types{"AWS::Lambda::Function", "AWS::IAM::Role"});
  CHECK(e.iam ==
        "`Res` (AWS::Serverless::Function) creates its own role where its `Role` is "
        "`AWS::NoValue`");
  const auto long_form = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: {"Fn::If": [HasRole, {Ref: AWS::NoValue}, arn:aws:iam::123456789012:role/r]}
)");
  CHECK(long_form.types == Types{"AWS::Lambda::Function", "AWS::IAM::Role"});
  const auto neither = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: !If [HasRole, !Ref RoleArn, !Ref OtherRoleArn]
)");
  CHECK(neither.types == Types{"AWS::Lambda::Function"});
}

TEST_CASE("aliases, CodeDeploy, URLs and event destinations") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt R.Arn
      DeploymentPreference: {Type: Canary10Percent5Minutes}
      FunctionUrlConfig: {AuthType: NONE}
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: SQS}
          OnSuccess: {Type: SNS, Destination: !Ref Topic}
)",
                        "  Function:\n    AutoPublishAlias: live\n");
  CHECK(e.types == Types{"AWS::Lambda::Function", "AWS::Lambda::Version", "AWS::Lambda::Alias",
                         "AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup",
                         "AWS::IAM::Role", "AWS::Lambda::Url", "AWS::Lambda::Permission",
                         "AWS::Lambda::EventInvokeConfig", "AWS::SQS::Queue"});
  CHECK(e.iam ==
        "`Res`'s `DeploymentPreference` has no `Role`, so SAM creates CodeDeploy's service role");
  const auto quiet = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt R.Arn
      AutoPublishAlias: live
      DeploymentPreference: {Type: AllAtOnce, Role: !GetAtt DeployRole.Arn}
      FunctionUrlConfig: {AuthType: AWS_IAM}
)");
  CHECK(quiet.types == Types{"AWS::Lambda::Function", "AWS::Lambda::Version", "AWS::Lambda::Alias",
                             "AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup",
                             "AWS::Lambda::Url"});
  CHECK(quiet.iam.empty());
  const auto disabled = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties: {Role: r, DeploymentPreference: {Enabled: false, Type: AllAtOnce}}
)");
  CHECK(disabled.types == Types{"AWS::Lambda::Function"});
}

TEST_CASE("ScheduleV2 makes a schedule and, without RoleArn, a role for it") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: r
      Events:
        Nightly: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 day), DeadLetterConfig: {Type: SQS}}}
        Hourly: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour), RoleArn: r}}
)");
  CHECK(e.types == Types{"AWS::Lambda::Function", "AWS::Scheduler::Schedule", "AWS::SQS::Queue",
                         "AWS::IAM::Role", "AWS::Scheduler::Schedule"});
  CHECK(e.iam ==
        "`Res`'s ScheduleV2 event `Nightly` has no `RoleArn`, so SAM creates a role for "
        "EventBridge Scheduler");
}

TEST_CASE("SNS subscribes the function, or a queue SAM makes; S3 and Cognito change theirs") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: r
      Events:
        Direct: {Type: SNS, Properties: {Topic: !Ref T}}
        Queued: {Type: SNS, Properties: {Topic: !Ref T, SqsSubscription: true}}
        Upload: {Type: S3, Properties: {Bucket: !Ref B, Events: s3:ObjectCreated:*}}
        SignUp: {Type: Cognito, Properties: {UserPool: !Ref P, Trigger: PreSignUp}}
        Topic: {Type: IoTRule, Properties: {Sql: "SELECT * FROM 'a'"}}
)");
  CHECK(e.types == Types{"AWS::Lambda::Function", "AWS::Lambda::Permission",
                         "AWS::SNS::Subscription", "AWS::SQS::Queue", "AWS::SQS::QueuePolicy",
                         "AWS::SNS::Subscription", "AWS::Lambda::EventSourceMapping",
                         "AWS::Lambda::Permission", "AWS::S3::Bucket", "AWS::Lambda::Permission",
                         "AWS::Cognito::UserPool", "AWS::Lambda::Permission",
                         "AWS::IoT::TopicRule"});
}

TEST_CASE("the API SAM makes for Api events takes the template's Globals.Api") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::Function
    Properties:
      Role: r
      Events: {Get: {Type: Api, Properties: {Path: /, Method: get}}}
)",
                        R"(  Api:
    Domain:
      DomainName: api.example.com
      CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/x
      Route53: {HostedZoneId: Z1}
)");
  CHECK(e.types == Types{"AWS::Lambda::Function", "AWS::Lambda::Permission",
                         "AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment",
                         "AWS::ApiGateway::Stage", "AWS::ApiGateway::DomainName",
                         "AWS::ApiGateway::BasePathMapping", "AWS::Route53::RecordSetGroup"});
}

TEST_CASE("a state machine: its role, and a role for each event that starts it") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::StateMachine
    Properties:
      Role: r
      AutoPublishAlias: live
      Events:
        Tick: {Type: Schedule, Properties: {Schedule: rate(1 hour), RoleArn: r}}
        Order: {Type: EventBridgeRule, Properties: {Pattern: {source: [shop]}}}
)");
  CHECK(e.types == Types{"AWS::StepFunctions::StateMachine",
                         "AWS::StepFunctions::StateMachineVersion",
                         "AWS::StepFunctions::StateMachineAlias", "AWS::Events::Rule",
                         "AWS::Events::Rule", "AWS::IAM::Role"});
  CHECK(e.iam ==
        "`Res`'s EventBridgeRule event `Order` makes SAM create a role that lets the service "
        "start the state machine");
  CHECK(expand("  Res:\n    Type: AWS::Serverless::StateMachine\n").iam ==
        "`Res` (AWS::Serverless::StateMachine) creates its own role");
}

TEST_CASE("a REST API: authorizer permissions, usage plans, custom domains") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        Authorizers:
          Token: {FunctionArn: !GetAtt Authorizer.Arn}
          Pool: {UserPoolArn: !GetAtt Pool.Arn}
        UsagePlan: {CreateUsagePlan: PER_API}
      Domain: {DomainName: !Ref Name, CertificateArn: !Ref Cert, EndpointConfiguration: PRIVATE}
)");
  CHECK(e.types == Types{"AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment",
                         "AWS::ApiGateway::Stage", "AWS::Lambda::Permission",
                         "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::ApiKey",
                         "AWS::ApiGateway::UsagePlanKey", "AWS::ApiGateway::DomainNameV2",
                         "AWS::ApiGateway::DomainNameAccessAssociation",
                         "AWS::ApiGateway::BasePathMappingV2"});
  CHECK(e.iam.empty());
}

TEST_CASE("an HTTP API: a stage only when configured, permissions only when asked") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: prod
      Auth:
        Authorizers:
          Asked: {FunctionArn: !GetAtt A.Arn, EnableFunctionDefaultPermissions: true}
          Silent: {FunctionArn: !GetAtt B.Arn}
      Domain: {DomainName: api.example.com, CertificateArn: c, Route53: {HostedZoneName: example.com.}}
)");
  CHECK(e.types == Types{"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage",
                         "AWS::Lambda::Permission", "AWS::ApiGatewayV2::DomainName",
                         "AWS::ApiGatewayV2::ApiMapping", "AWS::Route53::RecordSetGroup"});
  // Without a StageName, SAM still makes the `$default` stage.
  CHECK(expand("  Res:\n    Type: AWS::Serverless::HttpApi\n").types ==
        Types{"AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"});
}

TEST_CASE("a GraphQL API: its logging role and a role for each data source SAM serves") {
  const auto e = expand(R"(  Res:
    Type: AWS::Serverless::GraphQLApi
    Properties:
      Auth: {Type: API_KEY}
      ApiKeys: {Key: {}}
      DataSources:
        DynamoDb:
          Orders: {TableName: !Ref T, TableArn: !GetAtt T.Arn}
          Stock: {TableName: s, TableArn: a, ServiceRoleArn: r}
      Functions: {Echo: {Runtime: {Name: APPSYNC_JS, Version: 1.0.0}, DataSource: none}}
      Resolvers: {Query: {getOrder: {Runtime: {Name: APPSYNC_JS, Version: 1.0.0}, Pipeline: [Echo]}}}
)");
  CHECK(e.types == Types{"AWS::AppSync::GraphQLApi", "AWS::AppSync::GraphQLSchema",
                         "AWS::IAM::Role", "AWS::AppSync::ApiKey", "AWS::AppSync::DataSource",
                         "AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::AppSync::DataSource",
                         "AWS::AppSync::FunctionConfiguration", "AWS::AppSync::Resolver",
                         "AWS::AppSync::DataSource"});
  CHECK(e.iam ==
        "`Res` (AWS::Serverless::GraphQLApi) logs without a `CloudWatchLogsRoleArn`, so SAM "
        "creates a role for AppSync's logs");
  const auto quiet = expand(R"(  Res:
    Type: AWS::Serverless::GraphQLApi
    Properties: {Auth: {Type: AWS_LAMBDA}, Logging: false}
)");
  CHECK(quiet.types == Types{"AWS::AppSync::GraphQLApi", "AWS::AppSync::GraphQLSchema",
                             "AWS::Lambda::Permission"});
  CHECK(quiet.iam.empty());
}

TEST_CASE("connectors grant through a managed policy, or the destination's own policy") {
  const std::string ends = R"(  Fn: {Type: AWS::Serverless::Function}
  Table: {Type: AWS::Serverless::SimpleTable}
  Topic: {Type: AWS::SNS::Topic}
)";
  const auto policy = expand(ends + R"(  Res:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination: [{Id: Table}, {Type: AWS::SQS::Queue, Arn: a}]
      Permissions: [Read]
)");
  CHECK(policy.types == Types{"AWS::IAM::ManagedPolicy", "AWS::IAM::ManagedPolicy"});
  CHECK(policy.iam ==
        "`Res` (AWS::Serverless::Connector) grants its access through an IAM managed policy");
  const auto permission = expand(ends + R"(  Res:
    Type: AWS::Serverless::Connector
    Properties: {Source: {Id: Topic}, Destination: {Id: Fn}, Permissions: [Write]}
)");
  CHECK(permission.types == Types{"AWS::Lambda::Permission"});
  CHECK(permission.iam.empty());
  // The `Connectors` attribute: the resource itself is the source.
  const auto attribute = expand(ends + R"(  Res:
    Type: AWS::SNS::Topic
    Connectors:
      ToFn: {Properties: {Destination: {Id: Fn}, Permissions: [Write]}}
      ToQueue: {Properties: {Destination: {Type: AWS::SQS::Queue, Arn: a}, Permissions: [Write]}}
)");
  CHECK(attribute.types == Types{"AWS::Lambda::Permission", "AWS::SQS::QueuePolicy"});
  const auto from_function = expand(ends + R"(  Res:
    Type: AWS::Serverless::Function
    Properties: {Role: r}
    Connectors: {Orders: {Properties: {Destination: {Id: Table}, Permissions: [Write]}}}
)");
  CHECK(from_function.types == Types{"AWS::Lambda::Function", "AWS::IAM::ManagedPolicy"});
  CHECK(from_function.iam ==
        "`Res`'s connector `Orders` grants its access through an IAM managed policy");
}

TEST_CASE("the other SAM types, and types that are not SAM's") {
  CHECK(expand("  Res: {Type: AWS::Serverless::Application, Properties: {Location: a.yaml}}\n")
            .types == Types{"AWS::CloudFormation::Stack"});
  CHECK(expand("  Res: {Type: AWS::Serverless::SimpleTable}\n").types ==
        Types{"AWS::DynamoDB::Table"});
  CHECK(expand("  Res: {Type: AWS::Serverless::LayerVersion}\n").types ==
        Types{"AWS::Lambda::LayerVersion"});
  const auto provider = expand("  Res: {Type: AWS::Serverless::CapacityProvider}\n");
  CHECK(provider.types == Types{"AWS::Lambda::CapacityProvider", "AWS::IAM::Role"});
  CHECK(provider.iam ==
        "`Res` (AWS::Serverless::CapacityProvider) has no `OperatorRole`, so SAM creates one");
  CHECK(expand("  Res: {Type: AWS::SQS::Queue}\n").types.empty());
  CHECK(mrp::sam_base_type("AWS::Serverless::HttpApi") == "AWS::ApiGatewayV2::Api");
  CHECK(mrp::sam_base_type("AWS::SQS::Queue") == "AWS::SQS::Queue");
}
