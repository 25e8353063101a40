#pragma once
// The syntax tree of a .mrp file: directives, arguments and blocks with their
// positions. It knows nothing of AWS; lowering gives it meaning.

#include <memory>
#include <string>
#include <vector>

namespace mrp {

/// A place in a spec file. `line` and `column` are one-based; `column` counts
/// bytes, as the parser sees them (diagnostics convert it for display).
struct SourcePos {
  std::string file;
  std::size_t line = 1;
  std::size_t column = 1;
  std::size_t byte = 0;  ///< offset of the position in the file
};

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
