// `mrp check`'s comparison: which generated files differ from the files on
// disk, the diff of each, the report, and that checking never writes.

#include <stdlib.h>

#include <fstream>
#include <map>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "compiler/cli/check.h"
#include "compiler/cli/writer.h"
#include "tests/support.h"

namespace fs = std::filesystem;
using mrp::FileCheck;
using mrp::test::read_text;
using mrp::test::source_dir;
using State = mrp::FileCheck::State;

namespace {

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "mrp-check-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

/// Every entry under `dir` with its contents and time of last change, so a
/// comparison before and after notices any write, creation or removal.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string time = fmt::to_string(e.last_write_time().time_since_epoch().count());
    out[e.path().lexically_relative(dir).generic_string()] =
        time + (e.is_regular_file() ? ":" + read_text(e.path()) : "/");
  }
  return out;
}

const mrp::Outputs three_files{
    {"deployment-pipeline/pipeline.yaml", "a: 1\nb: 2\n"},
    {"multiregion-build.sh", "#!/usr/bin/env bash\necho hi\n"},
    {"readme.txt", "same\n"},
};

// The checks of `outputs` against `dir`, which must all be readable.
std::vector<mrp::FileCheck> checks_of(const mrp::Outputs& outputs, const fs::path& dir) {
  auto checks = mrp::check_outputs(outputs, dir);
  REQUIRE_MESSAGE(checks.ok(), checks.error());
  return std::move(checks.value());
}

mrp::Outputs compile_spec(const std::string& text) {
  const auto r = mrp::compile(text, "pipeline.mrp", mrp::test::minimal_files());
  REQUIRE(r.outputs);
  return *r.outputs;
}

}  // namespace

TEST_CASE("check_outputs: up to date, stale and missing files, each with its diff") {
  ScratchDir dir;
  write_text(dir.path() / "deployment-pipeline/pipeline.yaml", "a: 1\nb: 3\n");
  write_text(dir.path() / "readme.txt", "same\n");

  const auto checks = checks_of(three_files, dir.path());
  REQUIRE(checks.size() == 3);
  CHECK(checks[0].path == "deployment-pipeline/pipeline.yaml");
  CHECK(checks[0].state == State::stale);
  CHECK(checks[0].diff ==
        "--- a/deployment-pipeline/pipeline.yaml\n"
        "+++ b/deployment-pipeline/pipeline.yaml\n"
        "@@ -1,2 +1,2 @@\n"
        " a: 1\n"
        "-b: 3\n"
        "+b: 2\n");
  CHECK(checks[1].path == "multiregion-build.sh");
  CHECK(checks[1].state == State::missing);
  CHECK(checks[1].diff ==
        "--- /dev/null\n"
        "+++ b/multiregion-build.sh\n"
        "@@ -0,0 +1,2 @@\n"
        "+#!/usr/bin/env bash\n"
        "+echo hi\n");
  CHECK(checks[2].path == "readme.txt");
  CHECK(checks[2].state == State::up_to_date);
  CHECK(checks[2].diff == "");
}

TEST_CASE("render_check_report: the diffs, then one line per file with the command that fixes it") {
  ScratchDir dir;
  write_text(dir.path() / "deployment-pipeline/pipeline.yaml", "a: 1\nb: 3\n");
  write_text(dir.path() / "readme.txt", "same\n");
  const auto checks = checks_of(three_files, dir.path());
  CHECK(mrp::render_check_report(checks, "mrp build specs/shop/pipeline.mrp") ==
        "--- a/deployment-pipeline/pipeline.yaml\n"
        "+++ b/deployment-pipeline/pipeline.yaml\n"
        "@@ -1,2 +1,2 @@\n"
        " a: 1\n"
        "-b: 3\n"
        "+b: 2\n"
        "--- /dev/null\n"
        "+++ b/multiregion-build.sh\n"
        "@@ -0,0 +1,2 @@\n"
        "+#!/usr/bin/env bash\n"
        "+echo hi\n"
        "mrp: deployment-pipeline/pipeline.yaml is stale or was edited by hand; run "
        "`mrp build specs/shop/pipeline.mrp` to regenerate it\n"
        "mrp: multiregion-build.sh is missing; run `mrp build specs/shop/pipeline.mrp` to "
        "generate it\n");
}

TEST_CASE("render_check_report: nothing when every file is up to date") {
  CHECK(mrp::render_check_report({}, "mrp build x.mrp") == "");
  CHECK(mrp::render_check_report({{"a.yaml", State::up_to_date, ""}}, "mrp build x.mrp") == "");
}

TEST_CASE("check_outputs compares bytes: line ends and the last newline count") {
  ScratchDir dir;
  const mrp::Outputs outputs{{"crlf.yaml", "a: 1\n"}, {"no-newline.sh", "echo hi\n"}};
  write_text(dir.path() / "crlf.yaml", "a: 1\r\n");
  write_text(dir.path() / "no-newline.sh", "echo hi");
  const auto checks = checks_of(outputs, dir.path());
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].state == State::stale);
  CHECK(checks[0].diff == "--- a/crlf.yaml\n+++ b/crlf.yaml\n@@ -1 +1 @@\n-a: 1\r\n+a: 1\n");
  CHECK(checks[1].state == State::stale);
  CHECK(checks[1].diff ==
        "--- a/no-newline.sh\n+++ b/no-newline.sh\n@@ -1 +1 @@\n"
        "-echo hi\n\\ No newline at end of file\n+echo hi\n");
}

TEST_CASE("check_outputs never writes, not even the folder of a missing file") {
  ScratchDir dir;
  write_text(dir.path() / "deployment-pipeline/pipeline.yaml", "old\n");
  write_text(dir.path() / "unrelated.txt", "kept\n");
  const auto before = snapshot(dir.path());
  const mrp::Outputs outputs{{"deployment-pipeline/pipeline.yaml", "new\n"},
                             {"new-folder/file.sh", "x\n"}};
  const auto checks = checks_of(outputs, dir.path());
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].state == State::stale);
  CHECK(checks[1].state == State::missing);
  CHECK(snapshot(dir.path()) == before);
  CHECK_FALSE(fs::exists(dir.path() / "new-folder"));
}

TEST_CASE("check_outputs: a folder where a file belongs is an I/O error, not a stale file") {
  ScratchDir dir;
  fs::create_directories(dir.path() / "readme.txt");
  const auto checks = mrp::check_outputs(three_files, dir.path());
  REQUIRE_FALSE(checks.ok());
  CHECK(checks.error() ==
        "cannot read " + (dir.path() / "readme.txt").string() + ": Is a directory");
}

TEST_CASE("check_outputs on a real spec: built, then a region added, then a hand edit") {
  ScratchDir dir;
  const std::string spec = read_text(source_dir() / "specs/orders-api/pipeline.mrp");
  const mrp::Outputs built = compile_spec(spec);
  REQUIRE(mrp::write_outputs(built, dir.path()).ok());
  const auto fresh = checks_of(built, dir.path());
  CHECK(fresh.size() == 11);
  for (const auto& c : fresh) CHECK(c.state == State::up_to_date);
  CHECK(mrp::render_check_report(fresh, "mrp build pipeline.mrp") == "");

  // Adding a region changes the seven files that list the regions.
  std::string wider = spec;
  const std::string last_region = "    ap-southeast-2  # Asia Pacific\n";
  REQUIRE(wider.find(last_region) != std::string::npos);
  wider.replace(wider.find(last_region), last_region.size(),
                "    ap-southeast-2 ap-northeast-1  # Asia Pacific\n");
  std::string stale;
  for (const auto& c : checks_of(compile_spec(wider), dir.path()))
    if (c.state == State::stale) stale += c.path + "\n";
  CHECK(stale ==
        "deployment-pipeline/buildspec.yaml\n"
        "deployment-pipeline/create-artifact-buckets.sh\n"
        "deployment-pipeline/deploy.sh\n"
        "deployment-pipeline/deployed.json\n"
        "deployment-pipeline/pipeline.yaml\n"
        "deployment-pipeline/teardown.sh\n"
        "multiregion-build.sh\n");

  const fs::path pipeline = dir.path() / "deployment-pipeline/pipeline.yaml";
  std::string edited = read_text(pipeline);
  const std::string compute = "ComputeType: BUILD_GENERAL1_MEDIUM";
  REQUIRE(edited.find(compute) != std::string::npos);
  edited.replace(edited.find(compute), compute.size(), "ComputeType: BUILD_GENERAL1_LARGE");
  write_text(pipeline, edited);
  const auto checks = checks_of(built, dir.path());
  REQUIRE(checks.size() == 11);
  CHECK(checks[6].path == "deployment-pipeline/pipeline.yaml");
  CHECK(checks[6].state == State::stale);
  CHECK(checks[6].diff ==
        "--- a/deployment-pipeline/pipeline.yaml\n"
        "+++ b/deployment-pipeline/pipeline.yaml\n"
        "@@ -190,7 +190,7 @@\n"
        "       Artifacts:\n"
        "         Type: CODEPIPELINE\n"
        "       Environment:\n"
        "-        ComputeType: BUILD_GENERAL1_LARGE\n"
        "+        ComputeType: BUILD_GENERAL1_MEDIUM\n"
        "         Image: aws/codebuild/standard:7.0\n"
        "         Type: LINUX_CONTAINER\n"
        "         EnvironmentVariables:\n");
}
