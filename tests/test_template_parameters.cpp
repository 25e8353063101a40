// Template parameters as CloudFormation checks them at deploy time; the full
// messages are in golden/errors/lint-parameters.err.

#include <string>

#include <doctest/doctest.h>

#include "tests/support.h"

namespace {

const std::string spec_head = R"(pipeline shop {
  source codecommit { repo shop; branch main }
  regions us-east-1 eu-west-1
  app shop-app {
    template template.yaml
)";

std::string errors_with(const std::string& parameters, const std::string& app_lines) {
  mrp::MemoryFileReader files;
  files.add("template.yaml",
            "Parameters:\n" + parameters + "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n");
  const auto r = mrp::test::compile_text(spec_head + app_lines + "  }\n}\n", files);
  std::string out;
  for (const auto& d : r.diags.all())
    if (d.severity == mrp::Severity::error) out += std::string(d.rule) + "\n";
  return out;
}

}  // namespace

TEST_CASE("a parameter without a Default must be set for every region") {
  const std::string stage = "  Stage:\n    Type: String\n";
  CHECK(errors_with(stage, "") == "parameter-required\n");
  CHECK(errors_with(stage, "    parameter Stage prod\n") == "");
  CHECK(errors_with(stage, "    region eu-west-1 { parameter Stage eu }\n") ==
        "parameter-required\n");
  CHECK(errors_with(stage,
                    "    region eu-west-1 { parameter Stage eu }\n"
                    "    region us-east-1 { parameter Stage us }\n") == "");
  CHECK(errors_with("  Stage:\n    Type: String\n    Default: prod\n", "") == "");
}

TEST_CASE("values within their constraints pass; each constraint refuses what it should") {
  const std::string port = "  Port:\n    Type: Number\n    MinValue: 1\n    MaxValue: 9\n";
  CHECK(errors_with(port, "    parameter Port 1\n") == "");
  CHECK(errors_with(port, "    parameter Port 9.0\n") == "");
  CHECK(errors_with(port, "    parameter Port 0\n") == "parameter-value\n");
  CHECK(errors_with(port, "    parameter Port 10\n") == "parameter-value\n");
  CHECK(errors_with(port, "    parameter Port nine\n") == "parameter-value\n");
  const std::string name =
      "  Name:\n    Type: String\n    MinLength: 2\n    MaxLength: 3\n"
      "    AllowedPattern: \"[a-zé]+\"\n";
  CHECK(errors_with(name, "    parameter Name \"éé\"\n") == "");  // characters, not bytes
  CHECK(errors_with(name, "    parameter Name a\n") == "parameter-value\n");
  CHECK(errors_with(name, "    parameter Name abcd\n") == "parameter-value\n");
  // The pattern must match the whole value, as CloudFormation matches it.
  CHECK(errors_with(name, "    parameter Name ab1\n") == "parameter-value\n");
  const std::string stage = "  Stage:\n    Type: String\n    AllowedValues: [dev, prod]\n";
  CHECK(errors_with(stage, "    parameter Stage dev\n") == "");
  CHECK(errors_with(stage, "    parameter Stage Dev\n") == "parameter-value\n");
  // A region's override is checked too.
  CHECK(errors_with(stage,
                    "    parameter Stage dev\n    region eu-west-1 { parameter Stage qa }\n") ==
        "parameter-value\n");
}

TEST_CASE("a pattern std::regex cannot read, and list types, are left to AWS") {
  CHECK(errors_with("  Name:\n    Type: String\n    AllowedPattern: \"(?<=a)b\"\n",
                    "    parameter Name anything\n") == "");
  CHECK(errors_with("  Ids:\n    Type: CommaDelimitedList\n    AllowedValues: [a]\n",
                    "    parameter Ids b\n") == "");
}

TEST_CASE("a logical id that is not a name is a positioned error, not an internal one") {
  mrp::MemoryFileReader files;
  files.add("template.yaml", "Resources:\n  ? [a, b]\n  : Type: AWS::SNS::Topic\n");
  const std::string spec = spec_head + "  }\n}\n";
  const auto r = mrp::test::compile_text(spec, files);
  CHECK(mrp::render_all(r.diags, spec) ==
        "template.yaml:2:5: error: app template `template.yaml`: a logical id under "
        "`Resources` must be a name, not a map or a list [app-template]\n"
        "  ? [a, b]\n"
        "    ^\n");
}
