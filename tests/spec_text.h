#pragma once
// The text side of the spec generator: random values, a small tree of
// directives, and a renderer that writes the tree in any layout the grammar
// accepts (docs/language.md §1).

#include <string>
#include <string_view>
#include <vector>

#include "tests/spec_gen.h"

namespace mrp::test {

/// `n` characters drawn from `pool`.
std::string chars(Rng& r, std::size_t n, std::string_view pool);

/// `s` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut(std::string s, std::size_t max);

/// Up to `max_pieces` pieces of text, at most `max_bytes`: plain words, and
/// everything YAML, JSON or a shell could misread.
std::string free_text(Rng& r, std::size_t max_pieces, std::size_t max_bytes);

/// A directive to render: its name, argument values, and block.
struct SpecNode {
  std::string name;
  std::vector<std::string> args;
  bool block = false;
  std::vector<SpecNode> children;
};

SpecNode node(std::string name, std::vector<std::string> args = {});
SpecNode block(std::string name, std::vector<std::string> args = {},
               std::vector<SpecNode> children = {});

/// `a` and `b` merged at random places, each keeping its own order.
std::vector<SpecNode> interleave(Rng& r, std::vector<SpecNode> a, std::vector<SpecNode> b);

template <typename T>
void shuffle(Rng& r, std::vector<T>& v) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[r.below(i)]);
}

/// The spec text of `root` in a random layout: indentation, blocks on one
/// line with `;`, `\` continuations, comments, words quoted or not, escapes,
/// CRLF and a byte-order mark.
std::string render_spec(Rng& r, const SpecNode& root);

}  // namespace mrp::test
