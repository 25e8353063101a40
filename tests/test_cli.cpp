// mrp lint, check and fmt from the command line, as a pre-commit hook runs
// them: exit codes, report formats, and that none of them writes a spec's
// outputs.

#include <fstream>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "compiler/base/rules.h"
#include "tests/support.h"
#include "tests/workspace.h"

namespace fs = std::filesystem;
using mrp::test::mrp_command;
using mrp::test::read_text;
using mrp::test::Run;
using mrp::test::Workspace;

namespace {

// Every file under `dir` with its contents, to show that a command wrote nothing.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[e.path().lexically_relative(dir).string()] = read_text(e.path());
  return files;
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

constexpr const char* broken_spec =
    "pipeline shop {\n  source github { owner acme; repo shop; branch main }\n"
    "  regions us-east-1 eu-wets-1\n  app shop-app { template template.yaml }\n}\n";

}  // namespace

TEST_SUITE("behaviour") {
  TEST_CASE("mrp lint: exit codes, several files at once, and nothing written") {
    Workspace ws("status-page");
    write_file(ws.repo() / "bad/pipeline.mrp", broken_spec);
    write_file(ws.repo() / "bad/template.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    const auto before = snapshot(ws.repo());

    const Run clean = ws.run(mrp_command("lint --as-of 2019-01-01 pipeline.mrp"), ws.repo());
    CHECK(clean.status == 0);
    CHECK(clean.out == "");

    const Run warned = ws.run(mrp_command("lint --as-of 2026-11-26 pipeline.mrp"), ws.repo());
    CHECK(warned.status == 0);
    CHECK(warned.out.find("[deprecated-source]") != std::string::npos);
    CHECK(ws.run(mrp_command("lint --werror --as-of 2026-11-26 pipeline.mrp"), ws.repo()).status ==
          1);

    const Run both =
        ws.run(mrp_command("lint --as-of 2019-01-01 pipeline.mrp bad/pipeline.mrp"), ws.repo());
    CHECK(both.status == 1);
    CHECK(both.out ==
          "bad/pipeline.mrp:3:21: error: unknown region `eu-wets-1`; did you mean `eu-west-1`? "
          "[unknown-region]\n"
          "  regions us-east-1 eu-wets-1\n"
          "                    ^\n");

    const Run missing = ws.run(mrp_command("lint pipeline.mrp nope.mrp"), ws.repo());
    CHECK(missing.status == 2);
    CHECK(missing.err == "mrp: error: cannot read nope.mrp\n");
    CHECK(ws.run(mrp_command("lint --as-of 2026-02-30 pipeline.mrp"), ws.repo()).status == 2);
    CHECK(snapshot(ws.repo()) == before);
  }

  TEST_CASE("mrp lint --format json and sarif carry the same findings") {
    Workspace ws("status-page");
    write_file(ws.repo() / "bad/pipeline.mrp", broken_spec);
    write_file(ws.repo() / "bad/template.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n");
    const std::string files = "--as-of 2026-11-26 pipeline.mrp bad/pipeline.mrp";

    const Run json = ws.run(mrp_command("lint --format json " + files), ws.repo());
    CHECK(json.status == 1);
    const auto list = nlohmann::json::parse(json.out);
    REQUIRE(list.size() == 3);
    CHECK(list[2] ==
          nlohmann::json{{"file", "bad/pipeline.mrp"},
                         {"line", 3},
                         {"column", 21},
                         {"severity", "error"},
                         {"rule", "unknown-region"},
                         {"message", "unknown region `eu-wets-1`; did you mean `eu-west-1`?"}});
    CHECK(list[0]["rule"] == "deprecated-source");
    CHECK(list[0]["severity"] == "warning");

    const Run sarif = ws.run(mrp_command("lint --format sarif " + files), ws.repo());
    CHECK(sarif.status == 1);
    const auto log = nlohmann::json::parse(sarif.out);
    CHECK(log["version"] == "2.1.0");
    const auto& run = log["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "mrp");
    CHECK(run["tool"]["driver"]["rules"].size() == mrp::all_rules.size());
    REQUIRE(run["results"].size() == 3);
    const auto& result = run["results"][2];
    CHECK(result["ruleId"] == "unknown-region");
    CHECK(result["level"] == "error");
    const auto& where = result["locations"][0]["physicalLocation"];
    CHECK(where["artifactLocation"]["uri"] == "bad/pipeline.mrp");
    CHECK(where["region"] == nlohmann::json{{"startLine", 3}, {"startColumn", 21}});
  }

  TEST_CASE("mrp check: up to date, stale, missing, hand-edited; never writes") {
    Workspace ws("orders-api");
    const Run fresh = ws.run(mrp_command("check pipeline.mrp"), ws.repo());
    CHECK(fresh.status == 1);  // nothing built yet: every file is missing
    CHECK(fresh.out.find("mrp: multiregion-build.sh is missing; run `mrp build pipeline.mrp` to "
                         "generate it\n") != std::string::npos);
    CHECK_FALSE(fs::exists(ws.repo() / "multiregion-build.sh"));

    REQUIRE(ws.run(mrp_command("build pipeline.mrp"), ws.repo()).status == 0);
    const Run clean = ws.run(mrp_command("check pipeline.mrp"), ws.repo());
    CHECK(clean.status == 0);
    CHECK(clean.out == "");

    const fs::path buildspec = ws.repo() / "deployment-pipeline/buildspec.yaml";
    std::string edited = read_text(buildspec);
    edited += "# a local tweak\n";
    write_file(buildspec, edited);
    const auto before = snapshot(ws.repo());
    const Run stale = ws.run(mrp_command("check pipeline.mrp"), ws.repo());
    CHECK(stale.status == 1);
    CHECK(stale.out.find("--- a/deployment-pipeline/buildspec.yaml\n"
                         "+++ b/deployment-pipeline/buildspec.yaml\n") != std::string::npos);
    CHECK(stale.out.find("-# a local tweak\n") != std::string::npos);
    CHECK(snapshot(ws.repo()) == before);

    // Several specs at once, as a pre-commit hook passes them, each against
    // its own folder; -o only makes sense for one.
    fs::create_directories(ws.repo() / "other");
    fs::copy(ws.repo() / "pipeline.mrp", ws.repo() / "other/pipeline.mrp");
    fs::copy(ws.repo() / "template.yaml", ws.repo() / "other/template.yaml");
    REQUIRE(ws.run(mrp_command("build other/pipeline.mrp"), ws.repo()).status == 0);
    fs::remove(buildspec);
    const Run two = ws.run(mrp_command("check other/pipeline.mrp pipeline.mrp"), ws.repo());
    CHECK(two.status == 1);
    CHECK(two.out.find("mrp: deployment-pipeline/buildspec.yaml is missing; run `mrp build "
                       "pipeline.mrp` to generate it\n") != std::string::npos);
    CHECK(two.out.find("other/") == std::string::npos);
    CHECK(ws.run(mrp_command("check other/pipeline.mrp pipeline.mrp -o x"), ws.repo()).status == 2);

    write_file(ws.repo() / "pipeline.mrp", broken_spec);
    CHECK(ws.run(mrp_command("check pipeline.mrp"), ws.repo()).status == 1);
  }

  TEST_CASE("the pre-commit hooks run lint, check and fmt on .mrp files") {
    const YAML::Node hooks =
        YAML::LoadFile((mrp::test::source_dir() / ".pre-commit-hooks.yaml").string());
    REQUIRE(hooks.size() == 3);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"mrp-lint", "mrp lint"}, {"mrp-check", "mrp check"}, {"mrp-fmt", "mrp fmt"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CHECK(hooks[i]["id"].as<std::string>() == expected[i].first);
      CHECK(hooks[i]["entry"].as<std::string>() == expected[i].second);
      CHECK(hooks[i]["files"].as<std::string>() == "\\.mrp$");
      CHECK(hooks[i]["language"].as<std::string>() == "system");
    }
  }

  TEST_CASE("mrp fmt: --check shows the diff and writes nothing; fmt rewrites") {
    Workspace ws("status-page");
    const std::string spec = read_text(ws.repo() / "pipeline.mrp");
    const Run canonical = ws.run(mrp_command("fmt --check pipeline.mrp"), ws.repo());
    CHECK(canonical.status == 0);
    CHECK(canonical.out == "");

    write_file(ws.repo() / "messy.mrp", "pipeline  shop {   regions us-east-1 ;  }  # end\n");
    const Run diff = ws.run(mrp_command("fmt --check messy.mrp pipeline.mrp"), ws.repo());
    CHECK(diff.status == 1);
    CHECK(diff.out ==
          "--- messy.mrp\n"
          "+++ messy.mrp (formatted)\n"
          "@@ -1 +1,3 @@\n"
          "-pipeline  shop {   regions us-east-1 ;  }  # end\n"
          "+pipeline shop {  # end\n"
          "+  regions us-east-1\n"
          "+}\n");
    CHECK(read_text(ws.repo() / "messy.mrp") ==
          "pipeline  shop {   regions us-east-1 ;  }  # end\n");

    CHECK(ws.run(mrp_command("fmt messy.mrp"), ws.repo()).status == 0);
    CHECK(read_text(ws.repo() / "messy.mrp") == "pipeline shop {  # end\n  regions us-east-1\n}\n");
    CHECK(ws.run(mrp_command("fmt --check messy.mrp"), ws.repo()).status == 0);
    CHECK(read_text(ws.repo() / "pipeline.mrp") == spec);

    write_file(ws.repo() / "broken.mrp", "pipeline shop {\n");
    const Run broken = ws.run(mrp_command("fmt broken.mrp"), ws.repo());
    CHECK(broken.status == 1);
    CHECK(read_text(ws.repo() / "broken.mrp") == "pipeline shop {\n");
  }

  TEST_CASE("every example spec is in the canonical layout") {
    for (const auto& entry : fs::directory_iterator(mrp::test::source_dir() / "specs")) {
      CAPTURE(entry.path());
      Workspace ws(entry.path().filename().string());
      CHECK(ws.run(mrp_command("fmt --check pipeline.mrp"), ws.repo()).status == 0);
    }
  }
}
