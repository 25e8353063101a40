// Reading app templates: the files beside them, the types SAM makes, loops,
// transforms, the properties set and the capabilities SAM's roles need, with
// the exact diagnostics.

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "compiler/base/rules.h"
#include "tests/template_support.h"

namespace {

using mrp::test::compile_template;
using mrp::test::Setup;
using mrp::test::with_app_lines;
using Strings = std::vector<std::string>;

const std::string sam = "Transform: AWS::Serverless-2016-10-31\n";

}  // namespace

TEST_CASE("FileReader::exists: files and the folders above them") {
  const mrp::MemoryFileReader files({{"app/src/index.js", "x"}, {"template.yaml", "y"}});
  CHECK(files.exists("template.yaml"));
  CHECK(files.exists("./app/src/index.js"));
  CHECK(files.exists("app/src"));
  CHECK(files.exists("app/src/"));
  CHECK(files.exists("app/./src/../src"));
  CHECK(files.exists("app"));
  CHECK(files.exists("."));
  CHECK_FALSE(files.exists("app/sr"));
  CHECK_FALSE(files.exists("ap"));
  CHECK_FALSE(files.exists("app/src/index.js/x"));
  CHECK_FALSE(mrp::MemoryFileReader().exists("."));
  const mrp::DiskFileReader disk(mrp::test::source_dir());
  CHECK(disk.exists("tests"));
  CHECK(disk.exists("tests/test_app_template.cpp"));
  CHECK_FALSE(disk.exists("tests/no-such-file"));
}

TEST_CASE("resource types: each resource's own, then what SAM makes of it") {
  const auto c = compile_template(sam + R"(Resources:
  Queue: {Type: AWS::SQS::Queue}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://code/worker.zip
      Handler: index.handler
      Runtime: nodejs22.x
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}}
)");
  CHECK(c.app().resource_types == Strings{"AWS::SQS::Queue", "AWS::Serverless::Function",
                                          "AWS::Lambda::Function", "AWS::IAM::Role",
                                          "AWS::Lambda::EventSourceMapping"});
}

TEST_CASE("Fn::ForEach bodies count: their types, properties and capabilities, nested too") {
  const std::string tmpl = R"(Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [Orders, Refunds]
    - ${Name}Topic:
        Type: AWS::SNS::Topic
        Properties: {KmsMasterKeyId: alias/aws/sns}
      Fn::ForEach::Queues:
        - Kind
        - [Main, Dead]
        - ${Name}${Kind}Queue:
            Type: AWS::SQS::Queue
          ${Name}${Kind}Role:
            Type: AWS::IAM::Role
            Properties:
              RoleName: !Sub ${Name}-${Kind}-${AWS::Region}
              AssumeRolePolicyDocument: {}
)";
  const auto c = compile_template(tmpl);
  CHECK(c.app().resource_types == Strings{"AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::IAM::Role"});
  CHECK(c.app().property_uses == Strings{"AWS::IAM::Role.AssumeRolePolicyDocument",
                                         "AWS::IAM::Role.RoleName",
                                         "AWS::SNS::Topic.KmsMasterKeyId"});
  CHECK(c.of(mrp::rule::capabilities_needed) ==
        "test.mrp:6:5: error: app template `template.yaml` needs CAPABILITY_NAMED_IAM: "
        "`${Name}${Kind}Role` sets RoleName; add it to `capabilities` [capabilities-needed]\n"
        "    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND\n"
        "    ^\n");
}

TEST_CASE("Fn::Transform without a Transform section needs CAPABILITY_AUTO_EXPAND") {
  const std::string tmpl = R"(Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      Fn::Transform:
        Name: AWS::Include
        Parameters: {Location: s3://snippets/bucket.yaml}
  Table:
    Type: AWS::DynamoDB::Table
    Properties: !Transform {Name: Acme::TableDefaults, Parameters: {}}
)";
  const auto c = compile_template(tmpl, with_app_lines("    capabilities CAPABILITY_IAM\n"));
  CHECK(c.of(mrp::rule::capabilities_needed) ==
        "test.mrp:6:5: error: app template `template.yaml` needs CAPABILITY_AUTO_EXPAND: it "
        "calls the macro `AWS::Include` through `Fn::Transform`; add it to `capabilities` "
        "[capabilities-needed]\n"
        "    capabilities CAPABILITY_IAM\n"
        "    ^\n");
  CHECK(c.app().template_has_transform);
  // Only the account's own macros are the deploy role's business.
  CHECK(c.app().macros == Strings{"Acme::TableDefaults"});
  const auto section = compile_template(
      "Transform: [Acme::Expand, AWS::Serverless-2016-10-31]\n"
      "Resources:\n  Topic: {Type: AWS::SNS::Topic}\n");
  CHECK(section.app().macros == Strings{"Acme::Expand"});
  CHECK(section.app().template_has_transform);
  const auto plain = compile_template("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n");
  CHECK_FALSE(plain.app().template_has_transform);
  CHECK(plain.app().macros.empty());
}

TEST_CASE("an account's macro: the deploy role may expand it, and the spec grants its function") {
  const std::string tmpl =
      "Transform: Acme::Expand\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n";
  const auto c = compile_template(tmpl);
  CHECK(c.of(mrp::rule::resource_permissions) ==
        "template.yaml:1:12: warning: the template calls the macro `Acme::Expand`, which "
        "CloudFormation runs with the deploy role: allow `lambda:InvokeFunction` on the macro's "
        "function in the app's `permissions` [resource-permissions]\n"
        "Transform: Acme::Expand\n"
        "           ^\n");
  const mrp::Statement* expand = nullptr;
  for (const auto& s : c.result.ir->deploy_role.statements)
    if (s.sid == "ExpandTransforms") expand = &s;
  REQUIRE(expand);
  REQUIRE(expand->resources.size() == 2);
  CHECK(expand->resources[1].text ==
        "arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:transform/Acme::Expand");
  const auto granted = compile_template(
      tmpl, with_app_lines("    permissions {\n      allow lambda:InvokeFunction {\n        "
                           "resources \"arn:aws:lambda:*:123456789012:function:acme-expand\"\n"
                           "      }\n    }\n"));
  CHECK(granted.of(mrp::rule::resource_permissions).empty());
}

TEST_CASE("property uses: every resource's, SAM's under the type SAM passes them to") {
  const auto c = compile_template(sam + R"(Globals:
  Function:
    CodeSigningConfigArn: !Ref Signing
    Tracing: Active
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://code/api.zip
      Handler: index.handler
      Runtime: nodejs22.x
      VpcConfig: {SubnetIds: [subnet-1], SecurityGroupIds: [sg-1]}
      KmsKeyArn: !Ref Key
      Layers: [!Ref Layer]
      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Dlq.Arn}
      ReservedConcurrentExecutions: 5
      FunctionUrlConfig: {AuthType: AWS_IAM, InvokeMode: BUFFERED}
  Table:
    Type: AWS::Serverless::SimpleTable
    Properties: {SSESpecification: {SSEEnabled: true}}
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Role: !GetAtt FlowRole.Arn
      DefinitionUri: s3://code/flow.json
      Logging: {Level: ALL}
      Tracing: {Enabled: true}
  Dlq:
    Type: AWS::SQS::Queue
    Properties: {MessageRetentionPeriod: 1209600, Fn::Transform: {Name: AWS::Include}}
)");
  CHECK(c.app().property_uses == Strings{"AWS::DynamoDB::Table.AttributeDefinitions",
                                         "AWS::DynamoDB::Table.BillingMode",
                                         "AWS::DynamoDB::Table.KeySchema",
                                         "AWS::DynamoDB::Table.SSESpecification",
                                         "AWS::IAM::Role.AssumeRolePolicyDocument",
                                         "AWS::IAM::Role.ManagedPolicyArns",
                                         "AWS::Lambda::Function.Code",
                                         "AWS::Lambda::Function.CodeSigningConfigArn",
                                         "AWS::Lambda::Function.DeadLetterConfig",
                                         "AWS::Lambda::Function.Handler",
                                         "AWS::Lambda::Function.KmsKeyArn",
                                         "AWS::Lambda::Function.Layers",
                                         "AWS::Lambda::Function.ReservedConcurrentExecutions",
                                         "AWS::Lambda::Function.Runtime",
                                         "AWS::Lambda::Function.TracingConfig",
                                         "AWS::Lambda::Function.VpcConfig",
                                         "AWS::Lambda::Url.AuthType",
                                         "AWS::Lambda::Url.InvokeMode",
                                         "AWS::SQS::Queue.MessageRetentionPeriod",
                                         "AWS::StepFunctions::StateMachine.DefinitionS3Location",
                                         "AWS::StepFunctions::StateMachine.LoggingConfiguration",
                                         "AWS::StepFunctions::StateMachine.RoleArn",
                                         "AWS::StepFunctions::StateMachine.TracingConfiguration"});
}

TEST_CASE("CAPABILITY_IAM for every role or policy SAM makes, with the reason") {
  const Setup expand_only = with_app_lines("    capabilities CAPABILITY_AUTO_EXPAND\n");
  const auto needs = [&](const std::string& resources) {
    return compile_template(sam + "Resources:\n" + resources, expand_only)
        .of(mrp::rule::capabilities_needed);
  };
  const std::string role = "      Role: !GetAtt R.Arn\n      CodeUri: s3://c/f.zip\n";
  const auto message = [](const std::string& why) {
    return "test.mrp:6:5: error: app template `template.yaml` needs CAPABILITY_IAM: " + why +
           "; add it to `capabilities` [capabilities-needed]\n"
           "    capabilities CAPABILITY_AUTO_EXPAND\n"
           "    ^\n";
  };
  CHECK(needs("  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n" + role +
              "      Events: {Nightly: {Type: ScheduleV2, Properties: {ScheduleExpression: "
              "rate(1 day)}}}\n") ==
        message("`Fn`'s ScheduleV2 event `Nightly` has no `RoleArn`, so SAM creates a role for "
                "EventBridge Scheduler"));
  CHECK(needs("  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n" + role +
              "      AutoPublishAlias: live\n      DeploymentPreference: {Type: AllAtOnce}\n") ==
        message("`Fn`'s `DeploymentPreference` has no `Role`, so SAM creates CodeDeploy's "
                "service role"));
  CHECK(needs("  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
              "      CodeUri: s3://c/f.zip\n"
              "      Role: !If [UseShared, !Ref AWS::NoValue, !Ref SharedRole]\n") ==
        message("`Fn` (AWS::Serverless::Function) creates its own role where its `Role` is "
                "`AWS::NoValue`"));
  CHECK(needs("  Api:\n    Type: AWS::Serverless::GraphQLApi\n"
              "    Properties: {Auth: {Type: API_KEY}}\n") ==
        message("`Api` (AWS::Serverless::GraphQLApi) logs without a `CloudWatchLogsRoleArn`, so "
                "SAM creates a role for AppSync's logs"));
  CHECK(needs("  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
              "      Role: !GetAtt R.Arn\n      DefinitionUri: s3://c/flow.json\n"
              "      Events: {Orders: {Type: EventBridgeRule, Properties: {Pattern: {}}}}\n") ==
        message("`Flow`'s EventBridgeRule event `Orders` makes SAM create a role that lets the "
                "service start the state machine"));
  CHECK(needs("  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n" + role +
              "  Table: {Type: AWS::Serverless::SimpleTable}\n"
              "  Link:\n    Type: AWS::Serverless::Connector\n"
              "    Properties: {Source: {Id: Fn}, Destination: {Id: Table}, "
              "Permissions: [Read]}\n") ==
        message("`Link` (AWS::Serverless::Connector) grants its access through an IAM managed "
                "policy"));
  // Given their roles, SAM makes none; a connector through a resource policy
  // needs no IAM either.
  CHECK(needs("  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n" + role +
              "      Events: {Nightly: {Type: ScheduleV2, Properties: {ScheduleExpression: "
              "rate(1 day), RoleArn: !GetAtt S.Arn}}}\n"
              "  Topic: {Type: AWS::SNS::Topic}\n"
              "  Link:\n    Type: AWS::Serverless::Connector\n"
              "    Properties: {Source: {Id: Topic}, Destination: {Id: Fn}, "
              "Permissions: [Write]}\n") == "");
}
