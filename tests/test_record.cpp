// Region changes: deployed.json remembers what the files deploy, the build
// prints the plan, retire.sh deletes exactly what the spec no longer deploys,
// and the pipeline stays in its home region. Every scenario runs in a git
// clone of the first build's files, as a teammate or CI would have them, and
// the calls retire.sh makes are replayed through the real AWS CLI.

#include <algorithm>
#include <fstream>

#include <doctest/doctest.h>

#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::test::check_real_aws_accepts;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::Workspace;

namespace {

// Builds the spec, commits what it wrote and clones that: the clone has only
// what a fresh checkout of the repository has.
fs::path built_clone(const Workspace& ws) {
  REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
  const Run git = ws.run(
      "git init -q && git add -A && git -c user.name=mrp -c user.email=mrp@example.com commit "
      "-qm built && git clone -q . ../clone",
      ws.repo());
  INFO(git.err);
  REQUIRE(git.status == 0);
  return ws.root() / "clone";
}

// The calls that are not `sts get-caller-identity`, each without its paging
// option.
std::vector<std::string> account_calls(const std::vector<std::string>& calls) {
  std::vector<std::string> out;
  for (const auto& call : calls)
    if (call.rfind("sts ", 0) != 0) out.push_back(call.substr(0, call.find(" --max-items")));
  return out;
}

// What retire.sh asks first: what the pipeline of these files deploys now.
std::vector<std::string> live_deploys_calls(const std::string& stack) {
  const std::string name = stack + "-CodePipeline-FAKE0123456";
  return {
      "cloudformation describe-stack-resource --region us-east-1 --stack-name " + stack +
          " --logical-resource-id CodePipeline --query StackResourceDetail.PhysicalResourceId "
          "--output text",
      "codepipeline get-pipeline --region us-east-1 --name " + name +
          R"( --output text --query pipeline.stages\[\].actions\[\].\[region\,\ configuration.StackName\])",
      "codepipeline get-pipeline --region us-east-1 --name " + name +
          R"( --output text --query pipeline.artifactStores.\*.location)"};
}

void edit(const fs::path& repo, const std::string& from, const std::string& to) {
  const auto path = repo / "pipeline.mrp";
  std::string text = read_text(path);
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  std::ofstream(path) << text;
}

}  // namespace

TEST_SUITE("behaviour") {
  TEST_CASE("a region removed and one added: the plan, then retire.sh deletes only the removed") {
    Workspace ws("orders-api");
    const fs::path repo = built_clone(ws);
    // A comment and a build command change no stack: no plan.
    edit(repo, "    run \"python -m pytest -q tests\"",
         "    run \"python -m pytest tests\"  # all");
    CHECK(ws.run(mrp_command("build pipeline.mrp"), repo).out == "mrp: wrote 11 files under .\n");
    // For CI, always one JSON object.
    CHECK(ws.run(mrp_command("check --format json pipeline.mrp"), repo).out ==
          "{\"record\":\"deployment-pipeline/deployed.json\",\"first\":false,\"changes\":[],"
          "\"steps\":[]}\n");

    edit(repo, "    ap-southeast-2  # Asia Pacific", "    ap-northeast-1  # Asia Pacific");
    const Run planned = ws.run(mrp_command("check --format json pipeline.mrp"), repo);
    CHECK(planned.status == 1);  // the files are stale until built
    CHECK(planned.out.find("\"changes\":[{\"change\":\"update\",\"kind\":\"pipeline-stack\","
                           "\"region\":\"us-east-1\",\"stack\":\"orders-api\"},") !=
          std::string::npos);
    const Run built = ws.run(mrp_command("build pipeline.mrp"), repo);
    REQUIRE(built.status == 0);
    CHECK(built.out ==
          "mrp: wrote 11 files under .\n"
          "mrp: what changes in the account, against deployment-pipeline/deployed.json:\n"
          "  ~ pipeline stack orders-api in us-east-1 (its template changes)\n"
          "  + bucket stack orders-api-artifact-bucket in ap-northeast-1, with bucket "
          "orders-api-ACCOUNT-ap-northeast-1\n"
          "  + app stack orders-api-app in ap-northeast-1 (the pipeline deploys it)\n"
          "  - app stack orders-api-app in ap-southeast-2 (retire.sh deletes it)\n"
          "  - bucket stack orders-api-artifact-bucket in ap-southeast-2, with bucket "
          "orders-api-ACCOUNT-ap-southeast-2 (retire.sh deletes it)\n"
          "mrp: then, in order:\n"
          "  1. deployment-pipeline/deploy.sh: creates or updates the bucket stacks, then the "
          "pipeline stack in us-east-1\n"
          "  2. commit and push the generated files: the pipeline's next run builds and deploys "
          "the app stacks\n"
          "  3. deployment-pipeline/retire.sh: deletes what is marked -, once the pipeline no "
          "longer deploys there\n"
          "  4. mrp build pipeline.mrp --forget-retired: once retire.sh has finished, so that the "
          "record forgets it; commit\n");

    // Before deploy.sh the pipeline still deploys to ap-southeast-2, through
    // its bucket there: retire.sh refuses and deletes nothing.
    const Run early =
        ws.run("bash deployment-pipeline/retire.sh --yes", repo,
               {"FAKE_AWS_STDOUT_ON=get-pipeline",
                "FAKE_AWS_STDOUT_TEXT=None\\tNone\\nap-southeast-2\\torders-api-app\\n"
                "orders-api-123456789012-us-east-1\\norders-api-123456789012-ap-southeast-2"});
    CHECK(early.status == 1);
    CHECK(early.err ==
          "retire.sh: pipeline stack orders-api in us-east-1 still deploys these; run deploy.sh "
          "first:\n"
          "  app stack orders-api-app in ap-southeast-2\n"
          "  bucket orders-api-123456789012-ap-southeast-2\n"
          "retire.sh: nothing was deleted\n");
    CHECK(account_calls(ws.aws_calls()) == live_deploys_calls("orders-api"));

    // deploy.sh: the new bucket stack before the pipeline stack, in us-east-1.
    const Run deployed = ws.run("bash deployment-pipeline/deploy.sh", repo);
    INFO(deployed.err);
    REQUIRE(deployed.status == 0);
    std::vector<std::string> deploys;
    for (const auto& call : ws.aws_calls())
      if (call.rfind("cloudformation deploy ", 0) == 0) deploys.push_back(call);
    REQUIRE(deploys.size() == 6);
    CHECK(deploys[4].find("--region ap-northeast-1 --stack-name orders-api-artifact-bucket") !=
          std::string::npos);
    CHECK(deploys[5].find("--region us-east-1 --stack-name orders-api ") != std::string::npos);

    // teardown.sh, before retire.sh, deletes the removed region's stacks too.
    REQUIRE(ws.run("bash deployment-pipeline/teardown.sh --yes", repo).status == 0);
    const std::vector<std::string> torn = account_calls(ws.aws_calls());
    for (const char* stack : {"orders-api-app", "orders-api-artifact-bucket"})
      CHECK(std::count(torn.begin(), torn.end(),
                       std::string("cloudformation delete-stack --region ap-southeast-2 "
                                   "--stack-name ") +
                           stack) == 1);

    // retire.sh: exactly the removed region's app stack, bucket and bucket stack.
    const Run retired = ws.run("bash deployment-pipeline/retire.sh --yes", repo);
    INFO(retired.err);
    REQUIRE(retired.status == 0);
    const std::vector<std::string> calls = ws.aws_calls();
    std::vector<std::string> expected = live_deploys_calls("orders-api");
    for (const char* call :
         {"cloudformation delete-stack --region ap-southeast-2 --stack-name orders-api-app",
          "cloudformation wait stack-delete-complete --region ap-southeast-2 --stack-name "
          "orders-api-app",
          "s3api head-bucket --region ap-southeast-2 --bucket "
          "orders-api-123456789012-ap-southeast-2",
          "s3api list-object-versions --region ap-southeast-2 --bucket "
          "orders-api-123456789012-ap-southeast-2",
          "cloudformation delete-stack --region ap-southeast-2 --stack-name "
          "orders-api-artifact-bucket",
          "cloudformation wait stack-delete-complete --region ap-southeast-2 --stack-name "
          "orders-api-artifact-bucket"})
      expected.push_back(call);
    CHECK(account_calls(calls) == expected);
    check_real_aws_accepts(ws, calls);

    // Forgotten: retire.sh has nothing left, teardown.sh no longer names it.
    REQUIRE(ws.run(mrp_command("build pipeline.mrp --forget-retired"), repo).status == 0);
    CHECK(read_text(repo / "deployment-pipeline/retire.sh").find("Nothing waits") !=
          std::string::npos);
    CHECK(read_text(repo / "deployment-pipeline/teardown.sh").find("ap-southeast-2") ==
          std::string::npos);
  }

  TEST_CASE("retire.sh goes on when the pipeline stack does not exist, and stops on other errors") {
    Workspace ws("orders-api");
    const fs::path repo = built_clone(ws);
    edit(repo, "    ap-southeast-2  # Asia Pacific", "");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), repo).status == 0);
    const Run gone =
        ws.run("bash deployment-pipeline/retire.sh --yes", repo,
               {"FAKE_AWS_STDERR_ON=describe-stack-resource",
                "FAKE_AWS_STDERR_TEXT=An error occurred (ValidationError) when calling the "
                "DescribeStackResource operation: Stack 'orders-api' does not exist"});
    CHECK(gone.status == 0);
    const std::vector<std::string> calls = account_calls(ws.aws_calls());
    REQUIRE(calls.size() == 7);
    CHECK(calls[1] ==
          "cloudformation delete-stack --region ap-southeast-2 --stack-name orders-api-app");

    const Run denied =
        ws.run("bash deployment-pipeline/retire.sh --yes", repo,
               {"FAKE_AWS_STDERR_ON=describe-stack-resource",
                "FAKE_AWS_STDERR_TEXT=An error occurred (AccessDenied) when calling the "
                "DescribeStackResource operation: not authorized"});
    CHECK(denied.status == 1);
    CHECK(denied.err ==
          "An error occurred (AccessDenied) when calling the DescribeStackResource operation: "
          "not authorized\n"
          "retire.sh: failed while asking CodePipeline what pipeline stack orders-api in "
          "us-east-1 deploys\n");
    CHECK(account_calls(ws.aws_calls()).size() == 1);
  }

  TEST_CASE("the pipeline stays in its home region; moving it is an error") {
    Workspace ws("orders-api");
    const fs::path repo = built_clone(ws);
    edit(repo, "    us-east-1 us-west-2  # Americas", "    us-west-2 us-east-1  # Americas");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), repo).status == 0);
    CHECK(read_text(repo / "deployment-pipeline/deploy.sh").find("home_region=us-east-1") !=
          std::string::npos);

    edit(repo, "  artifacts {", "  home-region eu-west-1\n  artifacts {");
    const Run moved = ws.run(mrp_command("build pipeline.mrp"), repo);
    CHECK(moved.status == 1);
    CHECK(moved.err.find(
              "pipeline.mrp:19:15: error: `home-region eu-west-1` would move the pipeline stack "
              "`orders-api`, which is in us-east-1 (deployed.json), and CloudFormation cannot "
              "move a stack: write `home-region us-east-1`, or give the pipeline a new name (the "
              "new pipeline is made in eu-west-1; retire.sh then deletes the old one) "
              "[home-region]\n") != std::string::npos);
  }

  TEST_CASE("renaming an app stack warns and retire.sh deletes the old one everywhere") {
    Workspace ws("orders-api");
    const fs::path repo = built_clone(ws);
    edit(repo, "app orders-api-app {", "app orders-service {");
    const Run built = ws.run(mrp_command("build pipeline.mrp"), repo);
    REQUIRE(built.status == 0);
    CHECK(built.err.find("warning: app stack `orders-api-app` is no longer in the spec "
                         "(deployed.json has it in us-east-1 us-west-2 eu-west-1 eu-central-1 "
                         "ap-southeast-2): it stays behind until deployment-pipeline/retire.sh "
                         "deletes it [retiring]\n") != std::string::npos);
    REQUIRE(ws.run("bash deployment-pipeline/retire.sh --yes", repo).status == 0);
    std::vector<std::string> expected = live_deploys_calls("orders-api");
    for (const char* region :
         {"ap-southeast-2", "eu-central-1", "eu-west-1", "us-west-2", "us-east-1"}) {
      expected.push_back(std::string("cloudformation delete-stack --region ") + region +
                         " --stack-name orders-api-app");
      expected.push_back(std::string("cloudformation wait stack-delete-complete --region ") +
                         region + " --stack-name orders-api-app");
    }
    const std::vector<std::string> calls = ws.aws_calls();
    CHECK(account_calls(calls) == expected);
    check_real_aws_accepts(ws, calls);
  }

  TEST_CASE("renaming the pipeline warns, and retire.sh deletes its old buckets and stack") {
    Workspace ws("orders-api");
    const fs::path repo = built_clone(ws);
    edit(repo, "pipeline orders-api {", "pipeline orders-svc {");
    const Run built = ws.run(mrp_command("build pipeline.mrp"), repo);
    REQUIRE(built.status == 0);
    CHECK(built.err.find(
              "pipeline.mrp:3:10: warning: the pipeline was `orders-api` (deployed.json): its "
              "stack in us-east-1, its bucket stacks and buckets in us-east-1 us-west-2 eu-west-1 "
              "eu-central-1 ap-southeast-2 stay behind until deployment-pipeline/retire.sh "
              "deletes them, once deploy.sh has made `orders-svc` [retiring]\n") !=
          std::string::npos);
    // The app stack keeps its name: the new pipeline deploys it from now on.
    CHECK(built.out.find("orders-api-app") == std::string::npos);
    REQUIRE(ws.run("bash deployment-pipeline/deploy.sh", repo).status == 0);
    ws.aws_calls();

    const Run retired = ws.run("bash deployment-pipeline/retire.sh --yes", repo);
    INFO(retired.err);
    REQUIRE(retired.status == 0);
    // The new pipeline is asked; the old buckets go, then the old pipeline.
    std::vector<std::string> expected = live_deploys_calls("orders-svc");
    for (const char* region :
         {"ap-southeast-2", "eu-central-1", "eu-west-1", "us-west-2", "us-east-1"}) {
      const std::string bucket = std::string("orders-api-123456789012-") + region;
      expected.push_back(std::string("s3api head-bucket --region ") + region + " --bucket " +
                         bucket);
      expected.push_back(std::string("s3api list-object-versions --region ") + region +
                         " --bucket " + bucket);
      expected.push_back(std::string("cloudformation delete-stack --region ") + region +
                         " --stack-name orders-api-artifact-bucket");
      expected.push_back(std::string("cloudformation wait stack-delete-complete --region ") +
                         region + " --stack-name orders-api-artifact-bucket");
    }
    expected.push_back("cloudformation delete-stack --region us-east-1 --stack-name orders-api");
    expected.push_back(
        "cloudformation wait stack-delete-complete --region us-east-1 --stack-name orders-api");
    const std::vector<std::string> calls = ws.aws_calls();
    CHECK(account_calls(calls) == expected);
    check_real_aws_accepts(ws, calls);
  }

  TEST_CASE("a record that is not mrp's stops the build, and nothing is written") {
    Workspace ws("orders-api");
    const fs::path repo = built_clone(ws);
    const auto record = repo / "deployment-pipeline/deployed.json";
    std::ofstream(record) << "{\n  \"version\": 1,\n  \"deploys\": [\n";
    const std::string before = read_text(repo / "deployment-pipeline/teardown.sh");
    const Run r = ws.run(mrp_command("build pipeline.mrp"), repo);
    CHECK(r.status == 1);
    CHECK(r.err.find("deployment-pipeline/deployed.json:4:1: error: deployed.json is not a "
                     "record mrp wrote: not JSON: ") != std::string::npos);
    CHECK(read_text(repo / "deployment-pipeline/teardown.sh") == before);
  }
}
