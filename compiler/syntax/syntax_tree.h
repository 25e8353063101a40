#pragma once
// The syntax tree of a .mrp file: directives, arguments and blocks with their
// positions. It knows nothing of AWS; lowering gives it meaning.

#include <memory>
#include <string>
#include <vector>

#include "compiler/base/source_pos.h"

namespace mrp {

struct Argument {
  enum class Kind { word, string };
  Kind kind = Kind::word;
  std::string value;  ///< with escapes resolved for strings
  SourcePos pos;
};

struct Directive {
  std::string name;
  SourcePos pos;
  std::vector<Argument> args;
  bool has_block = false;
  SourcePos block_pos;  ///< position of `{` when has_block
  SourcePos close_pos;  ///< position of `}` when has_block
  std::vector<Directive> children;
};

/// A `#` comment. Comments mean nothing to lowering; they are kept, beside the
/// directives rather than inside them, so that `mrp fmt` can write them back.
struct Comment {
  std::string text;  ///< from the `#` to the end of its line, without the line end
  SourcePos pos;     ///< position of the `#`
};

/// A whole parsed file: its top-level directives and every comment.
struct SyntaxTree {
  std::string file;
  std::vector<Directive> directives;
  std::vector<Comment> comments;  ///< in file order
};

}  // namespace mrp
