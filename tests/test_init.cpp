// mrp init from the command line: the spec it writes for small repositories
// the tests make, byte for byte; that lint of it names exactly its
// placeholders; that with them replaced it lints clean and builds; and the
// command's exit codes. The guesses themselves and the `placeholder` rule are
// tested in test_init_spec.cpp.

#include <fstream>
#include <map>

#include <doctest/doctest.h>

#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::Workspace;

namespace {

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A repository in a folder `name` of a fresh workspace, so that the guessed
// names are the tests' own.
struct Repo {
  explicit Repo(const std::string& name) : dir(ws.repo() / name) { fs::create_directories(dir); }
  void write(const std::string& path, const std::string& text) const {
    write_file(dir / path, text);
  }
  Run run(const std::string& args, const std::vector<std::string>& env = {}) const {
    return ws.run(mrp_command(args), dir, env);
  }
  // One commit on `branch`, and `remote` as origin ("" for none). HOME is the
  // workspace's, so no global git configuration applies.
  void git(const std::string& branch, const std::string& remote) const {
    const std::string git = "git -c user.name=test -c user.email=test@example.com";
    REQUIRE(ws.run(git + " init -q -b " + branch, dir).status == 0);
    REQUIRE(ws.run(git + " add -A", dir).status == 0);
    REQUIRE(ws.run(git + " commit -q -m first", dir).status == 0);
    if (!remote.empty()) REQUIRE(ws.run(git + " remote add origin " + remote, dir).status == 0);
  }
  Workspace ws;
  fs::path dir;
};

// The spec's text with each placeholder replaced by a value that lints.
std::string replaced(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [from, to] : values)
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at))
      text.replace(at, from.size(), to);
  return text;
}

constexpr const char* connection =
    "arn:aws:codeconnections:us-east-1:123456789012:connection/"
    "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

const std::string lint_args = "lint --as-of 2026-11-26 pipeline.mrp";

// Runs mrp init with `args` and `env`, then lint of what it wrote; then, with
// `values` in place of the placeholders, lint must pass and build succeed.
// What init printed, the spec, and what lint printed of it.
std::string init_and_lint(const Repo& repo, const std::string& args,
                          const std::vector<std::string>& env,
                          const std::map<std::string, std::string>& values) {
  const Run init = repo.run("init" + args, env);
  CHECK(init.err == "");
  REQUIRE(init.status == 0);
  const std::string spec = read_text(repo.dir / "pipeline.mrp");
  const Run lint = repo.run(lint_args);
  CHECK(lint.status == (lint.out.empty() ? 0 : 1));
  write_file(repo.dir / "pipeline.mrp", replaced(spec, values));
  const Run again = repo.run(lint_args);
  CHECK(again.out == "");
  CHECK(again.status == 0);
  const Run build = repo.run("build pipeline.mrp");
  CHECK(build.err == "");
  CHECK(build.status == 0);
  return init.out + "--- pipeline.mrp\n" + spec + "--- mrp lint pipeline.mrp\n" + lint.out;
}

}  // namespace

TEST_SUITE("behaviour") {
  TEST_CASE("mrp init: SAM and package.json, on GitHub over https") {
    Repo repo("shop");
    repo.write("template.yaml", R"(AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Quotes:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: dist/
      Handler: index.handler
      Runtime: nodejs22.x
)");
    repo.write("package.json", R"({"name": "shop", "scripts": {"build": "tsc", "test": "jest"}})");
    repo.write("package-lock.json", "{}");
    repo.write("dist/index.js", "exports.handler = async () => 1;\n");
    repo.git("main", "https://github.com/acme/shop.git");
    const std::string out = init_and_lint(repo, " --regions us-east-1,eu-west-1", {},
                                          {{"<connection-arn>", connection}});
    CHECK(out == R"X(mrp: wrote pipeline.mrp
mrp: 1 placeholder to replace: <connection-arn>
mrp: `mrp lint pipeline.mrp` points at each; then run: mrp build pipeline.mrp
--- pipeline.mrp
# Written by mrp init from what this repository holds; each guess says so.
# Check them, replace each <placeholder> (mrp lint points at them), then
# run mrp build.

# The pipeline name is guessed from the folder's name, shop.
pipeline shop {
  # Guessed from the git remote (GitHub repository acme/shop) and the current
  # branch.
  # Create a connection to GitHub (console: Developer Tools, Settings,
  # Connections) and put its ARN in place of <connection-arn>.
  source codestar {
    connection <connection-arn>
    repo acme/shop
    branch main
  }

  # From --regions; the first is the home region, where the pipeline lives.
  regions us-east-1 eu-west-1

  # On CodeBuild's default image (aws/codebuild/standard:7.0: Node.js, Python,
  # Go, Java, make, the SAM CLI).
  build {
    run "npm ci"  # guessed from package.json and package-lock.json
    run "npm run build"  # guessed from package.json's build script
    run "npm test"  # guessed from package.json's test script
  }

  # The stack name is guessed from the folder's name, shop.
  app shop-app {
    template template.yaml
    capabilities CAPABILITY_AUTO_EXPAND CAPABILITY_IAM  # what the template needs, as mrp lint reads it
  }
}
--- mrp lint pipeline.mrp
pipeline.mrp:12:16: error: `<connection-arn>` is a placeholder mrp init wrote: put the ARN of your CodeStar connection here (console: Developer Tools, Settings, Connections) [placeholder]
    connection <connection-arn>
               ^
)X");
  }

  TEST_CASE("mrp init: Python on GitLab over ssh, the region from AWS_REGION") {
    Repo repo("Orders_API");
    repo.write("template.yml", R"(Resources:
  Queue:
    Type: AWS::SQS::Queue
)");
    repo.write("requirements.txt", "boto3\n");
    repo.write("package.json",
               R"({"scripts": {"test": "echo \"Error: no test specified\" && exit 1"}})");
    repo.git("develop", "git@gitlab.com:acme/backend/orders-api.git");
    const std::string out =
        init_and_lint(repo, "", {"AWS_REGION=eu-west-1"}, {{"<connection-arn>", connection}});
    CHECK(out == R"X(mrp: wrote pipeline.mrp
mrp: 1 placeholder to replace: <connection-arn>
mrp: `mrp lint pipeline.mrp` points at each; then run: mrp build pipeline.mrp
--- pipeline.mrp
# Written by mrp init from what this repository holds; each guess says so.
# Check them, replace each <placeholder> (mrp lint points at them), then
# run mrp build.

# The pipeline name is guessed from the folder's name, Orders_API.
pipeline orders-api {
  # Guessed from the git remote (GitLab repository acme/backend/orders-api) and
  # the current branch.
  # Create a connection to GitLab (console: Developer Tools, Settings,
  # Connections) and put its ARN in place of <connection-arn>.
  source codestar {
    connection <connection-arn>
    repo acme/backend/orders-api
    branch develop
  }

  # Guessed from AWS_REGION: the home region, where the pipeline lives; add the
  # other regions to deploy to after it.
  regions eu-west-1

  # On CodeBuild's default image (aws/codebuild/standard:7.0: Node.js, Python,
  # Go, Java, make, the SAM CLI).
  build {
    run "npm install"  # guessed from package.json
    run "pip install -r requirements.txt"  # guessed from requirements.txt
  }

  # The stack name is guessed from the folder's name, Orders_API.
  app orders-api-app {
    template template.yml
  }
}
--- mrp lint pipeline.mrp
pipeline.mrp:12:16: error: `<connection-arn>` is a placeholder mrp init wrote: put the ARN of your CodeStar connection here (console: Developer Tools, Settings, Connections) [placeholder]
    connection <connection-arn>
               ^
)X");
  }

  TEST_CASE(
      "mrp init: CodeCommit, the region from aws configure, apps in subfolders, one stack name "
      "each") {
    Repo repo("billing");
    write_file(repo.ws.root() / "bin/aws",
               "#!/bin/sh\n[ \"$*\" = 'configure get region' ] && echo ap-southeast-2\n");
    fs::permissions(repo.ws.root() / "bin/aws", fs::perms::owner_all);
    repo.write("api/template.yaml", "Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n");
    repo.write("worker/template.json", R"({"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}})");
    repo.write("Worker/template.yaml", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n");
    repo.write("Makefile", "all:\n\ttrue\n");
    repo.git("main", "codecommit::ap-southeast-2://billing");
    const std::string out = init_and_lint(repo, "", {}, {});
    CHECK(out == R"X(mrp: wrote pipeline.mrp
mrp: check its guesses, then run: mrp build pipeline.mrp
--- pipeline.mrp
# Written by mrp init from what this repository holds; each guess says so.
# Check them, replace each <placeholder> (mrp lint points at them), then
# run mrp build.

# The pipeline name is guessed from the folder's name, billing.
pipeline billing {
  # Guessed from the git remote (CodeCommit repository billing) and the current
  # branch.
  source codecommit {
    repo billing
    branch main
  }

  # Guessed from aws configure get region: the home region, where the pipeline
  # lives; add the other regions to deploy to after it.
  regions ap-southeast-2

  # On CodeBuild's default image (aws/codebuild/standard:7.0: Node.js, Python,
  # Go, Java, make, the SAM CLI).
  build {
    run make  # guessed from Makefile
  }

  # The stack name is guessed from the template's folder, Worker.
  app billing-worker {
    template Worker/template.yaml
  }

  # The stack name is guessed from the template's folder, api.
  app billing-api {
    template api/template.yaml
  }

  # The stack name is guessed from the template's folder, worker.
  app billing-worker-2 {
    template worker/template.json
  }
}
--- mrp lint pipeline.mrp
)X");
  }

  TEST_CASE("mrp init: no git and no region, so placeholders") {
    Repo repo("site");
    repo.write("template.json", R"({"Resources": {"Bucket": {"Type": "AWS::SNS::Topic"}}})");
    const std::string out = init_and_lint(repo, "", {},
                                          {{"<connection-arn>", connection},
                                           {"<owner/repo>", "acme/site"},
                                           {"<region>", "us-west-2"}});
    CHECK(out == R"X(mrp: wrote pipeline.mrp
mrp: 3 placeholders to replace: <connection-arn>, <owner/repo>, <region>
mrp: `mrp lint pipeline.mrp` points at each; then run: mrp build pipeline.mrp
--- pipeline.mrp
# Written by mrp init from what this repository holds; each guess says so.
# Check them, replace each <placeholder> (mrp lint points at them), then
# run mrp build.

# The pipeline name is guessed from the folder's name, site.
pipeline site {
  # This folder is not in a git repository: mrp init could not guess the source.
  # A CodeStar connection serves GitHub, GitLab and Bitbucket;
  # put its ARN and the repository in place of the placeholders, or use another
  # source (docs/language.md, `source`).
  source codestar {
    connection <connection-arn>
    repo <owner/repo>
    branch main
  }

  # No region given (--regions) or configured (AWS_REGION, aws configure): put
  # the regions to deploy to here.
  regions <region>

  # The stack name is guessed from the folder's name, site.
  app site-app {
    template template.json
  }
}
--- mrp lint pipeline.mrp
pipeline.mrp:12:16: error: `<connection-arn>` is a placeholder mrp init wrote: put the ARN of your CodeStar connection here (console: Developer Tools, Settings, Connections) [placeholder]
    connection <connection-arn>
               ^
pipeline.mrp:13:10: error: `<owner/repo>` is a placeholder mrp init wrote: put the repository here, as OWNER/NAME [placeholder]
    repo <owner/repo>
         ^
pipeline.mrp:19:11: error: `<region>` is a placeholder mrp init wrote: put the regions to deploy to here, such as `us-east-1 eu-west-1`; the first is the home region [placeholder]
  regions <region>
          ^
)X");
  }

  TEST_CASE("mrp init: without git on the PATH, the source is left to fill in") {
    Repo repo("site");
    repo.write("template.json", R"({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})");
    repo.git("main", "https://github.com/acme/site.git");
    const fs::path bin = repo.ws.root() / "bin";
    const Run init = repo.ws.run(
        "/usr/bin/env PATH=" + bin.string() + " " + mrp_command("init --regions us-east-1"),
        repo.dir);
    CHECK(init.status == 0);
    CHECK(init.out ==
          "mrp: wrote pipeline.mrp\nmrp: 2 placeholders to replace: <connection-arn>, "
          "<owner/repo>\nmrp: `mrp lint pipeline.mrp` points at each; then run: mrp build "
          "pipeline.mrp\n");
    CHECK(read_text(repo.dir / "pipeline.mrp")
              .find("  # The git command could not be run: mrp init") != std::string::npos);
  }

  TEST_CASE("mrp init: required parameters and named IAM roles") {
    Repo repo("users");
    repo.write("template.yaml", R"(Parameters:
  DbPassword:
    Type: String
    NoEcho: true
  Stage:
    Type: String
    Default: prod
  Size:
    Type: Number
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-${AWS::Region}"
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
)");
    repo.git("main", "git@bitbucket.org:acme/users.git");
    const std::string out = init_and_lint(repo, " --regions us-east-1 --regions us-west-2", {},
                                          {{"<connection-arn>", connection},
                                           {"<value-of-DbPassword>", "secret"},
                                           {"<value-of-Size>", "3"}});
    CHECK(out == R"X(mrp: wrote pipeline.mrp
mrp: 3 placeholders to replace: <connection-arn>, <value-of-DbPassword>, <value-of-Size>
mrp: `mrp lint pipeline.mrp` points at each; then run: mrp build pipeline.mrp
--- pipeline.mrp
# Written by mrp init from what this repository holds; each guess says so.
# Check them, replace each <placeholder> (mrp lint points at them), then
# run mrp build.

# The pipeline name is guessed from the folder's name, users.
pipeline users {
  # Guessed from the git remote (Bitbucket repository acme/users) and the
  # current branch.
  # Create a connection to Bitbucket (console: Developer Tools, Settings,
  # Connections) and put its ARN in place of <connection-arn>.
  source codestar {
    connection <connection-arn>
    repo acme/users
    branch main
  }

  # From --regions; the first is the home region, where the pipeline lives.
  regions us-east-1 us-west-2

  # The stack name is guessed from the folder's name, users.
  app users-app {
    template template.yaml
    capabilities CAPABILITY_NAMED_IAM  # what the template needs, as mrp lint reads it
    # The template declares these parameters without a Default: give each a
    # value.
    parameter DbPassword <value-of-DbPassword>
    parameter Size <value-of-Size>
  }
}
--- mrp lint pipeline.mrp
pipeline.mrp:12:16: error: `<connection-arn>` is a placeholder mrp init wrote: put the ARN of your CodeStar connection here (console: Developer Tools, Settings, Connections) [placeholder]
    connection <connection-arn>
               ^
pipeline.mrp:26:26: error: `<value-of-DbPassword>` is a placeholder mrp init wrote: put the value of the stack parameter `DbPassword` here [placeholder]
    parameter DbPassword <value-of-DbPassword>
                         ^
pipeline.mrp:27:20: error: `<value-of-Size>` is a placeholder mrp init wrote: put the value of the stack parameter `Size` here [placeholder]
    parameter Size <value-of-Size>
                   ^
)X");
  }

  TEST_CASE("mrp init: a BuildMethod template is built with sam") {
    Repo repo("quotes");
    repo.write("template.yaml", R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Quotes:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [app.ts]
)");
    repo.write("src/app.ts", "export const handler = async () => 1;\n");
    repo.write("package.json", R"({"scripts": {"build": "tsc"}})");
    repo.git("main", "ssh://git@github.com/acme/quotes");
    const std::string out =
        init_and_lint(repo, " --regions eu-central-1", {}, {{"<connection-arn>", connection}});
    CHECK(out == R"X(mrp: wrote pipeline.mrp
mrp: 1 placeholder to replace: <connection-arn>
mrp: `mrp lint pipeline.mrp` points at each; then run: mrp build pipeline.mrp
--- pipeline.mrp
# Written by mrp init from what this repository holds; each guess says so.
# Check them, replace each <placeholder> (mrp lint points at them), then
# run mrp build.

# The pipeline name is guessed from the folder's name, quotes.
pipeline quotes {
  # Guessed from the git remote (GitHub repository acme/quotes) and the current
  # branch.
  # Create a connection to GitHub (console: Developer Tools, Settings,
  # Connections) and put its ARN in place of <connection-arn>.
  source codestar {
    connection <connection-arn>
    repo acme/quotes
    branch main
  }

  # From --regions; the first is the home region, where the pipeline lives.
  regions eu-central-1

  # On CodeBuild's default image (aws/codebuild/standard:7.0: Node.js, Python,
  # Go, Java, make, the SAM CLI).
  # sam build runs each function's builder, so no step builds the app; add `run`
  # steps for anything else, such as tests.
  build {
    install "npm install -g esbuild"  # sam build's esbuild builder needs it; CodeBuild images lack it
  }

  # The stack name is guessed from the folder's name, quotes.
  app quotes-app {
    template template.yaml
    capabilities CAPABILITY_AUTO_EXPAND CAPABILITY_IAM  # what the template needs, as mrp lint reads it
    # Quotes sets `BuildMethod: esbuild`, which only `sam build` runs: the build
    # script builds this app with sam, so no build step repeats it.
    build-with sam
  }
}
--- mrp lint pipeline.mrp
pipeline.mrp:12:16: error: `<connection-arn>` is a placeholder mrp init wrote: put the ARN of your CodeStar connection here (console: Developer Tools, Settings, Connections) [placeholder]
    connection <connection-arn>
               ^
)X");
  }
}

TEST_SUITE("behaviour") {
  TEST_CASE("mrp init: never over a spec, no template, bad regions, not a folder, --help") {
    Repo repo("shop");
    repo.write("pipeline.mrp", "# mine\n");
    const Run exists = repo.run("init --regions us-east-1");
    CHECK(exists.status == 2);
    CHECK(exists.err == "mrp: error: pipeline.mrp exists; mrp init does not overwrite a spec\n");
    CHECK(exists.out == "");
    CHECK(read_text(repo.dir / "pipeline.mrp") == "# mine\n");

    Repo empty("empty");
    empty.write("src/index.js", "");
    const Run none = empty.run("init --regions us-east-1");
    CHECK(none.status == 2);
    CHECK(none.err ==
          "mrp: error: .: no app template: mrp init looks for template.yaml, template.yml or "
          "template.json in the folder and in each folder one level down\n");
    CHECK(!fs::exists(empty.dir / "pipeline.mrp"));

    empty.write("template.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    const Run bad = empty.run("init --regions us-east-1,us-est-2");
    CHECK(bad.status == 2);
    CHECK(bad.err ==
          "mrp: error: --regions: `us-est-2` is not a commercial AWS region code, such as "
          "us-east-1\n");
    CHECK(!fs::exists(empty.dir / "pipeline.mrp"));

    empty.write("template.yaml", "Resources: [\n");
    const Run broken = empty.run("init --regions us-east-1");
    CHECK(broken.status == 2);
    CHECK(broken.err ==
          "mrp: error: .: template.yaml is not a CloudFormation or SAM template: it is not valid "
          "YAML: line 2, column 1: end of sequence flow not found\n");
    CHECK(!fs::exists(empty.dir / "pipeline.mrp"));
    empty.write("template.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");

    const Run missing = empty.run("init nowhere");
    CHECK(missing.status == 2);
    CHECK(missing.err == "mrp: error: nowhere is not a folder\n");

    const Run other = empty.ws.run(mrp_command("init empty --regions us-east-1"), empty.ws.repo());
    CHECK(other.status == 0);
    CHECK(other.out.find("mrp: wrote empty/pipeline.mrp\n") == 0);

    const Run help = repo.run("init --help");
    CHECK(help.status == 0);
    CHECK(help.out.find("--regions") != std::string::npos);
    CHECK(repo.run("--help").out.find("init") != std::string::npos);
  }
}
