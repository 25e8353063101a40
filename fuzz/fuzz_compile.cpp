// libFuzzer target over the whole path from bytes to files: the input is the
// text of a spec, compiled as `mrp build` and `mrp lint` would (parse, lower,
// lint, render every output, report the diagnostics in every format) and
// formatted as `mrp fmt` would. Nothing is read or written: the app template a
// spec names is held in memory and read through the same interface as the
// files on disk, once as a plain template that needs nothing of the spec (so
// that inputs reach the emitters) and once as a SAM template that every
// app-template check has something to say about. A third compile reads a
// record of earlier files (deployment-pipeline/deployed.json) of the
// seed specs/orders-api, its pipeline in eu-west-1 (not the first region the
// spec lists) and something waiting to be retired, so that inputs reach the
// home-region pinning, the retiring and the retire script.
//
// Besides crashes, sanitizer findings and hangs, it stops on a broken promise:
// outputs with errors, or none without; a formatted spec that does not parse,
// that formats differently a second time, or that compiles to other files.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/base/diff.h"
#include "compiler/base/rules.h"
#include "compiler/cli/driver.h"
#include "compiler/cli/report.h"
#include "compiler/syntax/format.h"

namespace {

constexpr const char* spec_file = "fuzz.mrp";

// The deprecation table is read for a fixed day, so that a crash found today
// still reproduces after the table's dates have passed.
constexpr mrp::Date fuzz_day{2026, 11, 26};

// A SAM template with something for every app-template check: a transform,
// a named IAM role (alike in every region), a deprecated runtime, declared
// parameters, a loop, a macro, a code path that does not exist and a
// function without one.
constexpr const char* app_template =
    R"(Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]
Parameters:
  Stage: {Type: String}
  Currency: {Type: String}
Globals:
  Function: {Runtime: nodejs12.x}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties: {RoleName: fuzz}
  Function:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.7, Handler: index.handler}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ./src
      Events: {Nightly: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 day)}}}
  Fn::ForEach::Topics:
    - Name
    - [a, b]
    - ${Name}Topic:
        Type: AWS::SNS::Topic
        Properties: {Fn::Transform: {Name: Fuzz::Macro}}
)";

constexpr const char* plain_template = R"(Resources:
  Topic: {Type: AWS::SNS::Topic}
)";

// What earlier files of orders-api deployed.
constexpr const char* record = R"({
  "version": 1,
  "deploys": [
    {"kind": "pipeline-stack", "region": "eu-west-1", "stack": "orders-api"},
    {"kind": "bucket-stack", "region": "eu-west-1", "stack": "orders-api-artifact-bucket",
     "buckets": ["orders-api-${AWS::AccountId}-eu-west-1"]},
    {"kind": "app-stack", "region": "eu-west-1", "stack": "orders-api-app"},
    {"kind": "bucket-stack", "region": "us-east-1", "stack": "orders-api-artifact-bucket",
     "buckets": ["orders-api-${AWS::AccountId}-us-east-1", "orders-api-${AWS::AccountId}-us-east-1-logs"]},
    {"kind": "app-stack", "region": "us-east-1", "stack": "orders-api-app"}
  ],
  "retiring": [
    {"kind": "app-stack", "region": "sa-east-1", "stack": "orders-api-app"},
    {"kind": "pipeline-stack", "region": "us-west-2", "stack": "orders-api-old"}
  ]
}
)";

const mrp::MemoryFileReader& recorded_files() {
  static const mrp::MemoryFileReader reader(
      {{"template.yaml", plain_template}, {"deployment-pipeline/deployed.json", record}});
  return reader;
}

const mrp::MemoryFileReader& plain_files() {
  static const mrp::MemoryFileReader reader({{"template.yaml", plain_template}});
  return reader;
}

const mrp::MemoryFileReader& sam_files() {
  static const mrp::MemoryFileReader reader({{"template.yaml", app_template}});
  return reader;
}

[[noreturn]] void broken(const char* promise, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz_compile: %s\n%.*s\n", promise, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void report_in_every_format(std::string_view text, const mrp::Diagnostics& diags) {
  std::vector<mrp::FileReport> reports{{spec_file, std::string(text), diags}};
  for (auto format : {mrp::ReportFormat::text, mrp::ReportFormat::json, mrp::ReportFormat::sarif})
    (void)mrp::render_report(reports, format);
}

// `mrp build`: compile, render the diagnostics, and with outputs dump the IR.
mrp::CompileResult build(std::string_view text, const mrp::FileReader& files) {
  auto r = mrp::compile(text, spec_file, files, {}, {fuzz_day});
  if (r.diags.has_errors() == r.outputs.has_value())
    broken("outputs were rendered with errors, or none without", mrp::render_all(r.diags, text));
  (void)mrp::render_all(r.diags, text);
  if (r.outputs) (void)mrp::dump_ir(*r.ir);
  return r;
}

// `mrp lint`: the checks without the outputs, reported as text, JSON and SARIF.
void lint(std::string_view text) {
  const mrp::Diagnostics diags = mrp::check_spec(text, spec_file, sam_files(), {fuzz_day});
  report_in_every_format(text, diags);
}

// `mrp fmt`, and `mrp fmt --check`'s diff; the formatted text formats to
// itself and compiles to the same files as the original.
void format(std::string_view text, const mrp::CompileResult& original) {
  mrp::Diagnostics diags;
  const auto once = mrp::format_source(text, spec_file, diags);
  if (!once) {
    for (const auto& d : diags.all())
      if (d.rule == mrp::rule::internal) broken("fmt would change the spec's meaning", text);
    return;
  }
  if (*once != text) (void)mrp::unified_diff(text, *once, spec_file, spec_file);
  mrp::Diagnostics again_diags;
  const auto twice = mrp::format_source(*once, spec_file, again_diags);
  if (!twice) broken("the formatted spec does not format again", *once);
  if (*twice != *once) broken("formatting twice changed the text", *once);
  const auto r = mrp::compile(*once, spec_file, plain_files(), {}, {fuzz_day});
  if (r.outputs != original.outputs) broken("the formatted spec compiles to other files", *once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mrp::CompileResult r = build(text, plain_files());
  (void)build(text, sam_files());
  (void)build(text, recorded_files());
  lint(text);
  format(text, r);
  return 0;
}
