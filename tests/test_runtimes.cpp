// Lambda runtimes in the app template: identifiers Lambda does not know are
// errors, deprecated ones warnings naming the newest runtime of the family.
// The golden case is golden/errors/lint-unknown-runtimes.*.

#include <string>

#include <doctest/doctest.h>

#include "compiler/aws/deprecations.h"
#include "compiler/cli/driver.h"
#include "tests/support.h"

namespace {

const std::string spec = R"(pipeline shop {
  source codecommit { repo shop; branch main }
  regions us-east-1
  app shop-app {
    template template.yaml
  }
}
)";

// The diagnostics of `spec` with one function of `runtime` (a YAML value), on `day`.
std::string lint_runtime(const std::string& runtime, mrp::Date day = {2026, 11, 30}) {
  mrp::MemoryFileReader files;
  files.add(
      "template.yaml",
      "Parameters:\n  Runtime:\n    Type: String\n    Default: python3.14\nResources:\n  Fn:\n"
      "    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: " +
          runtime + "\n");
  const mrp::Diagnostics d = mrp::check_spec(spec, "test.mrp", files, {.as_of = day});
  return mrp::render_all(d, spec);
}

}  // namespace

TEST_CASE("a runtime Lambda does not know is an error with the nearest identifier") {
  CHECK(lint_runtime("pyhton3.12") ==
        "template.yaml:9:16: error: `pyhton3.12` is not a Lambda runtime identifier, so "
        "CloudFormation would reject the function; did you mean `python3.12`? "
        "[unknown-runtime]\n"
        "      Runtime: pyhton3.12\n"
        "               ^\n");
  CHECK(lint_runtime("provided.al2023023").find("did you mean `provided.al2023`?") !=
        std::string::npos);
  // Two edits from nodejs22.x and nodejs24.x alike: the newest comes first.
  CHECK(lint_runtime("nodejs99.x").find("did you mean `nodejs24.x`?") != std::string::npos);
  CHECK(lint_runtime("cobol85") ==
        "template.yaml:9:16: error: `cobol85` is not a Lambda runtime identifier, so "
        "CloudFormation would reject the function; use one such as `nodejs24.x` "
        "[unknown-runtime]\n"
        "      Runtime: cobol85\n"
        "               ^\n");
}

TEST_CASE("current runtimes and runtimes from a parameter draw nothing") {
  for (const char* runtime :
       {"nodejs24.x", "python3.14", "java25", "dotnet10", "ruby4.0", "provided.al2023",
        "\"python3.13\"", "!Ref Runtime", "!Sub \"nodejs${Version}\""})
    CHECK_MESSAGE(lint_runtime(runtime).empty(), runtime);
}

TEST_CASE("a deprecated runtime is a warning naming the newest of its family") {
  CHECK(lint_runtime("dotnet8") ==
        "template.yaml:9:16: warning: Lambda runtime `dotnet8` is deprecated since 2026-11-10: "
        "use `dotnet10` [deprecated-runtime]\n"
        "      Runtime: dotnet8\n"
        "               ^\n");
  CHECK(lint_runtime("go1.x").find("use `provided.al2023`") != std::string::npos);
  CHECK(lint_runtime("java8.al2").empty());  // Amazon Linux 2 support runs to 2027-06-30
  CHECK(lint_runtime("java8.al2", {2027, 6, 30}).find("use `java25`") != std::string::npos);
  CHECK(lint_runtime("nodejs24.x", {2028, 4, 30}) ==
        "template.yaml:9:16: warning: Lambda runtime `nodejs24.x` is deprecated since "
        "2028-04-30, and mrp knows no newer one of its family: see \"Lambda runtimes\" in the "
        "Lambda Developer Guide [deprecated-runtime]\n"
        "      Runtime: nodejs24.x\n"
        "               ^\n");
}

TEST_CASE("every replacement in the deprecation tables is itself current") {
  for (const std::string_view runtime : mrp::known_runtimes()) {
    const mrp::Deprecation* d = mrp::find_runtime_deprecation(runtime);
    REQUIRE_MESSAGE(d, runtime);  // every identifier has a date, past or scheduled
    if (d->replacement.empty()) continue;
    CHECK_MESSAGE(mrp::is_known_runtime(d->replacement), runtime);
    const mrp::Deprecation* next = mrp::find_runtime_deprecation(d->replacement);
    CHECK_MESSAGE(next->replacement.empty(), runtime);  // the family's newest
    CHECK_MESSAGE(next->since >= d->since, runtime);
  }
  for (const char* image :
       {"aws/codebuild/standard:3.0", "aws/codebuild/amazonlinux2-x86_64-standard:3.0",
        "aws/codebuild/amazonlinux2-aarch64-standard:1.0", "aws/codebuild/nodejs:8.11.0"}) {
    const mrp::Deprecation* d = mrp::find_image_deprecation(image);
    REQUIRE_MESSAGE(d, image);
    CHECK_MESSAGE(mrp::find_image_deprecation(d->replacement) == nullptr, image);
  }
}
