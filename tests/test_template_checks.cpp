// App templates of every odd shape are reported, never crash the reader; and
// the global-names and code-path checks, with their exact diagnostics.

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "compiler/base/rules.h"
#include "tests/template_support.h"

namespace {

using mrp::test::compile_template;
using mrp::test::Setup;
using mrp::test::with_app_lines;
using mrp::test::with_build;
using mrp::test::with_regions;

const std::string sam = "Transform: AWS::Serverless-2016-10-31\n";

bool has_rule(const mrp::CompileResult& r, std::string_view rule) {
  for (const auto& d : r.diags.all())
    if (d.rule == rule) return true;
  return false;
}

// Billion laughs: each level names the one before ten times.
std::string laughs() {
  std::string t = "Resources:\n  Topic: {Type: AWS::SNS::Topic}\nMetadata:\n  l0: &l0 [x, x]\n";
  for (int i = 1; i < 30; ++i)
    t += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [" +
         std::string("*l" + std::to_string(i - 1) + ", ") + "*l" + std::to_string(i - 1) + "]\n";
  return t;
}

}  // namespace

TEST_CASE("templates of shapes CloudFormation refuses are positioned errors, never a crash") {
  const std::vector<std::string> refused = {
      "Resources:\n  ? [a, b]\n  : Type: AWS::SNS::Topic\n",
      "Resources:\n  Topic: [1, 2]\n",
      "Resources:\n  Topic: just-text\n",
      "Resources:\n  Topic:\n  Other: {Type: AWS::SNS::Topic}\n",
      "Resources:\n  Topic: {Properties: {}}\n",
      "Resources:\n  Topic: {Type: 42}\n",
      "Resources:\n  Topic: {Type: [AWS::SNS::Topic]}\n",
      "Resources:\n  Topic: {Type: {AWS: SNS}}\n",
      "Resources:\n  Topic: {Type: !Ref TopicType}\n",
      "Resources:\n  Topic: {Type: AWS::SNS::Topic, Properties: [a]}\n",
      "Resources:\n  Topic: {Type: AWS::SNS::Topic, Properties: 7}\n",
      "Resources:\n  Topic: {Type: AWS::SNS::Topic, Properties: {? {a: 1} : x}}\n",
      "Resources:\n  Topic: {Type: AWS::SNS::Topic, Properties: !GetAtt [a, b]}\n",
      sam + "Resources:\n  Fn: {Type: AWS::Serverless::Function, Properties: {Events: [a]}}\n",
      sam + "Resources:\n  Fn: {Type: AWS::Serverless::Function, Properties: {Events: {E: 5}}}\n",
      sam +
          "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
          "    Properties: {Events: {E: {Type: [Api]}}}\n",
      sam +
          "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
          "    Properties: {Events: {E: {Type: Api, Properties: [1]}}}\n",
      sam +
          "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
          "    Properties: {Events: {? [x] : {Type: Api}}}\n",
      sam + "Resources:\n  Fn: {Type: AWS::Serverless::Function, Connectors: [1]}\n",
      "Globals: [1]\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n",
      "Globals: {Function: 5}\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n",
      "Resources:\n  Fn::ForEach::Topics: 5\n",
      "Resources:\n  Fn::ForEach::Topics: [a, [x]]\n",
      "Resources:\n  Fn::ForEach::Topics: [[a], [x], {T: {Type: AWS::SNS::Topic}}]\n",
      "Resources:\n  Fn::ForEach::Topics: [a, [x], [1]]\n",
      "Resources:\n  Fn::ForEach::Topics: [a, [x], {T: 5}]\n",
      "Resources: &r\n  Topic: {Type: AWS::SNS::Topic}\n  Self: *r\n",
  };
  for (const auto& tmpl : refused) {
    CAPTURE(tmpl);
    const auto c = compile_template(tmpl);
    CHECK(has_rule(c.result, mrp::rule::app_template));
    CHECK_FALSE(has_rule(c.result, mrp::rule::internal));
    CHECK(c.of(mrp::rule::app_template).rfind("template.yaml:", 0) == 0);
  }
}

TEST_CASE("odd but readable shapes pass without a crash") {
  std::string deep = "Resources:\n";
  for (int i = 0; i < 12; ++i)
    deep += std::string(2 + 4 * i, ' ') + "Fn::ForEach::L" + std::to_string(i) + ":\n" +
            std::string(4 + 4 * i, ' ') + "- I" + std::to_string(i) + "\n" +
            std::string(4 + 4 * i, ' ') + "- [a]\n" + std::string(4 + 4 * i, ' ') + "-\n";
  const std::vector<std::string> odd = {
      "Transform: {Name: [x]}\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n",
      "Transform: [[x], 5]\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n",
      "Parameters: [a]\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n",
      "Parameters: {P: 5}\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n",
      "Metadata: {AWS::ServerlessRepo::Application: [1]}\nResources:\n  T: {Type: "
      "AWS::SNS::Topic}\n",
      "Resources:\n  Topic: !Sub {Type: AWS::SNS::Topic}\n  B: {Type: AWS::S3::Bucket, "
      "Properties: {BucketName: {a: b}}}\n",
      "Resources:\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub [[x], {}]}}\n"
      "  C: {Type: AWS::S3::Bucket, Properties: {BucketName: !Join 5}}\n"
      "  D: {Type: AWS::S3::Bucket, Properties: {BucketName: !Join ['-', 5]}}\n"
      "  E: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub '${unclosed'}}\n"
      "  F: {Type: AWS::CloudFront::CachePolicy, Properties: {CachePolicyConfig: 5}}\n",
      sam +
          "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
          "      CodeUri: {Bucket: b, Key: k}\n      Role: [1]\n"
          "      DeploymentPreference: 5\n      FunctionUrlConfig: [x]\n"
          "      EventInvokeConfig: {DestinationConfig: [1]}\n"
          "      Events: {E: {Type: ScheduleV2, Properties: {RoleArn: [x]}}}\n"
          "    Connectors: {C: 5, D: {Properties: {Destination: 5}}}\n"
          "  Link: {Type: AWS::Serverless::Connector, Properties: {Source: [x], "
          "Destination: [5, {Id: [y]}]}}\n"
          "  Api: {Type: AWS::Serverless::Api, Properties: {Auth: [1], Domain: 5}}\n"
          "  Gql: {Type: AWS::Serverless::GraphQLApi, Properties: {DataSources: {DynamoDb: "
          "[1]}, Functions: [2], Logging: [3]}}\n",
      laughs(),
      deep + std::string(50, ' ') + "T: {Type: AWS::SNS::Topic}\n",
  };
  for (const auto& tmpl : odd) {
    CAPTURE(tmpl);
    const auto c = compile_template(tmpl);
    CHECK_FALSE(has_rule(c.result, mrp::rule::internal));
  }
}

TEST_CASE("a shape error names the template and points at the value") {
  const auto c = compile_template(
      "Resources:\n  Topic: {Type: 42}\n  Queue:\n"
      "    Type: AWS::SQS::Queue\n    Properties: [a]\n");
  CHECK(c.of(mrp::rule::app_template) ==
        "template.yaml:2:17: error: app template `template.yaml`: the `Type` of `Topic` must be "
        "a resource type such as `AWS::SNS::Topic` [app-template]\n"
        "  Topic: {Type: 42}\n"
        "                ^\n"
        "template.yaml:5:17: error: app template `template.yaml`: the `Properties` of `Queue` "
        "must be a map [app-template]\n"
        "    Properties: [a]\n"
        "                ^\n");
  const auto loop = compile_template("Resources:\n  Fn::ForEach::Topics: [a, [x]]\n");
  CHECK(loop.of(mrp::rule::app_template) ==
        "template.yaml:2:24: error: app template `template.yaml`: `Fn::ForEach::Topics` must be "
        "a list of an identifier, a collection and a map of the resources each item makes "
        "[app-template]\n"
        "  Fn::ForEach::Topics: [a, [x]]\n"
        "                       ^\n");
}

TEST_CASE("global-names: a name alike in every region is an error, with the fix") {
  const auto c = compile_template(R"(Resources:
  AuditRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: shop-audit
      AssumeRolePolicyDocument: {}
)",
                                  with_app_lines("    capabilities CAPABILITY_NAMED_IAM\n"));
  CHECK(c.of(mrp::rule::global_names) ==
        "template.yaml:5:17: error: `AuditRole` (AWS::IAM::Role) sets `RoleName` to "
        "`shop-audit`, the same name in each of the 2 regions, and IAM names are unique in an "
        "account, across all its regions: the deploy to the second region fails; make the name "
        "differ by region, with `!Sub \"${AWS::StackName}-${AWS::Region}\"` or a `parameter` the "
        "spec sets for each region [global-names]\n"
        "      RoleName: shop-audit\n"
        "                ^\n");
  // With one region nothing can clash.
  CHECK(compile_template("Resources:\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: b}}\n",
                         with_regions("us-east-1"))
            .of(mrp::rule::global_names) == "");
}

TEST_CASE("global-names: what varies by region and what does not") {
  const auto clashes = [](const std::string& name, const std::string& app_lines = "",
                          const std::string& parameters = "") {
    const std::string tmpl = parameters + "Resources:\n  Assets:\n    Type: AWS::S3::Bucket\n" +
                             "    Properties:\n      BucketName: " + name + "\n";
    const Setup setup = with_app_lines("    capabilities CAPABILITY_IAM\n" + app_lines);
    return !compile_template(tmpl, setup).of(mrp::rule::global_names).empty();
  };
  CHECK(clashes("assets"));
  CHECK(clashes("!Sub ${AWS::StackName}-assets"));
  CHECK(clashes("!Sub ${AWS::AccountId}-${AWS::Partition}-assets"));
  CHECK(clashes("!Join ['-', [!Ref AWS::StackName, assets]]"));
  CHECK_FALSE(clashes("!Sub ${AWS::StackName}-${AWS::Region}"));
  CHECK_FALSE(clashes("!Sub '${AWS::StackId}'"));
  CHECK_FALSE(clashes("!Join ['-', [assets, !Ref AWS::Region]]"));
  CHECK_FALSE(clashes("!Sub ['${Where}-assets', {Where: !Ref AWS::Region}]"));
  CHECK(clashes("!Sub ['${Where}-assets', {Where: here}]"));
  CHECK(clashes("!Sub '${!Literal}-assets'"));
  // A resource's name or attribute is unknown here: not judged.
  CHECK_FALSE(clashes("!Sub ${Other}-assets"));
  CHECK_FALSE(clashes("!GetAtt Other.Name"));
  CHECK_FALSE(clashes("!If [Prod, a, b]"));
  // Template parameters: alike when the spec gives every region one value.
  const std::string param = "Parameters:\n  Name: {Type: String}\n";
  const std::string with_default = "Parameters:\n  Name: {Type: String, Default: assets}\n";
  CHECK(clashes("!Ref Name", "    parameter Name assets\n", param));
  CHECK(clashes("!Sub ${Name}-x", "    parameter Name assets\n", param));
  CHECK(clashes("!Ref Name", "", with_default));
  CHECK_FALSE(clashes("!Ref Name",
                      "    region us-east-1 { parameter Name a-us }\n"
                      "    region eu-west-1 { parameter Name a-eu }\n",
                      param));
  CHECK_FALSE(clashes("!Ref Name", "    region eu-west-1 { parameter Name a-eu }\n", with_default));
  CHECK(clashes("!Ref Name", "    region eu-west-1 { parameter Name assets }\n", with_default));
}

TEST_CASE("global-names: the types whose names are global, and resources under a condition") {
  const auto errors = [](const std::string& resources) {
    return compile_template("Resources:\n" + resources,
                            with_app_lines("    capabilities CAPABILITY_NAMED_IAM\n"))
        .of(mrp::rule::global_names);
  };
  CHECK_FALSE(errors("  D: {Type: AWS::CloudWatch::Dashboard, Properties: {DashboardName: ops, "
                     "DashboardBody: '{}'}}\n")
                  .empty());
  CHECK_FALSE(errors("  P: {Type: AWS::CloudFront::CachePolicy, Properties: "
                     "{CachePolicyConfig: {Name: shop}}}\n")
                  .empty());
  CHECK_FALSE(errors("  P: {Type: AWS::IAM::ManagedPolicy, Properties: {ManagedPolicyName: p, "
                     "PolicyDocument: {}}}\n")
                  .empty());
  // Regional names, and a resource one region may make alone.
  CHECK(errors("  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: jobs}}\n") == "");
  CHECK(errors("  R: {Type: AWS::IAM::Role, Condition: InPrimary, Properties: {RoleName: r, "
               "AssumeRolePolicyDocument: {}}}\n") == "");
}

TEST_CASE("code-path: a local path that is missing, when no build command makes it") {
  const std::string tmpl = sam + R"(Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ./src, Handler: index.handler, Runtime: nodejs22.x}
)";
  CHECK(compile_template(tmpl).of(mrp::rule::code_path) ==
        "template.yaml:5:27: error: `Fn`'s `CodeUri` is `./src`, which does not exist next to "
        "app template `template.yaml` (`src`), and the build runs no command that could make it: "
        "`aws cloudformation package` fails; fix the path, relative to the template's folder "
        "[code-path]\n"
        "    Properties: {CodeUri: ./src, Handler: index.handler, Runtime: nodejs22.x}\n"
        "                          ^\n");
  CHECK(compile_template(tmpl, {}, {{"src/index.js", ""}}).of(mrp::rule::code_path) == "");
  CHECK(compile_template(tmpl, with_build("  build { run \"npm run dist\" }\n"))
            .of(mrp::rule::code_path) == "");
  const auto missing = [](const std::string& resource) {
    return !compile_template("Resources:\n" + resource).of(mrp::rule::code_path).empty();
  };
  CHECK(
      missing("  S: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: nested.yaml}}\n"));
  CHECK(missing("  J: {Type: AWS::Glue::Job, Properties: {Command: {ScriptLocation: etl.py}}}\n"));
  CHECK(
      missing("  T: {Type: AWS::SNS::Topic, Properties: {Fn::Transform: {Name: AWS::Include, "
              "Parameters: {Location: snippets/topic.yaml}}}}\n"));
  CHECK_FALSE(
      missing("  S: {Type: AWS::CloudFormation::Stack, Properties: "
              "{TemplateURL: https://s3.amazonaws.com/b/nested.yaml}}\n"));
  CHECK_FALSE(missing("  F: {Type: AWS::Lambda::Function, Properties: {Code: s3://b/f.zip}}\n"));
  CHECK_FALSE(missing("  F: {Type: AWS::Lambda::Function, Properties: {Code: /opt/f.zip}}\n"));
  CHECK_FALSE(missing("  F: {Type: AWS::Lambda::Function, Properties: {Code: {ZipFile: x}}}\n"));
}

TEST_CASE("code-path: a SAM function without its own CodeUri gets the whole folder") {
  const auto c = compile_template(sam + R"(Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, Runtime: nodejs22.x}
)");
  CHECK(c.of(mrp::rule::code_path) ==
        "template.yaml:3:3: warning: `Fn` has no `CodeUri`, `InlineCode` or `PackageType: "
        "Image`, so `aws cloudformation package` zips the template's whole folder (`.`) as its "
        "code: set `CodeUri` to the folder that holds its handler [code-path]\n"
        "  Fn:\n"
        "  ^\n");
  const auto global = compile_template(sam + R"(Globals:
  Function: {CodeUri: ./build}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, Runtime: nodejs22.x}
)",
                                       with_build("  build { run make }\n"));
  CHECK(global.of(mrp::rule::code_path) ==
        "template.yaml:5:3: warning: `Fn` has no `CodeUri` of its own; `aws cloudformation "
        "package` does not read `Globals`, so it zips the template's whole folder (`.`) as "
        "`Fn`'s code, which replaces `Globals.Function.CodeUri`: set `CodeUri` on `Fn` "
        "[code-path]\n"
        "  Fn:\n"
        "  ^\n");
  for (const char* code : {"InlineCode: 'exports.handler = 1'", "PackageType: Image"})
    CHECK(compile_template(sam +
                           "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
                           "    Properties: {" +
                           std::string(code) + "}\n")
              .of(mrp::rule::code_path) == "");
}
