// YAML output: strings YAML would read as other types are quoted, and any
// string value round-trips intact.

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

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
