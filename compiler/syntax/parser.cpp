#include "compiler/syntax/parser.h"

#include <fmt/format.h>

#include "compiler/base/rules.h"

#include "compiler/base/utf8.h"
#include "grammar/mrp_grammar.hpp"

namespace mrp {
namespace {

namespace pegtl = tao::pegtl;
namespace g = mrp::grammar;

struct ParseState {
  SyntaxTree tree;
  std::vector<Directive*> open_blocks;  // innermost last

  std::vector<Directive>& current_list() {
    return open_blocks.empty() ? tree.directives : open_blocks.back()->children;
  }
  Directive& current_directive() { return current_list().back(); }
};

template <typename Input>
SourcePos pos_of(const Input& in) {
  const auto p = in.position();
  return SourcePos{p.source, p.line, p.column, p.byte};
}

std::string unescape(std::string_view quoted) {
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    switch (body[++i]) {  // the grammar guarantees a valid escape code follows
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      default:
        out += body[i];
        break;  // \" \\ \$
    }
  }
  return out;
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<g::name> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    Directive d;
    d.name = in.string();
    d.pos = pos_of(in);
    st.current_list().push_back(std::move(d));
  }
};

template <>
struct action<g::word> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.current_directive().args.push_back({Argument::Kind::word, in.string(), pos_of(in)});
  }
};

template <>
struct action<g::string> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.current_directive().args.push_back(
        {Argument::Kind::string, unescape(in.string_view()), pos_of(in)});
  }
};

template <>
struct action<g::block_open> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    if (st.open_blocks.size() >= max_block_depth) {
      throw pegtl::parse_error(fmt::format("blocks are nested more than {} deep", max_block_depth),
                               in);
    }
    Directive& d = st.current_directive();
    d.has_block = true;
    d.block_pos = pos_of(in);
    st.open_blocks.push_back(&d);
  }
};

template <>
struct action<g::block_close> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.open_blocks.back()->close_pos = pos_of(in);
    st.open_blocks.pop_back();
  }
};

template <>
struct action<g::comment> {
  template <typename Input>
  static void apply(const Input& in, ParseState& st) {
    st.tree.comments.push_back({in.string(), pos_of(in)});
  }
};

// What stands at byte `at` of `source`, for "{found}" in error texts.
std::string describe_found(std::string_view source, std::size_t at) {
  if (at >= source.size()) return "the end of the file";
  const char c = source[at];
  if (c == '\n' || c == '\r') return "the end of the line";
  if (c == '\\') return "`\\` (a `\\` continues a line only as its last character)";
  std::size_t len = 1;
  while (at + len < source.size() && is_utf8_continuation(source[at + len])) ++len;
  return fmt::format("`{}`", source.substr(at, len));
}

std::string error_text(std::string_view message, std::string_view source, std::size_t at,
                       const ParseState& st) {
  std::string text(message);
  if (const auto p = text.find("{found}"); p != std::string::npos)
    text.replace(p, 7, describe_found(source, at));
  if (at >= source.size() && !st.open_blocks.empty()) {
    const SourcePos& open = st.open_blocks.back()->block_pos;
    text += fmt::format(" (the `{{` of `{}` on line {} is never closed)",
                        st.open_blocks.back()->name, open.line);
  }
  if (at < source.size() && source[at] == '}' && st.open_blocks.empty())
    text += " (no block is open here)";
  return text;
}

// Rejects what is not UTF-8 text before the grammar sees it: a spec is never
// binary, and control characters would make positions and carets meaningless.
std::optional<Diagnostic> check_text(std::string_view s, const std::string& file) {
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = utf8_sequence_length(s, i);
    if (len == 0 || is_unwanted_control(c)) {
      const SourcePos pos{file, line, i - line_start + 1, i};
      const char* what = len == 0 ? "not valid UTF-8" : "a control character";
      return Diagnostic{pos, Severity::error, rule::encoding,
                        fmt::format("byte 0x{:02x} is {}: a spec must be UTF-8 text", c, what)};
    }
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += len;
  }
  return std::nullopt;
}

}  // namespace

std::optional<SyntaxTree> parse_spec(std::string_view source, const std::string& file,
                                     Diagnostics& diags) {
  if (auto bad = check_text(source, file)) {
    diags.error(bad->pos, rule::encoding, bad->message);
    return std::nullopt;
  }
  ParseState st;
  st.tree.file = file;
  pegtl::memory_input<> in(source.data(), source.size(), file);
  try {
    pegtl::parse<g::spec, action, pegtl::must_if<g::errors, pegtl::normal, false>::control>(in, st);
  } catch (const pegtl::parse_error& e) {
    const auto& p = e.positions().front();
    diags.error(SourcePos{file, p.line, p.column, p.byte}, rule::syntax,
                error_text(e.message(), source, p.byte, st));
    return std::nullopt;
  }
  return std::move(st.tree);
}

}  // namespace mrp
