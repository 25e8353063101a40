// Golden files: every spec in specs/ compiles, in memory (its folder's files
// held in memory and read through the same FileReader interface as the disk),
// to exactly the files in golden/<spec>/, which are what `mrp build` writes;
// and every bad spec in golden/errors/ to exactly its .err.
// With MRP_UPDATE_GOLDEN=1 the expected files are rewritten instead (see
// scripts/update-golden); review the diff of golden/ before committing it.

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/base/diff.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::test::read_text;
using mrp::test::source_dir;

namespace {

constexpr const char* regenerate_hint =
    "to accept the new output, run scripts/update-golden and review `git diff golden/`";

// The deprecation table is read for a fixed day, so that the expected warnings
// do not change with the calendar.
constexpr mrp::Date golden_day{2026, 11, 26};

bool updating() {
  const char* v = std::getenv("MRP_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// Checks (or rewrites) one expected file; a mismatch prints the diff.
void check_golden_file(const fs::path& expected, const std::string& actual) {
  if (updating()) {
    if (!fs::exists(expected) || read_text(expected) != actual) write_text(expected, actual);
    return;
  }
  const bool same = fs::exists(expected) && read_text(expected) == actual;
  if (!same) {
    const std::string diff =
        fs::exists(expected)
            ? mrp::unified_diff(read_text(expected), actual, expected.string(), "generated")
            : "(missing)\n" + actual;
    FAIL_CHECK(fmt::format("{} differs from the generated text:\n{}{}", expected.string(), diff,
                           regenerate_hint));
  }
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.insert(e.path().lexically_relative(dir).generic_string());
  return out;
}

}  // namespace

TEST_SUITE("golden") {
  TEST_CASE("every spec in specs/ compiles to exactly golden/<spec>/") {
    const auto specs = sorted_entries(source_dir() / "specs");
    REQUIRE(specs.size() >= 3);
    for (const auto& dir : specs) {
      const std::string name = dir.filename().string();
      CAPTURE(name);
      const std::string text = read_text(dir / "pipeline.mrp");
      const auto r = mrp::compile(text, "specs/" + name + "/pipeline.mrp", mrp::test::files_in(dir),
                                  {}, {golden_day});
      const std::string warnings = mrp::render_all(r.diags, text);
      INFO(warnings);
      REQUIRE(r.outputs);
      // Warnings are expected output too: golden/<spec>.warnings holds them.
      const fs::path expected_warnings = source_dir() / "golden" / (name + ".warnings");
      if (!warnings.empty() || fs::exists(expected_warnings))
        check_golden_file(expected_warnings, warnings);
      const fs::path golden = source_dir() / "golden" / name;
      for (const auto& [path, content] : *r.outputs) check_golden_file(golden / path, content);
      for (const auto& extra : files_under(golden)) {
        if (r.outputs->count(extra)) continue;
        if (updating())
          fs::remove(golden / extra);
        else
          FAIL_CHECK(fmt::format("golden/{}/{} is not generated any more; {}", name, extra,
                                 regenerate_hint));
      }
    }
  }

  TEST_CASE("mrp build writes for every spec what the in-memory compile renders") {
    for (const auto& dir : sorted_entries(source_dir() / "specs")) {
      const std::string name = dir.filename().string();
      CAPTURE(name);
      mrp::test::Workspace ws(name);
      const auto built = ws.run(mrp::test::mrp_command("build pipeline.mrp"), ws.repo());
      REQUIRE_MESSAGE(built.status == 0, built.err);
      const auto r = mrp::compile(read_text(dir / "pipeline.mrp"), "pipeline.mrp",
                                  mrp::test::files_in(dir), {}, {golden_day});
      REQUIRE(r.outputs);
      for (const auto& [path, content] : *r.outputs) {
        CAPTURE(path);
        CHECK(read_text(ws.repo() / path) == content);
      }
    }
  }

  TEST_CASE("every bad spec in golden/errors/ gives exactly its .err") {
    std::size_t cases = 0;
    for (const auto& path : sorted_entries(source_dir() / "golden" / "errors")) {
      if (path.extension() != ".mrp") continue;
      ++cases;
      const std::string shown = "golden/errors/" + path.filename().string();
      CAPTURE(shown);
      const std::string text = read_text(path);
      const auto r =
          mrp::compile(text, shown, mrp::DiskFileReader(path.parent_path()), {}, {golden_day});
      // A case either fails, writing nothing, or passes with warnings only.
      CHECK(r.diags.has_errors() == !r.outputs);
      CHECK_FALSE(r.diags.all().empty());
      fs::path expected = path;
      check_golden_file(expected.replace_extension(".err"), mrp::render_all(r.diags, text));
    }
    CHECK(cases >= 8);
  }

  TEST_CASE("compiling twice gives the same bytes") {
    for (const auto& dir : sorted_entries(source_dir() / "specs")) {
      const std::string text = read_text(dir / "pipeline.mrp");
      const auto a = mrp::compile(text, "a.mrp", mrp::test::files_in(dir), {}, {golden_day});
      const auto b = mrp::compile(text, "a.mrp", mrp::test::files_in(dir), {}, {golden_day});
      REQUIRE(a.outputs);
      CHECK(*a.outputs == *b.outputs);
    }
  }
}
