// `mrp import DIR`: the spec of a hand-written 2018 layout, written beside it
// (or where -o says), never over a spec that is already there.

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "compiler/cli/commands.h"
#include "compiler/cli/writer.h"
#include "compiler/import/layout.h"

namespace mrp {
namespace fs = std::filesystem;
namespace {

std::string default_spec(const std::string& dir) {
  return (fs::path(dir) / "pipeline.mrp").lexically_normal().generic_string();
}

// The imported folder relative to the folder the spec goes in, "" when it is
// the same (or the spec goes to stdout, read as if it were in the folder).
std::string folder_from_spec(const std::string& dir, const std::string& output) {
  if (output == "-") return "";
  const fs::path out = fs::weakly_canonical(fs::absolute(output)).parent_path();
  const std::string rel =
      fs::weakly_canonical(fs::absolute(dir)).lexically_relative(out).generic_string();
  return rel == "." ? "" : rel;
}

// Said whether the spec was there when import started or appeared while it
// read the layout.
int spec_exists(const std::string& path) {
  fmt::print(stderr, "mrp: error: {} already exists; mrp import writes a new spec only\n", path);
  return exit_usage_or_io;
}

int write_spec_file(const std::string& path, const std::string& text) {
  const auto written = write_new_file(path, text);
  if (!written.ok()) {
    fmt::print(stderr, "mrp: error: {}; nothing was written\n", written.error());
    return exit_usage_or_io;
  }
  if (!written.value()) return spec_exists(path);
  fmt::print("mrp: wrote {}\n", path);
  return exit_ok;
}

}  // namespace

int run_import(const ImportCommand& cmd) {
  std::error_code ec;
  if (!fs::is_directory(cmd.dir, ec)) {
    fmt::print(stderr, "mrp: error: {} is not a folder\n", cmd.dir);
    return exit_usage_or_io;
  }
  const std::string output = cmd.output.empty() ? default_spec(cmd.dir) : cmd.output;
  // Looked for first, so that an existing spec is reported alone, not after
  // the findings of a layout it would not be written from.
  if (output != "-" && path_taken(output)) return spec_exists(output);
  Diagnostics diags;
  const auto spec =
      import_layout(DiskFileReader(cmd.dir), diags, folder_from_spec(cmd.dir, output));
  std::fputs(render_findings(diags, cmd.dir).c_str(), stderr);
  if (!spec) return exit_findings;
  if (output == "-") {
    std::fputs(spec->c_str(), stdout);
    return exit_ok;
  }
  return write_spec_file(output, *spec);
}

}  // namespace mrp
