// Region changes: deployed.json remembers what the files deploy, the build
// prints the plan, retire.sh deletes exactly what the spec no longer deploys,
// and the pipeline stays in its home region.

#include <fstream>
#include <regex>

#include <doctest/doctest.h>

#include "tests/support.h"
#include "tests/workspace.h"

using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::Workspace;

namespace {

void edit(const Workspace& ws, const std::string& from, const std::string& to) {
  const auto path = ws.repo() / "pipeline.mrp";
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
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    // A comment and a build command change no stack: no plan.
    edit(ws, "    run \"python -m pytest -q tests\"", "    run \"python -m pytest tests\"  # all");
    CHECK(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).out ==
          "mrp: wrote 11 files under .\n");
    // For CI, always one JSON object.
    CHECK(ws.run(mrp_command("check --format json pipeline.mrp"), ws.repo()).out ==
          "{\"record\":\"deployment-pipeline/deployed.json\",\"first\":false,\"changes\":[],"
          "\"steps\":[]}\n");

    edit(ws, "    ap-southeast-2  # Asia Pacific", "    ap-northeast-1  # Asia Pacific");
    const Run planned = ws.run(mrp_command("check --format json pipeline.mrp"), ws.repo());
    CHECK(planned.status == 1);  // the files are stale until built
    CHECK(planned.out.find("\"changes\":[{\"change\":\"update\",\"kind\":\"pipeline-stack\","
                           "\"region\":\"us-east-1\",\"stack\":\"orders-api\"},") !=
          std::string::npos);
    const Run built = ws.run(mrp_command("build pipeline.mrp"), ws.repo());
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

    // deploy.sh: the new bucket stack before the pipeline stack, in us-east-1.
    const Run deployed = ws.run("bash deployment-pipeline/deploy.sh", ws.repo());
    INFO(deployed.err);
    REQUIRE(deployed.status == 0);
    std::vector<std::string> deploys;
    for (const auto& call : ws.aws_calls())
      if (call.rfind("cloudformation deploy ", 0) == 0) deploys.push_back(call);
    REQUIRE(deploys.size() == 6);
    CHECK(deploys[4].find("--region ap-northeast-1 --stack-name orders-api-artifact-bucket") !=
          std::string::npos);
    CHECK(deploys[5].find("--region us-east-1 --stack-name orders-api ") != std::string::npos);

    // retire.sh: exactly the removed region's app stack, bucket and bucket stack.
    const Run retired = ws.run("bash deployment-pipeline/retire.sh --yes", ws.repo());
    INFO(retired.err);
    REQUIRE(retired.status == 0);
    std::vector<std::string> touched;
    for (const auto& call : ws.aws_calls())
      if (call.rfind("sts ", 0) != 0) touched.push_back(call.substr(0, call.find(" --max-items")));
    CHECK(touched ==
          std::vector<std::string>{
              "cloudformation delete-stack --region ap-southeast-2 --stack-name orders-api-app",
              "cloudformation wait stack-delete-complete --region ap-southeast-2 --stack-name "
              "orders-api-app",
              "s3api head-bucket --region ap-southeast-2 --bucket "
              "orders-api-123456789012-ap-southeast-2",
              "s3api list-object-versions --region ap-southeast-2 --bucket "
              "orders-api-123456789012-ap-southeast-2",
              "cloudformation delete-stack --region ap-southeast-2 --stack-name "
              "orders-api-artifact-bucket",
              "cloudformation wait stack-delete-complete --region ap-southeast-2 --stack-name "
              "orders-api-artifact-bucket"});
    // teardown.sh, before forgetting, deletes the removed region's stacks too.
    const std::string teardown = read_text(ws.repo() / "deployment-pipeline/teardown.sh");
    CHECK(teardown.find("delete_app_stack ap-southeast-2 orders-api-app\n") != std::string::npos);

    // Forgotten: retire.sh has nothing left, teardown.sh no longer names it.
    REQUIRE(ws.run(mrp_command("build pipeline.mrp --forget-retired"), ws.repo()).status == 0);
    CHECK(read_text(ws.repo() / "deployment-pipeline/retire.sh").find("Nothing waits") !=
          std::string::npos);
    CHECK(read_text(ws.repo() / "deployment-pipeline/teardown.sh").find("ap-southeast-2") ==
          std::string::npos);
  }

  TEST_CASE("the pipeline stays in its home region; moving it is an error") {
    Workspace ws("orders-api");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    edit(ws, "    us-east-1 us-west-2  # Americas", "    us-west-2 us-east-1  # Americas");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    CHECK(read_text(ws.repo() / "deployment-pipeline/deploy.sh").find("primary_region=us-east-1") !=
          std::string::npos);

    edit(ws, "  artifacts {", "  home-region eu-west-1\n  artifacts {");
    const Run moved = ws.run(mrp_command("build pipeline.mrp"), ws.repo());
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
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    edit(ws, "app orders-api-app {", "app orders-service {");
    const Run built = ws.run(mrp_command("build pipeline.mrp"), ws.repo());
    REQUIRE(built.status == 0);
    CHECK(built.err.find("warning: app stack `orders-api-app` is no longer in the spec "
                         "(deployed.json has it in us-east-1 us-west-2 eu-west-1 eu-central-1 "
                         "ap-southeast-2): it stays behind until deployment-pipeline/retire.sh "
                         "deletes it [retiring]\n") != std::string::npos);
    const std::string retire = read_text(ws.repo() / "deployment-pipeline/retire.sh");
    for (const char* region :
         {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"})
      CHECK(retire.find(std::string("delete_app_stack ") + region + " orders-api-app\n") !=
            std::string::npos);
    CHECK(retire.find("\ndelete_bucket_stack ") == std::string::npos);
  }

  TEST_CASE("a record that is not mrp's stops the build, and nothing is written") {
    Workspace ws("orders-api");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const auto record = ws.repo() / "deployment-pipeline/deployed.json";
    std::ofstream(record) << "{\n  \"version\": 1,\n  \"deploys\": [\n";
    const std::string before = read_text(ws.repo() / "deployment-pipeline/teardown.sh");
    const Run r = ws.run(mrp_command("build pipeline.mrp"), ws.repo());
    CHECK(r.status == 1);
    CHECK(r.err.find("deployment-pipeline/deployed.json:4:1: error: deployed.json is not a "
                     "record mrp wrote: not JSON: ") != std::string::npos);
    CHECK(read_text(ws.repo() / "deployment-pipeline/teardown.sh") == before);
  }
}
