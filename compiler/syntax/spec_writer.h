#pragma once
// A spec written by a program rather than a person (`mrp init`, `mrp import`):
// a tree of directives with the comments that explain them, turned into text by
// the same formatter as `mrp fmt`, so the result is in the canonical layout and
// every argument is quoted exactly when it must be.

#include <string>
#include <vector>

namespace mrp {

struct SpecNode {
  std::string name;
  std::vector<std::string> args;   ///< a word when it can be one, else a string
  std::vector<SpecNode> children;  ///< written as a block when `block` is set
  bool block = false;
  std::vector<std::string> comments;  ///< lines of their own before it, without the `# `
  std::string trailing;               ///< a comment after its header, without the `# `
  bool blank_line_before = false;
};

/// A directive without a block.
SpecNode spec_line(std::string name, std::vector<std::string> args = {});

/// A directive with a block of `children`.
SpecNode spec_block(std::string name, std::vector<std::string> args,
                    std::vector<SpecNode> children);

/// The text of a spec made of `header` comment lines and then `top` directives.
/// Throws std::logic_error when the text would not parse back to the same
/// directives (a bug in the caller, such as a name that is not a directive name),
/// so that no command writes a spec mrp cannot read.
std::string write_spec(const std::vector<std::string>& header, const std::vector<SpecNode>& top);

}  // namespace mrp
