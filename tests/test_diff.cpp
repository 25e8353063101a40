// Unified diffs: the exact text for the cases `mrp check` meets, and the same
// bytes as GNU `diff -u` (diffutils) on a wider set of cases and context sizes.

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/base/diff.h"

namespace fs = std::filesystem;
using mrp::unified_diff;

namespace {

/// "line FROM\n" … "line TO\n".
std::string lines(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += fmt::format("line {}\n", i);
  return out;
}

std::string diff(std::string_view before, std::string_view after, int context = 3) {
  return unified_diff(before, after, "before", "after", context);
}

void write_file(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

/// What `diff -U<context>` prints for the two texts.
std::string gnu_diff(std::string_view before, std::string_view after, int context) {
  std::string tmpl = (fs::temp_directory_path() / "mrp-diff-XXXXXX").string();
  REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  const fs::path dir = tmpl;
  write_file(dir / "before", before);
  write_file(dir / "after", after);
  const std::string cmd = fmt::format("diff -U{} --label before --label after '{}' '{}'", context,
                                      (dir / "before").string(), (dir / "after").string());
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  fs::remove_all(dir);
  return out;
}

struct Case {
  const char* name;
  std::string before;
  std::string after;
};

std::vector<Case> cases() {
  const std::string ten = lines(1, 10);
  return {
      {"equal", ten, ten},
      {"one line changed", ten, lines(1, 4) + "line five\n" + lines(6, 10)},
      {"added at the start", ten, "line 0\n" + ten},
      {"added at the end", ten, ten + "line 11\n"},
      {"added in the middle", ten, lines(1, 5) + "new\n" + lines(6, 10)},
      {"removed at the start", ten, lines(2, 10)},
      {"removed at the end", ten, lines(1, 9)},
      {"removed in the middle", ten, lines(1, 4) + lines(7, 10)},
      {"before has no last newline", "a\nb", "a\nb\n"},
      {"after has no last newline", "a\nb\n", "a\nb"},
      {"neither has a last newline, last lines differ", "a\nb", "a\nc"},
      {"neither has a last newline, a kept last line", lines(1, 5) + "end",
       "line 0\n" + lines(1, 5) + "end"},
      {"empty before", "", "a\nb\n"},
      {"empty after", "a\nb\n", ""},
      {"empty before, no last newline", "", "a"},
      {"one line each", "a\n", "b\n"},
      {"CRLF against LF", "a\r\nb\r\n", "a\nb\n"},
      {"changes 6 lines apart", lines(1, 20),
       lines(1, 4) + "x\n" + lines(6, 11) + "y\n" + lines(13, 20)},
      {"changes 7 lines apart", lines(1, 20),
       lines(1, 4) + "x\n" + lines(6, 12) + "y\n" + lines(14, 20)},
      {"three hunks", lines(1, 40),
       "first\n" + lines(1, 19) + "middle\n" + lines(21, 40) + "last\n"},
      {"everything replaced", lines(1, 3), "x\ny\n"},
  };
}

}  // namespace

TEST_CASE("unified_diff: equal texts give no diff") {
  CHECK(diff("", "") == "");
  CHECK(diff("a\nb", "a\nb") == "");
  CHECK(diff(lines(1, 10), lines(1, 10)) == "");
}

TEST_CASE("unified_diff: a changed line, with three lines of context") {
  CHECK(diff(lines(1, 10), lines(1, 4) + "line five\n" + lines(6, 10)) ==
        "--- before\n"
        "+++ after\n"
        "@@ -2,7 +2,7 @@\n"
        " line 2\n"
        " line 3\n"
        " line 4\n"
        "-line 5\n"
        "+line five\n"
        " line 6\n"
        " line 7\n"
        " line 8\n");
}

TEST_CASE("unified_diff: lines added at the start and at the end, and removed") {
  CHECK(diff(lines(1, 5), "line 0\n" + lines(1, 5)) ==
        "--- before\n+++ after\n@@ -1,3 +1,4 @@\n+line 0\n line 1\n line 2\n line 3\n");
  CHECK(diff(lines(1, 5), lines(1, 6)) ==
        "--- before\n+++ after\n@@ -3,3 +3,4 @@\n line 3\n line 4\n line 5\n+line 6\n");
  CHECK(diff(lines(1, 5), lines(1, 2) + lines(4, 5)) ==
        "--- before\n+++ after\n@@ -1,5 +1,4 @@\n line 1\n line 2\n-line 3\n line 4\n line 5\n");
}

TEST_CASE("unified_diff: an empty range is numbered by the line before it") {
  CHECK(diff("", "a\nb\n") == "--- before\n+++ after\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  CHECK(diff("a\nb\n", "") == "--- before\n+++ after\n@@ -1,2 +0,0 @@\n-a\n-b\n");
  CHECK(diff(lines(1, 9), lines(1, 4) + "new\n" + lines(5, 9), 0) ==
        "--- before\n+++ after\n@@ -4,0 +5 @@\n+new\n");
  CHECK(diff(lines(1, 9), lines(1, 4) + lines(6, 9), 0) ==
        "--- before\n+++ after\n@@ -5 +4,0 @@\n-line 5\n");
}

TEST_CASE("unified_diff: a last line without a newline is marked") {
  CHECK(diff("a\nb", "a\nb\n") ==
        "--- before\n+++ after\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  CHECK(diff("a\nb\n", "a\nb") ==
        "--- before\n+++ after\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n");
  CHECK(diff("x\nend", "y\nend") ==
        "--- before\n+++ after\n@@ -1,2 +1,2 @@\n-x\n+y\n end\n\\ No newline at end of file\n");
}

TEST_CASE("unified_diff: changes at most 2 * context lines apart share a hunk") {
  const std::string six_apart = lines(1, 4) + "x\n" + lines(6, 11) + "y\n" + lines(13, 20);
  CHECK(diff(lines(1, 20), six_apart) ==
        "--- before\n+++ after\n@@ -2,14 +2,14 @@\n"
        " line 2\n line 3\n line 4\n-line 5\n+x\n"
        " line 6\n line 7\n line 8\n line 9\n line 10\n line 11\n"
        "-line 12\n+y\n line 13\n line 14\n line 15\n");
  const std::string seven_apart = lines(1, 4) + "x\n" + lines(6, 12) + "y\n" + lines(14, 20);
  CHECK(diff(lines(1, 20), seven_apart) ==
        "--- before\n+++ after\n"
        "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+x\n line 6\n line 7\n line 8\n"
        "@@ -10,7 +10,7 @@\n line 10\n line 11\n line 12\n-line 13\n+y\n line 14\n line 15\n"
        " line 16\n");
}

TEST_CASE("unified_diff: the labels are printed as given") {
  CHECK(unified_diff("a\n", "b\n", "/dev/null", "b/deployment-pipeline/pipeline.yaml") ==
        "--- /dev/null\n+++ b/deployment-pipeline/pipeline.yaml\n@@ -1 +1 @@\n-a\n+b\n");
}

TEST_CASE("unified_diff: the same bytes as GNU diff -u") {
  for (const Case& c : cases()) {
    for (int context : {0, 1, 2, 3, 5}) {
      CAPTURE(c.name);
      CAPTURE(context);
      CHECK(diff(c.before, c.after, context) == gnu_diff(c.before, c.after, context));
    }
  }
}
