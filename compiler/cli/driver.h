#pragma once
// The pipeline of the compiler, in order: parse, lower (which reads the app
// templates through a FileReader), lint, emit. Nothing here writes; writing is
// the caller's last step. Every command, test and the fuzzer compile through
// here, so that they all see the same IR and the same bytes.

#include <optional>
#include <string>
#include <string_view>

#include "compiler/base/diagnostics.h"
#include "compiler/base/file_reader.h"
#include "compiler/emit/emit.h"
#include "compiler/ir/ir.h"
#include "compiler/lint/lint.h"
#include "compiler/lower/lower.h"

namespace mrp {

struct CompileResult {
  Diagnostics diags;
  std::optional<Ir> ir;            ///< what lowered; complete only without errors
  std::optional<Outputs> outputs;  ///< set when there were no errors
};

/// Compiles the text of one spec: parse, lower, lint, emit. `file` is the
/// name diagnostics print; `files` reads the app templates the spec names.
/// Outputs are rendered only when there is no error; warnings leave them alone.
CompileResult compile(std::string_view source, const std::string& file, const FileReader& files,
                      const LowerOptions& options = {}, const LintOptions& lint = {});

/// The checks of compile() without rendering the outputs (`mrp lint`): the
/// template-size check renders only the pipeline template, and only when it
/// could be too large.
Diagnostics check_spec(std::string_view source, const std::string& file, const FileReader& files,
                       const LintOptions& lint = {});

/// Specs larger than this are refused before parsing: a real spec is a few
/// kilobytes, and the limit keeps the worst case (a huge or hostile file) fast.
inline constexpr std::size_t max_spec_bytes = 1 << 20;

/// Where the spec sits relative to an output folder: what LowerOptions needs.
LowerOptions lower_options_for(const std::string& spec_path, const std::string& output_dir);

/// A readable listing of the IR, for `mrp build --dump-ir`.
std::string dump_ir(const Ir& ir);

}  // namespace mrp
