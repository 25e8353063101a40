#include "tests/spec_text.h"

namespace mrp::test {
namespace {

// Pieces of free text: plain words, and everything YAML, JSON or a shell could
// misread (quotes, `$()`, YAML indicators, YAML 1.1 booleans and numbers,
// escapes of the spec's strings, tabs, newlines, and Unicode: emoji, RTL,
// combining marks, invisible and line-breaking characters).
const std::vector<std::string> text_pieces = {"Orders API",
                                              "release",
                                              "build",
                                              "v2",
                                              " ",
                                              "  ",
                                              "\t",
                                              "\n",
                                              "'",
                                              "\"",
                                              "\\",
                                              "$",
                                              "$(touch /tmp/mrp-prop-pwned)",
                                              "`id`",
                                              "${HOME}",
                                              "$HOME",
                                              ": ",
                                              "- ",
                                              "#",
                                              " # x",
                                              "&anchor",
                                              "*alias",
                                              "!Ref x",
                                              "---",
                                              "...",
                                              "{",
                                              "}",
                                              "[",
                                              "]",
                                              "|",
                                              ">",
                                              "%",
                                              "@",
                                              ",",
                                              "?",
                                              "=",
                                              "~",
                                              "yes",
                                              "No",
                                              "null",
                                              "0x1F",
                                              "1e3",
                                              "2024-01-01",
                                              "0.2",
                                              "-1",
                                              "true",
                                              "\xF0\x9F\x98\x80",
                                              "\xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA",
                                              "e\xCC\x81",
                                              "\xE2\x80\xAE",
                                              "\xE6\x97\xA5\xE6\x9C\xAC",
                                              "\xC2\xA0",
                                              "\xE2\x80\x8B",
                                              "\xEF\xBB\xBF",
                                              "\xC2\x85",
                                              "\xE2\x80\xA8",
                                              "\xE2\x80\xA9",
                                              "\xC2\x9F"};

}  // namespace

std::string chars(Rng& r, std::size_t n, std::string_view pool) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += pool[r.below(pool.size())];
  return out;
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string free_text(Rng& r, std::size_t max_pieces, std::size_t max_bytes) {
  std::string out;
  const std::size_t n = r.between(0, max_pieces);
  for (std::size_t i = 0; i < n; ++i) out += r.pick(text_pieces);
  return cut(out, max_bytes);
}

SpecNode node(std::string name, std::vector<std::string> args) {
  SpecNode n;
  n.name = std::move(name);
  n.args = std::move(args);
  return n;
}

SpecNode block(std::string name, std::vector<std::string> args, std::vector<SpecNode> children) {
  SpecNode n = node(std::move(name), std::move(args));
  n.block = true;
  n.children = std::move(children);
  return n;
}

std::vector<SpecNode> interleave(Rng& r, std::vector<SpecNode> a, std::vector<SpecNode> b) {
  std::vector<SpecNode> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const bool take_a = j == b.size() || (i < a.size() && r.percent(50));
    out.push_back(std::move(take_a ? a[i++] : b[j++]));
  }
  return out;
}

namespace {

// Writes the tree as spec text in a random but valid layout: indentation,
// blocks on one line with `;`, `\` continuations, comments, quoted words,
// escapes, CRLF and a byte-order mark.
class Renderer {
 public:
  explicit Renderer(Rng& r) : r_(r) {
    nl_ = r_.percent(10) ? "\r\n" : "\n";
    static const std::vector<std::string> units = {"  ", "  ", "    ", "\t", " "};
    unit_ = r_.pick(units);
  }

  std::string run(const SpecNode& root) {
    if (r_.percent(5)) out_ += "\xEF\xBB\xBF";
    if (r_.percent(40)) out_ += "# " + comment_text() + nl_;
    lines({root}, 0);
    if (r_.percent(10) && !out_.empty()) out_.resize(out_.size() - nl_.size());
    return out_;
  }

 private:
  static bool is_word(const std::string& v) {
    return !v.empty() && v.find_first_of(" \t\r\n\"{};#\\") == std::string::npos;
  }

  std::string comment_text() {
    std::string t = free_text(r_, 4, 80);
    std::string out;
    for (char c : t) out += (c == '\n') ? ' ' : c;
    return out;
  }

  std::string quoted(const std::string& v) {
    std::string out = "\"";
    for (char c : v) {
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
          out += r_.percent(50) ? "\\t" : "\t";
          break;
        case '$':
          out += r_.percent(50) ? "\\$" : "$";
          break;
        default:
          out += c;
          break;
      }
    }
    return out + "\"";
  }

  std::string arg_text(const std::string& a) {
    return is_word(a) && r_.percent(85) ? a : quoted(a);
  }

  std::string header(const SpecNode& n, std::size_t depth) {
    std::string out = n.name;
    for (const auto& a : n.args) {
      if (r_.percent(5))
        out += " \\" + nl_ + indent(depth + 2);
      else
        out += r_.percent(90) ? " " : " \t ";
      out += arg_text(a);
    }
    return out;
  }

  std::string indent(std::size_t depth) const {
    std::string out;
    for (std::size_t i = 0; i < depth; ++i) out += unit_;
    return out;
  }

  // A block on one line: `{ a; b { c } d }`.
  std::string inline_block(const std::vector<SpecNode>& children, std::size_t depth) {
    if (children.empty()) return r_.percent(50) ? " {}" : " { }";
    std::string out = " {";
    for (std::size_t i = 0; i < children.size(); ++i) {
      const SpecNode& c = children[i];
      out += " " + header(c, depth);
      if (c.block) {
        out += inline_block(c.children, depth);
      } else if (i + 1 < children.size()) {
        out += ";";
      }
    }
    return out + " }";
  }

  void lines(const std::vector<SpecNode>& list, std::size_t depth) {
    for (const SpecNode& n : list) {
      if (r_.percent(4)) out_ += nl_;
      if (r_.percent(8)) out_ += indent(depth) + "# " + comment_text() + nl_;
      out_ += indent(depth) + header(n, depth);
      if (n.block) {
        if (r_.percent(20) || n.children.empty()) {
          out_ += inline_block(n.children, depth);
        } else {
          out_ += " {";
          if (r_.percent(8)) out_ += "  # " + comment_text();
          out_ += nl_;
          lines(n.children, depth + 1);
          if (r_.percent(5)) out_ += indent(depth + 1) + "# " + comment_text() + nl_;
          out_ += indent(depth) + "}";
        }
      }
      if (r_.percent(8)) out_ += "  # " + comment_text();
      out_ += nl_;
    }
  }

  Rng& r_;
  std::string nl_, unit_, out_;
};

}  // namespace

std::string render_spec(Rng& r, const SpecNode& root) { return Renderer(r).run(root); }

}  // namespace mrp::test
