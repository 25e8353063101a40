// YAML output: strings YAML would read as other types are quoted, and any
// string value round-trips intact.

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>
#include <regex>

#include "compiler/emit/yaml_out.h"
#include "tests/support.h"

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
