// YAML output: strings YAML would read as other types are quoted, and any
// string value round-trips intact.

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/emit/yaml_out.h"
#include "tests/support.h"

using mrp::has_yaml11_trouble;
using mrp::yaml_reads_as_non_string;

TEST_CASE("plain scalars that YAML 1.1 or 1.2 would not read as strings") {
  for (const char* s :
       {"yes",  "No",  "on",    "OFF",  "y",    "true", "False",      "null",
        "~",    "",    "1",     "-2",   "0.2",  ".5",   "1e3",        "0x1F",
        "0o17", "017", "1_000", "1:30", ".inf", ".NaN", "2010-09-09", "2026-11-26T10:00:00Z",
        "<<"}) {
    CAPTURE(s);
    CHECK(yaml_reads_as_non_string(s));
  }
  for (const char* s : {"master", "us-east-1", "CAPABILITY_IAM", "v1.2", "1.2.3", "0.2-beta",
                        "yes-please", "nullable", "release/2026.11", "90d", "e3"}) {
    CAPTURE(s);
    CHECK_FALSE(yaml_reads_as_non_string(s));
  }
}

TEST_CASE("the recognizers of implicit types agree with YAML's patterns on every short string") {
  // The implicit types of YAML 1.2's core schema and YAML 1.1, as patterns.
  const std::regex implicit(
      "~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
      "|on|On|ON|off|Off|OFF|<<|="
      "|[-+]?(0|[1-9][0-9_]*)"
      "|[-+]?0[0-7_]+|0o[0-7]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"
      "|[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?"
      "|[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");
  const auto agree = [&](const std::string& s) {
    CAPTURE(s);
    REQUIRE(yaml_reads_as_non_string(s) == (s.empty() || std::regex_match(s, implicit)));
  };
  // Every string of up to five characters over the numbers' alphabet.
  const std::string alphabet = "06_:.-+eExob";
  std::vector<std::string> level = {""};
  std::size_t checked = 0;
  for (int length = 0; length <= 5; ++length) {
    std::vector<std::string> next;
    for (const auto& s : level) {
      agree(s);
      ++checked;
      if (length < 5)
        for (char c : alphabet) next.push_back(s + c);
    }
    level = std::move(next);
  }
  CHECK(checked == 271453);
  // Longer forms, and each with one character changed, added or taken away.
  const std::string more = "0123456789abfxoAF_:.-+eETt nNaIi";
  for (const std::string base : {"2010-09-09",
                                 "2026-1-2T10:00:00Z",
                                 "2026-11-26 10:00",
                                 "1:30:59.5",
                                 "190:20:30",
                                 "-1:60",
                                 "0x1F_ab",
                                 "-0b1010",
                                 "+0o17",
                                 "0o17",
                                 "1_000_000",
                                 "-.inf",
                                 "+.Inf",
                                 ".NaN",
                                 "-.nan",
                                 "6.8523015e+5",
                                 "685.230_15e+03",
                                 "12e03",
                                 "1.e5",
                                 ".5e-3",
                                 "0.2-beta"}) {
    agree(base);
    for (std::size_t i = 0; i <= base.size(); ++i)
      for (char c : more) {
        std::string added = base, changed = base;
        added.insert(i, 1, c);
        agree(added);
        if (i < base.size()) {
          changed[i] = c;
          agree(changed);
          agree(std::string(base).erase(i, 1));
        }
      }
  }
}

TEST_CASE("values that YAML would misread are quoted and load back as the same strings") {
  const std::vector<std::string> values = {"yes",
                                           "on",
                                           "1",
                                           "0.2",
                                           "null",
                                           "~",
                                           "2010-09-09",
                                           "say \"hi\"\nand 'bye'",
                                           "# not a comment",
                                           "key: value",
                                           "- item",
                                           "!Ref x",
                                           "*alias",
                                           "&anchor",
                                           "{a: b}",
                                           "[1]",
                                           "  padded  ",
                                           "tab\there",
                                           "${AWS::Region}",
                                           "Zürich",
                                           "'"};
  mrp::YamlWriter y;
  y.seq();
  for (const auto& v : values) y.str(v);
  y.end_seq();
  const YAML::Node loaded = YAML::Load(y.text(""));
  REQUIRE(loaded.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    CAPTURE(values[i]);
    CHECK(loaded[i].as<std::string>() == values[i]);
    // A quoted scalar loads with the non-specific tag "!", a plain one with "?".
    if (yaml_reads_as_non_string(values[i])) CHECK(loaded[i].Tag() == "!");
  }
}

TEST_CASE("a description with quotes and newlines comes out intact in the pipeline template") {
  std::string spec = mrp::test::minimal_spec;
  spec.insert(spec.find("  source"), "  description \"The \\\"shop\\\"\\nsecond line: yes\"\n");
  const auto r = mrp::test::compile_text(spec);
  REQUIRE(r.outputs);
  const YAML::Node t = YAML::Load(r.outputs->at("deployment-pipeline/pipeline.yaml"));
  CHECK(t["Description"].as<std::string>() == "The \"shop\"\nsecond line: yes");
}

TEST_CASE("an env value that looks like a number stays a string") {
  std::string spec = mrp::test::minimal_spec;
  spec.insert(spec.find("  app"), "  build { env RETRIES 3; env DEBUG off }\n");
  const auto r = mrp::test::compile_text(spec);
  REQUIRE(r.outputs);
  const YAML::Node t = YAML::Load(r.outputs->at("deployment-pipeline/pipeline.yaml"));
  const YAML::Node vars =
      t["Resources"]["CodeBuildProject"]["Properties"]["Environment"]["EnvironmentVariables"];
  REQUIRE(vars.size() == 4);
  CHECK(vars[2]["Value"].Tag() == "!");
  CHECK(vars[2]["Value"].as<std::string>() == "3");
  CHECK(vars[3]["Value"].Tag() == "!");
}

TEST_CASE("a single-region pipeline has one ArtifactStore and actions without a Region") {
  std::string spec = mrp::test::minimal_spec;
  spec.replace(spec.find(" eu-west-1"), 10, "");
  const auto r = mrp::test::compile_text(spec);
  REQUIRE(r.outputs);
  const YAML::Node p = YAML::Load(r.outputs->at(
      "deployment-pipeline/pipeline.yaml"))["Resources"]["CodePipeline"]["Properties"];
  CHECK_FALSE(p["ArtifactStores"]);
  CHECK(p["ArtifactStore"]["Location"].as<std::string>() == "shop-${AWS::AccountId}-us-east-1");
  CHECK(p["ArtifactStore"]["Location"].Tag() == "!Sub");
  const YAML::Node deploy = p["Stages"][2]["Actions"];
  REQUIRE(deploy.size() == 1);
  CHECK(deploy[0]["Name"].as<std::string>() == "DeployToUsEast1");
  CHECK_FALSE(deploy[0]["Region"]);
}

TEST_CASE("C1 controls and Unicode line breaks are double-quoted, where YAML 1.1 keeps them") {
  // Plain or single-quoted, PyYAML and CloudFormation read NEL, LS and PS as
  // line breaks and refuse the other C1 controls; yaml-cpp reads them either way.
  mrp::YamlWriter y;
  y.seq();
  for (const char* v : {"next\xC2\x85line", "line\xE2\x80\xA8sep", "para\xE2\x80\xA9sep",
                        "c1\xC2\x9F", "{\"json\": \"x\xE2\x80\xA8y\"}", "Z\xC3\xBCrich"})
    y.str(v);
  y.end_seq();
  CHECK(y.text("") ==
        "- \"next\\x85line\"\n"
        "- \"line\xE2\x80\xA8sep\"\n"
        "- \"para\xE2\x80\xA9sep\"\n"
        "- \"c1\\x9f\"\n"
        "- \"{\\\"json\\\": \\\"x\xE2\x80\xA8y\\\"}\"\n"
        "- Z\xC3\xBCrich\n");
}

namespace {

// How yaml-cpp writes `s` as a lone scalar when it decides the style itself.
std::string yaml_cpp_scalar(const std::string& s) {
  YAML::Emitter out;
  out << s;
  return out.c_str();
}

void collect_scalars(const YAML::Node& node, std::vector<std::string>& into) {
  if (node.IsScalar()) into.push_back(node.Scalar());
  if (node.IsSequence())
    for (const auto& item : node) collect_scalars(item, into);
  if (node.IsMap())
    for (const auto& kv : node) {
      into.push_back(kv.first.Scalar());
      collect_scalars(kv.second, into);
    }
}

}  // namespace

TEST_CASE("a string mrp writes plain by itself is one yaml-cpp would write plain too") {
  // Every string of up to four characters over an alphabet of YAML's
  // troublemakers, then every scalar of every generated golden YAML file.
  const std::string alphabet = "a1-: #?,'\"[{!.~";
  std::vector<std::string> strings = {""};
  for (std::size_t from = 0, length = 0; length < 4; ++length) {
    const std::size_t to = strings.size();
    for (std::size_t i = from; i < to; ++i)
      for (char c : alphabet) strings.push_back(strings[i] + c);
    from = to;
  }
  const std::size_t made_up = strings.size();
  std::size_t golden_files = 0;
  const auto golden = mrp::test::source_dir() / "golden";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(golden)) {
    if (entry.path().extension() != ".yaml" && entry.path().extension() != ".yml") continue;
    // golden/errors holds inputs, some of them broken on purpose.
    if (*entry.path().lexically_relative(golden).begin() == "errors") continue;
    ++golden_files;
    collect_scalars(YAML::LoadFile(entry.path().string()), strings);
  }
  CHECK(golden_files > 40);
  std::size_t golden_plain = 0;
  for (std::size_t i = 0; i < strings.size(); ++i) {
    const std::string& s = strings[i];
    if (!mrp::yaml_plain_is_safe(s)) continue;
    if (i >= made_up) ++golden_plain;
    CAPTURE(s);
    REQUIRE(yaml_cpp_scalar(s) == s);
    REQUIRE(YAML::Load(s).Scalar() == s);
  }
  // Most of what mrp writes takes the short way.
  MESSAGE(golden_plain << " of " << strings.size() - made_up << " golden scalars");
  CHECK(golden_plain * 10 > (strings.size() - made_up) * 9);
}

namespace {

// The writer as it was when it drove yaml-cpp's Emitter, kept as the oracle
// for the one that writes the text itself. It lets yaml-cpp choose the form of
// every string (the old writer wrote the plain-safe ones itself, which the
// test above shows yaml-cpp writes the same way).
class ReferenceWriter {
 public:
  ReferenceWriter() {
    out_.SetIndent(2);
    out_.SetBoolFormat(YAML::TrueFalseBool);
    out_.SetBoolFormat(YAML::LowerCase);
  }
  void map() { out_ << YAML::BeginMap; }
  void end_map() { out_ << YAML::EndMap; }
  void seq() { out_ << YAML::BeginSeq; }
  void end_seq() { out_ << YAML::EndSeq; }
  void blank_line() { out_ << YAML::Newline; }
  void key(std::string_view k) {
    out_ << YAML::Key;
    str(k);
    out_ << YAML::Value;
  }
  void str(std::string_view v) {
    const bool json_like = v.find('"') != std::string_view::npos &&
                           v.find_first_of("'\n\r\t\\") == std::string_view::npos;
    if (has_yaml11_trouble(v) || (!json_like && yaml_reads_as_non_string(v)))
      out_ << YAML::DoubleQuoted;
    else if (json_like)
      out_ << YAML::SingleQuoted;
    out_ << std::string(v);
  }
  void num(long v) { out_ << v; }
  void boolean(bool v) { out_ << v; }
  void fn(std::string_view tag, std::string_view v) {
    out_ << YAML::LocalTag(std::string(tag));
    str(v);
  }
  void raw_number(std::string_view v) { out_ << std::string(v); }
  std::string text(std::string_view header) const {
    if (!out_.good()) throw std::logic_error("YAML emitter error: " + out_.GetLastError());
    return std::string(header) + out_.c_str() + "\n";
  }

 private:
  YAML::Emitter out_;
};

// One call on a writer.
struct Call {
  enum Kind { map, end_map, seq, end_seq, blank_line, key, str, num, boolean, fn, raw_number };
  Call(Kind kind_, std::string a_ = "", std::string b_ = "", long n_ = 0)
      : kind(kind_), a(std::move(a_)), b(std::move(b_)), n(n_) {}
  Kind kind;
  std::string a, b;
  long n;
};

template <typename Writer>
std::string replay(const std::vector<Call>& calls) {
  Writer w;
  for (const auto& c : calls) switch (c.kind) {
      case Call::map:
        w.map();
        break;
      case Call::end_map:
        w.end_map();
        break;
      case Call::seq:
        w.seq();
        break;
      case Call::end_seq:
        w.end_seq();
        break;
      case Call::blank_line:
        w.blank_line();
        break;
      case Call::key:
        w.key(c.a);
        break;
      case Call::str:
        w.str(c.a);
        break;
      case Call::num:
        w.num(c.n);
        break;
      case Call::boolean:
        w.boolean(c.n != 0);
        break;
      case Call::fn:
        w.fn(c.a, c.b);
        break;
      case Call::raw_number:
        w.raw_number(c.a);
        break;
    }
  try {
    return w.text("# header\n");
  } catch (const std::logic_error& e) {
    return std::string("threw: ") + e.what();
  }
}

// Random documents of every shape the writer can be asked for.
class DocumentMaker {
 public:
  explicit DocumentMaker(unsigned seed) : random_(seed) {}

  std::vector<Call> document() {
    calls_.clear();
    if (chance(10)) calls_.push_back({Call::blank_line});
    const std::size_t top = chance(20) ? 2 : 1;
    for (std::size_t i = 0; i < top; ++i) node(0, chance(80) ? 0 : pick(7));
    if (chance(5)) calls_.push_back({Call::blank_line});
    // Now and then a call that leaves the document malformed.
    if (chance(3)) {
      // (After the first node: yaml-cpp asserts on an end before any node.)
      std::size_t first = 0;
      while (calls_[first].kind == Call::blank_line) ++first;
      const std::size_t at = first + 1 + pick(calls_.size() - first);
      const Call::Kind bad[] = {Call::end_map, Call::end_seq};
      calls_.insert(calls_.begin() + static_cast<std::ptrdiff_t>(at), {bad[pick(2)]});
    }
    if (chance(2)) calls_.push_back({Call::fn, "Sub", "", 0});
    return calls_;
  }

  std::string string() {
    if (chance(2)) return std::string(1000 + pick(50), pick(2) ? 'a' : ' ') + piece();
    std::string s;
    for (std::size_t n = pick(5); n > 0; --n) s += piece();
    return s;
  }

 private:
  bool chance(unsigned percent) { return pick(100) < percent; }
  std::size_t pick(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  std::string piece() {
    static const std::vector<std::string> pieces = {"a",
                                                    "Ref",
                                                    "us-east-1",
                                                    "x_y",
                                                    "${AWS::Region}",
                                                    ": ",
                                                    ":",
                                                    " #",
                                                    "#",
                                                    "'",
                                                    "\"",
                                                    "-",
                                                    "- ",
                                                    "?",
                                                    "? ",
                                                    "*",
                                                    "&",
                                                    "!",
                                                    "|",
                                                    ">",
                                                    "%",
                                                    "@",
                                                    "`",
                                                    "{",
                                                    "}",
                                                    "[",
                                                    "]",
                                                    ",",
                                                    "\n",
                                                    "\t",
                                                    "\r",
                                                    " ",
                                                    "  ",
                                                    "yes",
                                                    "No",
                                                    "null",
                                                    "~",
                                                    "1",
                                                    "0.2",
                                                    "1e3",
                                                    "0x1F",
                                                    "017",
                                                    "1:30",
                                                    ".5",
                                                    "2010-09-09",
                                                    "---",
                                                    "...",
                                                    "\\",
                                                    "\x7f",
                                                    "\x01",
                                                    "\b",
                                                    "\f",
                                                    "ü",
                                                    "Z\xC3\xBCrich",
                                                    "\xC2\x85",
                                                    "\xC2\xA0",
                                                    "\xE2\x80\xA8",
                                                    "\xEF\xBB\xBF",
                                                    "\xF0\x9F\x98\x80",
                                                    "\xff",
                                                    "\xC3",
                                                    std::string(1, '\0'),
                                                    "{\"a\": 1}",
                                                    "<<",
                                                    "=",
                                                    "true",
                                                    "off",
                                                    ".inf",
                                                    "-"};
    return pieces[pick(pieces.size())];
  }

  void scalar() {
    switch (pick(9)) {
      case 0:
        calls_.push_back({Call::num, "", "", static_cast<long>(pick(2000)) - 1000});
        break;
      case 1:
        calls_.push_back({Call::boolean, "", "", static_cast<long>(pick(2))});
        break;
      case 2: {
        static const char* tags[] = {"Sub",   "Ref", "GetAtt",  "If", "",
                                     "a%20b", "x-y", "bad tag", "%zz"};
        calls_.push_back({Call::fn, tags[pick(chance(10) ? 9 : 7)], string(), 0});
        break;
      }
      case 3: {
        static const char* numbers[] = {"0.2", "1", "10.25", "1.2.3", "abc", "", "0.2 # x", "-1"};
        calls_.push_back({Call::raw_number, numbers[pick(8)], "", 0});
        break;
      }
      default:
        calls_.push_back({Call::str, string(), "", 0});
    }
  }

  void blank_lines() {
    if (chance(15)) calls_.push_back({Call::blank_line});
    if (chance(3)) calls_.push_back({Call::blank_line});
  }

  // kind 0 map, 1 seq, otherwise a scalar; maps and seqs nest below.
  void node(int depth, std::size_t kind) {
    if (depth > 4 || kind > 1) return scalar();
    const std::size_t items = chance(10) ? 0 : 1 + pick(4);
    calls_.push_back({kind == 0 ? Call::map : Call::seq});
    for (std::size_t i = 0; i < items; ++i) {
      blank_lines();
      if (kind == 0) {
        calls_.push_back({Call::key, string(), "", 0});
        blank_lines();
      }
      node(depth + 1, pick(5));
    }
    blank_lines();
    calls_.push_back({kind == 0 ? Call::end_map : Call::end_seq});
  }

  std::mt19937 random_;
  std::vector<Call> calls_;
};

}  // namespace

TEST_CASE("the writer writes what yaml-cpp's Emitter writes for random documents") {
  DocumentMaker maker(20261126);
  std::size_t threw = 0, with_long_key = 0, with_empty = 0, with_nested_seq = 0, with_blank = 0;
  for (int i = 0; i < 4000; ++i) {
    const auto calls = maker.document();
    const std::string expected = replay<ReferenceWriter>(calls);
    const std::string actual = replay<mrp::YamlWriter>(calls);
    CAPTURE(i);
    CAPTURE(expected);
    REQUIRE(actual == expected);
    threw += expected.rfind("threw: ", 0) == 0;
    with_long_key += expected.find("\n? ") != std::string::npos;
    with_empty += expected.find("[]") != std::string::npos;
    with_nested_seq += expected.find("-\n") != std::string::npos;
    with_blank += expected.find("\n\n") != std::string::npos;
  }
  MESSAGE(threw << " malformed, " << with_long_key << " with a long key, " << with_empty
                << " with an empty collection, " << with_nested_seq << " with a nested sequence, "
                << with_blank << " with a blank line");
  // The documents reach every shape, and most are well-formed.
  CHECK(threw > 40);
  CHECK(threw < 1000);
  CHECK(with_long_key > 40);
  CHECK(with_empty > 40);
  CHECK(with_nested_seq > 40);
  CHECK(with_blank > 40);
}
