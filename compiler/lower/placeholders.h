#pragma once
// Placeholders: the `<...>` words `mrp init` writes where it cannot guess a
// value (`connection <connection-arn>`). Each is an error of its own, the only
// one at its position, so that lint of a fresh spec lists exactly what is left
// to fill in.

#include <string>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// Whether `arg` is a placeholder: a word `<...>` with something between the
/// angle brackets. A string never is, so a command such as "sort <in" is safe.
bool is_placeholder(const Argument& arg);

/// Reports each placeholder argument of `tree` as a `placeholder` error that
/// says what to put there, and drops every other diagnostic at the position
/// of one (and a `parameter-value` one at its parameter's key, where values
/// are checked): a placeholder is not a connection ARN or a region, and saying
/// so would only repeat that it must be replaced. The driver runs it last, over
/// the syntax tree, so that it sees what lowering and lint said wherever the
/// placeholder stands.
void report_placeholders(const SyntaxTree& tree, Diagnostics& diags);

}  // namespace mrp
