// Behaviour: `mrp build` writes the files; the generated scripts run against a
// stand-in `aws` (tests/fake-aws/aws) that records each call; the names that
// tie the files together agree across all of them; and the real AWS CLI
// accepts every recorded call. deploy.sh has tests of its own in
// test_deploy_script.cpp.

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/emit/shell_out.h"
#include "tests/consistency.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::shell_quote;
using mrp::test::check_real_aws_accepts;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::source_dir;
using mrp::test::with_account;
using mrp::test::Workspace;

namespace {

// Creates the local folders a SAM template's CodeUri names, as the build would.
void make_code_folders(const fs::path& repo, const std::string& template_path) {
  const std::string text = read_text(repo / template_path);
  const std::regex code_uri("CodeUri: *([^ \n]+)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), code_uri);
       it != std::sregex_iterator(); ++it) {
    const fs::path dir = repo / fs::path(template_path).parent_path() / (*it)[1].str();
    fs::create_directories(dir);
    std::ofstream(dir / "index.js") << "exports.handler = async () => ({});\n";
  }
}

std::vector<std::string> first_words_of_run_steps(const mrp::Ir& ir) {
  std::vector<std::string> words;
  for (const auto& cmd : ir.build.run) words.push_back(cmd.substr(0, cmd.find(' ')));
  return words;
}

// The folders under specs/, sorted.
std::vector<std::string> spec_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(source_dir() / "specs"))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> split_on_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  return parts;
}

// ctest gives each spec an entry of its own (tests/CMakeLists.txt), naming it in MRP_AWS_CLI_SPEC,
// so that the specs replay in parallel; without it, as when run by hand, every spec replays.
std::vector<std::string> specs_to_replay() {
  const std::vector<std::string> all = spec_names();
  REQUIRE_FALSE(all.empty());
  const char* named = std::getenv("MRP_AWS_CLI_SPEC");
  if (named == nullptr) return all;
  const std::string one = named;
  REQUIRE_MESSAGE(std::find(all.begin(), all.end(), one) != all.end(),
                  "MRP_AWS_CLI_SPEC=" << one << " names no folder under specs/");
  // The entries are the specs cmake found; one added since would be replayed by none.
  const char* listed = std::getenv("MRP_AWS_CLI_SPECS");
  REQUIRE_MESSAGE(listed != nullptr,
                  "MRP_AWS_CLI_SPECS, the specs ctest has entries for, is unset");
  std::vector<std::string> entries = split_on_commas(listed);
  std::sort(entries.begin(), entries.end());
  CHECK_MESSAGE(entries == all, "ctest has an aws-cli entry for each of "
                                    << std::string(listed)
                                    << " but specs/ holds others: re-run cmake");
  return {one};
}

void replay_spec(const std::string& name) {
  Workspace ws(name);
  REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
  const auto compiled = mrp::compile(read_text(ws.repo() / "pipeline.mrp"), "pipeline.mrp",
                                     mrp::DiskFileReader(ws.repo()));
  REQUIRE(compiled.ir);
  for (const auto& w : first_words_of_run_steps(*compiled.ir)) ws.stub(w);
  for (const auto& app : compiled.ir->apps) make_code_folders(ws.repo(), app.template_path);
  std::vector<std::string> env;
  for (const auto& r : compiled.ir->regions)
    env.push_back(r.bucket_env_var + "=" + with_account(r.bucket_name_sub));
  if (compiled.ir->has_images())
    for (const auto& r : compiled.ir->regions)
      env.push_back(r.image_repository_env_var + "=" + with_account(r.image_repository_uri_sub));
  REQUIRE(ws.run("bash multiregion-build.sh", ws.repo(), env).status == 0);
  const std::string dir = "deployment-pipeline/";
  // With waves in other accounts, the scripts that work there take a profile
  // for each, which the stand-in maps to its account.
  std::string profiles;
  std::vector<std::string> token = {"GITHUB_TOKEN=ghp_x"}, plain;
  if (compiled.ir->cross_account()) {
    std::string mapping = "FAKE_AWS_PROFILES=";
    for (const auto& a : compiled.ir->target_accounts) {
      profiles += fmt::format(" --profile {0}=account-{0}", a.id);
      mapping += fmt::format("account-{0}={0} ", a.id);
    }
    for (auto* run_env : {&token, &plain})
      run_env->insert(run_env->end(),
                      {mapping, "FAKE_AWS_ACCOUNT=" + compiled.ir->pipeline_account});
  }
  REQUIRE(ws.run("bash " + dir + "create-artifact-buckets.sh", ws.repo()).status == 0);
  REQUIRE(ws.run("bash " + dir + "create-pipeline.sh", ws.repo(), token).status == 0);
  REQUIRE(ws.run("bash " + dir + "update-pipeline.sh", ws.repo()).status == 0);
  // deploy.sh with a token, then without: a source that takes one first asks
  // whether the pipeline stack is there.
  REQUIRE(ws.run("bash " + dir + "deploy.sh" + profiles, ws.repo(), token).status == 0);
  REQUIRE(ws.run("bash " + dir + "deploy.sh" + profiles, ws.repo(), plain).status == 0);
  REQUIRE(ws.run("bash " + dir + "teardown.sh --yes" + profiles, ws.repo(), plain).status == 0);
  REQUIRE(ws.run("bash " + dir + "retire.sh --yes", ws.repo(), plain).status == 0);
  const auto calls = ws.aws_calls();
  // The calls in other accounts are counted, exactly, by test_accounts.cpp.
  if (compiled.ir->cross_account()) {
    check_real_aws_accepts(ws, calls);
    return;
  }
  const mrp::Source& source = compiled.ir->source;
  const bool takes_token = source.kind == mrp::SourceKind::github && source.token_reference.empty();
  const std::size_t regions = compiled.ir->regions.size(), apps = compiled.ir->apps.size();
  // Apps with container images are packaged by `sam package`, not `aws`.
  const std::size_t zip_apps =
      static_cast<std::size_t>(std::count_if(compiled.ir->apps.begin(), compiled.ir->apps.end(),
                                             [](const mrp::App& a) { return !a.has_images(); }));
  // build, buckets, create, update; deploy twice: each bucket stack, the
  // account, the pipeline stack, and without the token the stack asked for;
  // then teardown: the account, each app and bucket stack deleted and waited
  // for, each bucket looked for and listed, the pipeline. With access logs,
  // each region's teardown also looks for the bucket and stops its logs, and
  // looks for the log bucket, closes it, looks for it again and lists it.
  const std::size_t deploys = 2 * (regions + 2) + (takes_token ? 1 : 0);
  const std::size_t access_logs = compiled.ir->artifacts.access_logs ? 6 * regions : 0;
  // What waits to be retired (a spec with a record of an earlier version):
  // teardown.sh deletes it too; retire.sh (which otherwise calls nothing)
  // finds the account, asks what the pipeline deploys (3 calls), and deletes
  // it as teardown.sh does.
  std::size_t retiring = 0;
  for (const auto& d : compiled.ir->record.retiring)
    retiring += d.kind == mrp::DeployedStack::Kind::buckets
                    ? 4 + (compiled.ir->artifacts.access_logs ? 6 : 0)
                    : 2;
  const std::size_t retire = retiring > 0 ? 1 + 3 + retiring : 0;
  CHECK(calls.size() == (zip_apps + 1) * regions + 4 + deploys + 1 + 2 * apps * regions +
                            4 * regions + 2 + access_logs + retiring + retire);
  check_real_aws_accepts(ws, calls);
}

}  // namespace

TEST_SUITE("behaviour") {
  TEST_CASE("the example's scripts ask aws for exactly this") {
    Workspace ws("multi-region-codepipeline");
    const Run built = ws.run(mrp_command("build pipeline.mrp"), ws.repo());
    REQUIRE(built.status == 0);
    // The first build has no record to compare with: it lists what the files deploy.
    CHECK(built.out ==
          "mrp: wrote 11 files under .\n"
          "mrp: deployment-pipeline/deployed.json did not exist; it now records what these files "
          "deploy:\n"
          "  + pipeline stack multi-region-codepipeline in us-east-1\n"
          "  + bucket stack multi-region-codepipeline-artifact-bucket in us-east-1, with bucket "
          "multi-region-codepipeline-ACCOUNT-us-east-1\n"
          "  + app stack multi-region-codepipeline-app in us-east-1 (the pipeline deploys it)\n"
          "  + bucket stack multi-region-codepipeline-artifact-bucket in us-west-2, with bucket "
          "multi-region-codepipeline-ACCOUNT-us-west-2\n"
          "  + app stack multi-region-codepipeline-app in us-west-2 (the pipeline deploys it)\n"
          "mrp: then, in order:\n"
          "  1. deployment-pipeline/deploy.sh: creates or updates the bucket stacks, then the "
          "pipeline stack in us-east-1\n"
          "  2. commit and push the generated files: the pipeline's next run builds and deploys "
          "the app stacks\n");
    // Built again, nothing changes: nothing to plan.
    CHECK(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).out ==
          "mrp: wrote 11 files under .\n");
    for (const char* c : {"npm"}) ws.stub(c);

    const std::string bucket = std::string("multi-region-codepipeline-") + mrp::test::test_account;
    const Run build = ws.run("bash multiregion-build.sh", ws.repo(),
                             {"US_EAST_1_ARTIFACT_BUCKET=" + bucket + "-us-east-1",
                              "US_WEST_2_ARTIFACT_BUCKET=" + bucket + "-us-west-2"});
    INFO(build.err);
    CHECK(build.status == 0);
    CHECK(ws.stub_calls() ==
          std::vector<std::string>{"npm run clean", "npm install --production", "npm run dist"});
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{
              "cloudformation package --region us-east-1 --template-file template.yaml "
              "--s3-bucket " +
                  bucket +
                  "-us-east-1 --output-template-file "
                  "mrp-packaged/packaged-template-us-east-1.yaml",
              "cloudformation package --region us-west-2 --template-file template.yaml "
              "--s3-bucket " +
                  bucket +
                  "-us-west-2 --output-template-file "
                  "mrp-packaged/packaged-template-us-west-2.yaml"});

    const std::string dir = (ws.repo() / "deployment-pipeline").string();
    CHECK(ws.run("bash " + shell_quote(dir + "/create-artifact-buckets.sh"), "/").status == 0);
    CHECK(ws.aws_calls() == std::vector<std::string>{
                                "cloudformation deploy --region us-east-1 --stack-name "
                                "multi-region-codepipeline-artifact-bucket --template-file " +
                                    dir + "/artifact-buckets.yaml --no-fail-on-empty-changeset",
                                "cloudformation deploy --region us-west-2 --stack-name "
                                "multi-region-codepipeline-artifact-bucket --template-file " +
                                    dir + "/artifact-buckets.yaml --no-fail-on-empty-changeset"});

    // The token reaches aws in a parameters file, never as an argument, and
    // the file is gone when the script ends.
    const std::string kept = ws.root().string();
    const Run created = ws.run("bash create-pipeline.sh", dir, {"GITHUB_TOKEN=ghp_secret"});
    CHECK(created.status == 0);
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{
              "cloudformation create-stack --region us-east-1 --stack-name "
              "multi-region-codepipeline --template-body file://" +
                  dir + "/pipeline.yaml --capabilities CAPABILITY_IAM --parameters file://" + kept +
                  "/parameters-1.json",
              "cloudformation wait stack-create-complete --region us-east-1 --stack-name "
              "multi-region-codepipeline"});
    CHECK(read_text(ws.root() / "parameters-1.json") ==
          "[{\"ParameterKey\": \"GitHubOAuthToken\", \"ParameterValue\": \"ghp_secret\"}]\n");
    CHECK(fs::is_empty(ws.tmp()));

    const Run updated = ws.run("bash update-pipeline.sh", dir);
    CHECK(updated.status == 0);
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{
              "cloudformation update-stack --region us-east-1 --stack-name "
              "multi-region-codepipeline --template-body file://" +
                  dir + "/pipeline.yaml --capabilities CAPABILITY_IAM --parameters file://" + kept +
                  "/parameters-2.json",
              "cloudformation wait stack-update-complete --region us-east-1 --stack-name "
              "multi-region-codepipeline"});
    CHECK(read_text(ws.root() / "parameters-2.json") ==
          "[{\"ParameterKey\": \"GitHubOAuthToken\", \"UsePreviousValue\": true}]\n");
    CHECK(fs::is_empty(ws.tmp()));
  }

  TEST_CASE("the build script names every missing bucket variable and stops before building") {
    Workspace ws("multi-region-codepipeline");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    ws.stub("npm");
    const Run r = ws.run("bash multiregion-build.sh", ws.repo(), {"US_WEST_2_ARTIFACT_BUCKET=b"});
    CHECK(r.status == 1);
    CHECK(r.err ==
          "multiregion-build.sh: not set: US_EAST_1_ARTIFACT_BUCKET\n"
          "The pipeline's CodeBuild project sets one bucket variable per region; to build by "
          "hand, set each to that region's artifact bucket.\n");
    CHECK(ws.stub_calls().empty());
    CHECK(ws.aws_calls().empty());
  }

  TEST_CASE("create-pipeline.sh needs GITHUB_TOKEN and says so; update keeps going on no change") {
    Workspace ws("multi-region-codepipeline");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const fs::path dir = ws.repo() / "deployment-pipeline";
    const Run r = ws.run("bash create-pipeline.sh", dir);
    CHECK(r.status == 1);
    CHECK(r.err ==
          "create-pipeline.sh: set GITHUB_TOKEN to a GitHub personal access token with the repo "
          "scope\n");
    CHECK(ws.aws_calls().empty());

    const Run same = ws.run("bash update-pipeline.sh", dir,
                            {"FAKE_AWS_STDERR_ON=update-stack",
                             "FAKE_AWS_STDERR_TEXT=An error occurred (ValidationError) when "
                             "calling the UpdateStack operation: No updates are to be performed."});
    CHECK(same.status == 0);
    CHECK(same.out ==
          "Updating stack multi-region-codepipeline in us-east-1\n"
          "Stack multi-region-codepipeline is up to date\n");
    CHECK(ws.aws_calls().size() == 1);

    const Run failed =
        ws.run("bash update-pipeline.sh", dir, {"GITHUB_TOKEN=t", "FAKE_AWS_FAIL_ON=update-stack"});
    CHECK(failed.status == 1);
    CHECK(failed.err ==
          "An error occurred (ValidationError) when calling the operation: fake failure\n");
    const auto calls = ws.aws_calls();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].find("--parameters file://") != std::string::npos);
    CHECK(fs::is_empty(ws.tmp()));  // removed on the failure path too
  }

  TEST_CASE("the GitHub token is escaped as JSON and never an argument aws or ps would see") {
    Workspace ws("multi-region-codepipeline");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const fs::path dir = ws.repo() / "deployment-pipeline";
    // `ps` shows what aws is asked; a stand-in records its arguments too.
    const std::string token = R"(ghp_a"b\c$(touch pwned)`id`)";
    for (const char* script : {"create-pipeline.sh", "update-pipeline.sh"}) {
      CAPTURE(script);
      const Run r = ws.run(fmt::format("bash {}", script), dir, {"GITHUB_TOKEN=" + token});
      CHECK(r.status == 0);
      const auto calls = ws.aws_calls();
      REQUIRE(calls.size() == 2);
      for (const auto& c : calls) CHECK(c.find("ghp_a") == std::string::npos);
      CHECK(!fs::exists(dir / "pwned"));
      CHECK(fs::is_empty(ws.tmp()));
    }
    for (const char* copy : {"parameters-1.json", "parameters-2.json"}) {
      const auto parsed = nlohmann::json::parse(read_text(ws.root() / copy));
      CHECK(parsed.at(0).at("ParameterValue") == token);
    }
    const Run bad = ws.run("bash create-pipeline.sh", dir, {"GITHUB_TOKEN=a\tb"});
    CHECK(bad.status == 1);
    CHECK(bad.err == "create-pipeline.sh: GITHUB_TOKEN holds a control character\n");
    CHECK(ws.aws_calls().empty());
  }

  TEST_CASE("with token-secret no script takes a token: CloudFormation reads the secret") {
    Workspace ws("audit-trail");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const std::string dir = (ws.repo() / "deployment-pipeline").string();
    for (const char* script : {"create-pipeline.sh", "update-pipeline.sh"}) {
      CAPTURE(script);
      const Run r = ws.run(fmt::format("bash {}", script), dir);
      CHECK(r.status == 0);
      const auto calls = ws.aws_calls();
      REQUIRE(calls.size() == 2);
      CHECK(calls[0].find("--parameters") == std::string::npos);
      CHECK(read_text(ws.repo() / "deployment-pipeline" / script).find("GITHUB_TOKEN") ==
            std::string::npos);
    }
    const std::string pipeline = read_text(ws.repo() / "deployment-pipeline" / "pipeline.yaml");
    CHECK(pipeline.find("GitHubOAuthToken") == std::string::npos);
    CHECK(pipeline.find("OAuthToken: \"{{resolve:secretsmanager:ci/github-token:SecretString:"
                        "token}}\"") != std::string::npos);
  }

  TEST_CASE("teardown.sh deletes apps, then emptied buckets, then the pipeline, in order") {
    Workspace ws("ledger");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const std::string dir = (ws.repo() / "deployment-pipeline").string();

    std::ofstream(ws.root() / "no") << "no\n";
    const Run refused =
        ws.run("bash teardown.sh <" + shell_quote((ws.root() / "no").string()), dir);
    CHECK(refused.status == 1);
    CHECK(refused.out ==
          "This deletes, in order:\n"
          "  app stack ledger-api in eu-central-1\n"
          "  app stack ledger-data in eu-central-1\n"
          "  app stack ledger-api in eu-west-1\n"
          "  app stack ledger-data in eu-west-1\n"
          "  bucket stack ledger-artifact-bucket in eu-central-1, with bucket "
          "ledger-123456789012-eu-central-1\n"
          "  bucket stack ledger-artifact-bucket in eu-west-1, with bucket "
          "ledger-123456789012-eu-west-1\n"
          "  pipeline stack ledger in eu-west-1\n");
    CHECK(refused.err == "teardown.sh: nothing was deleted\n");
    // Only the account was looked up, to name the buckets.
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{
              "sts get-caller-identity --region eu-west-1 --query Account --output text"});

    const Run done = ws.run("bash " + shell_quote(dir + "/teardown.sh") + " --yes", "/");
    INFO(done.err);
    CHECK(done.status == 0);
    // The stand-in logs the query as bash's printf %q writes it.
    const std::string versions =
        " --max-items 1000 --output json --query \\{Objects:\\ \\[Versions\\,\\ "
        "DeleteMarkers\\]\\[\\].\\{Key:\\ Key\\,\\ VersionId:\\ VersionId\\}\\,\\ "
        "Quiet:\\ \\`true\\`\\}";
    std::vector<std::string> expected = {
        "sts get-caller-identity --region eu-west-1 --query Account --output text"};
    const auto remove = [&](const std::string& region, const std::string& stack) {
      expected.push_back("cloudformation delete-stack --region " + region + " --stack-name " +
                         stack);
      expected.push_back("cloudformation wait stack-delete-complete --region " + region +
                         " --stack-name " + stack);
    };
    // In the reverse of the deploy order: ledger-api waits for ledger-data
    // when deploying, so it goes first; the last region first.
    for (const char* region : {"eu-central-1", "eu-west-1"}) {
      remove(region, "ledger-api");
      remove(region, "ledger-data");
    }
    for (const std::string region : {"eu-central-1", "eu-west-1"}) {
      const std::string bucket = " --bucket ledger-123456789012-" + region;
      expected.push_back("s3api head-bucket --region " + region + bucket);
      expected.push_back("s3api list-object-versions --region " + region + bucket + versions);
      remove(region, "ledger-artifact-bucket");
    }
    remove("eu-west-1", "ledger");
    CHECK(ws.aws_calls() == expected);

    const Run failed = ws.run("bash teardown.sh --yes", dir,
                              {"FAKE_AWS_FAIL_ON=delete-stack --region eu-central-1 --stack-name "
                               "ledger-data"});
    CHECK(failed.status != 0);
    CHECK(failed.err ==
          "An error occurred (ValidationError) when calling the operation: fake failure\n"
          "teardown.sh: failed while deleting app stack ledger-data in eu-central-1; still "
          "there:\n"
          "  app stack ledger-data in eu-central-1\n"
          "  app stack ledger-api in eu-west-1\n"
          "  app stack ledger-data in eu-west-1\n"
          "  bucket stack ledger-artifact-bucket in eu-central-1, with bucket "
          "ledger-123456789012-eu-central-1\n"
          "  bucket stack ledger-artifact-bucket in eu-west-1, with bucket "
          "ledger-123456789012-eu-west-1\n"
          "  pipeline stack ledger in eu-west-1\n");
    const auto calls = ws.aws_calls();
    REQUIRE_FALSE(calls.empty());
    CHECK(calls.back() ==
          "cloudformation delete-stack --region eu-central-1 --stack-name ledger-data");

    // A bucket that is gone already (a run stopped half-way, run again) is
    // skipped; its stack is still deleted.
    const Run again = ws.run("bash teardown.sh --yes", dir,
                             {"FAKE_AWS_STDERR_ON=head-bucket --region eu-west-1",
                              "FAKE_AWS_STDERR_TEXT=An error occurred (404) when calling the "
                              "HeadBucket operation: Not Found"});
    INFO(again.err);
    CHECK(again.status == 0);
    CHECK(again.out.find("Bucket ledger-123456789012-eu-west-1 is already gone\n") !=
          std::string::npos);
    const auto rerun = ws.aws_calls();
    CHECK(std::count_if(rerun.begin(), rerun.end(), [](const std::string& c) {
            return c.rfind("s3api list-object-versions --region eu-west-1", 0) == 0;
          }) == 0);
    CHECK(std::find(rerun.begin(), rerun.end(),
                    "cloudformation delete-stack --region eu-west-1 --stack-name "
                    "ledger-artifact-bucket") != rerun.end());

    // Any other answer from S3 (no permission) stops the script, saying why.
    const Run denied = ws.run("bash teardown.sh --yes", dir,
                              {"FAKE_AWS_STDERR_ON=head-bucket --region eu-west-1",
                               "FAKE_AWS_STDERR_TEXT=An error occurred (403) when calling the "
                               "HeadBucket operation: Forbidden"});
    CHECK(denied.status != 0);
    CHECK(denied.err.find("An error occurred (403) when calling the HeadBucket operation: "
                          "Forbidden\nteardown.sh: failed while emptying bucket "
                          "ledger-123456789012-eu-west-1; still there:\n"
                          "  bucket stack ledger-artifact-bucket in eu-west-1") !=
          std::string::npos);
    ws.aws_calls();
  }

  TEST_CASE("teardown.sh stops access logs, then empties the artifact and the log buckets") {
    Workspace ws("audit-trail");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const Run done = ws.run("bash deployment-pipeline/teardown.sh --yes", ws.repo());
    INFO(done.err);
    REQUIRE(done.status == 0);
    std::vector<std::string> buckets;
    for (const auto& call : ws.aws_calls()) {
      if (call.rfind("s3api ", 0) != 0 && call.find("artifact-bucket") == std::string::npos)
        continue;
      // The operation, region and bucket or stack: the rest is the query.
      // The stand-in escapes spaces inside an argument with a backslash.
      std::vector<std::string> words(1);
      for (std::size_t i = 0; i < call.size(); ++i) {
        if (call[i] == ' ' && (i == 0 || call[i - 1] != '\\'))
          words.emplace_back();
        else
          words.back() += call[i];
      }
      std::string line = words.at(0) + " " + words.at(1);
      for (std::size_t i = 2; i + 1 < words.size(); ++i)
        if (words[i] == "--region" || words[i] == "--bucket" || words[i] == "--stack-name")
          line += " " + words[i + 1];
      if (call.find("--bucket-logging-status \\{\\}") != std::string::npos) line += " {}";
      buckets.push_back(line);
    }
    // Its record has ap-northeast-1 waiting to be retired: teardown.sh deletes
    // it last.
    std::vector<std::string> expected;
    for (const std::string region : {"eu-central-1", "us-east-1", "ap-northeast-1"}) {
      const std::string bucket = "audit-trail-123456789012-" + region;
      expected.push_back("s3api head-bucket " + region + " " + bucket);
      expected.push_back("s3api put-bucket-logging " + region + " " + bucket + " {}");
      expected.push_back("s3api head-bucket " + region + " " + bucket);
      expected.push_back("s3api list-object-versions " + region + " " + bucket);
      expected.push_back("s3api head-bucket " + region + " " + bucket + "-logs");
      expected.push_back("s3api delete-bucket-policy " + region + " " + bucket + "-logs");
      expected.push_back("s3api head-bucket " + region + " " + bucket + "-logs");
      expected.push_back("s3api list-object-versions " + region + " " + bucket + "-logs");
      expected.push_back("cloudformation delete-stack " + region + " audit-trail-artifact-bucket");
      expected.push_back("cloudformation wait " + region + " audit-trail-artifact-bucket");
    }
    CHECK(buckets == expected);
  }

  TEST_CASE("a connection source needs no token: the scripts pass no parameters") {
    Workspace ws("payments-api");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const std::string dir = (ws.repo() / "deployment-pipeline").string();
    const Run created = ws.run("bash create-pipeline.sh", dir);
    CHECK(created.status == 0);
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{
              "cloudformation create-stack --region us-east-1 --stack-name payments-api "
              "--template-body file://" +
                  dir + "/pipeline.yaml --capabilities CAPABILITY_IAM",
              "cloudformation wait stack-create-complete --region us-east-1 --stack-name "
              "payments-api"});
    const Run updated = ws.run("bash update-pipeline.sh", dir, {"GITHUB_TOKEN=ignored"});
    CHECK(updated.status == 0);
    const auto calls = ws.aws_calls();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].find("--parameters") == std::string::npos);
    const std::string pipeline = read_text(ws.repo() / "deployment-pipeline/pipeline.yaml");
    CHECK(pipeline.find("GitHubOAuthToken") == std::string::npos);
    CHECK(pipeline.find("AWS::CodePipeline::Webhook") == std::string::npos);
  }

  TEST_CASE("regions, buckets, env vars and packaged templates agree across all the files") {
    for (const auto& entry : fs::directory_iterator(source_dir() / "specs")) {
      const std::string name = entry.path().filename().string();
      CAPTURE(name);
      Workspace ws(name);
      REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
      const std::string text = read_text(ws.repo() / "pipeline.mrp");
      const auto compiled = mrp::compile(text, "pipeline.mrp", mrp::DiskFileReader(ws.repo()));
      REQUIRE(compiled.ir);
      const mrp::Ir& ir = *compiled.ir;
      for (const auto& w : first_words_of_run_steps(ir)) ws.stub(w);

      mrp::test::check_files_agree(ws, ir);
    }
  }

  TEST_CASE("mrp build: exit codes, default output folder, nothing written on error") {
    Workspace ws("orders-api");
    // The version, and the commit it was built from (this checkout's HEAD;
    // git describe adds "-dirty" when the tree had changes).
    const std::string head =
        ws.run("git -C " + mrp::shell_quote(MRP_SOURCE_DIR) + " rev-parse --short=12 HEAD",
               ws.repo())
            .out;
    const std::string version = ws.run(mrp_command("--version"), ws.repo()).out;
    CHECK(version.rfind("mrp 0.1.0 (git " + head.substr(0, 12), 0) == 0);
    CHECK(version.ends_with(")\n"));
    CHECK(ws.run(mrp_command("--help"), ws.repo()).status == 0);
    CHECK(ws.run(mrp_command(""), ws.repo()).status == 2);
    CHECK(ws.run(mrp_command("build"), ws.repo()).status == 2);
    CHECK(ws.run(mrp_command("frobnicate x"), ws.repo()).status == 2);
    const Run missing = ws.run(mrp_command("build nope.mrp"), ws.repo());
    CHECK(missing.status == 2);
    CHECK(missing.err == "mrp: error: cannot read nope.mrp\n");

    std::ofstream(ws.repo() / "bad.mrp") << "pipeline x {\n  regions us-east-1\n}\n";
    const Run bad = ws.run(mrp_command("build bad.mrp -o out"), ws.repo());
    CHECK(bad.status == 1);
    CHECK(bad.err.rfind(
              "bad.mrp:1:1: error: `pipeline` needs a `source` directive [missing-directive]\n",
              0) == 0);
    CHECK_FALSE(fs::exists(ws.repo() / "out"));

    const Run good = ws.run(mrp_command("build ../repo/pipeline.mrp"), ws.repo() / "src");
    CHECK(good.status == 2);  // no such folder: src/
    fs::create_directories(ws.repo() / "src");
    const Run from_sub = ws.run(mrp_command("build ../pipeline.mrp"), ws.repo() / "src");
    CHECK(from_sub.status == 0);
    CHECK(from_sub.out.rfind("mrp: wrote 11 files under ..\n", 0) == 0);
    const std::string text = read_text(ws.repo() / "pipeline.mrp");
    const auto expected = mrp::compile(text, "pipeline.mrp", mrp::DiskFileReader(ws.repo()));
    REQUIRE(expected.outputs);
    for (const auto& [path, content] : *expected.outputs) {
      CAPTURE(path);
      CHECK(read_text(ws.repo() / path) == content);
      const auto perms = fs::status(ws.repo() / path).permissions();
      const bool executable = (perms & fs::perms::owner_exec) != fs::perms::none;
      CHECK(executable == (fs::path(path).extension() == ".sh"));
    }
    for (const auto& e : fs::recursive_directory_iterator(ws.repo()))
      CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
  }

  TEST_CASE("an output folder elsewhere: paths in the outputs are relative to it") {
    Workspace ws("orders-api");
    fs::create_directories(ws.repo() / "services");
    fs::rename(ws.repo() / "pipeline.mrp", ws.repo() / "services" / "pipeline.mrp");
    fs::rename(ws.repo() / "template.yaml", ws.repo() / "services" / "template.yaml");
    const Run built = ws.run(mrp_command("build services/pipeline.mrp -o ."), ws.repo());
    REQUIRE(built.status == 0);
    const std::string script = read_text(ws.repo() / "multiregion-build.sh");
    CHECK(script.find("--template-file services/template.yaml") != std::string::npos);
    CHECK(script.find("# Generated by mrp from services/pipeline.mrp.\n") != std::string::npos);
  }
}

// A suite of its own: ctest runs it once per spec, apart from the rest of "behaviour".
TEST_SUITE("aws-cli") {
  TEST_CASE("the real AWS CLI accepts every call the generated scripts make") {
    REQUIRE_MESSAGE(fs::exists("/usr/bin/aws"),
                    "Debian's awscli is missing: run scripts/setup-deps");
    for (const std::string& name : specs_to_replay()) {
      CAPTURE(name);
      replay_spec(name);
    }
  }
}
