#include "compiler/emit/yaml_out.h"

#include <ostream>
#include <stdexcept>

#include <fmt/format.h>

namespace mrp {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The words YAML 1.1 reads as booleans or null, and YAML 1.2's null and `~`.
bool is_keyword(std::string_view t) {
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

// Whether `v` holds U+0080 to U+009F (NEL among them), U+2028 or U+2029. YAML
// 1.1 readers (PyYAML, CloudFormation's) refuse the C1 controls unescaped and
// read the others as line breaks; only a double-quoted scalar carries them.
bool has_yaml11_trouble(std::string_view v) {
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]), d = static_cast<unsigned char>(v[i + 1]);
    if (c == 0xC2 && d >= 0x80 && d <= 0x9F) return true;
    if (c == 0xE2 && d == 0x80 && i + 2 < v.size() && (v[i + 2] == '\xA8' || v[i + 2] == '\xA9'))
      return true;
  }
  return false;
}

// A scalar yaml-cpp writes as-is, once the emitter has placed it (its indent,
// a pending key or tag). See YamlWriter::str.
struct Verbatim {
  std::string_view text;
  friend std::ostream& operator<<(std::ostream& out, Verbatim v) { return out << v.text; }
};

}  // namespace

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

YamlWriter::YamlWriter() {
  out_.SetIndent(2);
  out_.SetBoolFormat(YAML::TrueFalseBool);
  out_.SetBoolFormat(YAML::LowerCase);
}

YamlWriter& YamlWriter::key(std::string_view k) {
  out_ << YAML::Key;
  str(k);
  out_ << YAML::Value;
  return *this;
}

YamlWriter& YamlWriter::str(std::string_view v) {
  // Text with double quotes but no single quote (a JSON value, say) reads more
  // plainly in single quotes, where `"` needs no escape.
  const bool json_like = v.find('"') != std::string_view::npos &&
                         v.find_first_of("'\n\r\t\\") == std::string_view::npos;
  if (!json_like && v.size() <= 1024 && yaml_plain_is_safe(v)) {
    // yaml-cpp would write it plain as well, after matching its patterns at
    // every character, which is most of the time a build takes. Its public
    // WriteIntegralType places a scalar and writes what the value streams.
    // (Past 1,024 characters yaml-cpp writes a key in its long form.)
    out_.WriteIntegralType(Verbatim{v});
    return *this;
  }
  if (has_yaml11_trouble(v) || (!json_like && yaml_reads_as_non_string(v)))
    out_ << YAML::DoubleQuoted;
  else if (json_like)
    out_ << YAML::SingleQuoted;
  out_ << std::string(v);
  return *this;
}

YamlWriter& YamlWriter::num(long v) { return put(v); }

YamlWriter& YamlWriter::boolean(bool v) { return put(v); }

YamlWriter& YamlWriter::fn(std::string_view tag, std::string_view v) {
  out_ << YAML::LocalTag(std::string(tag));
  return str(v);
}

YamlWriter& YamlWriter::raw_number(std::string_view v) { return put(std::string(v)); }

std::string YamlWriter::text(std::string_view header) const {
  if (!out_.good()) throw std::logic_error("YAML emitter error: " + out_.GetLastError());
  return fmt::format("{}{}\n", header, out_.c_str());
}

std::string generated_header(const Ir& ir) {
  return fmt::format(
      "# Generated by mrp from {}.\n# Do not edit: change the spec and run `mrp build`.\n",
      ir.spec_path);
}

}  // namespace mrp
