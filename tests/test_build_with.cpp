// build-with: which apps `sam build` builds before packaging, the note when
// mrp chooses it, and the build-toolchain warnings, with exact diagnostics;
// and the build script a sam-built app gets.

#include <string>

#include <doctest/doctest.h>

#include "compiler/base/rules.h"
#include "tests/support.h"
#include "tests/template_support.h"
#include "tests/workspace.h"

namespace {

using mrp::test::compile_template;
using mrp::test::mrp_command;
using mrp::test::Run;
using mrp::test::Setup;
using mrp::test::with_app_lines;
using mrp::test::with_build;
using mrp::test::Workspace;

// A TypeScript function bundled by esbuild, its code in src/.
const std::string esbuild_template = R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.handler, Runtime: nodejs22.x}
    Metadata:
      BuildMethod: esbuild
)";

const std::string with_esbuild = R"({"dependencies": {"esbuild": "^0.24.0"}})";

}  // namespace

TEST_CASE("a function with a BuildMethod makes mrp build its app with sam, and say so") {
  const auto c = compile_template(esbuild_template, {}, {{"src/package.json", with_esbuild}});
  REQUIRE(c.result.outputs);
  CHECK(c.app().build_with == mrp::BuildWith::sam);
  CHECK(c.app().built_template == ".aws-sam/mrp/shop-app/template.yaml");
  CHECK(c.of(mrp::rule::build_with) ==
        "template.yaml:7:20: note: `Api` sets `BuildMethod: esbuild`, which only `sam build` "
        "runs: the build script builds app `shop-app` with `sam build`, then packages what it "
        "built; write `build-with sam` in the app to say so [build-with]\n"
        "      BuildMethod: esbuild\n"
        "                   ^\n");
  // Said in the spec: no note.
  const auto said = compile_template(esbuild_template, with_app_lines("    build-with sam\n"),
                                     {{"src/package.json", with_esbuild}});
  CHECK(said.of(mrp::rule::build_with).empty());
  CHECK(said.app().build_with == mrp::BuildWith::sam);
  // `build-with package` against a BuildMethod: packaged unbuilt, a warning.
  const auto unbuilt =
      compile_template(esbuild_template, with_app_lines("    build-with package\n"));
  CHECK(unbuilt.app().build_with == mrp::BuildWith::package);
  CHECK(unbuilt.of(mrp::rule::build_with) ==
        "template.yaml:7:20: warning: `Api` sets `BuildMethod: esbuild`, but app `shop-app` says "
        "`build-with package`: its sources are packaged unbuilt, as they are [build-with]\n"
        "      BuildMethod: esbuild\n"
        "                   ^\n");
  // No BuildMethod: packaged as it always was.
  const auto plain = compile_template("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n");
  CHECK(plain.app().build_with == mrp::BuildWith::package);
  CHECK(plain.of(mrp::rule::build_with).empty());
}

TEST_CASE("build-toolchain: esbuild, cargo-lambda and uv, which no CodeBuild image has") {
  CHECK(compile_template(esbuild_template).of(mrp::rule::build_toolchain) ==
        "template.yaml:7:20: warning: `Api` builds with `esbuild`, which needs esbuild, which no "
        "CodeBuild image has: list it in the `dependencies` (not devDependencies, which sam build "
        "does not install) of the function's package.json, or add `install \"npm install -g "
        "esbuild\"` to the build [build-toolchain]\n"
        "      BuildMethod: esbuild\n"
        "                   ^\n");
  // Answered by the function's dependencies, or a build step; not by devDependencies.
  CHECK(compile_template(esbuild_template, {}, {{"src/package.json", with_esbuild}})
            .of(mrp::rule::build_toolchain)
            .empty());
  CHECK(compile_template(esbuild_template,
                         with_build("  build { install \"npm install -g esbuild\" }\n"))
            .of(mrp::rule::build_toolchain)
            .empty());
  CHECK_FALSE(compile_template(esbuild_template, {},
                               {{"src/package.json", R"({"devDependencies": {"esbuild": "1"}})"}})
                  .of(mrp::rule::build_toolchain)
                  .empty());
  // A custom image may hold anything.
  CHECK(compile_template(esbuild_template,
                         with_build("  build { image 123456789012.dkr.ecr.us-east-1.amazonaws.com/"
                                    "builder:1 }\n"))
            .of(mrp::rule::build_toolchain)
            .empty());

  const std::string rust = R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ., Handler: bootstrap, Runtime: provided.al2023}
    Metadata: {BuildMethod: rust-cargolambda}
)";
  CHECK(compile_template(rust).of(mrp::rule::build_toolchain) ==
        "template.yaml:6:29: warning: `Fn` builds with `rust-cargolambda`, which needs cargo and "
        "cargo-lambda, which `aws/codebuild/standard:7.0` lacks: install them (rustup for cargo) "
        "in the build's `install` steps [build-toolchain]\n"
        "    Metadata: {BuildMethod: rust-cargolambda}\n"
        "                            ^\n");
  // The aarch64 images have cargo, not cargo-lambda.
  CHECK(compile_template(
            rust, with_build("  build { image aws/codebuild/amazonlinux-aarch64-standard:3.0 }\n"))
            .of(mrp::rule::build_toolchain)
            .find("which needs cargo-lambda, which") != std::string::npos);
  CHECK(compile_template(rust, with_build("  build {\n    install \"curl -sSf https://sh.rustup.rs "
                                          "| sh -s -- -y\"\n    install \"pip3 install "
                                          "cargo-lambda\"\n  }\n"))
            .of(mrp::rule::build_toolchain)
            .empty());
  std::string uv = rust;
  uv.replace(uv.find("rust-cargolambda"), 16, "python-uv");
  CHECK(
      compile_template(uv)
          .of(mrp::rule::build_toolchain)
          .find("`Fn` builds with `python-uv`, which needs uv, which `aws/codebuild/standard:7.0` "
                "lacks") != std::string::npos);
  CHECK(compile_template(uv, with_build("  build { install \"pip install uv\" }\n"))
            .of(mrp::rule::build_toolchain)
            .empty());
  // Builders whose tools every curated image has.
  for (const char* method : {"makefile", "go1.x", "dotnet8", "python3.12", "nodejs22.x"})
    CHECK(compile_template(std::string(R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ., Handler: h, Runtime: provided.al2023}
    Metadata: {BuildMethod: )") +
                           method + "}\n")
              .of(mrp::rule::build_toolchain)
              .empty());
}

TEST_SUITE("behaviour") {
  TEST_CASE("quotes-ts: sam build once, then the built template packaged into each region") {
    Workspace ws("quotes-ts");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    ws.stub("npm");
    const Run built = ws.run("bash multiregion-build.sh", ws.repo(),
                             {"US_EAST_1_ARTIFACT_BUCKET=quotes-ts-123456789012-us-east-1",
                              "EU_WEST_1_ARTIFACT_BUCKET=quotes-ts-123456789012-eu-west-1"});
    INFO(built.err);
    REQUIRE(built.status == 0);
    CHECK(ws.sam_calls() == std::vector<std::string>{"build --template-file template.yaml "
                                                     "--build-dir .aws-sam/mrp/quotes-ts-app"});
    CHECK(ws.aws_calls() ==
          std::vector<std::string>{"cloudformation package --region us-east-1 --template-file "
                                   ".aws-sam/mrp/quotes-ts-app/template.yaml --s3-bucket "
                                   "quotes-ts-123456789012-us-east-1 --output-template-file "
                                   "mrp-packaged/packaged-template-us-east-1.yaml",
                                   "cloudformation package --region eu-west-1 --template-file "
                                   ".aws-sam/mrp/quotes-ts-app/template.yaml --s3-bucket "
                                   "quotes-ts-123456789012-eu-west-1 --output-template-file "
                                   "mrp-packaged/packaged-template-eu-west-1.yaml"});
    CHECK(mrp::test::read_text(ws.repo() / ".aws-sam/mrp/quotes-ts-app/template.yaml")
              .rfind("# built by fake sam from template.yaml\n", 0) == 0);
    CHECK(mrp::test::read_text(ws.repo() / "mrp-packaged/packaged-template-eu-west-1.yaml") ==
          "# packaged by fake aws for region eu-west-1 bucket quotes-ts-123456789012-eu-west-1\n");
  }
}
