#pragma once
// Writing the rendered files: all or nothing, as far as a file system allows.

#include <filesystem>
#include <string>

#include "compiler/emit/emit.h"

namespace mrp {

/// Writes every output under `dir`. First each file goes to a temporary file
/// beside its target; only when all are written are they renamed into place,
/// so a failure leaves the previous files intact and no temporary file behind.
/// A process killed between the two leaves its temporary files, which the next
/// call removes. Scripts (`.sh`) are made executable. Returns an error message
/// naming the output and the cause, or "" on success.
std::string write_outputs(const Outputs& outputs, const std::filesystem::path& dir);

}  // namespace mrp
