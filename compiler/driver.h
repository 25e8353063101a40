#pragma once
// The pipeline of the compiler, in order: parse, lower, emit. Nothing here
// touches the disk; writing is the caller's last step.

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diagnostics.h"
#include "compiler/emit.h"
#include "compiler/ir.h"
#include "compiler/lower.h"

namespace mrp {

struct CompileResult {
  Diagnostics diags;
  std::optional<Ir> ir;            ///< set when parsing and lowering succeeded
  std::optional<Outputs> outputs;  ///< set when there were no errors
};

/// Compiles the text of one spec. `file` is the name diagnostics print.
CompileResult compile(std::string_view source, const std::string& file,
                      const LowerOptions& options);

/// Where the spec sits relative to an output folder: what LowerOptions needs.
LowerOptions lower_options_for(const std::string& spec_path, const std::string& output_dir);

/// A readable listing of the IR, for `mrp build --dump-ir`.
std::string dump_ir(const Ir& ir);

}  // namespace mrp
