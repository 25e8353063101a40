// libFuzzer target over the whole path from bytes to files: the input is the
// text of a spec, compiled as `mrp build` and `mrp lint` would (parse, lower,
// lint, render every output, report the diagnostics in every format) and
// formatted as `mrp fmt` would. Nothing is written; the only file read is the
// one app template made at startup.
//
// Besides crashes, sanitizer findings and hangs, it stops on a broken promise:
// outputs with errors, or none without; a formatted spec that does not parse,
// that formats differently a second time, or that compiles to other files.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "compiler/diff.h"
#include "compiler/driver.h"
#include "compiler/format.h"
#include "compiler/iam.h"
#include "compiler/report.h"
#include "compiler/rules.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* spec_file = "fuzz.mrp";

// The deprecation table is read for a fixed day, so that a crash found today
// still reproduces after the table's dates have passed.
constexpr mrp::Date fuzz_day{2026, 11, 26};

// A SAM template with something for every app-template check: a transform,
// a named IAM role, a deprecated runtime and declared parameters.
constexpr const char* app_template = R"(Transform: AWS::Serverless-2016-10-31
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
)";

fs::path template_dir;

void remove_template_dir() {
  std::error_code ec;
  fs::remove_all(template_dir, ec);
}

[[noreturn]] void broken(const char* promise, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz_compile: %s\n%.*s\n", promise, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// The spec names the template's path; the fuzzer only lets it name files in
// the template folder, so that an input never makes the check read /proc or
// a device.
bool templates_confined(const mrp::Ir& ir) {
  for (const auto& app : ir.apps) {
    const fs::path p(app.template_in_spec);
    if (p.is_absolute() || p.has_root_name() || p.has_root_directory()) return false;
    for (const auto& part : p)
      if (part == "..") return false;
  }
  return true;
}

void report_in_every_format(std::string_view text, const mrp::Diagnostics& diags) {
  std::vector<mrp::FileReport> reports{{spec_file, std::string(text), diags}};
  for (auto format : {mrp::ReportFormat::text, mrp::ReportFormat::json, mrp::ReportFormat::sarif})
    (void)mrp::render_report(reports, format);
}

// `mrp build`: compile, render the diagnostics, and with outputs dump the IR;
// then the app-template checks against the one template on disk, and the
// roles and pipeline template that follow from its resource types.
mrp::CompileResult build(std::string_view text) {
  auto r = mrp::compile(text, spec_file, mrp::LowerOptions{}, mrp::LintOptions{{}, fuzz_day});
  if (r.diags.has_errors() == r.outputs.has_value())
    broken("outputs were rendered with errors, or none without", mrp::render_all(r.diags, text));
  (void)mrp::render_all(r.diags, text);
  if (r.outputs) (void)mrp::dump_ir(*r.ir);
  if (r.ir && templates_confined(*r.ir)) {
    mrp::Diagnostics diags;
    mrp::Ir ir = *r.ir;
    mrp::read_app_templates(ir, template_dir, fuzz_day, diags);
    mrp::derive_roles(ir);
    if (r.outputs) (void)mrp::emit_pipeline(ir);
    (void)mrp::render_all(diags, text);
  }
  return r;
}

// `mrp lint`: the checks without the outputs, reported as text, JSON and SARIF.
void lint(std::string_view text) {
  const mrp::Diagnostics diags = mrp::check_spec(text, spec_file, mrp::LintOptions{{}, fuzz_day});
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
  const auto r =
      mrp::compile(*once, spec_file, mrp::LowerOptions{}, mrp::LintOptions{{}, fuzz_day});
  if (r.outputs != original.outputs) broken("the formatted spec compiles to other files", *once);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string dir = (fs::temp_directory_path() / "mrp-fuzz-XXXXXX").string();
  if (!mkdtemp(dir.data())) broken("cannot make a folder for the app template");
  template_dir = dir;
  std::ofstream(template_dir / "template.yaml", std::ios::binary) << app_template;
  std::atexit(remove_template_dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const mrp::CompileResult r = build(text);
  lint(text);
  format(text, r);
  return 0;
}
