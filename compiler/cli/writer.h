#pragma once
// Writing the rendered files: all or nothing, as far as a file system allows;
// and writing a new spec, never over one.

#include <filesystem>
#include <string>
#include <string_view>

#include "compiler/base/result.h"
#include "compiler/emit/emit.h"

namespace mrp {

/// Writes every output under `dir`. First each file goes to a temporary file
/// beside its target; only when all are written are they renamed into place,
/// so a failure leaves the previous files intact and no temporary file behind.
/// A process killed between the two leaves its temporary files, which the next
/// call removes. Scripts (`.sh`) are made executable. A failure names the
/// output and the cause.
Result<void> write_outputs(const Outputs& outputs, const std::filesystem::path& dir);

/// Whether anything is at `path`: a file, a folder, or a link, even a
/// dangling one (a spec someone meant to keep too).
bool path_taken(const std::filesystem::path& path);

/// Writes `text` to `path` only when nothing is there (see path_taken), for
/// the specs that `mrp init` and `mrp import` never write over. The text goes
/// to a temporary file beside `path`, which is then hard-linked to it: unlike
/// a rename, the link fails when the name is taken, even by a file created
/// after the command last looked. True when written; false, with nothing
/// written, when the name was taken; a failure names the file and the cause.
/// No temporary file is left behind either way.
Result<bool> write_new_file(const std::filesystem::path& path, std::string_view text);

}  // namespace mrp
