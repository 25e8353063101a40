#pragma once
// The shape check that lowering runs on every block: which directives a block
// may hold, how many arguments each takes, which need a block, which repeat.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {

inline constexpr std::size_t any_count = static_cast<std::size_t>(-1);

enum class BlockRule { none, required, optional };

struct DirectiveShape {
  std::string_view name;
  std::size_t min_args = 0;
  std::size_t max_args = 0;  ///< any_count for no limit
  BlockRule block = BlockRule::none;
  bool repeats = false;
  bool required = false;
  std::string_view arg_hint = {};  ///< what the arguments are, for messages
};

/// The directives of one block, grouped by name in the order they appear. Only
/// directives whose shape was right are kept.
using Children = std::map<std::string, std::vector<const Directive*>, std::less<>>;

/// Checks the name, argument count and block of every child of `parent`
/// against `shapes`, and that required ones are there and single ones are not
/// repeated. Reports every problem to `diags`.
Children check_children(const Directive& parent, const std::vector<Directive>& children,
                        const std::vector<DirectiveShape>& shapes, Diagnostics& diags);

/// The closest of `known` to `word` within a small edit distance, or empty.
std::string_view closest_word(std::string_view word, const std::vector<std::string_view>& known);

/// "; did you mean `x`?" when one of `known` is close to `word`, otherwise
/// "; expected `a`, `b` or `c`": the tail of an "unknown …" message.
std::string suggestion(std::string_view word, const std::vector<std::string_view>& known);

}  // namespace mrp
