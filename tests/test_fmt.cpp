// The formatter behind `mrp fmt`: the exact canonical text for each layout rule,
// comments in every position, and over every example and bad spec that parses,
// that formatting is idempotent and never changes what a spec means.

#include <algorithm>
#include <vector>

#include <doctest/doctest.h>

#include "compiler/syntax/format.h"
#include "tests/support.h"

namespace fs = std::filesystem;
using mrp::test::parse;
using mrp::test::read_text;
using mrp::test::source_dir;

namespace {

std::string formatted(std::string_view text) {
  const auto tree = parse(text);
  REQUIRE(tree);
  return mrp::format_spec(*tree);
}

// The tree without positions or comments, written out so a failure shows where
// two trees part. Written here rather than with mrp::same_directives so the
// check does not lean on the code it checks.
void write_shape(const std::vector<mrp::Directive>& list, std::string& out) {
  for (const auto& d : list) {
    out += d.name;
    for (const auto& a : d.args)
      out += (a.kind == mrp::Argument::Kind::string ? " s:" : " w:") + a.value;
    if (d.has_block) {
      out += " {";
      write_shape(d.children, out);
      out += "}";
    }
    out += ";";
  }
}

std::string shape(const mrp::SyntaxTree& tree) {
  std::string out;
  write_shape(tree.directives, out);
  return out;
}

// Formatting `text` reads back as the same spec, and formatting again changes nothing.
void check_format_keeps_meaning(const std::string& text, const std::string& file) {
  CAPTURE(file);
  mrp::Diagnostics diags;
  const auto tree = mrp::parse_spec(text, file, diags);
  if (!tree) return;  // a syntax error: nothing to format
  const std::string once = mrp::format_spec(*tree);
  const auto again = mrp::parse_spec(once, file, diags);
  REQUIRE(again);
  CHECK(mrp::format_spec(*again) == once);
  CHECK(shape(*again) == shape(*tree));
  CHECK(again->comments.size() == tree->comments.size());
  const auto before = mrp::compile(text, file, mrp::test::minimal_files());
  const auto after = mrp::compile(once, file, mrp::test::minimal_files());
  REQUIRE(before.outputs.has_value() == after.outputs.has_value());
  if (before.outputs) CHECK(*before.outputs == *after.outputs);
  CHECK(before.diags.all().size() == after.diags.all().size());
}

std::vector<fs::path> spec_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(source_dir() / "specs"))
    if (fs::exists(e.path() / "pipeline.mrp")) out.push_back(e.path() / "pipeline.mrp");
  for (const auto& e : fs::directory_iterator(source_dir() / "golden" / "errors"))
    if (e.path().extension() == ".mrp") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Inputs of the layout tests below, checked for idempotence and meaning too.
const std::vector<std::string> samples = {
    "pipeline   p{\n\tregions  us-east-1\t\"eu-west-1\"\n      app a {}\n  build {\n}\n}",
    "pipeline p { source github { owner a; repo b; branch c }\n regions a; app x { template t } "
    "}\n",
    "a; b;c\na{}b{}\n",
    "regions us-east-1 \\\n        us-west-2 \\\r\n  eu-west-1\nnext\na b \\\n  { c }\n",
    "a b \\\n  # c\nd\n",
    "d \"a \\\"q\\\" b\\\\c\\nd\\te \\$HOME # x\" \"\t\" \"word\" word\n",
    "source github { owner a; repo b }  # the repo\nx { owner a; repo b # c\n}\n",
    "a {\n  # nothing yet\n}\nb { # h\n} # c\nc {\n} # c\nd {} # d\n",
    "\n\n\na\n\n\n\nb\n\n# c\n\n\nd {\n\n  e\n\n\n  f\n\n}\n\n\n",
    "pipeline p {\r\n  # c\r\n  regions a\r\n\r\n  app x {}\r\n}\r\n",
    "\xEF\xBB\xBF# c\npipeline p {}\n",
    "  # only\n\n\n# comments   \n",
};

}  // namespace

TEST_CASE("fmt: two spaces per block, one space between arguments, braces on the line") {
  CHECK(formatted(samples[0]) ==
        "pipeline p {\n"
        "  regions us-east-1 \"eu-west-1\"\n"
        "  app a {}\n"
        "  build {}\n"
        "}\n");
}

TEST_CASE("fmt: blocks written on one line get one directive per line") {
  CHECK(formatted(samples[1]) ==
        "pipeline p {\n"
        "  source github {\n"
        "    owner a\n"
        "    repo b\n"
        "    branch c\n"
        "  }\n"
        "  regions a\n"
        "  app x {\n"
        "    template t\n"
        "  }\n"
        "}\n");
  CHECK(formatted(samples[2]) == "a\nb\nc\na {}\nb {}\n");
}

TEST_CASE("fmt: continued argument lists are joined into one line") {
  CHECK(formatted(samples[3]) ==
        "regions us-east-1 us-west-2 eu-west-1\n"
        "next\n"
        "a b {\n"
        "  c\n"
        "}\n");
  // A comment line after a `\` ends the directive; it stays on its own line.
  CHECK(formatted(samples[4]) == "a b\n# c\nd\n");
}

TEST_CASE("fmt: strings stay strings, quoted again with their escapes") {
  CHECK(formatted(samples[5]) ==
        "d \"a \\\"q\\\" b\\\\c\\nd\\te $HOME # x\" \"\\t\" \"word\" word\n");
}

TEST_CASE("fmt: comments in every position") {
  const std::string in =
      "# first\n"
      "\n"
      "# second, after a blank line\n"
      "pipeline p {  # after the brace\n"
      "  # own line inside\n"
      "  regions a b # trailing after args\n"
      "  build {\n"
      "    run \"x\"   # trailing, extra spaces\n"
      "    # before the closing brace\n"
      "  } # after the brace of build\n"
      "\n"
      "   # before app, after a blank line, badly indented\n"
      "  app x {} # after an empty block\n"
      "      # before the closing brace of pipeline\n"
      "}\n"
      "# at the end of the file\n";
  const std::string out =
      "# first\n"
      "\n"
      "# second, after a blank line\n"
      "pipeline p {  # after the brace\n"
      "  # own line inside\n"
      "  regions a b  # trailing after args\n"
      "  build {\n"
      "    run \"x\"  # trailing, extra spaces\n"
      "    # before the closing brace\n"
      "  }  # after the brace of build\n"
      "\n"
      "  # before app, after a blank line, badly indented\n"
      "  app x {}  # after an empty block\n"
      "  # before the closing brace of pipeline\n"
      "}\n"
      "# at the end of the file\n";
  CHECK(formatted(in) == out);
  check_format_keeps_meaning(in, "comments.mrp");
}

TEST_CASE("fmt: comment text is kept byte for byte, without trailing whitespace") {
  CHECK(formatted("#\n##  double\n#\ttab inside \t\na #Zürich 東京  \n") ==
        "#\n##  double\n#\ttab inside\na  #Zürich 東京\n");
}

TEST_CASE("fmt: a comment after a one-line block goes to the directive's line") {
  CHECK(formatted(samples[6]) ==
        "source github {  # the repo\n"
        "  owner a\n"
        "  repo b\n"
        "}\n"
        "x {\n"
        "  owner a\n"
        "  repo b  # c\n"
        "}\n");
}

TEST_CASE("fmt: an empty block stays open when it holds a comment or two trail it") {
  CHECK(formatted(samples[7]) ==
        "a {\n"
        "  # nothing yet\n"
        "}\n"
        "b {  # h\n"
        "}  # c\n"
        "c {}  # c\n"
        "d {}  # d\n");
}

TEST_CASE("fmt: one blank line where there were any, none after { or before } or at the ends") {
  CHECK(formatted(samples[8]) == "a\n\nb\n\n# c\n\nd {\n  e\n\n  f\n}\n");
  CHECK(formatted("d {\n\n  # c\n\n}\n") == "d {\n  # c\n}\n");
}

TEST_CASE("fmt: CRLF becomes LF, a byte-order mark goes, the file ends in one newline") {
  CHECK(formatted(samples[9]) == "pipeline p {\n  # c\n  regions a\n\n  app x {}\n}\n");
  CHECK(formatted(samples[10]) == "# c\npipeline p {}\n");
  CHECK(formatted("a") == "a\n");
  CHECK(formatted("a # c") == "a  # c\n");
  CHECK(formatted("a\n\n\n") == "a\n");
}

TEST_CASE("fmt: an empty spec stays empty and a spec of comments keeps them") {
  CHECK(formatted("").empty());
  CHECK(formatted("\n\n  \n").empty());
  CHECK(formatted(samples[11]) == "# only\n\n# comments\n");
}

TEST_CASE("fmt: format_source formats, or reports the syntax error and gives nothing") {
  mrp::Diagnostics diags;
  CHECK(mrp::format_source("a{b}", "test.mrp", diags) == "a {\n  b\n}\n");
  CHECK_FALSE(diags.has_errors());
  const std::string bad = "pipeline p {\n";
  CHECK_FALSE(mrp::format_source(bad, "test.mrp", diags));
  CHECK(mrp::render_all(diags, bad) ==
        "test.mrp:2:1: error: expected a directive or `}` but found the end of the file (the `{` "
        "of `pipeline` on line 1 is never closed) [syntax]\n"
        "\n"
        "^\n");
}

TEST_CASE("fmt: same_directives compares names, arguments and blocks, not layout") {
  const auto same = [](std::string_view a, std::string_view b) {
    return mrp::same_directives(*parse(a), *parse(b));
  };
  CHECK(same("a x \"y z\" { b }  # c\n", "# d\na   x   \"y z\"{\n\n  b\n}"));
  CHECK_FALSE(same("a x", "a \"x\""));
  CHECK_FALSE(same("a x", "a y"));
  CHECK_FALSE(same("a x", "a x x"));
  CHECK_FALSE(same("a x", "a x {}"));
  CHECK_FALSE(same("a { b }", "a { c }"));
  CHECK_FALSE(same("a { b }", "a {}\nb"));
}

TEST_CASE("fmt: formatting is idempotent and keeps the meaning of every spec that parses") {
  const auto files = spec_files();
  REQUIRE(files.size() >= 12);
  for (const auto& path : files)
    check_format_keeps_meaning(read_text(path), path.lexically_relative(source_dir()).string());
  for (const auto& text : samples) check_format_keeps_meaning(text, "sample.mrp");
}
