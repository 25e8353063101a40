// build-with: which apps `sam build` builds before packaging, the note when
// mrp chooses it, and the build-toolchain warnings, with exact diagnostics;
// and the build script a sam-built app gets.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "compiler/aws/names.h"
#include "compiler/base/rules.h"
#include "compiler/emit/shell_out.h"
#include "tests/support.h"
#include "tests/template_support.h"
#include "tests/workspace.h"

namespace {

namespace fs = std::filesystem;
using mrp::shell_quote;
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

// The buckets a packaged template refers to, one entry a reference: `s3://B/K`
// strings, `{Bucket: B, Key: K}` maps and the S3 stand-in's URLs
// (`http://127.0.0.1:PORT/B/K`), wherever they are.
void referenced_buckets(const YAML::Node& node, std::vector<std::string>& out) {
  if (node.IsMap()) {
    if (node["Bucket"] && node["Bucket"].IsScalar()) out.push_back(node["Bucket"].Scalar());
    for (const auto& kv : node) referenced_buckets(kv.second, out);
  } else if (node.IsSequence()) {
    for (const auto& item : node) referenced_buckets(item, out);
  } else if (node.IsScalar()) {
    const std::string& v = node.Scalar();
    if (v.rfind("s3://", 0) == 0) out.push_back(v.substr(5, v.find('/', 5) - 5));
    if (v.rfind("http://127.0.0.1:", 0) == 0) {
      const std::size_t start = v.find('/', 17) + 1;
      out.push_back(v.substr(start, v.find('/', start) - start));
    }
  }
}

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

TEST_CASE("code-path speaks of sam build for an app sam builds, which reads Globals") {
  const std::string globals = R"(Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {CodeUri: src/, Runtime: nodejs22.x}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler}
    Metadata: {BuildMethod: makefile}
)";
  // Packaged as it is, Globals would be ignored; built by sam, it is not.
  CHECK(compile_template(globals, with_app_lines("    build-with package\n"), {{"src/a", ""}})
            .of(mrp::rule::code_path)
            .find("`aws cloudformation package` does not read `Globals`") != std::string::npos);
  CHECK(compile_template(globals, {}, {{"src/a", ""}}).of(mrp::rule::code_path).empty());
  const std::string missing = R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.handler, Runtime: nodejs22.x}
    Metadata: {BuildMethod: makefile}
)";
  CHECK(compile_template(missing).of(mrp::rule::code_path) ==
        "template.yaml:5:27: error: `Fn`'s `CodeUri` is `src/`, which does not exist next to app "
        "template `template.yaml` (`src/`), and the build runs no command that could make it: "
        "`sam build` fails; fix the path, relative to the template's folder [code-path]\n"
        "    Properties: {CodeUri: src/, Handler: app.handler, Runtime: nodejs22.x}\n"
        "                          ^\n");
}

TEST_CASE("a container-image function needs sam, and makes the build privileged") {
  const std::string image = R"(Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {PackageType: Image}
    Metadata: {Dockerfile: Dockerfile, DockerContext: ./fn}
)";
  const auto chosen = compile_template(image);
  REQUIRE(chosen.result.outputs);
  CHECK(chosen.app().build_with == mrp::BuildWith::sam);
  CHECK(chosen.result.ir->has_images());
  CHECK(chosen.of(mrp::rule::build_with) ==
        "template.yaml:5:31: note: `Fn` is a container image (`PackageType: Image`), which only "
        "`sam build` builds and `sam package` pushes: the build script builds app `shop-app` "
        "with sam, and pushes its images to each region's image repository; write `build-with "
        "sam` in the app to say so [build-with]\n"
        "    Properties: {PackageType: Image}\n"
        "                              ^\n");
  CHECK(chosen.of(mrp::rule::privileged_build) ==
        "template.yaml:5:31: warning: `Fn` is a container image, which `sam build` builds with "
        "Docker: the CodeBuild project runs in privileged mode, the only mode that runs Docker, "
        "and a privileged build step can escape its container; build only what the source "
        "repository's trusted branch holds [privileged-build]\n"
        "    Properties: {PackageType: Image}\n"
        "                              ^\n");
  // `aws cloudformation package` cannot build or push an image: an error.
  const auto refused = compile_template(image, with_app_lines("    build-with package\n"));
  CHECK_FALSE(refused.result.outputs);
  CHECK(refused.of(mrp::rule::build_with) ==
        "template.yaml:5:31: error: `Fn` is a container image (`PackageType: Image`), which `aws "
        "cloudformation package` cannot build or push: app `shop-app` needs `build-with sam` "
        "[build-with]\n"
        "    Properties: {PackageType: Image}\n"
        "                              ^\n");
  // From Globals too; an image built elsewhere (no Dockerfile to build it
  // from) is deployed as it is; a zip function is no image.
  const auto global = compile_template(R"(Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {PackageType: Image}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata: {Dockerfile: Dockerfile, DockerContext: .}
  Prebuilt:
    Type: AWS::Serverless::Function
    Properties: {ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fn:1}
)");
  REQUIRE(global.result.ir);
  REQUIRE(global.app().image_functions.size() == 1);
  CHECK(global.app().image_functions[0].resource == "Fn");
  const auto zip = compile_template(esbuild_template, {}, {{"src/package.json", with_esbuild}});
  CHECK_FALSE(zip.result.ir->has_images());
  CHECK(zip.of(mrp::rule::privileged_build).empty());
  // The build's variables are mrp's.
  CHECK(mrp::test::compile_errors(
            "pipeline shop {\n  source codecommit { repo shop; branch main }\n  regions us-east-1\n"
            "  build { env US_EAST_1_IMAGE_REPOSITORY x }\n  app shop-app { template t.yaml }\n}\n")
            .find("environment variable `US_EAST_1_IMAGE_REPOSITORY` is set by mrp to the "
                  "us-east-1 image repository; choose another name [env-name]") !=
        std::string::npos);
}

TEST_CASE("the buildspec selects the runtimes sam build needs, one version a language") {
  const std::string two = R"(Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: python3.12}
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: a.h}
    Metadata: {BuildMethod: python3.12}
  B:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: b.h, Runtime: python3.11}
    Metadata: {BuildMethod: python3.11}
  C:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: c.h, Runtime: nodejs22.x}
    Metadata: {BuildMethod: esbuild}
)";
  const auto c = compile_template(two, {}, {{"src/package.json", with_esbuild}});
  REQUIRE(c.result.outputs);
  CHECK(c.result.ir->build.runtime_versions ==
        std::vector<std::pair<std::string, std::string>>{{"python", "3.11"}, {"nodejs", "22"}});
  CHECK(c.of(mrp::rule::build_toolchain) ==
        "template.yaml:3:23: warning: `python3.12` needs python 3.12 for `sam build`, but the "
        "build selects python 3.11 for another function, and a CodeBuild build runs one "
        "version of each language: build these functions with one version [build-toolchain]\n"
        "  Function: {Runtime: python3.12}\n"
        "                      ^\n");
  CHECK(c.result.outputs->at("deployment-pipeline/buildspec.yaml")
            .find("  install:\n    runtime-versions:\n      python: \"3.11\"\n      nodejs: "
                  "\"22\"\n  build:\n") != std::string::npos);
  // Nothing for an app packaged as it is, or on a custom image.
  const auto plain = compile_template(
      "Resources:\n  F: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.12}}\n");
  CHECK(plain.result.ir->build.runtime_versions.empty());
  CHECK(compile_template(two,
                         with_build("  build { image 123456789012.dkr.ecr.us-east-1.amazonaws.com/"
                                    "builder:1 }\n"),
                         {{"src/package.json", with_esbuild}})
            .result.ir->build.runtime_versions.empty());
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

  TEST_CASE("report-builder: the real CLI packages every artifact into each region's own bucket") {
    Workspace ws("report-builder");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    for (const char* c : {"pip", "python"}) ws.stub(c);
    // The build script's `aws` is the real CLI, its S3 calls sent to a stand-in.
    const fs::path real_bin = ws.root() / "real-bin", s3 = ws.root() / "s3";
    fs::create_directories(real_bin);
    fs::create_directories(s3);
    std::ofstream(real_bin / "aws")
        << "#!/bin/sh\nexec /usr/bin/python3 "
        << shell_quote((mrp::test::source_dir() / "tests/aws-with-s3-stub.py").string())
        << " \"$@\"\n";
    fs::permissions(real_bin / "aws", fs::perms::owner_all);
    const std::vector<std::string> regions = {"eu-west-1", "eu-north-1", "us-east-2"};
    std::vector<std::string> env = {
        "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=example",
        "AWS_EC2_METADATA_DISABLED=true", "MRP_S3_STUB_PORT=" + (s3 / "port").string()};
    for (const auto& r : regions)
      env.push_back(mrp::bucket_env_var(r) + "=report-builder-123456789012-" + r);
    const std::string script = fmt::format(
        "/usr/bin/python3 {stub} {s3} & stub=$!\n"
        "trap 'kill $stub' EXIT\n"
        "for _ in $(seq 100); do [[ -f {s3}/port ]] && break; sleep 0.1; done\n"
        "PATH={bin}:$PATH bash multiregion-build.sh\n",
        fmt::arg("stub", shell_quote((mrp::test::source_dir() / "tests/s3-stub.py").string())),
        fmt::arg("s3", shell_quote(s3.string())), fmt::arg("bin", shell_quote(real_bin.string())));
    const Run built = ws.run("bash -c " + shell_quote(script), ws.repo(), env);
    INFO(built.out);
    INFO(built.err);
    REQUIRE(built.status == 0);
    for (const auto& region : regions) {
      CAPTURE(region);
      const std::string bucket = "report-builder-123456789012-" + region;
      const YAML::Node packaged = YAML::LoadFile(
          (ws.repo() / "mrp-packaged" / ("packaged-template-" + region + ".yaml")).string());
      // The function's code, the layer's content, the state machine's and the
      // API's definitions and the nested template: each in this region's bucket.
      std::vector<std::string> buckets;
      referenced_buckets(packaged, buckets);
      CHECK(buckets == std::vector<std::string>(5, bucket));
      // The nested template, packaged too before it was uploaded: its code is
      // in the same bucket.
      std::size_t nested = 0;
      for (const auto& object : fs::directory_iterator(s3 / "objects" / bucket)) {
        if (object.path().extension() != ".template") continue;
        ++nested;
        std::vector<std::string> inner;
        referenced_buckets(YAML::LoadFile(object.path().string()), inner);
        CHECK(inner == std::vector<std::string>{bucket});
      }
      CHECK(nested == 1);
    }
    // Nothing went anywhere else.
    std::size_t buckets_written = 0;
    for (const auto& b : fs::directory_iterator(s3 / "objects")) {
      ++buckets_written;
      CHECK(b.path().filename().string().rfind("report-builder-123456789012-", 0) == 0);
    }
    CHECK(buckets_written == regions.size());
  }

  TEST_CASE("thumbnailer: sam build once, then sam package pushes to each region's repository") {
    Workspace ws("thumbnailer");
    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    ws.stub("python");
    std::vector<std::string> env;
    for (const std::string region : {"eu-central-1", "us-west-2"}) {
      env.push_back(mrp::bucket_env_var(region) + "=thumbnailer-123456789012-" + region);
      env.push_back(mrp::image_repository_env_var(region) + "=123456789012.dkr.ecr." + region +
                    ".amazonaws.com/thumbnailer-images");
    }
    // Without the repository variables the script stops before building.
    const Run bare = ws.run("bash multiregion-build.sh", ws.repo(), {env[0], env[2]});
    CHECK(bare.status == 1);
    CHECK(bare.err.rfind("multiregion-build.sh: not set: EU_CENTRAL_1_IMAGE_REPOSITORY "
                         "US_WEST_2_IMAGE_REPOSITORY\n",
                         0) == 0);
    CHECK(ws.sam_calls().empty());
    const Run built = ws.run("bash multiregion-build.sh", ws.repo(), env);
    INFO(built.err);
    REQUIRE(built.status == 0);
    CHECK(ws.sam_calls() ==
          std::vector<std::string>{
              "build --template-file template.yaml --build-dir .aws-sam/mrp/thumbnailer-app",
              "package --region eu-central-1 --template-file "
              ".aws-sam/mrp/thumbnailer-app/template.yaml --s3-bucket "
              "thumbnailer-123456789012-eu-central-1 --image-repository "
              "123456789012.dkr.ecr.eu-central-1.amazonaws.com/thumbnailer-images "
              "--output-template-file mrp-packaged/packaged-template-eu-central-1.yaml",
              "package --region us-west-2 --template-file "
              ".aws-sam/mrp/thumbnailer-app/template.yaml --s3-bucket "
              "thumbnailer-123456789012-us-west-2 --image-repository "
              "123456789012.dkr.ecr.us-west-2.amazonaws.com/thumbnailer-images "
              "--output-template-file mrp-packaged/packaged-template-us-west-2.yaml"});
    CHECK(ws.aws_calls().empty());
    CHECK(mrp::test::read_text(ws.repo() / "mrp-packaged/packaged-template-us-west-2.yaml") ==
          "# packaged by fake sam for region us-west-2 bucket thumbnailer-123456789012-us-west-2 "
          "repository 123456789012.dkr.ecr.us-west-2.amazonaws.com/thumbnailer-images\n");
  }
}
