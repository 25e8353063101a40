// The writer behind `mrp init` and `mrp import`: exact text for comments,
// blocks and quoting, and a refusal to write what would not read back.

#include <stdexcept>

#include <doctest/doctest.h>

#include "compiler/syntax/spec_writer.h"

using mrp::spec_block;
using mrp::spec_line;
using mrp::SpecNode;

TEST_CASE("a written spec is in the canonical layout, with its comments where they were put") {
  SpecNode regions = spec_line("regions", {"us-east-1", "eu-west-1"});
  regions.comments = {"guessed: the AWS CLI's region", "add the others"};
  regions.blank_line_before = true;
  SpecNode run = spec_line("run", {"npm run build"});
  run.trailing = "from package.json\nscripts";
  SpecNode build = spec_block("build", {}, {run, spec_line("compute", {"small"})});
  build.blank_line_before = true;
  const std::string text =
      mrp::write_spec({"Written by mrp init.", "", "Edit it."},
                      {spec_block("pipeline", {"shop"},
                                  {spec_line("description", {"Shop \"API\" {v2}; #1"}), regions,
                                   build, spec_block("artifacts", {}, {})})});
  CHECK(text ==
        "# Written by mrp init.\n"
        "#\n"
        "# Edit it.\n"
        "\n"
        "pipeline shop {\n"
        "  description \"Shop \\\"API\\\" {v2}; #1\"\n"
        "\n"
        "  # guessed: the AWS CLI's region\n"
        "  # add the others\n"
        "  regions us-east-1 eu-west-1\n"
        "\n"
        "  build {\n"
        "    run \"npm run build\"  # from package.json scripts\n"
        "    compute small\n"
        "  }\n"
        "  artifacts {}\n"
        "}\n");
}

TEST_CASE("an argument is a word when it can be one, else a string") {
  CHECK(mrp::write_spec({}, {spec_line("x", {"a/b:c", "", "a\\b", "tab\there", "x\ny"})}) ==
        "x a/b:c \"\" \"a\\\\b\" \"tab\\there\" \"x\\ny\"\n");
}

TEST_CASE("a spec that would not read back as written is refused") {
  CHECK_THROWS_AS(mrp::write_spec({}, {spec_line("Bad name")}), std::logic_error);
  CHECK_THROWS_AS(mrp::write_spec({}, {spec_line("x\ny")}), std::logic_error);
}
