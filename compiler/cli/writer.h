#pragma once
// Writing the rendered files: all or nothing, as far as a file system allows.

#include <filesystem>
#include <string>

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

}  // namespace mrp
