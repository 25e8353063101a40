#include "compiler/commands.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "compiler/driver.h"
#include "compiler/writer.h"

namespace mrp {
namespace fs = std::filesystem;

namespace {

// Reads a spec, at most one byte past the size mrp accepts: enough for compile()
// to refuse a huge file without reading all of it.
bool read_spec(const std::string& path, std::string& text) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  text.assign(max_spec_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return !in.bad();
}

// The folder a spec sits in, as the user named it: "" becomes ".".
std::string spec_folder(const std::string& spec) {
  const std::string dir = fs::path(spec).parent_path().lexically_normal().string();
  return dir.empty() ? "." : dir;
}

}  // namespace

int run_build(const BuildCommand& cmd) {
  std::string source;
  if (!read_spec(cmd.spec, source)) {
    fmt::print(stderr, "mrp: cannot read {}\n", cmd.spec);
    return exit_usage_or_io;
  }
  const std::string dir = cmd.output_dir.empty() ? spec_folder(cmd.spec) : cmd.output_dir;
  LintOptions lint;
  lint.spec_dir = spec_folder(cmd.spec);
  const auto result = compile(source, cmd.spec, lower_options_for(cmd.spec, dir), lint);
  std::fputs(render_all(result.diags, source).c_str(), stderr);
  if (!result.outputs) return exit_findings;
  if (cmd.dump_ir) std::fputs(dump_ir(*result.ir).c_str(), stdout);
  if (auto error = write_outputs(*result.outputs, dir); !error.empty()) {
    fmt::print(stderr, "mrp: {}; no file was changed\n", error);
    return exit_usage_or_io;
  }
  fmt::print("mrp: wrote {} files under {}\n", result.outputs->size(), dir);
  return exit_ok;
}

int run_lint(const LintCommand& cmd) {
  std::vector<FileReport> reports;
  bool io_error = false;
  std::size_t errors = 0, warnings = 0;
  for (const auto& file : cmd.files) {
    FileReport r;
    r.file = file;
    if (!read_spec(file, r.source)) {
      fmt::print(stderr, "mrp: cannot read {}\n", file);
      io_error = true;
      continue;
    }
    LintOptions lint;
    lint.spec_dir = spec_folder(file);
    lint.as_of = cmd.as_of;
    // Paths in the outputs do not matter to lint: only the checks run.
    r.diags = compile(r.source, file, LowerOptions{}, lint).diags;
    errors += r.diags.count(Severity::error);
    warnings += r.diags.count(Severity::warning);
    reports.push_back(std::move(r));
  }
  std::fputs(render_report(reports, cmd.format).c_str(), stdout);
  if (io_error) return exit_usage_or_io;
  return errors > 0 || (cmd.werror && warnings > 0) ? exit_findings : exit_ok;
}

}  // namespace mrp
