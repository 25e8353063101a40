#pragma once
// Text -> syntax tree. Syntax errors stop at the first one.

#include <optional>
#include <string>
#include <string_view>

#include "compiler/base/diagnostics.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

/// Blocks nested deeper than this are rejected, so no input can exhaust the stack.
inline constexpr std::size_t max_block_depth = 64;

/// Parses `source` (the contents of `file`). On a syntax error, or when the text
/// is not UTF-8, returns nothing and adds one diagnostic to `diags`.
std::optional<SyntaxTree> parse_spec(std::string_view source, const std::string& file,
                                     Diagnostics& diags);

}  // namespace mrp
