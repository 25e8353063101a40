// mrp import: the hand-written 2018 example (read from ../shared/reference/
// at test time) and variants of it written here give exact specs; each spec
// builds to files that deploy the same pipeline as the hand-written
// pipeline.yaml (the original's builds to golden/multi-region-codepipeline/
// byte for byte); hand-made changes are reported with their positions; and the
// command's exit codes.

#include <algorithm>
#include <fstream>
#include <map>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/base/diff.h"
#include "compiler/import/layout.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::source_dir;

namespace {

using Files = std::map<std::string, std::string>;

constexpr mrp::Date test_day{2026, 11, 26};

// ../shared/reference/original beside the source folder, or beside a folder
// above it (a git worktree of the repository sits deeper than its checkout).
fs::path original_dir() {
  const fs::path tail = fs::path("shared") / "reference" / "original";
  for (fs::path dir = fs::absolute(source_dir()).lexically_normal(); dir.has_relative_path();
       dir = dir.parent_path())
    if (fs::exists(dir.parent_path() / tail / "deployment-pipeline" / "pipeline.yaml"))
      return dir.parent_path() / tail;
  FAIL("the hand-written example is not at " << (source_dir() / ".." / tail).string()
                                             << " (nor beside a folder above it); these tests "
                                                "read it from there");
  return {};
}

Files original_files() {
  Files out;
  const fs::path dir = original_dir();
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      out[e.path().lexically_relative(dir).generic_string()] = read_text(e.path());
  return out;
}

// The spec mrp import writes for the hand-written example.
const std::string imported_original =
    R"(# Imported by `mrp import` from the hand-written deployment-pipeline/ and multiregion-build.sh.
# `mrp build` now writes those files from this spec.

pipeline multi-region-codepipeline {
  description "Multi Region Codepipeline Example"

  # The OAuth token was a parameter of pipeline.yaml: create-pipeline.sh now reads it from
  # GITHUB_TOKEN, or the template from Secrets Manager with `token-secret`.
  source github {
    owner symphoniacloud
    repo multi-region-codepipeline
    branch master
  }

  regions us-east-1 us-west-2

  artifacts {
    expire-after 90d
  }

  build {
    image aws/codebuild/nodejs:8.11.0
    compute small
    install "pip install --upgrade awscli"
    run "npm run clean"
    run "npm install --production"
    run "npm run dist"
  }

  # The hand-written roles had AdministratorAccess; mrp derives least-privilege roles from
  # the template. Add `permissions` here for what a deploy needs beyond them.
  app multi-region-codepipeline-app {
    template template.yaml
    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
  }
}
)";

// `text` with `from` replaced by `to`, every time; `from` must occur.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  REQUIRE_MESSAGE(text.find(from) != std::string::npos, "not in the text: " << from);
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

void edit(Files& files, const std::string& file, const std::string& from, const std::string& to) {
  files.at(file) = replaced(files.at(file), from, to);
}

struct Imported {
  std::optional<std::string> spec;
  std::string findings;
};

Imported import_files(const Files& files) {
  mrp::Diagnostics diags;
  Imported out;
  out.spec = mrp::import_layout(mrp::MemoryFileReader(files), diags);
  out.findings = mrp::render_findings(diags);
  return out;
}

void check_text(const std::string& expected, const std::string& actual) {
  if (expected == actual) return;
  FAIL_CHECK(mrp::unified_diff(expected, actual, "expected", "actual"));
}

// The files `mrp build` writes from `spec` in the folder of `files`.
mrp::Outputs build(const std::string& spec, const Files& files) {
  const auto r = mrp::compile(spec, "pipeline.mrp", mrp::MemoryFileReader(files), {},
                              mrp::LintOptions{test_day});
  INFO(mrp::render_all(r.diags, spec));
  REQUIRE(r.outputs);
  return *r.outputs;
}

// What a pipeline template deploys, whatever its layout: the source, the
// build's image and compute type, and each deploy action's region, stack and
// capabilities, in order. Parameters stand for their defaults.
std::string deployed_pipeline(const std::string& pipeline_yaml) {
  const YAML::Node root = YAML::Load(pipeline_yaml);
  const auto value = [&](const YAML::Node& n) -> std::string {
    if (n.Tag() == "!Ref") return root["Parameters"][n.Scalar()]["Default"].as<std::string>();
    return n.as<std::string>();
  };
  std::string build, out;
  for (const auto& r : root["Resources"]) {
    const auto type = r.second["Type"].as<std::string>();
    const YAML::Node props = r.second["Properties"];
    if (type == "AWS::CodeBuild::Project")
      build += fmt::format("build {} {}\n", props["Environment"]["Image"].as<std::string>(),
                           props["Environment"]["ComputeType"].as<std::string>());
    if (type != "AWS::CodePipeline::Pipeline") continue;
    for (const auto& stage : props["Stages"])
      for (const auto& action : stage["Actions"]) {
        const YAML::Node c = action["Configuration"];
        const auto category = action["ActionTypeId"]["Category"].as<std::string>();
        if (category == "Source")
          out += fmt::format("source {}/{} {}\n", value(c["Owner"]), value(c["Repo"]),
                             value(c["Branch"]));
        if (category == "Deploy")
          out += fmt::format("deploy {} {} {}\n", action["Region"].as<std::string>(),
                             value(c["StackName"]), c["Capabilities"].as<std::string>());
      }
  }
  return build + out;  // the build first: resources come in each template's own order
}

// Imports `files`, checks the spec, builds it and checks that the generated
// pipeline deploys what the hand-written pipeline.yaml of `files` deploys.
void round_trip(const Files& files, const std::string& expected_spec,
                const std::string& expected_findings = "") {
  const Imported imported = import_files(files);
  CHECK(imported.findings == expected_findings);
  REQUIRE(imported.spec);
  check_text(expected_spec, *imported.spec);
  const mrp::Outputs outputs = build(*imported.spec, files);
  CHECK(deployed_pipeline(outputs.at("deployment-pipeline/pipeline.yaml")) ==
        deployed_pipeline(files.at("deployment-pipeline/pipeline.yaml")));
}

// The example with a third region, eu-west-1, added everywhere the README of
// the example says to.
Files three_regions() {
  Files f = original_files();
  const std::string pipeline = "deployment-pipeline/pipeline.yaml";
  edit(f, pipeline, R"(            Location: !Sub '${ArtifactBucketNamePrefix}-us-west-2'
)",
       R"(            Location: !Sub '${ArtifactBucketNamePrefix}-us-west-2'
        - Region: eu-west-1
          ArtifactStore:
            Type: S3
            Location: !Sub '${ArtifactBucketNamePrefix}-eu-west-1'
)");
  edit(f, pipeline, R"(            TemplatePath: "BuildOutput::packaged-template-us-west-2.yaml"
          RunOrder: 1
)",
       R"(            TemplatePath: "BuildOutput::packaged-template-us-west-2.yaml"
          RunOrder: 1
        - Name: DeployToEuWest1
          Region: eu-west-1
          ActionTypeId:
            Category: Deploy
            Owner: AWS
            Provider: CloudFormation
            Version: '1'
          InputArtifacts:
            - Name: BuildOutput
          Configuration:
            ActionMode: CREATE_UPDATE
            Capabilities: CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND
            RoleArn: !GetAtt CloudformationRole.Arn
            StackName: !Ref ApplicationStackName
            TemplatePath: "BuildOutput::packaged-template-eu-west-1.yaml"
          RunOrder: 1
)");
  edit(f, pipeline, R"(          Value: !Sub '${ArtifactBucketNamePrefix}-us-west-2'
)",
       R"(          Value: !Sub '${ArtifactBucketNamePrefix}-us-west-2'
        - Name: EU_WEST_1_ARTIFACT_BUCKET
          Value: !Sub '${ArtifactBucketNamePrefix}-eu-west-1'
)");
  edit(f, "deployment-pipeline/buildspec.yaml", "    - target/packaged-template-us-west-2.yaml\n",
       "    - target/packaged-template-us-west-2.yaml\n    - "
       "target/packaged-template-eu-west-1.yaml\n");
  edit(f, "multiregion-build.sh", "sam_package us-west-2 ${US_WEST_2_ARTIFACT_BUCKET}\n",
       "sam_package us-west-2 ${US_WEST_2_ARTIFACT_BUCKET}\nsam_package eu-west-1 "
       "${EU_WEST_1_ARTIFACT_BUCKET}\n");
  return f;
}

// Another pipeline and app stack name, owner, branch and expiry.
Files renamed() {
  Files f = original_files();
  for (const char* script :
       {"deployment-pipeline/create-pipeline.sh", "deployment-pipeline/update-pipeline.sh"})
    edit(f, script, R"(CODEPIPELINE_STACK_NAME="multi-region-codepipeline")",
         R"(CODEPIPELINE_STACK_NAME="orders-pipeline")");
  const std::string pipeline = "deployment-pipeline/pipeline.yaml";
  edit(f, pipeline, "Default: multi-region-codepipeline-app", "Default: orders-app");
  edit(f, pipeline, "Default: symphoniacloud", "Default: acme-corp");
  edit(f, pipeline, "Default: multi-region-codepipeline\n", "Default: orders\n");
  edit(f, pipeline, "Default: master", "Default: release-2026");
  edit(f, pipeline, "OAuthToken: !Ref GitHubOAuthToken",
       "OAuthToken: '{{resolve:secretsmanager:ci/github:SecretString:token}}'");
  edit(f, pipeline, "Description: Multi Region Codepipeline Example",
       "Description: \"Orders: release pipeline\"");
  edit(f, "deployment-pipeline/artifact-buckets.yaml", "ExpirationInDays: 90",
       "ExpirationInDays: 30");
  return f;
}

// Other build steps, image, compute type and variables; the template elsewhere.
Files other_build() {
  Files f = original_files();
  const std::string pipeline = "deployment-pipeline/pipeline.yaml";
  edit(f, pipeline, "ComputeType: BUILD_GENERAL1_SMALL", "ComputeType: BUILD_GENERAL1_MEDIUM");
  edit(f, pipeline, "Image: aws/codebuild/nodejs:8.11.0", "Image: aws/codebuild/standard:7.0");
  edit(f, pipeline, "        - Name: US_EAST_1_ARTIFACT_BUCKET\n",
       "        - Name: NODE_ENV\n          Value: production\n"
       "        - Name: US_EAST_1_ARTIFACT_BUCKET\n");
  edit(f, "deployment-pipeline/buildspec.yaml",
       "      - pip install --upgrade awscli # "
       "https://github.com/awslabs/serverless-application-model/issues/93\n",
       "      - n 22\n  pre_build:\n    commands:\n      - npm ci\n");
  edit(f, "deployment-pipeline/buildspec.yaml", "      - chmod u+x ./multiregion-build.sh\n",
       "      - npm run lint\n      - chmod u+x ./multiregion-build.sh\n");
  edit(f, "multiregion-build.sh", "npm run clean\nnpm install --production\nnpm run dist\n",
       "npm test -- --ci\nnpm run build && \\\n  npm prune --omit=dev\n");
  edit(f, "multiregion-build.sh", "--template-file template.yaml",
       "--template-file app/stack.yaml");
  f["app/stack.yaml"] = replaced(f.at("template.yaml"), "CodeUri: ./target", "CodeUri: ../target");
  return f;
}

// Hand-made changes mrp has no directive for.
Files hand_made() {
  Files f = original_files();
  const std::string pipeline = "deployment-pipeline/pipeline.yaml";
  edit(f, pipeline, "      - Name: Deploy\n        Actions:\n",
       R"(      - Name: Test
        Actions:
        - Name: SmokeTest
          ActionTypeId:
            Category: Invoke
            Owner: AWS
            Provider: Lambda
            Version: '1'
          Configuration:
            FunctionName: smoke-test
      - Name: Deploy
        Actions:
        - Name: Approve
          ActionTypeId:
            Category: Approval
            Owner: AWS
            Provider: Manual
            Version: '1'
          RunOrder: 1
)");
  edit(f, pipeline, "      ServiceRole: !Ref CodeBuildRole\n",
       "      ServiceRole: !Ref CodeBuildRole\n      TimeoutInMinutes: 30\n");
  edit(f, pipeline, R"(      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess #TODO: Reduce permissions

  CodePipelineRole:)",
       R"(      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess #TODO: Reduce permissions
      Policies:
        - PolicyName: read-config
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ssm:GetParameter
                Resource: "*"

  CodePipelineRole:)");
  f[pipeline] += "\n  ReleaseTopic:\n    Type: AWS::SNS::Topic\n";
  edit(f, "deployment-pipeline/buildspec.yaml",
       "\nartifacts:", "  post_build:\n    commands:\n      - echo built\n\nartifacts:");
  f["multiregion-build.sh"] += "aws s3 cp target/report.html s3://reports/\n";
  return f;
}

// Every file `mrp build` writes from the imported spec is the golden file
// of specs/multi-region-codepipeline, byte for byte, and no other.
void check_golden(const mrp::Outputs& outputs) {
  const fs::path golden = source_dir() / "golden" / "multi-region-codepipeline";
  std::vector<std::string> expected, written;
  for (const auto& e : fs::recursive_directory_iterator(golden))
    if (e.is_regular_file())
      expected.push_back(e.path().lexically_relative(golden).generic_string());
  for (const auto& [path, text] : outputs) {
    written.push_back(path);
    if (fs::exists(golden / path)) {
      INFO(path);
      check_text(read_text(golden / path), text);
    }
  }
  std::sort(expected.begin(), expected.end());
  CHECK(written == expected);
}

}  // namespace

TEST_CASE("import of the hand-written example") {
  const Files files = original_files();
  const Imported imported = import_files(files);
  CHECK(imported.findings == "");
  REQUIRE(imported.spec);
  const mrp::Outputs outputs = build(*imported.spec, files);
  check_golden(outputs);
  CHECK(deployed_pipeline(outputs.at("deployment-pipeline/pipeline.yaml")) ==
        deployed_pipeline(files.at("deployment-pipeline/pipeline.yaml")));
  CHECK(deployed_pipeline(files.at("deployment-pipeline/pipeline.yaml")) ==
        "build aws/codebuild/nodejs:8.11.0 BUILD_GENERAL1_SMALL\n"
        "source symphoniacloud/multi-region-codepipeline master\n"
        "deploy us-east-1 multi-region-codepipeline-app CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND\n"
        "deploy us-west-2 multi-region-codepipeline-app CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND\n");
  check_text(imported_original, *imported.spec);
}

TEST_CASE("import of variants of the example") {
  SUBCASE("three regions") {
    round_trip(
        three_regions(),
        R"(# Imported by `mrp import` from the hand-written deployment-pipeline/ and multiregion-build.sh.
# `mrp build` now writes those files from this spec.

pipeline multi-region-codepipeline {
  description "Multi Region Codepipeline Example"

  # The OAuth token was a parameter of pipeline.yaml: create-pipeline.sh now reads it from
  # GITHUB_TOKEN, or the template from Secrets Manager with `token-secret`.
  source github {
    owner symphoniacloud
    repo multi-region-codepipeline
    branch master
  }

  regions us-east-1 us-west-2 eu-west-1

  artifacts {
    expire-after 90d
  }

  build {
    image aws/codebuild/nodejs:8.11.0
    compute small
    install "pip install --upgrade awscli"
    run "npm run clean"
    run "npm install --production"
    run "npm run dist"
  }

  # The hand-written roles had AdministratorAccess; mrp derives least-privilege roles from
  # the template. Add `permissions` here for what a deploy needs beyond them.
  app multi-region-codepipeline-app {
    template template.yaml
    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
  }
}
)");
  }
  SUBCASE("other names") {
    round_trip(
        renamed(),
        R"(# Imported by `mrp import` from the hand-written deployment-pipeline/ and multiregion-build.sh.
# `mrp build` now writes those files from this spec.

pipeline orders-pipeline {
  description "Orders: release pipeline"

  source github {
    owner acme-corp
    repo orders
    branch release-2026
    token-secret ci/github token
  }

  regions us-east-1 us-west-2

  artifacts {
    expire-after 30d
  }

  build {
    image aws/codebuild/nodejs:8.11.0
    compute small
    install "pip install --upgrade awscli"
    run "npm run clean"
    run "npm install --production"
    run "npm run dist"
  }

  # The hand-written roles had AdministratorAccess; mrp derives least-privilege roles from
  # the template. Add `permissions` here for what a deploy needs beyond them.
  app orders-app {
    template template.yaml
    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
  }
}
)");
  }
  SUBCASE("other build steps") {
    round_trip(
        other_build(),
        R"(# Imported by `mrp import` from the hand-written deployment-pipeline/ and multiregion-build.sh.
# `mrp build` now writes those files from this spec.

pipeline multi-region-codepipeline {
  description "Multi Region Codepipeline Example"

  # The OAuth token was a parameter of pipeline.yaml: create-pipeline.sh now reads it from
  # GITHUB_TOKEN, or the template from Secrets Manager with `token-secret`.
  source github {
    owner symphoniacloud
    repo multi-region-codepipeline
    branch master
  }

  regions us-east-1 us-west-2

  artifacts {
    expire-after 90d
  }

  build {
    image aws/codebuild/standard:7.0
    compute medium
    install "n 22"
    install "npm ci"
    run "npm run lint"
    run "npm test -- --ci"
    run "npm run build && npm prune --omit=dev"
    env NODE_ENV production
  }

  # The hand-written roles had AdministratorAccess; mrp derives least-privilege roles from
  # the template. Add `permissions` here for what a deploy needs beyond them.
  app multi-region-codepipeline-app {
    template app/stack.yaml
    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
  }
}
)");
  }
}

TEST_CASE("import reports what it cannot carry over, where it is") {
  round_trip(
      hand_made(), imported_original,
      R"(deployment-pipeline/pipeline.yaml:112:9: warning: stage `Test` is not carried over: its actions are none mrp generates (source, build, CloudFormation deploy) [import]
      - Name: Test
        ^
deployment-pipeline/pipeline.yaml:124:11: warning: the manual approval `Approve` is not carried over: put the regions in waves and give a wave `approve` (docs/language.md, `regions`) [import]
        - Name: Approve
          ^
deployment-pipeline/pipeline.yaml:196:7: warning: `TimeoutInMinutes` of the CodeBuild project is not carried over: mrp has no directive for it [import]
      TimeoutInMinutes: 30
      ^
deployment-pipeline/pipeline.yaml:213:7: warning: the inline policies of role `CodeBuildRole` are not carried over: mrp derives the build role's permissions; add their statements as `allow` under `build { permissions { … } }` [import]
      Policies:
      ^
deployment-pipeline/pipeline.yaml:248:3: warning: resource `ReleaseTopic` (AWS::SNS::Topic) is not carried over: mrp writes the pipeline template whole; move it to a stack of its own [import]
  ReleaseTopic:
  ^
deployment-pipeline/buildspec.yaml:11:3: warning: the post_build phase is not carried over: mrp's buildspec has the install and build phases [import]
  post_build:
  ^
multiregion-build.sh:29:1: warning: this command comes after the packaging and is not carried over: mrp runs the `run` steps before it packages [import]
aws s3 cp target/report.html s3://reports/
^
)");
}

TEST_CASE("import: what is not a 2018 layout is an error, and nothing is imported") {
  SUBCASE("no pipeline template") {
    Files files = original_files();
    files.erase("deployment-pipeline/pipeline.yaml");
    const Imported imported = import_files(files);
    CHECK_FALSE(imported.spec);
    CHECK(imported.findings ==
          "deployment-pipeline/pipeline.yaml: error: cannot read "
          "deployment-pipeline/pipeline.yaml, the pipeline template of a 2018 layout; import the "
          "folder that holds deployment-pipeline/ [import]\n");
  }
  SUBCASE("not YAML") {
    Files files = original_files();
    edit(files, "deployment-pipeline/pipeline.yaml", "  GitHubRepo:\n", "  GitHubRepo: [\n");
    const Imported imported = import_files(files);
    CHECK_FALSE(imported.spec);
    CHECK(
        imported.findings ==
        R"(deployment-pipeline/pipeline.yaml:37:12: error: not YAML: end of sequence flow not found [import]
    Default: multi-region-codepipeline
           ^
)");
  }
  SUBCASE("no pipeline in the template") {
    Files files = original_files();
    edit(files, "deployment-pipeline/pipeline.yaml", "Type: AWS::CodePipeline::Pipeline",
         "Type: AWS::CodeBuild::Project");
    const Imported imported = import_files(files);
    CHECK_FALSE(imported.spec);
    CHECK(
        imported.findings ==
        R"(deployment-pipeline/pipeline.yaml:1:1: error: deployment-pipeline/pipeline.yaml defines no AWS::CodePipeline::Pipeline resource, so it is not the pipeline template of a 2018 layout [import]
AWSTemplateFormatVersion: '2010-09-09'
^
)");
  }
  SUBCASE("a source mrp has no kind for") {
    Files files = original_files();
    edit(files, "deployment-pipeline/pipeline.yaml", "Provider: GitHub", "Provider: Bitbucket");
    const Imported imported = import_files(files);
    CHECK_FALSE(imported.spec);
    CHECK(
        imported.findings ==
        R"(deployment-pipeline/pipeline.yaml:78:9: warning: stage `Source` is not carried over: its actions are none mrp generates (source, build, CloudFormation deploy) [import]
      - Name: Source
        ^
deployment-pipeline/pipeline.yaml:47:3: warning: resource `GithubWebhook` (AWS::CodePipeline::Webhook) is not carried over: mrp writes the pipeline template whole; move it to a stack of its own [import]
  GithubWebhook:
  ^
deployment-pipeline/pipeline.yaml: error: deployment-pipeline/pipeline.yaml has no source action mrp knows (GitHub, CodeStarSourceConnection, CodeCommit, S3), which a spec needs [import]
)");
  }
}

TEST_CASE("import: other sources, a token secret, parameters, stores elsewhere") {
  Files files = original_files();
  const std::string pipeline = "deployment-pipeline/pipeline.yaml";
  edit(files, pipeline, R"(          ActionTypeId:
            Category: Source
            Owner: ThirdParty
            Version: 1
            Provider: GitHub
          OutputArtifacts:
          - Name: SourceCode
          Configuration:
            Owner: !Ref GitHubOwner
            Repo: !Ref GitHubRepo
            Branch: !Ref GitHubBranch
            PollForSourceChanges: false
            OAuthToken: !Ref GitHubOAuthToken
)",
       R"(          ActionTypeId:
            Category: Source
            Owner: AWS
            Version: 1
            Provider: CodeStarSourceConnection
          OutputArtifacts:
          - Name: SourceCode
          Configuration:
            ConnectionArn: arn:aws:codeconnections:us-east-1:123456789012:connection/3f2c6a4e-9b1d-4e8a-a0c7-5d6e7f8a9b0c
            FullRepositoryId: acme/shop
            BranchName: main
)");
  edit(files, pipeline, "            StackName: !Ref ApplicationStackName\n",
       "            StackName: !Ref ApplicationStackName\n"
       "            ParameterOverrides: '{\"Stage\": \"prod\", \"Home\": \"REGION\"}'\n");
  files[pipeline] = replaced(files[pipeline],
                             "\"Home\": \"REGION\"}'\n            # *** Change "
                             "this to match the region of this stack, \n"
                             "            # *** using the file generated in the "
                             "build step\n            TemplatePath: "
                             "\"BuildOutput::packaged-template-us-east-1.yaml\"",
                             "\"Home\": \"yes\"}'\n            TemplatePath: "
                             "\"BuildOutput::packaged-template-us-east-1.yaml\"");
  edit(files, pipeline, "        - Region: us-west-2\n          ArtifactStore:",
       "        - Region: eu-west-1\n          ArtifactStore:");
  edit(files, "template.yaml", "Resources:",
       "Parameters:\n  Stage:\n    Type: String\n  Home:\n    Type: String\nResources:");
  const Imported imported = import_files(files);
  CHECK(
      imported.findings ==
      R"(deployment-pipeline/pipeline.yaml:47:3: warning: resource `GithubWebhook` (AWS::CodePipeline::Webhook) is not carried over: mrp writes the pipeline template whole; move it to a stack of its own [import]
  GithubWebhook:
  ^
deployment-pipeline/pipeline.yaml:67:9: warning: ArtifactStores has the regions us-east-1 eu-west-1 but the pipeline deploys to us-east-1 us-west-2: mrp keeps one artifact store in each region it deploys to [import]
        - Region: us-east-1
        ^
)");
  REQUIRE(imported.spec);
  check_text(
      R"(# Imported by `mrp import` from the hand-written deployment-pipeline/ and multiregion-build.sh.
# `mrp build` now writes those files from this spec.

pipeline multi-region-codepipeline {
  description "Multi Region Codepipeline Example"

  source codestar {
    connection arn:aws:codeconnections:us-east-1:123456789012:connection/3f2c6a4e-9b1d-4e8a-a0c7-5d6e7f8a9b0c
    repo acme/shop
    branch main
  }

  regions us-east-1 us-west-2

  artifacts {
    expire-after 90d
  }

  build {
    image aws/codebuild/nodejs:8.11.0
    compute small
    install "pip install --upgrade awscli"
    run "npm run clean"
    run "npm install --production"
    run "npm run dist"
  }

  # The hand-written roles had AdministratorAccess; mrp derives least-privilege roles from
  # the template. Add `permissions` here for what a deploy needs beyond them.
  app multi-region-codepipeline-app {
    template template.yaml
    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
    parameter Stage prod
    region us-east-1 {
      parameter Home yes
    }
    region us-west-2 {
      parameter Home REGION
    }
  }
}
)",
      *imported.spec);
  build(*imported.spec, files);
}

TEST_CASE("mrp import: writes the spec, builds the golden files, never overwrites; exit codes") {
  mrp::test::Workspace ws;
  fs::copy(original_dir(), ws.repo() / "old", fs::copy_options::recursive);
  const auto written = ws.run(mrp_command("import old"), ws.repo());
  CHECK(written.status == 0);
  CHECK(written.out == "mrp: wrote old/pipeline.mrp\n");
  CHECK(written.err == "");
  CHECK(read_text(ws.repo() / "old/pipeline.mrp") == imported_original);

  // An existing spec is never overwritten, even one import wrote.
  const fs::path spec = ws.repo() / "old/pipeline.mrp";
  std::ofstream(spec, std::ios::binary) << "# mine\n";
  const auto again = ws.run(mrp_command("import old"), ws.repo());
  CHECK(again.status == 2);
  CHECK(again.err ==
        "mrp: error: old/pipeline.mrp already exists; mrp import writes a new spec only\n");
  CHECK(read_text(spec) == "# mine\n");

  // -o names another file; - is stdout.
  const auto other = ws.run(mrp_command("import old -o imported.mrp"), ws.repo());
  CHECK(other.status == 0);
  CHECK(other.out == "mrp: wrote imported.mrp\n");
  CHECK(read_text(ws.repo() / "imported.mrp") == imported_original);
  const auto shown = ws.run(mrp_command("import -o - old"), ws.repo());
  CHECK(shown.status == 0);
  CHECK(shown.out == imported_original);

  // Findings name the files under the folder as given.
  std::ofstream(ws.repo() / "old/multiregion-build.sh", std::ios::app) << "echo done\n";
  const auto warned = ws.run(mrp_command("import old -o warned.mrp"), ws.repo());
  CHECK(warned.status == 0);
  CHECK(warned.err ==
        "old/multiregion-build.sh:29:1: warning: this command comes after the packaging and is "
        "not carried over: mrp runs the `run` steps before it packages [import]\n"
        "echo done\n^\n");

  // Not a 2018 layout: status 1, nothing written.
  fs::create_directories(ws.repo() / "empty");
  const auto empty = ws.run(mrp_command("import empty"), ws.repo());
  CHECK(empty.status == 1);
  CHECK(empty.err ==
        "empty/deployment-pipeline/pipeline.yaml: error: cannot read "
        "deployment-pipeline/pipeline.yaml, the pipeline template of a 2018 layout; import the "
        "folder that holds deployment-pipeline/ [import]\n");
  CHECK(fs::is_empty(ws.repo() / "empty"));
  fs::copy(original_dir(), ws.repo() / "broken", fs::copy_options::recursive);
  std::ofstream(ws.repo() / "broken/deployment-pipeline/pipeline.yaml", std::ios::app)
      << "  Broken: [\n";
  const auto broken = ws.run(mrp_command("import broken"), ws.repo());
  CHECK(broken.status == 1);
  CHECK(broken.err.rfind("broken/deployment-pipeline/pipeline.yaml:", 0) == 0);
  CHECK(broken.err.find(": error: not YAML: ") != std::string::npos);
  CHECK_FALSE(fs::exists(ws.repo() / "broken/pipeline.mrp"));

  // The round trip on the disk: mrp build writes exactly the golden files.
  fs::copy(original_dir(), ws.repo() / "trip", fs::copy_options::recursive);
  CHECK(ws.run(mrp_command("import trip"), ws.repo()).status == 0);
  CHECK(ws.run(mrp_command("build trip/pipeline.mrp"), ws.repo()).status == 0);
  const fs::path golden = source_dir() / "golden" / "multi-region-codepipeline";
  for (const auto& e : fs::recursive_directory_iterator(golden))
    if (e.is_regular_file()) {
      const fs::path rel = e.path().lexically_relative(golden);
      INFO(rel.string());
      CHECK(read_text(ws.repo() / "trip" / rel) == read_text(e.path()));
    }

  // Usage: no folder, a folder that is not there, --help.
  CHECK(ws.run(mrp_command("import"), ws.repo()).status == 2);
  const auto missing = ws.run(mrp_command("import nope"), ws.repo());
  CHECK(missing.status == 2);
  CHECK(missing.err == "mrp: error: nope is not a folder\n");
  const auto help = ws.run(mrp_command("import --help"), ws.repo());
  CHECK(help.status == 0);
  CHECK(help.out.find("Write the spec of a hand-written 2018 pipeline folder") !=
        std::string::npos);
  CHECK(ws.run(mrp_command("--help"), ws.repo()).out.find("import") != std::string::npos);
}
