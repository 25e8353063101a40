#pragma once
// Syntax tree -> the one canonical layout of a spec, comments included, for
// `mrp fmt`. Formatting changes only layout: the directives, their arguments and
// blocks read back exactly as before, and formatting twice changes nothing more.

#include <optional>
#include <string>
#include <string_view>

#include "compiler/base/diagnostics.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// The canonical text of `tree`: one directive per line, indented two spaces per
/// block, arguments one space apart, strings re-quoted, `{` on the directive's
/// line and `}` on a line of its own (`name {}` when empty). A comment that
/// trailed a line of code trails the same code, two spaces after it; a comment on
/// a line of its own stays before the same directive or `}`. Runs of blank lines
/// between items become one; blank lines after `{`, before `}` and at either end
/// of the file go. LF line ends, and one newline at the end unless there is no text.
std::string format_spec(const SyntaxTree& tree);

/// Parses and formats `source` (the contents of `file`). Nothing, and one
/// diagnostic in `diags`, when it does not parse, or when the formatted text
/// would not parse back to the same directives: a rewrite must never change a
/// spec's meaning, so a formatter bug leaves the file as it was.
std::optional<std::string> format_source(std::string_view source, const std::string& file,
                                         Diagnostics& diags);

/// True when `a` and `b` hold the same directives, arguments (kind and value)
/// and blocks, in the same order; positions and comments are not compared.
bool same_directives(const SyntaxTree& a, const SyntaxTree& b);

}  // namespace mrp
