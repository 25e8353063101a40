// mrp import of the hand-written 2018 example and of variants of it written
// here (other regions, names, branches, build steps): exact specs, each of
// which builds to files that deploy the same pipeline as the variant's
// pipeline.yaml (the example's to golden/multi-region-codepipeline/ byte for
// byte); hand-made changes reported with their positions.

#include <doctest/doctest.h>

#include "tests/import_support.h"
#include "tests/support.h"

using namespace mrp::test;

// Every case reads the hand-written example; without it they are skipped, and
// the suite's case in import_support.cpp says why.
TEST_SUITE_BEGIN("import" * doctest::skip(!find_original_dir()));

namespace {

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
  edit(f, "deployment-pipeline/artifact-buckets.yaml", "'multi-region-codepipeline-${",
       "'orders-pipeline-${");
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
        "stage\n"
        "  1 source GitHub Owner=symphoniacloud Repo=multi-region-codepipeline Branch=master\n"
        "stage\n"
        "  1 deploy us-east-1 multi-region-codepipeline-app CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND "
        "CREATE_UPDATE\n"
        "  1 deploy us-west-2 multi-region-codepipeline-app CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND "
        "CREATE_UPDATE\n");
  check_text(imported_original, *imported.spec);
  // README.md shows the spec as import writes it now.
  CHECK(read_text(source_dir() / "README.md").find("$ cat pipeline.mrp\n" + imported_original) !=
        std::string::npos);
}

TEST_CASE("import of variants of the example") {
  SUBCASE("three regions") {
    round_trip(three_regions(), replaced(imported_original, "  regions us-east-1 us-west-2\n",
                                         "  regions us-east-1 us-west-2 eu-west-1\n"));
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
    const std::string expected =
        replaced(imported_original, R"(    image aws/codebuild/nodejs:8.11.0
    compute small
    install "pip install --upgrade awscli"
    run "npm run clean"
    run "npm install --production"
    run "npm run dist"
)",
                 R"(    image aws/codebuild/standard:7.0
    compute medium
    install "n 22"
    install "npm ci"
    run "npm run lint"
    run "npm test -- --ci"
    run "npm run build && npm prune --omit=dev"
    env NODE_ENV production
)");
    round_trip(other_build(),
               replaced(expected, "template template.yaml", "template app/stack.yaml"));
  }
}

TEST_CASE("import reports what it cannot carry over, where it is") {
  const Files files = hand_made();
  const Imported imported = import_files(files);
  REQUIRE(imported.spec);
  check_text(imported_original, *imported.spec);
  // What is reported is left out: the spec deploys what the example does,
  // without the hand-made stage and approval.
  const std::string file = "deployment-pipeline/pipeline.yaml";
  CHECK(deployed_pipeline(build(*imported.spec, files).at(file)) ==
        deployed_pipeline(original_files().at(file)));
  check_text(
      R"(deployment-pipeline/pipeline.yaml:112:9: warning: stage `Test` is not carried over: its actions are none mrp generates (source, build, CloudFormation deploy) [import]
      - Name: Test
        ^
deployment-pipeline/pipeline.yaml:124:11: warning: the manual approval `Approve` is not carried over: mrp puts one before a wave's deploy actions (`approve`) and one between creating its change sets and executing them (`approve-change-sets`), and RunOrder 1 is neither [import]
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
)",
      imported.findings);
}

TEST_CASE("import: the pipeline's name and region from the scripts, else the buckets") {
  SUBCASE("a region named by the scripts is the home region") {
    Files files = original_files();
    for (const char* script :
         {"deployment-pipeline/create-pipeline.sh", "deployment-pipeline/update-pipeline.sh"})
      edit(files, script, "        --stack-name $CODEPIPELINE_STACK_NAME \\\n",
           "        --stack-name $CODEPIPELINE_STACK_NAME --region us-west-2 \\\n");
    round_trip(files, replaced(imported_original, "  regions us-east-1 us-west-2\n",
                               "  regions us-east-1 us-west-2\n  home-region us-west-2\n"));
  }
  SUBCASE("without the scripts, the buckets' name; a bucket named otherwise is reported") {
    Files files = original_files();
    files.erase("deployment-pipeline/create-pipeline.sh");
    files.erase("deployment-pipeline/update-pipeline.sh");
    round_trip(files, imported_original);
    edit(files, "deployment-pipeline/pipeline.yaml", "      RestartExecutionOnUpdate: true\n",
         "      RestartExecutionOnUpdate: true\n      Name: shop\n");
    round_trip(
        files,
        replaced(imported_original, "pipeline multi-region-codepipeline {", "pipeline shop {"),
        R"(deployment-pipeline/artifact-buckets.yaml:14:19: warning: the artifact buckets are not named `shop-${AWS::AccountId}-${AWS::Region}`, as mrp names them, so deploy.sh creates new buckets and the old ones stay until you delete them [import]
      BucketName: !Sub 'multi-region-codepipeline-${AWS::AccountId}-${AWS::Region}'
                  ^
)");
  }
}

TEST_CASE("import: a build script that packages in a loop, with a step of its own") {
  Files files = original_files();
  edit(files, "multiregion-build.sh",
       "sam_package us-east-1 ${US_EAST_1_ARTIFACT_BUCKET}\n"
       "sam_package us-west-2 ${US_WEST_2_ARTIFACT_BUCKET}\n",
       "for region in us-east-1 us-west-2; do\n"
       "  var=\"$(echo \"$region\" | tr a-z- A-Z_)_ARTIFACT_BUCKET\"\n"
       "  echo done\n"
       "  aws cloudformation package --template-file template.yaml \\\n"
       "    --s3-bucket \"${!var}\" --region \"$region\" \\\n"
       "    --output-template-file \"target/packaged-template-${region}.yaml\"\n"
       "done\n");
  edit(files, "multiregion-build.sh", "npm run dist\n",
       "npm run dist\nif [ -n \"${CI:-}\" ]; then\n  echo \"in CI\"\nfi\n");
  round_trip(
      files, imported_original,
      R"(multiregion-build.sh:24:1: warning: this `if` over several lines is not carried over: put it in a script of its own and `run` that [import]
if [ -n "${CI:-}" ]; then
^
)");
}

TEST_SUITE_END();
