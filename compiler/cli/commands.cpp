#include "compiler/cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "compiler/base/diff.h"
#include "compiler/cli/check.h"
#include "compiler/cli/driver.h"
#include "compiler/cli/plan.h"
#include "compiler/cli/writer.h"
#include "compiler/emit/shell_out.h"
#include "compiler/syntax/format.h"

namespace mrp {
namespace fs = std::filesystem;

namespace {

void print_error(const std::string& message) { fmt::print(stderr, "mrp: error: {}\n", message); }

// Reads a spec, at most one byte past the size mrp accepts: enough for compile()
// to refuse a huge file without reading all of it.
Result<std::string> read_spec(const std::string& path) {
  const Failure unreadable{"cannot read " + path};
  std::error_code ec;
  if (fs::is_directory(path, ec)) return unreadable;
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable;
  const auto size = fs::file_size(path, ec);
  // Sized from the file so that lint, holding every file's text for its
  // report, keeps no more than the files themselves; a size that cannot be
  // known (a pipe) reads up to the limit.
  std::string text(ec ? max_spec_bytes + 1 : std::min<std::uintmax_t>(size, max_spec_bytes + 1),
                   '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  text.shrink_to_fit();
  if (in.bad()) return unreadable;
  return text;
}

// The folder a spec sits in, as the user named it: "" becomes ".".
std::string spec_folder(const std::string& spec) {
  const std::string dir = fs::path(spec).parent_path().lexically_normal().string();
  return dir.empty() ? "." : dir;
}

}  // namespace

namespace {

// A spec read and compiled for the output folder `dir`, its diagnostics
// printed: what build and check share.
struct Compiled {
  std::string dir;
  CompileResult result;
};

Result<Compiled> compile_spec_file(const std::string& spec, const std::string& output_dir,
                                   bool forget_retired = false) {
  auto read = read_spec(spec);
  if (!read.ok()) return Failure{read.error()};
  const std::string& source = read.value();
  Compiled c;
  c.dir = output_dir.empty() ? spec_folder(spec) : output_dir;
  LowerOptions options = lower_options_for(spec, c.dir);
  options.forget_retired = forget_retired;
  c.result = compile(source, spec, DiskFileReader(spec_folder(spec)), options);
  std::fputs(render_all(c.result.diags, source).c_str(), stderr);
  return c;
}

std::string build_command(const std::string& spec, const std::string& output_dir) {
  std::string command = "mrp build " + shell_quote(spec);
  if (!output_dir.empty()) command += " -o " + shell_quote(output_dir);
  return command;
}

std::string record_shown(const Compiled& c) {
  return (fs::path(c.dir) / c.result.ir->paths.record).lexically_normal().generic_string();
}

}  // namespace

int run_build(const BuildCommand& cmd) {
  const auto compiled = compile_spec_file(cmd.spec, cmd.output_dir, cmd.forget_retired);
  if (!compiled.ok()) {
    print_error(compiled.error());
    return exit_usage_or_io;
  }
  const Compiled& c = compiled.value();
  if (!c.result.outputs) return exit_findings;
  if (cmd.dump_ir) std::fputs(dump_ir(*c.result.ir).c_str(), stdout);
  // What changes is measured against the files as they are, before writing.
  const Plan plan =
      make_plan(*c.result.ir, template_changes(*c.result.ir, *c.result.outputs, c.dir),
                PlanPaths{c.dir, build_command(cmd.spec, cmd.output_dir)});
  if (const auto written = write_outputs(*c.result.outputs, c.dir); !written.ok()) {
    print_error(written.error() + "; no file was changed");
    return exit_usage_or_io;
  }
  if (cmd.format == PlanFormat::json) {
    fmt::print("{}\n", render_plan_json(plan, record_shown(c)));
    return exit_ok;
  }
  fmt::print("mrp: wrote {} files under {}\n", c.result.outputs->size(), c.dir);
  std::fputs(render_plan_text(plan, record_shown(c)).c_str(), stdout);
  return exit_ok;
}

int run_graph(const GraphCommand& cmd) {
  const auto compiled = compile_spec_file(cmd.spec, "");
  if (!compiled.ok()) {
    print_error(compiled.error());
    return exit_usage_or_io;
  }
  const Compiled& c = compiled.value();
  // A spec with errors is drawn no more than it is built: the picture would
  // show a pipeline no file defines.
  if (!c.result.outputs) return exit_findings;
  const std::string text = emit_graph(*c.result.ir, cmd.format);
  if (cmd.output.empty()) {
    std::fputs(text.c_str(), stdout);
    return exit_ok;
  }
  const fs::path path(cmd.output);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (const auto written = write_outputs({{path.filename().string(), text}}, dir); !written.ok()) {
    print_error(written.error() + "; " + cmd.output + " is unchanged");
    return exit_usage_or_io;
  }
  return exit_ok;
}

int run_lint(const LintCommand& cmd) {
  std::vector<FileReport> reports;
  bool io_error = false;
  bool errors = false, warnings = false;
  for (const auto& file : cmd.files) {
    auto read = read_spec(file);
    if (!read.ok()) {
      print_error(read.error());
      io_error = true;
      continue;
    }
    FileReport r;
    r.file = file;
    r.source = std::move(read.value());
    r.diags = check_spec(r.source, file, DiskFileReader(spec_folder(file)), LintOptions{cmd.as_of});
    errors = errors || r.diags.has_errors();
    warnings = warnings || r.diags.count(Severity::warning) > 0;
    reports.push_back(std::move(r));
  }
  std::fputs(render_report(reports, cmd.format).c_str(), stdout);
  if (io_error) return exit_usage_or_io;
  return errors || (cmd.werror && warnings) ? exit_findings : exit_ok;
}

namespace {

int check_one(const std::string& spec, const std::string& output_dir, PlanFormat format) {
  const auto compiled = compile_spec_file(spec, output_dir);
  if (!compiled.ok()) {
    print_error(compiled.error());
    return exit_usage_or_io;
  }
  const Compiled& c = compiled.value();
  if (!c.result.outputs) return exit_findings;
  const std::string rebuild = build_command(spec, output_dir);
  const auto checks = check_outputs(*c.result.outputs, c.dir);
  if (!checks.ok()) {
    print_error(checks.error());
    return exit_usage_or_io;
  }
  const Plan plan = make_plan(*c.result.ir, template_changes(*c.result.ir, checks.value()),
                              PlanPaths{c.dir, rebuild});
  const std::string report = render_check_report(checks.value(), rebuild);
  if (format == PlanFormat::json)
    fmt::print("{}\n", render_plan_json(plan, record_shown(c)));
  else
    std::fputs((report + render_plan_text(plan, record_shown(c))).c_str(), stdout);
  return report.empty() ? exit_ok : exit_findings;
}

}  // namespace

int run_check(const CheckCommand& cmd) {
  if (!cmd.output_dir.empty() && cmd.specs.size() > 1) {
    fmt::print(stderr,
               "mrp: check -o takes one spec; each of several specs is checked against "
               "its own folder\n");
    return exit_usage_or_io;
  }
  int status = exit_ok;
  for (const auto& spec : cmd.specs)
    status = std::max(status, check_one(spec, cmd.output_dir, cmd.format));
  return status;
}

int run_fmt(const FmtCommand& cmd) {
  int status = exit_ok;
  for (const auto& file : cmd.files) {
    const auto read = read_spec(file);
    if (!read.ok() || read.value().size() > max_spec_bytes) {
      print_error(read.ok() ? "cannot read " + file + ": larger than 1 MiB" : read.error());
      status = exit_usage_or_io;
      continue;
    }
    const std::string& source = read.value();
    Diagnostics diags;
    const auto formatted = format_source(source, file, diags);
    if (!formatted) {
      std::fputs(render_all(diags, source).c_str(), stderr);
      if (status == exit_ok) status = exit_findings;
      continue;
    }
    if (*formatted == source) continue;
    if (cmd.check) {
      std::fputs(unified_diff(source, *formatted, file, file + " (formatted)").c_str(), stdout);
      if (status == exit_ok) status = exit_findings;
      continue;
    }
    const fs::path path(file);
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (const auto written = write_outputs({{path.filename().string(), *formatted}}, dir);
        !written.ok()) {
      print_error(written.error() + "; " + file + " is unchanged");
      status = exit_usage_or_io;
    }
  }
  return status;
}

}  // namespace mrp
