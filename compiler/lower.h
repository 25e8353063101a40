#pragma once
// Syntax tree -> IR: checks every directive against the schema (design §3),
// reports every problem it finds, and computes every derived name once.

#include <optional>
#include <string>

#include "compiler/diagnostics.h"
#include "compiler/ir.h"
#include "compiler/syntax_tree.h"

namespace mrp {

struct LowerOptions {
  /// The spec file relative to the output folder, named in generated headers.
  std::string spec_path = "pipeline.mrp";
  /// The spec's folder relative to the output folder ("" when they are the
  /// same); paths in the spec are relative to the spec's folder.
  std::string spec_dir;
};

/// Returns the IR of everything that lowered, so that later checks can still
/// report their own problems; it is complete only when `diags` has no error.
/// Nothing when the spec has no usable `pipeline` directive.
std::optional<Ir> lower(const SyntaxTree& tree, const LowerOptions& options, Diagnostics& diags);

}  // namespace mrp
