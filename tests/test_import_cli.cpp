// mrp import: what is not a 2018 layout, other sources and parameters, and
// the command line (the spec written, the round trip on the disk, exit codes).

#include <fstream>

#include <doctest/doctest.h>

#include "tests/import_support.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using namespace mrp::test;

// Every case reads the hand-written example; without it they are skipped, and
// the suite's case in import_support.cpp says why.
TEST_SUITE_BEGIN("import" * doctest::skip(!find_original_dir()));

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
  // Both deploy actions.
  edit(files, pipeline, "            StackName: !Ref ApplicationStackName\n",
       "            StackName: !Ref ApplicationStackName\n"
       "            ParameterOverrides: '{\"Stage\": \"prod\", \"Home\": \"REGION\"}'\n",
       2);
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
  // The example with a CodeStar source and parameter overrides.
  std::string expected = replaced(
      imported_original,
      R"(  # The OAuth token was a parameter of pipeline.yaml: create-pipeline.sh now reads it from
  # GITHUB_TOKEN, or the template from Secrets Manager with `token-secret`.
  source github {
    owner symphoniacloud
    repo multi-region-codepipeline
    branch master
  }
)",
      R"(  source codestar {
    connection arn:aws:codeconnections:us-east-1:123456789012:connection/3f2c6a4e-9b1d-4e8a-a0c7-5d6e7f8a9b0c
    repo acme/shop
    branch main
  }
)");
  expected = replaced(expected, "    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND\n",
                      R"(    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND
    parameter Stage prod
    region us-east-1 {
      parameter Home yes
    }
    region us-west-2 {
      parameter Home REGION
    }
)");
  check_text(expected, *imported.spec);
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
  // The template's path is relative to the spec's folder, as every path in a spec.
  CHECK(read_text(ws.repo() / "imported.mrp") ==
        replaced(imported_original, "template template.yaml", "template old/template.yaml"));
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

TEST_SUITE_END();
