#pragma once
// The pipeline of the compiler, in order: parse, lower, emit. Nothing here
// touches the disk; writing is the caller's last step.

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diagnostics.h"
#include "compiler/emit.h"
#include "compiler/ir.h"
#include "compiler/lint.h"
#include "compiler/lower.h"

namespace mrp {

struct CompileResult {
  Diagnostics diags;
  std::optional<Ir> ir;            ///< what lowered; complete only without errors
  std::optional<Outputs> outputs;  ///< set when there were no errors
};

/// Compiles the text of one spec: parse, lower, lint, emit. `file` is the
/// name diagnostics print. Outputs are rendered only when there is no error;
/// warnings leave them alone.
CompileResult compile(std::string_view source, const std::string& file,
                      const LowerOptions& options, const LintOptions& lint = {});

/// The checks of compile() without rendering the outputs (`mrp lint`): the
/// template-size check renders only the pipeline template, and only when it
/// could be too large.
Diagnostics check_spec(std::string_view source, const std::string& file, const LintOptions& lint);

/// Specs larger than this are refused before parsing: a real spec is a few
/// kilobytes, and the limit keeps the worst case (a huge or hostile file) fast.
inline constexpr std::size_t max_spec_bytes = 1 << 20;

/// Where the spec sits relative to an output folder: what LowerOptions needs.
LowerOptions lower_options_for(const std::string& spec_path, const std::string& output_dir);

/// A readable listing of the IR, for `mrp build --dump-ir`.
std::string dump_ir(const Ir& ir);

}  // namespace mrp
