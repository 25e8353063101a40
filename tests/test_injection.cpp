// Injection: values that mean something to YAML, JSON or a shell come out of
// mrp as the same literal values. Every YAML file is read back with yaml-cpp
// and with PyYAML (YAML 1.1, as CloudFormation reads templates) and each value
// compared with what the spec said; the generated scripts run, with the
// stand-in aws recording their arguments, and every argument that carries a
// spec value must be that value, with no command substitution run on the way.
// Where mrp refuses a value, the exact diagnostic is checked instead.

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <variant>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/github.h"
#include "compiler/cli/driver.h"
#include "compiler/cli/writer.h"
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

// Values that quote, substitute, comment, start YAML structure, read as
// YAML 1.1 scalars of other types, or are Unicode a parser could trip on.
// `{pwned}` becomes a file that must never come to exist.
const std::vector<std::string> payloads = {
    "it's",
    "say \"hi\"",
    "'\"'\"",
    "$(touch {pwned})",
    "`touch {pwned}`",
    "${HOME}",
    "$HOME and $1",
    "a\\b\\\\c",
    "first\nsecond",
    "\n",
    "ends with a newline\n",
    "tab\tseparated",
    " leading and trailing ",
    "key: value",
    "- item",
    "# not a comment",
    "value # not a comment",
    "&anchor",
    "*alias",
    "!Ref AWS::Region",
    "!!binary aGk=",
    "---",
    "...",
    "{a: b}",
    "[1, 2]",
    "|",
    ">",
    "%YAML 1.2",
    "@handle",
    "?",
    "yes",
    "Off",
    "null",
    "~",
    "1e3",
    "0x1F",
    "0o17",
    "2024-01-01",
    "12:30:00",
    ".inf",
    "\xF0\x9F\x98\x80 emoji",
    "\xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA right to left",
    "\xE2\x80\xAE"
    "override",
    "e\xCC\x81 combining",
    "\xEF\xBB\xBF"
    "byte-order mark",
    "no\xC2\xA0"
    "break",
    "zero\xE2\x80\x8Bwidth",
    "next\xC2\x85line",
    "line\xE2\x80\xA8separator",
    "paragraph\xE2\x80\xA9separator",
    "c1\xC2\x9F"
    "control",
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// `v` as a spec string: the escapes of docs/language.md §1.
std::string spec_string(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// A path into a loaded YAML document: map keys and sequence indices.
using Step = std::variant<std::string, std::size_t>;
struct Expected {
  std::string file;  ///< relative to the workspace's repository
  std::vector<Step> path;
  std::string value;
};

std::string describe(const Expected& e) {
  std::string out = e.file + ":";
  for (const auto& s : e.path)
    out += std::holds_alternative<std::string>(s) ? " " + std::get<std::string>(s)
                                                  : fmt::format(" [{}]", std::get<std::size_t>(s));
  return out;
}

void check_with_yaml_cpp(const fs::path& repo, const std::vector<Expected>& expected) {
  std::map<std::string, YAML::Node> docs;
  for (const auto& e : expected) {
    CAPTURE(describe(e));
    if (docs.count(e.file) == 0) docs[e.file] = YAML::LoadFile((repo / e.file).string());
    YAML::Node n = docs[e.file];
    for (const auto& s : e.path)
      n.reset(std::holds_alternative<std::string>(s) ? n[std::get<std::string>(s)]
                                                     : n[std::get<std::size_t>(s)]);
    REQUIRE(n.IsScalar());
    CHECK(n.Scalar() == e.value);
  }
}

// PyYAML reads YAML 1.1, where `yes` is a boolean and U+0085, U+2028 and
// U+2029 break lines, as CloudFormation's own reader does. It prints every
// file as JSON, tags dropped, a value of any other type than string marked.
constexpr const char* pyyaml_dump = R"py(
import json, sys, yaml
class Loader(yaml.SafeLoader):
    pass
def untagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)
Loader.add_multi_constructor("!", untagged)
def marked(v):
    if isinstance(v, dict):
        return {str(k): marked(x) for k, x in v.items()}
    if isinstance(v, list):
        return [marked(x) for x in v]
    if isinstance(v, str):
        return v
    return {"not a string": repr(v)}
docs = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        try:
            docs[path] = marked(yaml.load(f, Loader=Loader))
        except yaml.YAMLError as e:
            docs[path] = {"PyYAML cannot load it": str(e)}
json.dump(docs, sys.stdout)
)py";

void check_with_pyyaml(const Workspace& ws, const std::vector<Expected>& expected) {
  REQUIRE_MESSAGE(fs::exists("/usr/bin/python3"), "python3 with PyYAML (yamllint's) is missing");
  const fs::path script = ws.repo().parent_path() / "pyyaml_dump.py";
  std::ofstream(script) << pyyaml_dump;
  std::set<std::string> files;
  for (const auto& e : expected) files.insert(e.file);
  std::string command = "/usr/bin/python3 " + shell_quote(script.string());
  for (const auto& f : files) command += " " + shell_quote(f);
  const Run r = ws.run(command, ws.repo());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json docs = nlohmann::json::parse(r.out);
  for (const auto& e : expected) {
    CAPTURE(describe(e));
    const nlohmann::json* n = &docs.at(e.file);
    if (n->contains("PyYAML cannot load it")) {
      FAIL_CHECK(n->at("PyYAML cannot load it").get<std::string>());
      continue;
    }
    for (const auto& s : e.path)
      n = std::holds_alternative<std::string>(s) ? &n->at(std::get<std::string>(s))
                                                 : &n->at(std::get<std::size_t>(s));
    REQUIRE(n->is_string());
    CHECK(n->get<std::string>() == e.value);
  }
}

// Writes `spec` to DIR/pipeline.mrp and builds it into DIR, in this process as
// `mrp build` would; nothing is expected to stand in the way.
void build_in(const Workspace& ws, const std::string& dir, const std::string& spec) {
  const fs::path file = ws.repo() / dir / "pipeline.mrp";
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << spec;
  const auto r = mrp::compile(spec, dir + "/pipeline.mrp", mrp::DiskFileReader(file.parent_path()),
                              mrp::lower_options_for(file.string(), file.parent_path().string()),
                              {{2026, 11, 26}});
  INFO(mrp::render_all(r.diags, spec));
  REQUIRE(r.outputs);
  REQUIRE(mrp::write_outputs(*r.outputs, file.parent_path()).ok());
}

// `Value` has a Default: the specs without parameters deploy it unset.
const std::string template_yaml =
    "Parameters:\n  Value:\n    Type: String\n    Default: \"\"\n"
    "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

}  // namespace

TEST_SUITE("injection") {
  TEST_CASE("free text comes out of every YAML file as written") {
    Workspace ws;
    const std::string pwned = (ws.repo().parent_path() / "PWNED").string();
    std::ofstream(ws.repo() / "template.yaml") << template_yaml;
    std::vector<Expected> expected;
    const std::vector<Step> props = {"Resources", "CodePipeline", "Properties"};
    const auto at = [](std::vector<Step> base, std::vector<Step> more) {
      base.insert(base.end(), more.begin(), more.end());
      return base;
    };
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      const std::string v = replace_all(payloads[i], "{pwned}", pwned);
      CAPTURE(v);
      const std::string dir = fmt::format("p{}", i);
      // A connection source for the free values, an S3 source for the key.
      const std::string spec = fmt::format(
          "pipeline shop {{\n  description {v}\n"
          "  source codestar {{\n"
          "    connection arn:aws:codeconnections:us-east-1:123456789012:connection/"
          "4f6c7e1a-9b2d-4c3e-8f10-2a3b4c5d6e7f\n"
          "    repo acme/shop\n    branch main\n"
          "    trigger push {{ branches {v}; file-paths {v} }}\n"
          "    trigger pull-request {{ exclude-branches {v} }}\n  }}\n"
          "  regions us-east-1 eu-west-1\n"
          "  build {{ image {v}; install {v}; install {v}; env VALUE {v} }}\n"
          "  app shop-app {{ template ../template.yaml; parameter Value {v} }}\n}}\n",
          fmt::arg("v", spec_string(v)));
      build_in(ws, dir, spec);
      const std::string pipeline = dir + "/deployment-pipeline/pipeline.yaml";
      const std::string buildspec = dir + "/deployment-pipeline/buildspec.yaml";
      const std::vector<Step> git = at(props, {"Triggers", 0u, "GitConfiguration"});
      const std::vector<Step> env = {"Resources", "CodeBuildProject", "Properties", "Environment"};
      expected.push_back({pipeline, {"Description"}, v});
      expected.push_back({pipeline, at(git, {"Push", 0u, "Branches", "Includes", 0u}), v});
      expected.push_back({pipeline, at(git, {"Push", 0u, "FilePaths", "Includes", 0u}), v});
      expected.push_back({pipeline, at(git, {"PullRequest", 0u, "Branches", "Excludes", 0u}), v});
      expected.push_back({pipeline, at(env, {"Image"}), v});
      expected.push_back({pipeline, at(env, {"EnvironmentVariables", 2u, "Value"}), v});
      for (std::size_t stage : {2u})
        for (std::size_t action : {0u, 1u})
          expected.push_back({pipeline,
                              at(props, {"Stages", stage, "Actions", action, "Configuration",
                                         "ParameterOverrides"}),
                              nlohmann::ordered_json{{"Value", v}}.dump()});
      expected.push_back({buildspec, {"phases", "install", "commands", 0u}, v});
      expected.push_back({buildspec, {"phases", "install", "commands", 1u}, v});

      // The object key of an S3 source, in the action and the EventBridge rule.
      build_in(ws, dir + "/s3",
               fmt::format(
                   "pipeline shop {{\n  source s3 {{ bucket source-bucket; key {} }}\n"
                   "  regions us-east-1\n  app shop-app {{ template ../../template.yaml }}\n}}\n",
                   spec_string("releases/" + v)));
      const std::string s3 = dir + "/s3/deployment-pipeline/pipeline.yaml";
      expected.push_back({s3,
                          at(props, {"Stages", 0u, "Actions", 0u, "Configuration", "S3ObjectKey"}),
                          "releases/" + v});
      expected.push_back({s3,
                          {"Resources", "SourceChangeRule", "Properties", "EventPattern", "detail",
                           "object", "key", 0u},
                          "releases/" + v});
      // A branch, where git takes the value as one.
      const std::string branch = "release/" + v;
      if (!mrp::git_branch_problem(branch).empty()) continue;
      build_in(ws, dir + "/branch",
               fmt::format(
                   "pipeline shop {{\n  source codecommit {{ repo shop; branch {} }}\n"
                   "  regions us-east-1\n  app shop-app {{ template ../../template.yaml }}\n}}\n",
                   spec_string(branch)));
      const std::string cc = dir + "/branch/deployment-pipeline/pipeline.yaml";
      expected.push_back(
          {cc, at(props, {"Stages", 0u, "Actions", 0u, "Configuration", "BranchName"}), branch});
      expected.push_back({cc,
                          {"Resources", "SourceChangeRule", "Properties", "EventPattern", "detail",
                           "referenceName", 0u},
                          branch});
    }
    check_with_yaml_cpp(ws.repo(), expected);
    check_with_pyyaml(ws, expected);
    CHECK_FALSE(fs::exists(pwned));
  }

  TEST_CASE("the scripts hand aws each value as it is, and run no substitution in it") {
    Workspace ws;
    const std::string pwned = (ws.repo().parent_path() / "PWNED").string();
    std::vector<std::string> values;
    for (const auto& p : payloads) values.push_back(replace_all(p, "{pwned}", pwned));
    // Template files whose names a shell would split, quote or substitute (a
    // file name holds no `/`: these would touch PWNED in the repository).
    const std::vector<std::string> templates = {
        "t $(touch PWNED) 'q' \"dq\" `touch PWNED` ${HOME} #x.yaml", "line\nbreak.yaml"};
    for (const auto& t : templates) std::ofstream(ws.repo() / t) << template_yaml;
    // Run commands are the user's shell code: each must run as `bash -c` runs it.
    const std::vector<std::string> commands = {
        "aws run-check 'single quoted' \"double quoted\" unquoted\\ escaped",
        "aws run-check \"$(printf '%s' 'the user asked for this substitution')\"",
        "aws run-check first\naws run-check second",
        "aws run-check \"#\" # a comment of the command's own",
        "aws run-check \"\\\\\" '\\'",
        "aws run-check \"$HOME\" $'ansi\\tquoted'"};
    std::string spec =
        "pipeline shop {\n  source codecommit { repo shop; branch main }\n"
        "  regions us-east-1 eu-west-1\n  build {\n";
    std::string env_check = "aws env-check";
    for (std::size_t i = 0; i < values.size(); ++i) {
      spec += fmt::format("    env V{} {}\n", i, spec_string(values[i]));
      env_check += fmt::format(" \"$V{}\"", i);
    }
    spec += "    run " + spec_string(env_check) + "\n";
    for (const auto& c : commands) spec += "    run " + spec_string(c) + "\n";
    spec += "  }\n";
    for (std::size_t i = 0; i < templates.size(); ++i)
      spec += fmt::format("  app app{} {{ template {} }}\n", i, spec_string(templates[i]));
    spec += "}\n";
    std::ofstream(ws.repo() / "pipeline.mrp") << spec;
    const Run built = ws.run(mrp_command("build pipeline.mrp"), ws.repo());
    INFO(built.err);
    REQUIRE(built.status == 0);

    // The build script, with the variables exactly as the CodeBuild project sets them.
    const YAML::Node vars =
        YAML::LoadFile((ws.repo() / "deployment-pipeline/pipeline.yaml")
                           .string())["Resources"]["CodeBuildProject"]["Properties"]["Environment"]
                                     ["EnvironmentVariables"];
    std::vector<std::string> env;
    for (const auto& v : vars)
      env.push_back(v["Name"].as<std::string>() + "=" +
                    mrp::test::with_account(v["Value"].as<std::string>()));
    const Run build = ws.run("bash multiregion-build.sh", ws.repo(), env);
    INFO(build.err);
    REQUIRE(build.status == 0);
    const auto calls = mrp::test::call_args(ws, ws.aws_calls());

    // What bash itself makes of each run command, with the same variables.
    std::vector<std::vector<std::string>> expected;
    for (const auto& c : commands) {
      REQUIRE(ws.run("bash -c " + shell_quote(c), ws.repo(), env).status == 0);
      for (auto& call : mrp::test::call_args(ws, ws.aws_calls())) expected.push_back(call);
    }
    REQUIRE(calls.size() == 1 + expected.size() + 2 * templates.size());
    std::vector<std::string> env_args(calls[0].begin() + 1, calls[0].end());
    CHECK(calls[0][0] == "env-check");
    CHECK(env_args == values);
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(calls[1 + i] == expected[i]);
    for (std::size_t i = 0; i < 2 * templates.size(); ++i) {
      const auto& call = calls[1 + expected.size() + i];
      CHECK(mrp::test::option(call, "--template-file") == templates[i % templates.size()]);
    }

    // The other scripts carry only names mrp checked, but run them all.
    const std::string dp = "deployment-pipeline/";
    CHECK(ws.run("bash " + dp + "create-artifact-buckets.sh", ws.repo()).status == 0);
    CHECK(ws.run("bash " + dp + "create-pipeline.sh", ws.repo()).status == 0);
    CHECK(ws.run("bash " + dp + "update-pipeline.sh", ws.repo()).status == 0);
    CHECK(ws.run("bash " + dp + "deploy.sh", ws.repo()).status == 0);
    CHECK(ws.run("bash " + dp + "teardown.sh --yes", ws.repo()).status == 0);
    CHECK_FALSE(fs::exists(pwned));
    CHECK_FALSE(fs::exists(ws.repo() / "PWNED"));
  }

  TEST_CASE("sam build and sam package get each template path as it is") {
    Workspace ws;
    // A function with a builder, and a container image, in templates whose
    // names a shell would split, quote or substitute.
    const std::vector<std::string> templates = {"b $(touch PWNED) 'q' `touch PWNED`.yaml",
                                                "i ${HOME} \"dq\" #x\n.yaml"};
    const std::string sam =
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n";
    std::ofstream(ws.repo() / templates[0])
        << sam << "    Properties: {CodeUri: src/, Handler: i.h, Runtime: nodejs22.x}\n"
        << "    Metadata: {BuildMethod: makefile}\n";
    std::ofstream(ws.repo() / templates[1])
        << sam << "    Properties: {PackageType: Image}\n"
        << "    Metadata: {Dockerfile: Dockerfile, DockerContext: ./src}\n";
    fs::create_directories(ws.repo() / "src");
    std::ofstream(ws.repo() / "src/i.js") << "exports.h = async () => 1;\n";
    std::string spec =
        "pipeline shop {\n  source codecommit { repo shop; branch main }\n  regions us-east-1\n";
    for (std::size_t i = 0; i < templates.size(); ++i)
      spec += fmt::format(
          "  app app{} {{ template {}; capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND }}\n", i,
          spec_string(templates[i]));
    std::ofstream(ws.repo() / "pipeline.mrp") << spec << "}\n";
    const Run built = ws.run(mrp_command("build pipeline.mrp"), ws.repo());
    INFO(built.err);
    REQUIRE(built.status == 0);
    const Run build = ws.run("bash multiregion-build.sh", ws.repo(),
                             {"US_EAST_1_ARTIFACT_BUCKET=b",
                              "US_EAST_1_IMAGE_REPOSITORY=123456789012.dkr.ecr.us-east-1."
                              "amazonaws.com/shop-images"});
    INFO(build.err);
    REQUIRE(build.status == 0);
    const auto sam_calls = mrp::test::call_args(ws, ws.sam_calls());
    REQUIRE(sam_calls.size() == 3);
    CHECK(sam_calls[0] == std::vector<std::string>{"build", "--template-file", templates[0],
                                                   "--build-dir", ".aws-sam/mrp/app0"});
    CHECK(sam_calls[1] == std::vector<std::string>{"build", "--template-file", templates[1],
                                                   "--build-dir", ".aws-sam/mrp/app1"});
    CHECK(mrp::test::option(sam_calls[2], "--template-file") == ".aws-sam/mrp/app1/template.yaml");
    const auto aws_calls = mrp::test::call_args(ws, ws.aws_calls());
    REQUIRE(aws_calls.size() == 1);
    CHECK(mrp::test::option(aws_calls[0], "--template-file") == ".aws-sam/mrp/app0/template.yaml");
    CHECK_FALSE(fs::exists(ws.repo() / "PWNED"));
    CHECK_FALSE(fs::exists(ws.repo().parent_path() / "PWNED"));
  }

  TEST_CASE("a spec's file name cannot break out of the header comments") {
    Workspace ws;
    // The file name, and the header comment's form of it.
    const std::vector<std::pair<std::string, std::string>> names = {
        {"new\ntouch PWNED #.mrp", "new\\ntouch PWNED #.mrp"},
        {"cr\rtouch PWNED.mrp", "cr\\rtouch PWNED.mrp"},
        {"$(touch PWNED) `touch PWNED` 'q' \"dq\".mrp",
         "$(touch PWNED) `touch PWNED` 'q' \"dq\".mrp"},
        {"ls\xE2\x80\xA8touch PWNED.mrp", "ls\\u2028touch PWNED.mrp"},
        {"nel\xC2\x85"
         "x.mrp",
         "nel\\u0085x.mrp"},
        {"bad\xFFutf8.mrp", "bad\\xffutf8.mrp"},
        {"\xC3\xBCnicode \xF0\x9F\x98\x80.mrp", "\xC3\xBCnicode \xF0\x9F\x98\x80.mrp"}};
    std::vector<Expected> expected;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto& [name, shown] = names[i];
      CAPTURE(shown);
      const std::string dir = fmt::format("d{}", i);
      fs::create_directories(ws.repo() / dir);
      std::ofstream(ws.repo() / dir / "template.yaml") << template_yaml;
      std::ofstream(ws.repo() / dir / name) << mrp::test::minimal_spec;
      const Run built = ws.run(mrp_command("build " + shell_quote(dir + "/" + name)), ws.repo());
      REQUIRE_MESSAGE(built.status == 0, built.err);
      const auto compiled =
          mrp::compile(mrp::test::minimal_spec, name, mrp::DiskFileReader(ws.repo() / dir));
      REQUIRE(compiled.outputs);
      for (const auto& [path, text] : *compiled.outputs) {
        CAPTURE(path);
        const std::string on_disk = "\n" + read_text(ws.repo() / dir / path);
        if (fs::path(path).extension() == ".json")  // the record has no comments
          CHECK(nlohmann::json::parse(on_disk)["about"].get<std::string>().find(
                    "written by mrp build from " + shown + ":") != std::string::npos);
        else
          CHECK(on_disk.find("\n# Generated by mrp from " + shown + ".\n") != std::string::npos);
        // Each YAML file still loads, to the same document.
        if (path == "deployment-pipeline/buildspec.yaml")
          expected.push_back(
              {dir + "/" + path, {"phases", "build", "commands", 0u}, "bash multiregion-build.sh"});
        else if (fs::path(path).extension() == ".yaml")
          expected.push_back({dir + "/" + path, {"AWSTemplateFormatVersion"}, "2010-09-09"});
      }
      const std::string bucket = "shop-123456789012-";
      CHECK(ws.run("bash multiregion-build.sh", ws.repo() / dir,
                   {"US_EAST_1_ARTIFACT_BUCKET=" + bucket + "us-east-1",
                    "EU_WEST_1_ARTIFACT_BUCKET=" + bucket + "eu-west-1"})
                .status == 0);
      for (const char* script : {"create-artifact-buckets.sh", "create-pipeline.sh",
                                 "update-pipeline.sh", "deploy.sh", "teardown.sh --yes"})
        CHECK(ws.run(std::string("bash ") + script, ws.repo() / dir / "deployment-pipeline",
                     {"GITHUB_TOKEN=t"})
                  .status == 0);
      CHECK_FALSE(fs::exists(ws.repo() / dir / "PWNED"));
      CHECK_FALSE(fs::exists(ws.repo() / dir / "deployment-pipeline" / "PWNED"));
    }
    check_with_yaml_cpp(ws.repo(), expected);
    check_with_pyyaml(ws, expected);
  }

  TEST_CASE("values mrp refuses are refused with the exact diagnostic, quoted on one line") {
    // Names, codes and ARNs take a pattern of their own; what breaks it is an
    // error naming the value, never a value passed on.
    const std::vector<std::pair<std::string, std::string>> refused = {
        {R"spec(pipeline "shop`id`" {
  source codecommit { repo "shop; touch PWNED"; branch "main\ntouch PWNED" }
  regions "us-east-1 eu-west-1" "eu-west-1\n"
  app "shop-app$(touch PWNED)" { template template.yaml }
}
)spec",
         R"err(test.mrp:1:10: error: pipeline name `shop`id`` must be lower-case letters, digits and hyphens, start with a letter and not end with `-`: it starts the S3 bucket names [pipeline-name]
pipeline "shop`id`" {
         ^
test.mrp:2:28: error: CodeCommit repository `shop; touch PWNED` must be 1 to 100 letters, digits, `_`, `.` or `-`, not ending in `.git` [source-value]
  source codecommit { repo "shop; touch PWNED"; branch "main\ntouch PWNED" }
                           ^
test.mrp:2:56: error: `main\ntouch PWNED` is not a valid git branch name: it holds a space or control character [git-branch]
  source codecommit { repo "shop; touch PWNED"; branch "main\ntouch PWNED" }
                                                       ^
test.mrp:3:11: error: unknown region `us-east-1 eu-west-1`; expected a commercial AWS region code such as `us-east-1` [unknown-region]
  regions "us-east-1 eu-west-1" "eu-west-1\n"
          ^
test.mrp:3:33: error: unknown region `eu-west-1\n`; did you mean `eu-west-1`? [unknown-region]
  regions "us-east-1 eu-west-1" "eu-west-1\n"
                                ^
test.mrp:4:7: error: stack name `shop-app$(touch PWNED)` must start with a letter and hold only letters, digits and hyphens, at most 128 characters [stack-name]
  app "shop-app$(touch PWNED)" { template template.yaml }
      ^
)err"},
        {R"spec(pipeline shop {
  source codestar {
    connection "arn:aws:codeconnections:us-east-1:123456789012:connection/$(touch PWNED)"
    repo "acme/shop's"
    branch "$(touch PWNED) now"
    trigger pull-request { events "open; touch PWNED" }
  }
  regions {
    wave "a'b" {
      approve { topic "arn:aws:sns:us-east-1:123456789012:t$(touch PWNED)"; timeout "2d; touch PWNED" }
      us-east-1
    }
  }
  app shop-app { template template.yaml }
}
)spec",
         R"err(test.mrp:3:16: error: `arn:aws:codeconnections:us-east-1:123456789012:connection/$(touch PWNED)` is not a connection ARN: expected arn:aws:codeconnections:REGION:ACCOUNT:connection/ID [source-value]
    connection "arn:aws:codeconnections:us-east-1:123456789012:connection/$(touch PWNED)"
               ^
test.mrp:4:10: error: repository `acme/shop's` must be OWNER/NAME, such as `acme/orders-api` (letters, digits, `_`, `.`, `-`) [source-value]
    repo "acme/shop's"
         ^
test.mrp:5:12: error: `$(touch PWNED) now` is not a valid git branch name: it holds a space or control character [git-branch]
    branch "$(touch PWNED) now"
           ^
test.mrp:6:35: error: unknown pull request event `open; touch PWNED`; expected `open`, `updated` or `closed` [trigger]
    trigger pull-request { events "open; touch PWNED" }
                                  ^
test.mrp:9:10: error: wave name `a'b` must be 1 to 90 letters, digits, `_` or `-`: it names the stage Deploy-a'b [wave]
    wave "a'b" {
         ^
test.mrp:10:23: error: `arn:aws:sns:us-east-1:123456789012:t$(touch PWNED)` is not an SNS topic ARN: expected arn:aws:sns:REGION:ACCOUNT:NAME [wave]
      approve { topic "arn:aws:sns:us-east-1:123456789012:t$(touch PWNED)"; timeout "2d; touch PWNED" }
                      ^
test.mrp:10:85: error: approval timeout `2d; touch PWNED` must be minutes, hours or days (`90m`, `4h`, `7d`) from 5 minutes to 60 days [duration]
      approve { topic "arn:aws:sns:us-east-1:123456789012:t$(touch PWNED)"; timeout "2d; touch PWNED" }
                                                                                    ^
)err"},
        {R"spec(pipeline shop {
  source github { owner "o'wner"; repo "r\"epo"; branch main }
  execution-mode "queued\n"
  deploy "direct #"
  regions us-east-1
  artifacts { expire-after "9d`id`"; versioning "on\n" }
  build { compute "small; x"; env "A B" x; env "PATH=$(x)" y }
  app shop-app {
    template template.yaml
    capabilities "CAPABILITY_IAM\nx"
    parameter "Key: x" v
  }
}
)spec",
         R"err(test.mrp:2:25: error: GitHub owner `o'wner` must be letters, digits and hyphens, at most 39, not starting with a hyphen [github-owner]
  source github { owner "o'wner"; repo "r\"epo"; branch main }
                        ^
test.mrp:2:40: error: GitHub repository `r"epo` must be letters, digits, `_`, `.` and `-`, at most 100 [github-repo]
  source github { owner "o'wner"; repo "r\"epo"; branch main }
                                       ^
test.mrp:3:18: error: unknown execution mode `queued\n`; did you mean `queued`? [execution-mode]
  execution-mode "queued\n"
                 ^
test.mrp:4:10: error: unknown deploy mode `direct #`; did you mean `direct`? [deploy-mode]
  deploy "direct #"
         ^
test.mrp:6:28: error: `expire-after` takes a number of days from 1d to 999999d, such as `90d`; got `9d`id`` [duration]
  artifacts { expire-after "9d`id`"; versioning "on\n" }
                           ^
test.mrp:6:49: error: `versioning` takes `on` or `off`; got `on\n` [versioning]
  artifacts { expire-after "9d`id`"; versioning "on\n" }
                                                ^
test.mrp:7:19: error: unknown compute `small; x`; expected `small`, `medium`, `large`, `xlarge`, `2xlarge` or a `BUILD_GENERAL1_*` name of these [compute-type]
  build { compute "small; x"; env "A B" x; env "PATH=$(x)" y }
                  ^
test.mrp:7:35: error: environment variable name `A B` must be letters, digits and `_`, not starting with a digit [env-name]
  build { compute "small; x"; env "A B" x; env "PATH=$(x)" y }
                                  ^
test.mrp:7:48: error: environment variable name `PATH=$(x)` must be letters, digits and `_`, not starting with a digit [env-name]
  build { compute "small; x"; env "A B" x; env "PATH=$(x)" y }
                                               ^
test.mrp:10:18: error: unknown capability `CAPABILITY_IAM\nx`; did you mean `CAPABILITY_IAM`? [capability]
    capabilities "CAPABILITY_IAM\nx"
                 ^
test.mrp:11:15: error: parameter name `Key: x` must be 1 to 255 letters and digits, as CloudFormation names parameters [parameter]
    parameter "Key: x" v
              ^
)err"},
        {R"spec(pipeline shop {
  source s3 { bucket "drops$(id)"; key k }
  regions us-east-1
  app shop-app { template template.yaml }
}
)spec",
         R"err(test.mrp:2:22: error: S3 bucket `drops$(id)` must be 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit [source-value]
  source s3 { bucket "drops$(id)"; key k }
                     ^
)err"},
    };
    for (const auto& [spec, errors] : refused) {
      CAPTURE(spec);
      CHECK(mrp::test::compile_errors(spec) == errors);
    }
  }
}
