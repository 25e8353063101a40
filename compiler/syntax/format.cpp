#include "compiler/syntax/format.h"

#include <limits>
#include <unordered_map>
#include <vector>

#include "compiler/base/rules.h"
#include "compiler/syntax/parser.h"

namespace mrp {
namespace {

// The comments that trail a directive's header line and its `}` line.
struct Trailing {
  const Comment* header = nullptr;
  const Comment* close = nullptr;
};

// A piece of code after which a comment on the same line trails that code.
struct LineEnd {
  std::size_t byte = 0;
  std::size_t line = 0;
  const Directive* directive = nullptr;
  bool is_close = false;  // the directive's `}` rather than its header
};

// Where a directive's header ends: at its `{`, else at its last token. A token
// never spans lines (a string ends on its line), so its start gives the line.
const SourcePos& header_end(const Directive& d) {
  if (d.has_block) return d.block_pos;
  return d.args.empty() ? d.pos : d.args.back().pos;
}

std::size_t last_line(const Directive& d) {
  return d.has_block ? d.close_pos.line : header_end(d).line;
}

// Every header end and `}` of `list`, in file order.
void collect_line_ends(const std::vector<Directive>& list, std::vector<LineEnd>& ends) {
  for (const Directive& d : list) {
    ends.push_back({header_end(d).byte, header_end(d).line, &d, false});
    if (!d.has_block) continue;
    collect_line_ends(d.children, ends);
    ends.push_back({d.close_pos.byte, d.close_pos.line, &d, true});
  }
}

std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
        break;
    }
  }
  return out + '"';
}

std::string_view trim_end(std::string_view s) {
  const auto last = s.find_last_not_of(" \t\r");
  return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
}

class Formatter {
 public:
  explicit Formatter(const SyntaxTree& tree) : tree_(tree) { place_comments(); }

  std::string run() {
    write_items(tree_.directives, std::numeric_limits<std::size_t>::max(), 0);
    return std::move(out_);
  }

 private:
  // Splits the comments into those that trail code and those on lines of their
  // own. A comment trails the last code before it when that code is on its line.
  void place_comments() {
    std::vector<LineEnd> ends;
    collect_line_ends(tree_.directives, ends);
    std::size_t i = 0;
    for (const Comment& c : tree_.comments) {
      while (i < ends.size() && ends[i].byte < c.pos.byte) ++i;
      if (i > 0 && ends[i - 1].line == c.pos.line) {
        attach(ends[i - 1], c);
      } else {
        own_line_.push_back(&c);
      }
    }
  }

  // A comment after a block that opened and closed on its line is about the
  // whole directive, so it goes on the header line when the block is expanded.
  void attach(const LineEnd& end, const Comment& c) {
    const Directive& d = *end.directive;
    Trailing& t = trailing_[&d];
    if (end.is_close && d.close_pos.line != d.block_pos.line) {
      t.close = &c;
    } else {
      t.header = &c;
    }
  }

  // Writes the directives of one block (or the file) and the own-line comments
  // among them, which all lie before `end_byte`.
  void write_items(const std::vector<Directive>& list, std::size_t end_byte, std::size_t depth) {
    std::optional<std::size_t> prev_line;
    for (const Directive& d : list) {
      write_own_line_comments(d.pos.byte, depth, prev_line);
      separate(d.pos.line, prev_line);
      write_directive(d, depth);
      prev_line = last_line(d);
    }
    write_own_line_comments(end_byte, depth, prev_line);
  }

  void write_own_line_comments(std::size_t before_byte, std::size_t depth,
                               std::optional<std::size_t>& prev_line) {
    for (; next_own_ < own_line_.size() && own_line_[next_own_]->pos.byte < before_byte;
         ++next_own_) {
      const Comment& c = *own_line_[next_own_];
      separate(c.pos.line, prev_line);
      write_line(indent(depth) + std::string(trim_end(c.text)), nullptr);
      prev_line = c.pos.line;
    }
  }

  // One blank line where the source had at least one between two items.
  void separate(std::size_t line, const std::optional<std::size_t>& prev_line) {
    if (prev_line && line > *prev_line + 1) out_ += '\n';
  }

  void write_directive(const Directive& d, std::size_t depth) {
    std::string header = indent(depth) + d.name;
    for (const Argument& a : d.args)
      header += ' ' + (a.kind == Argument::Kind::string ? quoted(a.value) : a.value);
    const Trailing t = trailing_.count(&d) ? trailing_.at(&d) : Trailing{};
    if (!d.has_block) {
      write_line(header, t.header);
      return;
    }
    if (block_is_empty(d) && !(t.header && t.close)) {  // `name {}` has room for one comment
      write_line(header + " {}", t.header ? t.header : t.close);
      return;
    }
    write_line(header + " {", t.header);
    write_items(d.children, d.close_pos.byte, depth + 1);
    write_line(indent(depth) + "}", t.close);
  }

  bool block_is_empty(const Directive& d) const {
    const bool comment_inside =
        next_own_ < own_line_.size() && own_line_[next_own_]->pos.byte < d.close_pos.byte;
    return d.children.empty() && !comment_inside;
  }

  void write_line(const std::string& code, const Comment* trailing) {
    out_ += code;
    if (trailing) {
      out_ += "  ";
      out_ += trim_end(trailing->text);
    }
    out_ += '\n';
  }

  static std::string indent(std::size_t depth) { return std::string(2 * depth, ' '); }

  const SyntaxTree& tree_;
  std::unordered_map<const Directive*, Trailing> trailing_;
  std::vector<const Comment*> own_line_;  // in file order
  std::size_t next_own_ = 0;              // the first own-line comment not yet written
  std::string out_;
};

bool same_directive(const Directive& a, const Directive& b);

bool same_list(const std::vector<Directive>& a, const std::vector<Directive>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_directive(a[i], b[i])) return false;
  return true;
}

bool same_directive(const Directive& a, const Directive& b) {
  if (a.name != b.name || a.has_block != b.has_block || a.args.size() != b.args.size())
    return false;
  for (std::size_t i = 0; i < a.args.size(); ++i)
    if (a.args[i].kind != b.args[i].kind || a.args[i].value != b.args[i].value) return false;
  return same_list(a.children, b.children);
}

}  // namespace

std::string format_spec(const SyntaxTree& tree) { return Formatter(tree).run(); }

std::optional<std::string> format_source(std::string_view source, const std::string& file,
                                         Diagnostics& diags) {
  const auto tree = parse_spec(source, file, diags);
  if (!tree) return std::nullopt;
  std::string text = format_spec(*tree);
  Diagnostics reparse;
  const auto again = parse_spec(text, file, reparse);
  if (!again || !same_directives(*tree, *again)) {
    diags.error(SourcePos{file, 1, 1, 0}, rule::internal,
                "internal error: the formatted spec would not mean the same; the file is left "
                "as it is (please report this with the spec)");
    return std::nullopt;
  }
  return text;
}

bool same_directives(const SyntaxTree& a, const SyntaxTree& b) {
  return same_list(a.directives, b.directives);
}

}  // namespace mrp
