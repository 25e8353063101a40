// deploy.sh against the stand-in aws (tests/fake-aws/aws), in the suite
// "behaviour": the calls it makes and their order, where the GitHub token and
// the source's values go, and where it stops when a call fails. (A file of its
// own: test_behaviour.cpp is long enough.)

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/github.h"
#include "compiler/emit/shell_out.h"
#include "tests/consistency.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::shell_quote;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::Workspace;

namespace {

const std::string fake_failure =
    "An error occurred (ValidationError) when calling the operation: fake failure\n";

// The example spec's calls, as the stand-in logs them, with the scripts in `dir`.
struct Example {
  std::string dir;
  std::string bucket_stack(const std::string& region) const {
    return "cloudformation deploy --region " + region +
           " --stack-name multi-region-codepipeline-artifact-bucket --template-file " + dir +
           "/artifact-buckets.yaml --no-fail-on-empty-changeset";
  }
  static std::string account() {
    return "sts get-caller-identity --region us-east-1 --query Account --output text";
  }
  std::string pipeline_stack(const std::string& parameters) const {
    return "cloudformation deploy --region us-east-1 --stack-name multi-region-codepipeline "
           "--template-file " +
           dir +
           "/pipeline.yaml --s3-bucket multi-region-codepipeline-123456789012-us-east-1 "
           "--s3-prefix mrp-deploy --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset "
           "--parameter-overrides file://" +
           parameters;
  }
  static std::string describe() {
    return "cloudformation describe-stacks --region us-east-1 --stack-name "
           "multi-region-codepipeline";
  }
};

// The example's source, as its parameters file gives it after any token.
const std::string example_source =
    R"({"ParameterKey": "GitHubOwner", "ParameterValue": "symphoniacloud"}, )"
    R"({"ParameterKey": "GitHubRepo", "ParameterValue": "multi-region-codepipeline"}, )"
    R"({"ParameterKey": "GitHubBranch", "ParameterValue": "master"})";

Workspace& built(Workspace& ws) {
  REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
  return ws;
}

std::string quoted_for_spec(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

TEST_SUITE("behaviour") {
  TEST_CASE("deploy.sh: every bucket stack, then the pipeline stack through the home bucket") {
    Workspace ws("multi-region-codepipeline");
    built(ws);
    const Example ex{(ws.repo() / "deployment-pipeline").string()};
    // The token reaches aws only in the parameters file, escaped as JSON; run
    // from elsewhere, the script still finds the files beside it.
    const std::string token = R"(ghp_a"b\c$(touch pwned)`id`)";
    const Run r =
        ws.run("bash " + shell_quote(ex.dir + "/deploy.sh"), ws.root(), {"GITHUB_TOKEN=" + token});
    INFO(r.err);
    CHECK(r.status == 0);
    const std::string parameters = (ws.root() / "parameters-1.json").string();
    const auto calls = ws.aws_calls();
    CHECK(calls == std::vector<std::string>{ex.bucket_stack("us-east-1"),
                                            ex.bucket_stack("us-west-2"), Example::account(),
                                            ex.pipeline_stack(parameters)});
    for (const auto& c : calls) CHECK(c.find("ghp_a") == std::string::npos);
    CHECK(
        read_text(parameters) ==
        R"([{"ParameterKey": "GitHubOAuthToken", "ParameterValue": "ghp_a\"b\\c$(touch pwned)`id`"}, )" +
            example_source + "]\n");
    CHECK(nlohmann::json::parse(read_text(parameters)).at(0).at("ParameterValue") == token);
    CHECK(r.out ==
          "Deploying stack multi-region-codepipeline-artifact-bucket in us-east-1\n"
          "Deploying stack multi-region-codepipeline-artifact-bucket in us-west-2\n"
          "Deploying stack multi-region-codepipeline in us-east-1 through bucket "
          "multi-region-codepipeline-123456789012-us-east-1\n"
          "The account matches the files: stack multi-region-codepipeline-artifact-bucket in "
          "us-east-1 us-west-2, stack multi-region-codepipeline in us-east-1\n");
    CHECK(r.err == "");
    CHECK_FALSE(fs::exists(ws.root() / "pwned"));
    CHECK(fs::is_empty(ws.tmp()));  // the parameters file is gone
  }

  TEST_CASE("deploy.sh without GITHUB_TOKEN keeps the stack's token, and creates no stack") {
    Workspace ws("multi-region-codepipeline");
    built(ws);
    const Example ex{(ws.repo() / "deployment-pipeline").string()};
    const std::string deploy = "bash deployment-pipeline/deploy.sh";

    // The stack is there (the stand-in answers describe-stacks): the token is
    // left out of the parameters, so deploy keeps the stack's.
    const Run kept = ws.run(deploy, ws.repo());
    INFO(kept.err);
    CHECK(kept.status == 0);
    const std::string parameters = (ws.root() / "parameters-1.json").string();
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{Example::describe(), ex.bucket_stack("us-east-1"),
                                   ex.bucket_stack("us-west-2"), Example::account(),
                                   ex.pipeline_stack(parameters)});
    CHECK(read_text(parameters) == "[" + example_source + "]\n");
    CHECK(fs::is_empty(ws.tmp()));

    // It is not: creating it needs the token, so nothing is deployed at all.
    const Run first = ws.run(deploy, ws.repo(), {"FAKE_AWS_FAIL_ON=describe-stacks"});
    CHECK(first.status == 1);
    CHECK(first.err == fake_failure +
                           "deploy.sh: cannot find stack multi-region-codepipeline in us-east-1, "
                           "and creating it needs a token: set GITHUB_TOKEN to a GitHub personal "
                           "access token with the repo scope\n");
    CHECK(first.out == "");
    CHECK(ws.aws_calls() == std::vector<std::string>{Example::describe()});
    CHECK(fs::is_empty(ws.tmp()));

    const Run bad = ws.run(deploy, ws.repo(), {"GITHUB_TOKEN=a\nb"});
    CHECK(bad.status == 1);
    CHECK(bad.err == "deploy.sh: GITHUB_TOKEN holds a control character\n");
    CHECK(ws.aws_calls().empty());
    CHECK(fs::is_empty(ws.tmp()));
  }

  TEST_CASE("a failing call stops deploy.sh, which names the step and what is not done") {
    Workspace ws("multi-region-codepipeline");
    built(ws);
    const Example ex{(ws.repo() / "deployment-pipeline").string()};
    const auto run_failing = [&](const std::string& call) {
      return ws.run("bash deployment-pipeline/deploy.sh", ws.repo(),
                    {"GITHUB_TOKEN=t", "FAKE_AWS_FAIL_ON=" + call});
    };
    const std::string again = "; run deploy.sh again once the cause is fixed\n";

    const Run bucket = run_failing("deploy --region us-west-2");
    CHECK(bucket.status == 254);
    CHECK(bucket.err == fake_failure +
                            "deploy.sh: failed while deploying stack "
                            "multi-region-codepipeline-artifact-bucket in us-west-2; not done "
                            "yet: the artifact-bucket stacks from us-west-2 on, then stack "
                            "multi-region-codepipeline in us-east-1" +
                            again);
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{ex.bucket_stack("us-east-1"), ex.bucket_stack("us-west-2")});
    CHECK(bucket.out.find("matches") == std::string::npos);

    const Run account = run_failing("get-caller-identity");
    CHECK(account.status == 254);
    CHECK(account.err == fake_failure +
                             "deploy.sh: failed while finding the account; not done yet: stack "
                             "multi-region-codepipeline in us-east-1" +
                             again);
    CHECK(ws.aws_calls() == std::vector<std::string>{ex.bucket_stack("us-east-1"),
                                                     ex.bucket_stack("us-west-2"),
                                                     Example::account()});

    const Run pipeline = run_failing("--s3-bucket");
    CHECK(pipeline.status == 254);
    CHECK(pipeline.err == fake_failure +
                              "deploy.sh: failed while deploying stack multi-region-codepipeline "
                              "in us-east-1; not done yet: stack multi-region-codepipeline in "
                              "us-east-1" +
                              again);
    const auto calls = ws.aws_calls();
    REQUIRE(calls.size() == 4);
    CHECK(calls[3].rfind("cloudformation deploy --region us-east-1 --stack-name "
                         "multi-region-codepipeline --template-file",
                         0) == 0);
    CHECK(pipeline.out.find("matches") == std::string::npos);
    CHECK(fs::is_empty(ws.tmp()));
  }

  TEST_CASE("deploy.sh takes no token where the source needs none") {
    // A connection: no parameters at all, whatever the environment holds.
    Workspace payments("payments-api");
    built(payments);
    const std::string dir = (payments.repo() / "deployment-pipeline").string();
    const Run r = payments.run("bash deploy.sh", dir, {"GITHUB_TOKEN=ignored"});
    INFO(r.err);
    CHECK(r.status == 0);
    std::vector<std::string> expected;
    for (const char* region : {"us-east-1", "eu-west-1", "ap-southeast-2"})
      expected.push_back(std::string("cloudformation deploy --region ") + region +
                         " --stack-name payments-api-artifact-bucket --template-file " + dir +
                         "/artifact-buckets.yaml --no-fail-on-empty-changeset");
    expected.push_back("sts get-caller-identity --region us-east-1 --query Account --output text");
    expected.push_back(
        "cloudformation deploy --region us-east-1 --stack-name payments-api --template-file " +
        dir +
        "/pipeline.yaml --s3-bucket payments-api-123456789012-us-east-1 --s3-prefix mrp-deploy "
        "--capabilities CAPABILITY_IAM --no-fail-on-empty-changeset");
    CHECK(payments.aws_calls() == expected);
    CHECK(read_text(fs::path(dir) / "deploy.sh").find("GITHUB_TOKEN") == std::string::npos);

    // A token from Secrets Manager: the source's values only, no describe-stacks.
    Workspace audit("audit-trail");
    built(audit);
    const Run a = audit.run("bash deployment-pipeline/deploy.sh", audit.repo());
    INFO(a.err);
    CHECK(a.status == 0);
    const auto calls = audit.aws_calls();
    REQUIRE(calls.size() == 4);  // two bucket stacks, the account, the pipeline stack
    CHECK(calls[0].rfind("cloudformation deploy --region us-east-1 --stack-name "
                         "audit-trail-artifact-bucket ",
                         0) == 0);
    CHECK(calls[3].find("--parameter-overrides file://" +
                        (audit.root() / "parameters-1.json").string()) != std::string::npos);
    CHECK(read_text(audit.root() / "parameters-1.json") ==
          R"([{"ParameterKey": "GitHubOwner", "ParameterValue": "acme-security"}, )"
          R"({"ParameterKey": "GitHubRepo", "ParameterValue": "audit-trail"}, )"
          R"({"ParameterKey": "GitHubBranch", "ParameterValue": "main"}])"
          "\n");
    CHECK(read_text(audit.repo() / "deployment-pipeline/deploy.sh").find("GITHUB_TOKEN") ==
          std::string::npos);
  }

  TEST_CASE("deploy.sh passes the spec's branch as it is: shell and JSON characters") {
    Workspace ws;
    std::ofstream(ws.repo() / "template.yaml") << mrp::test::minimal_template;
    const std::vector<std::string> branches = {
        R"(release/say"hi")",         "it's",   "$(touch${IFS}PWNED)",
        "`touch${IFS}PWNED`",         "%s%n%%", "#main",
        "\xC3\xBCnicode/\xE2\x9C\x93"};
    for (std::size_t i = 0; i < branches.size(); ++i) {
      const std::string& branch = branches[i];
      CAPTURE(branch);
      REQUIRE(mrp::git_branch_problem(branch).empty());
      const fs::path dir = ws.repo() / fmt::format("d{}", i);
      fs::create_directories(dir);
      std::ofstream(dir / "pipeline.mrp")
          << "pipeline shop {\n  source github { owner acme; repo shop.web_1; branch "
          << quoted_for_spec(branch)
          << " }\n  regions us-east-1\n  app shop-app { template ../template.yaml }\n}\n";
      REQUIRE(ws.run(mrp_command("build pipeline.mrp"), dir).status == 0);
      const Run r = ws.run("bash deployment-pipeline/deploy.sh", dir, {"GITHUB_TOKEN=t"});
      INFO(r.err);
      CHECK(r.status == 0);
      const auto calls = ws.aws_calls();
      REQUIRE(calls.size() == 3);
      const auto parameters = nlohmann::json::parse(read_text(ws.root() / "parameters-1.json"));
      fs::remove(ws.root() / "parameters-1.json");
      CHECK(parameters == nlohmann::json::parse(fmt::format(
                              R"([{{"ParameterKey": "GitHubOAuthToken", "ParameterValue": "t"}},
                                  {{"ParameterKey": "GitHubOwner", "ParameterValue": "acme"}},
                                  {{"ParameterKey": "GitHubRepo", "ParameterValue": "shop.web_1"}},
                                  {{"ParameterKey": "GitHubBranch", "ParameterValue": {}}}])",
                              nlohmann::json(branch).dump())));
      CHECK_FALSE(fs::exists(dir / "PWNED"));
      CHECK_FALSE(fs::exists(dir / "deployment-pipeline" / "PWNED"));
    }
  }
}
