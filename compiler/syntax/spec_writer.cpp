#include "compiler/syntax/spec_writer.h"

#include <stdexcept>
#include <utility>

#include "compiler/base/diagnostics.h"
#include "compiler/syntax/format.h"
#include "compiler/syntax/parser.h"
#include "compiler/syntax/syntax_tree.h"

namespace mrp {
namespace {

constexpr const char* file_name = "<generated spec>";

// True when the parser would read `value` back as one word.
bool can_be_word(const std::string& value) {
  if (value.empty()) return false;
  for (const char c : value) {
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
      case '\n':
      case '"':
      case '{':
      case '}':
      case ';':
      case '#':
      case '\\':
        return false;
      default:
        break;
    }
  }
  return true;
}

// Lays the nodes out one item per line, so that the formatter keeps each
// comment where it was put: a position only needs to order the items and say
// which share a line.
class Builder {
 public:
  SyntaxTree build(const std::vector<std::string>& header, const std::vector<SpecNode>& top) {
    tree_.file = file_name;
    for (const auto& line : header) comment_line(line);
    if (!header.empty()) next_line();  // a blank line after the header
    tree_.directives = list(top);
    return std::move(tree_);
  }

 private:
  std::vector<Directive> list(const std::vector<SpecNode>& nodes) {
    std::vector<Directive> out;
    out.reserve(nodes.size());
    for (const SpecNode& node : nodes) out.push_back(directive(node));
    return out;
  }

  Directive directive(const SpecNode& node) {
    if (node.blank_line_before) next_line();
    for (const auto& line : node.comments) comment_line(line);
    Directive d;
    d.name = node.name;
    d.pos = here();
    for (const auto& value : node.args) {
      ++byte_;
      d.args.push_back(Argument{can_be_word(value) ? Argument::Kind::word : Argument::Kind::string,
                                value, here()});
    }
    d.has_block = node.block;
    if (node.block) {
      ++byte_;
      d.block_pos = here();
    }
    if (!node.trailing.empty()) {
      ++byte_;
      tree_.comments.push_back(Comment{"# " + one_line(node.trailing), here()});
    }
    next_line();
    if (!node.block) return d;
    d.children = list(node.children);
    d.close_pos = here();
    next_line();
    return d;
  }

  // A text with line breaks becomes one comment line per line.
  void comment_line(const std::string& text) {
    std::size_t start = 0;
    for (;;) {
      const auto end = text.find('\n', start);
      const std::string line = one_line(text.substr(start, end - start));
      tree_.comments.push_back(Comment{line.empty() ? "#" : "# " + line, here()});
      next_line();
      if (end == std::string::npos) return;
      start = end + 1;
    }
  }

  static std::string one_line(std::string text) {
    for (char& c : text)
      if (c == '\n' || c == '\r') c = ' ';
    return text;
  }

  SourcePos here() const { return SourcePos{file_name, line_, 1, byte_}; }
  void next_line() {
    ++line_;
    ++byte_;
  }

  SyntaxTree tree_;
  std::size_t line_ = 1;
  std::size_t byte_ = 0;
};

}  // namespace

SpecNode spec_line(std::string name, std::vector<std::string> args) {
  SpecNode node;
  node.name = std::move(name);
  node.args = std::move(args);
  return node;
}

SpecNode spec_block(std::string name, std::vector<std::string> args,
                    std::vector<SpecNode> children) {
  SpecNode node = spec_line(std::move(name), std::move(args));
  node.children = std::move(children);
  node.block = true;
  return node;
}

std::string write_spec(const std::vector<std::string>& header, const std::vector<SpecNode>& top) {
  const SyntaxTree tree = Builder().build(header, top);
  std::string text = format_spec(tree);
  Diagnostics diags;
  const auto again = parse_spec(text, file_name, diags);
  if (!again || !same_directives(tree, *again))
    throw std::logic_error("a generated spec would not read back as written:\n" + text);
  return text;
}

}  // namespace mrp
