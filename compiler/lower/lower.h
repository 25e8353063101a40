#pragma once
// Syntax tree -> IR: checks every directive against the schema (the
// directives of docs/language.md §2), reads the app templates the spec names,
// reports every problem it finds, computes every derived name once and derives
// the pipeline stack's roles.

#include <optional>
#include <string>

#include "compiler/base/diagnostics.h"
#include "compiler/base/file_reader.h"
#include "compiler/ir/ir.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

struct LowerOptions {
  /// The spec file relative to the output folder, named in generated headers.
  std::string spec_path = "pipeline.mrp";
  /// The spec's folder relative to the output folder ("" when they are the
  /// same); paths in the spec are relative to the spec's folder.
  std::string spec_dir;
  /// deployment-pipeline/deployed.json of the output folder, relative to the
  /// spec's folder: what the files deployed before this build.
  std::string record_path = "deployment-pipeline/deployed.json";
  /// `mrp build --forget-retired`: drop the record's list of what waits to be
  /// retired, once retire.sh has deleted it.
  bool forget_retired = false;
};

/// Returns the IR of everything that lowered, so that later checks can still
/// report their own problems; it is complete only when `diags` has no error.
/// Nothing when the spec has no usable `pipeline` directive. App templates
/// are read through `files`, by their paths as the spec writes them.
std::optional<Ir> lower(const SyntaxTree& tree, const LowerOptions& options,
                        const FileReader& files, Diagnostics& diags);

}  // namespace mrp
