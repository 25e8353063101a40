// The syntax of docs/language.md §1: positions, words, strings, blocks, ends of
// directives, comments, continuation, CRLF, and the exact text of each error.

#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/mrp_grammar.hpp"
#include "tests/support.h"

using mrp::Argument;
using mrp::test::parse;
using mrp::test::syntax_errors;

TEST_CASE("the grammar has no rule that can loop without consuming input") {
  CHECK(tao::pegtl::analyze<mrp::grammar::spec>(1) == 0);
}

TEST_CASE("directives, arguments and blocks keep their line and column") {
  const auto tree = parse("pipeline p {\n  regions us-east-1  \"eu-west-1\"\n}\n");
  REQUIRE(tree);
  REQUIRE(tree->directives.size() == 1);
  const auto& p = tree->directives[0];
  CHECK(p.name == "pipeline");
  CHECK(p.pos.line == 1);
  CHECK(p.pos.column == 1);
  CHECK(p.has_block);
  CHECK(p.block_pos.column == 12);
  REQUIRE(p.children.size() == 1);
  const auto& r = p.children[0];
  CHECK(r.name == "regions");
  CHECK(r.pos.line == 2);
  CHECK(r.pos.column == 3);
  REQUIRE(r.args.size() == 2);
  CHECK(r.args[0].value == "us-east-1");
  CHECK(r.args[0].kind == Argument::Kind::word);
  CHECK(r.args[0].pos.column == 11);
  CHECK(r.args[1].value == "eu-west-1");
  CHECK(r.args[1].kind == Argument::Kind::string);
  CHECK(r.args[1].pos.column == 22);
  CHECK(r.args[1].pos.file == "test.mrp");
}

TEST_CASE("words take any character but space, quote, braces, semicolon, hash and backslash") {
  const auto tree = parse("image aws/codebuild/standard:7.0 arn:aws:iam::1:role/x=y,z@w 90d\n");
  REQUIRE(tree);
  const auto& args = tree->directives[0].args;
  REQUIRE(args.size() == 3);
  CHECK(args[0].value == "aws/codebuild/standard:7.0");
  CHECK(args[1].value == "arn:aws:iam::1:role/x=y,z@w");
  CHECK(args[2].value == "90d");
}

TEST_CASE("strings resolve their escapes") {
  const auto tree = parse(R"(d "a \"q\" b\\c\nd\te \$HOME # not a comment")");
  REQUIRE(tree);
  CHECK(tree->directives[0].args[0].value == "a \"q\" b\\c\nd\te $HOME # not a comment");
}

TEST_CASE("a string may hold UTF-8 and braces") {
  const auto tree = parse("d \"Zürich { } ; 東京\"\n");
  REQUIRE(tree);
  CHECK(tree->directives[0].args[0].value == "Zürich { } ; 東京");
}

TEST_CASE("comments run to the end of the line, also right after an argument") {
  const auto tree = parse("# heading\na x # trailing\n  # indented\nb y#z\n");
  REQUIRE(tree);
  REQUIRE(tree->directives.size() == 2);
  CHECK(tree->directives[0].args.size() == 1);
  CHECK(tree->directives[1].args.size() == 1);
  CHECK(tree->directives[1].args[0].value == "y");
}

TEST_CASE("every comment is kept in file order with its text and position") {
  const auto tree = parse("# heading  \r\nb { # open\r\n  c \"#\" # after c\r\n} #close\r\n#end");
  REQUIRE(tree);
  REQUIRE(tree->comments.size() == 5);
  CHECK(tree->comments[0].text == "# heading  ");
  CHECK(tree->comments[0].pos.line == 1);
  CHECK(tree->comments[0].pos.column == 1);
  CHECK(tree->comments[1].text == "# open");
  CHECK(tree->comments[1].pos.column == 5);
  CHECK(tree->comments[2].text == "# after c");
  CHECK(tree->comments[2].pos.line == 3);
  CHECK(tree->comments[2].pos.column == 9);
  CHECK(tree->comments[3].text == "#close");
  CHECK(tree->comments[4].text == "#end");
  CHECK(tree->comments[4].pos.line == 5);
}

TEST_CASE("a block keeps the position of its closing brace") {
  const auto tree = parse("a {\n  b { c }\n}\n");
  REQUIRE(tree);
  const auto& a = tree->directives[0];
  CHECK(a.close_pos.line == 3);
  CHECK(a.close_pos.column == 1);
  CHECK(a.children[0].close_pos.line == 2);
  CHECK(a.children[0].close_pos.column == 9);
}

TEST_CASE("CRLF line ends count as one line end") {
  const auto tree = parse("a 1\r\nb {\r\n  c 2\r\n}\r\n");
  REQUIRE(tree);
  REQUIRE(tree->directives.size() == 2);
  CHECK(tree->directives[1].children[0].pos.line == 3);
  CHECK(tree->directives[1].children[0].args[0].value == "2");
}

TEST_CASE("a semicolon ends a directive, and a closing brace may end the last one") {
  const auto tree = parse("build { image x; compute small; run \"a b\" }\n");
  REQUIRE(tree);
  const auto& kids = tree->directives[0].children;
  REQUIRE(kids.size() == 3);
  CHECK(kids[0].name == "image");
  CHECK(kids[1].name == "compute");
  CHECK(kids[2].args[0].value == "a b");
}

TEST_CASE("a block may list one item per line") {
  const auto tree = parse("regions {\n  us-east-1\n  eu-west-1 eu-west-2\n}\n");
  REQUIRE(tree);
  const auto& kids = tree->directives[0].children;
  REQUIRE(kids.size() == 2);
  CHECK(kids[0].name == "us-east-1");
  CHECK(kids[1].name == "eu-west-1");
  CHECK(kids[1].args[0].value == "eu-west-2");
}

TEST_CASE("a trailing backslash continues the arguments on the next line") {
  const auto tree = parse("regions us-east-1 \\\n        us-west-2 \\\r\n  eu-west-1\nnext\n");
  REQUIRE(tree);
  REQUIRE(tree->directives.size() == 2);
  const auto& args = tree->directives[0].args;
  REQUIRE(args.size() == 3);
  CHECK(args[2].value == "eu-west-1");
  CHECK(args[2].pos.line == 3);
  CHECK(args[2].pos.column == 3);
}

TEST_CASE("an empty file and a file of comments parse to no directives") {
  CHECK(parse("")->directives.empty());
  CHECK(parse("# nothing\n\n   \n")->directives.empty());
  CHECK(parse("\xEF\xBB\xBFpipeline p {}\n")->directives.size() == 1);
}

TEST_CASE("syntax errors: the exact text, the source line and a caret") {
  CHECK(syntax_errors("pipeline p {\n  regions \"us-east-1\n}\n") ==
        "test.mrp:2:21: error: unterminated string: expected `\"` before the end of the line "
        "[syntax]\n"
        "  regions \"us-east-1\n"
        "                    ^\n");
  CHECK(syntax_errors("d \"a\\qb\"\n") ==
        "test.mrp:1:6: error: unknown escape `q` in string: use \\\" \\\\ \\n \\t or \\$ [syntax]\n"
        "d \"a\\qb\"\n"
        "     ^\n");
  CHECK(syntax_errors("pipeline p {\n  source github {\n    owner a\n") ==
        "test.mrp:4:1: error: expected a directive or `}` but found the end of the file (the `{` "
        "of `source` on line 2 is never closed) [syntax]\n"
        "\n"
        "^\n");
  CHECK(syntax_errors("pipeline p {\n}\n}\n") ==
        "test.mrp:3:1: error: expected a directive but found `}` (no block is open here) [syntax]\n"
        "}\n"
        "^\n");
  CHECK(syntax_errors("Pipeline p {}\n") ==
        "test.mrp:1:1: error: expected a directive but found `P` [syntax]\n"
        "Pipeline p {}\n"
        "^\n");
  CHECK(syntax_errors("regions a \\ b\n") ==
        "test.mrp:1:11: error: expected an argument, `{`, `;` or the end of the line but found "
        "`\\` (a `\\` continues a line only as its last character) [syntax]\n"
        "regions a \\ b\n"
        "          ^\n");
  CHECK(syntax_errors("app {\n  template \"t.yaml\"x\n}\n") ==
        "test.mrp:2:20: error: expected an argument, `{`, `;` or the end of the line but found "
        "`x` [syntax]\n"
        "  template \"t.yaml\"x\n"
        "                   ^\n");
  CHECK(syntax_errors("pipeline p {\n  42 x\n}\n") ==
        "test.mrp:2:3: error: expected a directive or `}` but found `4` [syntax]\n"
        "  42 x\n"
        "  ^\n");
}

TEST_CASE("the caret lines up under tabs and multi-byte characters") {
  CHECK(syntax_errors("\td \"é\" \\ x\n") ==
        "test.mrp:1:8: error: expected an argument, `{`, `;` or the end of the line but found "
        "`\\` (a `\\` continues a line only as its last character) [syntax]\n"
        "\td \"é\" \\ x\n"
        "\t      ^\n");
}

TEST_CASE("binary and non-UTF-8 input is rejected before parsing") {
  CHECK(syntax_errors(std::string("pipeline p {\n  a\0b\n}\n", 19)) ==
        "test.mrp:2:4: error: byte 0x00 is a control character: a spec must be UTF-8 text "
        "[encoding]\n"
        "  a?b\n"
        "   ^\n");
  CHECK(syntax_errors("d \"\xff\"\n") ==
        "test.mrp:1:4: error: byte 0xff is not valid UTF-8: a spec must be UTF-8 text [encoding]\n"
        "d \"?\"\n"
        "   ^\n");
}

TEST_CASE("only well-formed UTF-8 is UTF-8") {
  // The lead bytes UTF-8 never uses, overlong forms, surrogates and code points
  // past U+10FFFF: JSON and SARIF reports, which must be UTF-8, cannot carry them.
  const std::pair<std::string, std::string> bad[] = {
      {"\xc0\xaf", "0xc0"},         {"\xe0\x80\xaf", "0xe0"},     {"\xed\xa0\x80", "0xed"},
      {"\xf0\x8f\xbf\xbf", "0xf0"}, {"\xf4\x90\x80\x80", "0xf4"}, {"\xf6\x8f\x96\x8f", "0xf6"}};
  for (const auto& [bytes, lead] : bad) {
    CAPTURE(lead);
    CHECK(syntax_errors("d \"" + bytes + "\"\n") ==
          "test.mrp:1:4: error: byte " + lead +
              " is not valid UTF-8: a spec must be UTF-8 text [encoding]\n"
              "d \"" +
              std::string(bytes.size(), '?') +
              "\"\n"
              "   ^\n");
  }
  for (const char* good : {"\xc2\x80", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80",
                           "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf"}) {
    CAPTURE(good);
    CHECK(parse("d \"" + std::string(good) + "\"\n"));
  }
}

TEST_CASE("blocks nested too deep are an error, not a stack overflow") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "a {";
  const std::string errors = syntax_errors(deep);
  const std::string window =
      "a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a {a ";
  CHECK(errors == "test.mrp:1:195: error: blocks are nested more than 64 deep [syntax]\n..." +
                      window + "{" + window.substr(0, 79) + "...\n" + std::string(83, ' ') + "^\n");
  std::string ok;
  for (int i = 0; i < 64; ++i) ok += "a {\n";
  for (int i = 0; i < 64; ++i) ok += "}\n";
  CHECK(parse(ok));
}

TEST_CASE("a file with a problem on every line reports the first 200 and counts the rest") {
  std::string spec = "pipeline p {\n";
  for (int i = 0; i < 1000; ++i) spec += "  x y\n";
  spec += "}\n";
  const std::string errors = mrp::test::compile_errors(spec);
  CHECK(errors.find("test.mrp:201:3: error: unknown directive `x`") != std::string::npos);
  CHECK(errors.find("test.mrp:202:3:") == std::string::npos);
  const auto r = mrp::test::compile_text(spec);
  CHECK(r.diags.all().size() == mrp::Diagnostics::max_kept);
  CHECK(r.diags.dropped() == 1003 - mrp::Diagnostics::max_kept);
  CHECK(mrp::render_all(r.diags, spec)
            .substr(mrp::render_all(r.diags, spec).rfind("test.mrp: note")) ==
        "test.mrp: note: 803 more problems are not shown; mrp shows the first 200\n");
}
