#include "compiler/emit/yaml_out.h"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/emitter.h>

namespace mrp {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The words YAML 1.1 reads as booleans or null, and YAML 1.2's null and `~`.
bool is_keyword(std::string_view t) {
  // None is longer than five characters; most strings are, and stop here.
  if (t.size() > 5) return false;
  static constexpr std::string_view words[] = {
      "~",  "null", "Null", "NULL", "y",    "Y",    "yes",  "Yes",   "YES",   "n",
      "N",  "no",   "No",   "NO",   "true", "True", "TRUE", "false", "False", "FALSE",
      "on", "On",   "ON",   "off",  "Off",  "OFF",  "<<",   "="};
  for (auto w : words)
    if (t == w) return true;
  return false;
}

// Whether `t` starts like a number, a date or a special float: only those can
// be read as one, so every other string is decided without the full pattern.
bool may_be_number(std::string_view t) {
  const std::size_t i = (t[0] == '-' || t[0] == '+') ? 1 : 0;
  return i < t.size() && (is_digit(t[i]) || t[i] == '.');
}

}  // namespace

bool has_yaml11_trouble(std::string_view v) {
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]), d = static_cast<unsigned char>(v[i + 1]);
    if (c == 0xC2 && d >= 0x80 && d <= 0x9F) return true;
    if (c == 0xE2 && d == 0x80 && i + 2 < v.size() && (v[i + 2] == '\xA8' || v[i + 2] == '\xA9'))
      return true;
  }
  return false;
}

bool yaml_plain_is_safe(std::string_view v) {
  if (v.empty() || v.back() == ' ') return false;
  // What may not start a plain scalar: an indicator, or `-`, `?`, `:` before a
  // space or the end.
  static constexpr std::string_view indicators = ",[]{}#&*!|>'\"%@`";
  if (v[0] == ' ' || indicators.find(v[0]) != std::string_view::npos) return false;
  if ((v[0] == '-' || v[0] == '?' || v[0] == ':') && (v.size() == 1 || v[1] == ' ')) return false;
  // A document marker, at the start of a line.
  if (v.substr(0, 3) == "---" || v.substr(0, 3) == "...") return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    // Printable ASCII only: tabs, breaks, controls and every non-ASCII byte
    // are left to yaml-cpp's own decision.
    if (c < ' ' || c > '~') return false;
    // `: ` or a final `:` ends a plain scalar; ` #` starts a comment.
    if (c == ':' && (i + 1 == v.size() || v[i + 1] == ' ')) return false;
    if (c == '#' && i > 0 && v[i - 1] == ' ') return false;
  }
  return !yaml_reads_as_non_string(v);
}

namespace {

// A cursor over a candidate number, for the implicit types below.
struct Scan {
  std::string_view t;
  std::size_t i = 0;
  bool done() const { return i == t.size(); }
  bool eat(char c) {
    if (i < t.size() && t[i] == c) return ++i, true;
    return false;
  }
  bool eat_sign() { return eat('-') || eat('+'); }
  // Consumes the longest run of characters `ok` accepts; true when any.
  template <typename Ok>
  bool run(Ok ok) {
    const std::size_t from = i;
    while (i < t.size() && ok(t[i])) ++i;
    return i > from;
  }
  bool digits_or_underscores() {
    return run([](char c) { return is_digit(c) || c == '_'; });
  }
  // `[eE][-+]?[0-9]+`
  bool exponent() {
    if (!eat('e') && !eat('E')) return false;
    eat_sign();
    return run(is_digit);
  }
};

bool rest_is(std::string_view t, std::size_t i, std::string_view a, std::string_view b,
             std::string_view c) {
  const auto r = t.substr(i);
  return r == a || r == b || r == c;
}

// `[-+]?(0|[1-9][0-9_]*)`, `[-+]?0[0-7_]+`, `0o[0-7]+`, `[-+]?0x[0-9a-fA-F_]+`,
// `[-+]?0b[01_]+`
bool is_integer(std::string_view t) {
  Scan s{t};
  const bool signed_ = s.eat_sign();
  if (s.eat('0')) {
    if (s.done()) return true;
    if (s.eat('x')) return s.run([](char c) { return is_hex_digit(c) || c == '_'; }) && s.done();
    if (s.eat('b'))
      return s.run([](char c) { return c == '0' || c == '1' || c == '_'; }) && s.done();
    if (!signed_ && s.eat('o'))
      return s.run([](char c) { return c >= '0' && c <= '7'; }) && s.done();
    return s.run([](char c) { return (c >= '0' && c <= '7') || c == '_'; }) && s.done();
  }
  if (s.done() || t[s.i] < '1' || t[s.i] > '9') return false;
  s.digits_or_underscores();
  return s.done();
}

// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`
bool is_sexagesimal(std::string_view t) {
  Scan s{t};
  s.eat_sign();
  if (s.done() || !is_digit(t[s.i])) return false;
  s.digits_or_underscores();
  bool groups = false;
  while (s.eat(':')) {
    // `[0-5]?[0-9]`: one digit, or two with the first at most 5.
    const std::size_t from = s.i;
    if (!s.run(is_digit)) return false;
    const std::size_t n = s.i - from;
    if (n > 2 || (n == 2 && t[from] > '5')) return false;
    groups = true;
  }
  if (!groups) return false;
  if (s.eat('.')) s.digits_or_underscores();
  return s.done();
}

// `[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?`, `[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+`,
// `[-+]?\.(inf|Inf|INF)`, `\.(nan|NaN|NAN)`
bool is_float(std::string_view t) {
  Scan s{t};
  const bool signed_ = s.eat_sign();
  const bool whole = s.i < t.size() && is_digit(t[s.i]) && s.digits_or_underscores();
  if (s.eat('.')) {
    if (!whole && (rest_is(t, s.i, "inf", "Inf", "INF") ||
                   (!signed_ && rest_is(t, s.i, "nan", "NaN", "NAN"))))
      return true;
    s.digits_or_underscores();
    if (s.done()) return true;
    return s.exponent() && s.done();
  }
  return whole && s.exponent() && s.done();
}

// `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?`
bool is_date(std::string_view t) {
  Scan s{t};
  const auto digits = [&](std::size_t least, std::size_t most) {
    const std::size_t from = s.i;
    s.run(is_digit);
    const std::size_t n = s.i - from;
    return n >= least && n <= most;
  };
  if (!digits(4, 4) || !s.eat('-') || !digits(1, 2) || !s.eat('-') || !digits(1, 2)) return false;
  return s.done() || s.eat('T') || s.eat('t') || s.eat(' ');
}

}  // namespace

bool yaml_reads_as_non_string(std::string_view text) {
  if (text.empty() || is_keyword(text)) return true;
  if (!may_be_number(text)) return false;
  // Core schema of YAML 1.2 and the implicit types of YAML 1.1, which many
  // tools (PyYAML, yamllint, older CodeBuild parsers) still apply. The
  // patterns are above each recognizer; tests/test_yaml.cpp matches them
  // against the recognizers over every short string of their alphabet.
  return is_integer(text) || is_sexagesimal(text) || is_float(text) || is_date(text);
}

namespace {

// yaml-cpp's messages for a malformed sequence of calls.
constexpr const char* unexpected_end_seq = "unexpected end sequence token";
constexpr const char* unexpected_end_map = "unexpected end map token";
constexpr const char* unmatched_group = "unmatched group tag";
constexpr const char* invalid_tag = "invalid tag";
constexpr const char* unexpected_document = "Unexpected begin document";

bool is_ascii(std::string_view v) {
  for (char c : v)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// The characters of a tag yaml-cpp accepts (its Exp::Tag): a word character,
// one of `#;/?:@&=+$_.~*'()`, or a `%` escape of two hex digits.
bool is_valid_tag(std::string_view tag) {
  static constexpr std::string_view marks = "-#;/?:@&=+$_.~*'()";
  for (std::size_t i = 0; i < tag.size(); ++i) {
    const char c = tag[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
        marks.find(c) != std::string_view::npos)
      continue;
    if (c != '%' || i + 2 >= tag.size() || !is_hex_digit(tag[i + 1]) || !is_hex_digit(tag[i + 2]))
      return false;
    i += 2;
  }
  return true;
}

// yaml-cpp's single-quoted form of ASCII text without a line break (only
// those are single-quoted): each `'` doubled.
void put_single_quoted(std::string& out, std::string_view v) {
  out.push_back('\'');
  for (char c : v) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
}

// yaml-cpp's double-quoted form of ASCII text: the C escapes it knows, `\xNN`
// for the other controls, and everything else as it is (DEL too).
void put_double_quoted(std::string& out, std::string_view v) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : v) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out.append("\\x");
          out.push_back(hex[(c >> 4) & 0xF]);
          out.push_back(hex[c & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// Whether yaml-cpp, left to choose, double-quotes `v` for certain: it writes
// nothing plain that holds `: `, ` #`, a tab or a line break, or that ends in
// `:` or a space (its IsValidPlainScalar, block context).
bool yaml_cpp_never_plain(std::string_view v) {
  return v.find(": ") != std::string_view::npos || v.find(" #") != std::string_view::npos ||
         v.find_first_of("\t\n") != std::string_view::npos ||
         (!v.empty() && (v.back() == ':' || v.back() == ' '));
}

// How yaml-cpp writes `v` in `style` (Auto: its own choice) as one scalar: for
// the rare text this file does not quote itself (non-ASCII, which yaml-cpp
// re-encodes, and yaml-cpp's own plain-or-quoted decision). Nothing before a
// scalar changes its text, only where it goes.
std::string yaml_cpp_scalar(std::string_view v, YAML::EMITTER_MANIP style) {
  YAML::Emitter e;
  if (style != YAML::Auto) e << style;
  e << std::string(v);
  return std::string(e.c_str(), e.size());
}

}  // namespace

YamlWriter::YamlWriter() { out_.reserve(4096); }

YamlWriter& YamlWriter::str(std::string_view v) {
  if (!good()) return *this;
  // Past 1,024 characters yaml-cpp writes a key in its long form.
  const bool long_key = v.size() > 1024;
  // Text with double quotes but no single quote (a JSON value, say) reads more
  // plainly in single quotes, where `"` needs no escape.
  const bool json_like = v.find('"') != std::string_view::npos &&
                         v.find_first_of("'\n\r\t\\") == std::string_view::npos;
  // yaml-cpp writes these plain as well (tests/test_yaml.cpp holds that).
  if (!json_like && yaml_plain_is_safe(v)) return scalar(v, long_key);
  YAML::EMITTER_MANIP style = YAML::Auto;
  if (has_yaml11_trouble(v) || (!json_like && yaml_reads_as_non_string(v)))
    style = YAML::DoubleQuoted;
  else if (json_like)
    style = YAML::SingleQuoted;
  if (style == YAML::Auto && yaml_cpp_never_plain(v)) style = YAML::DoubleQuoted;
  if (style == YAML::Auto || !is_ascii(v)) return scalar(yaml_cpp_scalar(v, style), long_key);
  prepare_scalar(long_key);
  if (style == YAML::SingleQuoted)
    put_single_quoted(out_, v);
  else
    put_double_quoted(out_, v);
  started_node();
  return *this;
}

YamlWriter& YamlWriter::num(long v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  return scalar(std::string_view(digits, static_cast<std::size_t>(end - digits)), false);
}

YamlWriter& YamlWriter::boolean(bool v) { return scalar(v ? "true" : "false", false); }

YamlWriter& YamlWriter::fn(std::string_view tag, std::string_view v) {
  if (!good()) return *this;
  if (has_tag_) {
    fail(invalid_tag);
    return *this;
  }
  prepare(Node::property);
  if (!is_valid_tag(tag)) {
    fail(invalid_tag);
    return *this;
  }
  put('!');
  put(tag);
  has_tag_ = true;
  return str(v);
}

YamlWriter& YamlWriter::raw_number(std::string_view v) {
  if (!good()) return *this;
  // Digits and dots are plain to yaml-cpp; anything else is its decision.
  const bool digits_and_dots =
      !v.empty() && is_digit(v[0]) && v.find_first_not_of("0123456789.") == std::string_view::npos;
  if (digits_and_dots) return scalar(v, v.size() > 1024);
  return scalar(yaml_cpp_scalar(v, YAML::Auto), v.size() > 1024);
}

YamlWriter& YamlWriter::blank_line() {
  if (!good()) return *this;
  prepare(Node::none);
  newline();
  has_non_content_ = true;
  return *this;
}

// What follows mirrors yaml-cpp 0.7's Emitter (emitter.cpp, emitterstate.cpp)
// for block collections: the same decisions in the same order, so that the
// spacing before each node, the blank line a `Newline` leaves and the forms of
// empty collections and long keys all come out as it writes them.

YamlWriter& YamlWriter::begin_group(bool is_map) {
  if (!good()) return *this;
  prepare(is_map ? Node::block_map : Node::block_seq);
  started_node();
  groups_.push_back(Group{is_map});
  return *this;
}

YamlWriter& YamlWriter::end_group(bool is_map) {
  if (!good()) return *this;
  if (groups_.empty()) {
    fail(is_map ? unexpected_end_map : unexpected_end_seq);
    return *this;
  }
  // An empty collection can only be written in flow style.
  if (groups_.back().children == 0) {
    indent_to(cur_indent());
    put(is_map ? "{}" : "[]");
  }
  if (has_tag_) fail(invalid_tag);
  const bool was_map = groups_.back().is_map;
  groups_.pop_back();
  if (was_map != is_map) {
    fail(unmatched_group);
    return *this;
  }
  has_tag_ = has_non_content_ = next_long_key_ = false;
  return *this;
}

YamlWriter& YamlWriter::scalar(std::string_view text, bool long_key) {
  if (!good()) return *this;
  prepare_scalar(long_key);
  put(text);
  // Only yaml-cpp's text could hold a break (it never does); keep the column right.
  if (const auto nl = text.rfind('\n'); nl != std::string_view::npos)
    line_start_ = out_.size() - (text.size() - nl - 1);
  started_node();
  return *this;
}

void YamlWriter::prepare_scalar(bool long_key) {
  next_long_key_ = long_key;
  prepare(Node::scalar);
}

void YamlWriter::started_node() {
  if (groups_.empty()) {
    ++documents_;
  } else {
    Group& g = groups_.back();
    if (++g.children % 2 == 0) g.long_key = false;
  }
  has_tag_ = has_non_content_ = next_long_key_ = false;
}

void YamlWriter::prepare(Node child) {
  if (groups_.empty())
    prepare_top(child);
  else if (groups_.back().is_map)
    prepare_in_map(child);
  else
    prepare_in_seq(child);
}

void YamlWriter::prepare_top(Node child) {
  if (child == Node::none) return;
  // A second top-level node starts a second document.
  if (documents_ > 0 && col() > 0) {
    if (has_tag_) {
      fail(unexpected_document);
    } else {
      newline();
      put("---");
      newline();
      has_tag_ = has_non_content_ = false;
    }
  }
  switch (child) {
    case Node::property:
    case Node::scalar:
      space_or_indent_to(begun_content(), 0);
      break;
    case Node::block_seq:
    case Node::block_map:
      if (begun_node()) newline();
      break;
    case Node::none:
      break;
  }
}

void YamlWriter::prepare_in_seq(Node child) {
  const std::size_t indent = cur_indent();
  if (child == Node::none) return;
  if (!begun_content()) {
    if (groups_.back().children > 0) newline();
    indent_to(indent);
    put('-');
  }
  switch (child) {
    case Node::property:
    case Node::scalar:
      space_or_indent_to(begun_content(), indent + 2);
      break;
    case Node::block_seq:
      newline();
      break;
    case Node::block_map:
      if (begun_content()) newline();
      break;
    case Node::none:
      break;
  }
}

void YamlWriter::prepare_in_map(Node child) {
  Group& g = groups_.back();
  const std::size_t indent = cur_indent();
  const bool block = child == Node::block_seq || child == Node::block_map;
  if (g.children % 2 == 0) {
    // A key: long when asked for, or when it is a collection.
    if (next_long_key_ || block) g.long_key = true;
    if (child == Node::none) return;
    if (g.long_key) {
      if (!begun_content()) {
        if (g.children > 0) newline();
        indent_to(indent);
        put('?');
      }
      if (!block)
        space_or_indent_to(true, indent + 1);
      else if (begun_content())
        newline();
    } else {
      if (!begun_node() && g.children > 0) newline();
      if (!block) space_or_indent_to(begun_content(), indent);
    }
  } else if (g.long_key) {
    // The value of a long key.
    if (child == Node::none) return;
    if (!begun_content()) {
      newline();
      indent_to(indent);
      put(':');
    }
    if (block && begun_content()) newline();
    space_or_indent_to(true, indent + 1);
  } else {
    // The value of a simple key; a blank line here still ends the key.
    if (!begun_node()) put(':');
    if (child == Node::none) return;
    if (block)
      newline();
    else
      space_or_indent_to(true, indent + 2);
  }
}

void YamlWriter::space_or_indent_to(bool require_space, std::size_t indent) {
  if (col() > 0 && require_space) put(' ');
  indent_to(indent);
}

void YamlWriter::indent_to(std::size_t indent) {
  if (col() < indent) out_.append(indent - col(), ' ');
}

std::string YamlWriter::text(std::string_view header) const {
  if (!good()) throw std::logic_error(fmt::format("YAML emitter error: {}", error_));
  // yaml-cpp hands its document over as a C string, which ends at a NUL (only
  // a single-quoted scalar can hold one).
  const std::string_view body = std::string_view(out_).substr(0, out_.find('\0'));
  std::string doc;
  doc.reserve(header.size() + body.size() + 1);
  doc.append(header).append(body).push_back('\n');
  return doc;
}

std::string generated_header(const Ir& ir) {
  return fmt::format(
      "# Generated by mrp from {}.\n# Do not edit: change the spec and run `mrp build`.\n",
      ir.spec_path);
}

}  // namespace mrp
