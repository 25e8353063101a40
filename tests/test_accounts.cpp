// Waves in other accounts (specs/release-train), in the suite "behaviour": the
// scripts against the stand-in aws, each call with the profile of its account
// and its region, and where they refuse to start.

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/emit/shell_out.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::shell_quote;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::Workspace;

namespace {

// The profiles the tests pass, and the accounts the stand-in answers for them;
// the credentials without a profile are the pipeline's account.
const std::vector<std::string> accounts_env = {
    "FAKE_AWS_PROFILES=stg=222233334444 prd=444455556666", "FAKE_AWS_ACCOUNT=111122223333"};
const std::string profiles = " --profile 222233334444=stg --profile 444455556666=prd";

std::string caller(const std::string& profile) {
  return "sts get-caller-identity" + (profile.empty() ? "" : " --profile " + profile) +
         " --region us-east-1 --query Account --output text";
}

// The checks every script that works in the target accounts starts with.
const std::vector<std::string> profile_checks = {caller("stg"), caller("prd"), caller("")};

struct Scripts {
  Workspace ws{"release-train"};
  std::string dir;
  Scripts() {
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    dir = (ws.repo() / "deployment-pipeline").string();
  }
  Run run(const std::string& script, const std::string& args) const {
    return ws.run("bash " + shell_quote(dir + "/" + script) + args, ws.repo(), accounts_env);
  }
};

// The spec without its staging wave: staging's account and its stacks then
// wait to be retired.
void drop_staging(const Workspace& ws) {
  std::string spec = read_text(ws.repo() / "pipeline.mrp");
  const std::string staging =
      "    wave staging {\n      account 222233334444\n      us-east-1\n    }\n";
  REQUIRE(spec.find(staging) != std::string::npos);
  spec.replace(spec.find(staging), staging.size(), "");
  std::ofstream(ws.repo() / "pipeline.mrp") << spec;
}

// retire.sh with staging's profile, while the pipeline's one action runs as
// the action role of `account` (as `codepipeline get-pipeline` lists it).
Run retire_while_pipeline_deploys_in(const std::string& account, const Scripts& s) {
  std::vector<std::string> env = accounts_env;
  env.push_back("FAKE_AWS_STDOUT_ON=codepipeline get-pipeline");
  env.push_back("FAKE_AWS_STDOUT_TEXT=us-east-1\\trelease-notes\\tarn:aws:iam::" + account +
                ":role/mrp/release-train/release-train-action");
  return s.ws.run("bash " + shell_quote(s.dir + "/retire.sh") + " --yes --profile 222233334444=stg",
                  s.ws.repo(), env);
}

std::string deleted(const std::string& profile, const std::string& region,
                    const std::string& stack) {
  return fmt::format("{}cloudformation delete-stack --region {} --stack-name {}",
                     profile.empty() ? "" : "--profile " + profile + " ", region, stack);
}

std::string waited(const std::string& profile, const std::string& region,
                   const std::string& stack) {
  return fmt::format("{}cloudformation wait stack-delete-complete --region {} --stack-name {}",
                     profile.empty() ? "" : "--profile " + profile + " ", region, stack);
}

}  // namespace

TEST_SUITE("behaviour") {
  TEST_CASE("deploy.sh: buckets, each target account with its profile, the keys, the pipeline") {
    Scripts s;
    const Run r = s.run("deploy.sh", profiles);
    INFO(r.err);
    CHECK(r.status == 0);
    const std::string parameters = (s.ws.root() / "parameters-1.json").string();
    const auto target = [&](const std::string& profile, const std::string& account) {
      return fmt::format(
          "cloudformation deploy --profile {} --region us-east-1 --stack-name "
          "release-train-target-account --template-file {}/target-account-{}.yaml --capabilities "
          "CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset",
          profile, s.dir, account);
    };
    const auto bucket_stack = [&](const std::string& region) {
      return fmt::format(
          "cloudformation deploy --region {} --stack-name release-train-artifact-bucket "
          "--template-file {}/artifact-buckets.yaml --no-fail-on-empty-changeset",
          region, s.dir);
    };
    const auto key = [](const std::string& region) {
      return "kms describe-key --region " + region +
             " --key-id alias/release-train-artifacts --query KeyMetadata.Arn --output text";
    };
    std::vector<std::string> expected = profile_checks;
    expected.insert(
        expected.end(),
        {bucket_stack("us-east-1"), bucket_stack("eu-west-1"), caller("stg"),
         target("stg", "222233334444"), caller("prd"), target("prd", "444455556666"),
         key("us-east-1"), key("eu-west-1"), caller(""),
         "cloudformation deploy --region us-east-1 --stack-name release-train --template-file " +
             s.dir +
             "/pipeline.yaml --s3-bucket release-train-111122223333-us-east-1 --s3-prefix "
             "mrp-deploy --capabilities CAPABILITY_NAMED_IAM --no-fail-on-empty-changeset "
             "--parameter-overrides file://" +
             parameters});
    const auto calls = s.ws.aws_calls();
    CHECK(calls == expected);
    CHECK(read_text(parameters) ==
          R"([{"ParameterKey": "ArtifactKeyUsEast1", "ParameterValue": )"
          R"("arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"}, )"
          R"({"ParameterKey": "ArtifactKeyEuWest1", "ParameterValue": )"
          R"("arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"}])"
          "\n");
    CHECK(r.out ==
          "Deploying stack release-train-artifact-bucket in us-east-1\n"
          "Deploying stack release-train-artifact-bucket in eu-west-1\n"
          "Deploying stack release-train-target-account in us-east-1 of account 222233334444\n"
          "Deploying stack release-train-target-account in us-east-1 of account 444455556666\n"
          "Deploying stack release-train in us-east-1 through bucket "
          "release-train-111122223333-us-east-1\n"
          "The account matches the files: stack release-train-artifact-bucket in us-east-1 "
          "eu-west-1, stack release-train in us-east-1; stack release-train-target-account in "
          "us-east-1 of 222233334444 444455556666\n");
    mrp::test::check_real_aws_accepts(s.ws, calls);
  }

  TEST_CASE("deploy.sh and teardown.sh change nothing without the right profile for each account") {
    Scripts s;
    struct Case {
      std::string script, args;
      std::vector<std::string> env;
      int status;
      std::string err;
      std::vector<std::string> calls;
    };
    const std::vector<Case> cases = {
        {"deploy.sh",
         " --profile 222233334444=stg",
         accounts_env,
         2,
         "deploy.sh: give the profile of account 444455556666: --profile 444455556666=PROFILE\n",
         {caller("stg")}},
        {"deploy.sh",
         " --profile 222233334444=prd --profile 444455556666=prd",
         accounts_env,
         1,
         "deploy.sh: profile prd is account 444455556666, not 222233334444\n",
         {caller("prd")}},
        {"deploy.sh",
         profiles,
         {accounts_env[0]},
         1,
         "deploy.sh: the credentials without a profile are account 123456789012, not the "
         "pipeline's account 111122223333\n",
         profile_checks},
        {"deploy.sh",
         " --profile 333333333333=stg",
         accounts_env,
         2,
         "usage: deploy.sh --profile ACCOUNT=PROFILE... (a profile for each of 222233334444 "
         "444455556666)\n",
         {}},
        {"teardown.sh",
         " --yes --profile 444455556666=prd",
         accounts_env,
         2,
         "teardown.sh: give the profile of account 222233334444: --profile 222233334444=PROFILE\n",
         {caller("prd")}},
    };
    for (const auto& c : cases) {
      CAPTURE(c.script);
      CAPTURE(c.args);
      const Run r =
          s.ws.run("bash " + shell_quote(s.dir + "/" + c.script) + c.args, s.ws.repo(), c.env);
      CHECK(r.status == c.status);
      CHECK(r.err == c.err);
      CHECK(s.ws.aws_calls() == c.calls);
    }
  }

  TEST_CASE("teardown.sh: every account's app stacks, their roles, then buckets and pipeline") {
    Scripts s;
    const Run r = s.run("teardown.sh", " --yes" + profiles);
    INFO(r.err);
    CHECK(r.status == 0);
    const auto bucket = [](const std::string& region) {
      const std::string name = "release-train-111122223333-" + region;
      return std::vector<std::string>{
          "s3api head-bucket --region " + region + " --bucket " + name,
          "s3api list-object-versions --region " + region + " --bucket " + name +
              R"( --max-items 1000 --output json --query \{Objects:\ \[Versions\,\ DeleteMarkers\]\[\].\{Key:\ Key\,\ VersionId:\ VersionId\}\,\ Quiet:\ \`true\`\})",
          deleted("", region, "release-train-artifact-bucket"),
          waited("", region, "release-train-artifact-bucket")};
    };
    std::vector<std::string> expected = {caller("prd"), caller("stg"), caller("")};
    expected.push_back(caller(""));  // the bucket names' account
    for (const auto& [profile, region, stack] : std::vector<std::array<std::string, 3>>{
             {"prd", "eu-west-1", "release-notes"},
             {"prd", "us-east-1", "release-notes"},
             {"stg", "us-east-1", "release-notes"},
             {"prd", "us-east-1", "release-train-target-account"},
             {"stg", "us-east-1", "release-train-target-account"}}) {
      expected.push_back(deleted(profile, region, stack));
      expected.push_back(waited(profile, region, stack));
    }
    for (const auto& region : {"eu-west-1", "us-east-1"})
      for (const auto& call : bucket(region)) expected.push_back(call);
    expected.push_back(deleted("", "us-east-1", "release-train"));
    expected.push_back(waited("", "us-east-1", "release-train"));
    const auto calls = s.ws.aws_calls();
    CHECK(calls == expected);
    mrp::test::check_real_aws_accepts(s.ws, calls);
  }

  TEST_CASE(
      "a wave's account removed: retire.sh deletes its app stack and roles, with its profile") {
    Scripts s;
    drop_staging(s.ws);
    const Run built = s.ws.run(mrp_command("build pipeline.mrp"), s.ws.repo());
    INFO(built.err);
    REQUIRE(built.status == 0);
    CHECK(built.out.find("target-account stack release-train-target-account in us-east-1 of "
                         "account 222233334444 (retire.sh deletes it)") != std::string::npos);
    // The pipeline of these files no longer deploys there.
    const Run r = retire_while_pipeline_deploys_in("444455556666", s);
    INFO(r.err);
    CHECK(r.status == 0);
    const std::string pipeline_query =
        "codepipeline get-pipeline --region us-east-1 --name "
        "release-train-CodePipeline-FAKE0123456 --output text --query ";
    const std::vector<std::string> expected = {
        caller("stg"),
        caller(""),
        caller(""),
        std::string("cloudformation describe-stack-resource --region us-east-1 --stack-name "
                    "release-train --logical-resource-id CodePipeline --query "
                    "StackResourceDetail.PhysicalResourceId --output text"),
        pipeline_query +
            R"(pipeline.stages\[\].actions\[\].\[region\,\ configuration.StackName\,\ roleArn\])",
        pipeline_query + "pipeline.artifactStores.\\*.location",
        deleted("stg", "us-east-1", "release-notes"),
        waited("stg", "us-east-1", "release-notes"),
        deleted("stg", "us-east-1", "release-train-target-account"),
        waited("stg", "us-east-1", "release-train-target-account")};
    const auto calls = s.ws.aws_calls();
    CHECK(calls == expected);
    CHECK(r.out ==
          "Deleting stack release-notes in us-east-1 of account 222233334444\n"
          "Deleting stack release-train-target-account in us-east-1 of account 222233334444\n"
          "Everything waiting to be retired is deleted\n");
    mrp::test::check_real_aws_accepts(s.ws, calls);
  }

  TEST_CASE("retire.sh refuses while the pipeline still runs actions in the account") {
    Scripts s;
    drop_staging(s.ws);
    REQUIRE(s.ws.run(mrp_command("build pipeline.mrp"), s.ws.repo()).status == 0);
    const Run r = retire_while_pipeline_deploys_in("222233334444", s);
    CHECK(r.status == 1);
    CHECK(r.err ==
          "retire.sh: pipeline stack release-train in us-east-1 still deploys these; run "
          "deploy.sh first:\n"
          "  app stack release-notes in us-east-1 of account 222233334444\n"
          "  target-account stack release-train-target-account in us-east-1 of account "
          "222233334444\n"
          "retire.sh: nothing was deleted\n");
  }

  TEST_CASE("deploy-target-account.sh deploys only the spec's accounts, only with their profile") {
    Scripts s;
    const Run unknown = s.run("deploy-target-account.sh", " 333333333333 stg");
    CHECK(unknown.status == 2);
    CHECK(unknown.err ==
          "deploy-target-account.sh: no wave deploys to account 333333333333; the accounts are "
          "222233334444 444455556666\n");
    const Run wrong = s.run("deploy-target-account.sh", " 222233334444 prd");
    CHECK(wrong.status == 1);
    CHECK(wrong.err ==
          "deploy-target-account.sh: profile prd is account 444455556666, not "
          "222233334444\n");
    const Run usage = s.run("deploy-target-account.sh", " 222233334444");
    CHECK(usage.status == 2);
    CHECK(usage.err ==
          "usage: deploy-target-account.sh ACCOUNT PROFILE (ACCOUNT: 222233334444 444455556666)\n");
    CHECK(s.ws.aws_calls() == std::vector<std::string>{caller("prd")});
  }
}
