#pragma once
// `mrp check`: compares the rendered outputs with the files on disk, without
// writing anything.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/result.h"
#include "compiler/emit/emit.h"

namespace mrp {

struct FileCheck {
  std::string path;  ///< relative to the output folder, as in Outputs
  enum class State { up_to_date, stale, missing } state;
  /// "" when up to date. Otherwise the unified diff that turns the file on disk
  /// into the generated text, labelled as git labels its diffs: a stale file
  /// (out of date or edited by hand) goes from `a/PATH` (on disk) to `b/PATH`
  /// (generated), a missing one from `/dev/null`. The labels are relative to the
  /// output folder, so from there `git apply` or `patch -p1` applies the diff.
  std::string diff;
};

/// Compares each output with the file `dir / path`, byte for byte (line ends
/// and a missing last newline count), in path order. Reads only; never writes.
/// Fails when a file exists but cannot be read (a folder, no permission): an
/// I/O error, not a stale file.
Result<std::vector<FileCheck>> check_outputs(const Outputs& outputs,
                                             const std::filesystem::path& dir);

/// The diffs of every file that is not up to date, then one line per such file
/// saying what is wrong and that `rebuild_command` (say `mrp build
/// specs/orders-api/pipeline.mrp`) fixes it. "" when every file is up to date.
std::string render_check_report(const std::vector<FileCheck>& checks,
                                std::string_view rebuild_command);

}  // namespace mrp
