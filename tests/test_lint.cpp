// Lint rules that no example spec can reach (limits far above today's region
// count) and the size bound that lets `mrp lint` skip rendering.

#include <filesystem>
#include <regex>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compiler/aws/names.h"
#include "compiler/base/rules.h"
#include "compiler/cli/report.h"
#include "compiler/lint/lint.h"
#include "tests/support.h"

using mrp::test::compile_text;
using mrp::test::minimal_spec;

namespace {

mrp::Ir minimal_ir() {
  const auto r = compile_text(minimal_spec);
  REQUIRE(r.ir);
  return *r.ir;
}

std::string rendered(const mrp::Diagnostics& d) { return mrp::render_all(d, minimal_spec); }

// `n` double quotes, escaped for a spec string: YAML has to escape each again.
std::string escaped_quotes(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += "\\\"";
  return out;
}

}  // namespace

TEST_CASE("more than 50 deploy actions in one stage is an error at the 51st region") {
  mrp::Ir ir = minimal_ir();
  while (ir.regions.size() < 51) {
    ir.waves[0].regions.push_back(ir.regions.size());
    ir.regions.push_back(ir.regions.back());
  }
  mrp::Diagnostics d;
  mrp::lint_spec(ir, mrp::LintOptions{{2019, 1, 1}}, d);
  CHECK(rendered(d) ==
        "test.mrp:7:21: error: stage Deploy would have 51 actions; CodePipeline allows 50 per "
        "stage: split its regions into more waves [stage-actions]\n"
        "  regions us-east-1 eu-west-1\n"
        "                    ^\n");
}

TEST_CASE("a pipeline template over 51,200 bytes is a warning, over 1 MB an error") {
  const mrp::Ir ir = minimal_ir();
  mrp::Diagnostics over_body;
  mrp::check_pipeline_template_size(ir, 51201, over_body);
  CHECK(rendered(over_body) ==
        "test.mrp:1:10: warning: deployment-pipeline/pipeline.yaml is 51201 bytes, more than the "
        "51200 CloudFormation takes through --template-body: "
        "deployment-pipeline/create-pipeline.sh and deployment-pipeline/update-pipeline.sh cannot "
        "send it; deployment-pipeline/deploy.sh can, through the artifact bucket [template-size]\n"
        "pipeline shop {\n"
        "         ^\n");
  mrp::Diagnostics in_s3;
  mrp::check_pipeline_template_size(ir, 1000000, in_s3);
  CHECK(in_s3.all().size() == 1);
  CHECK_FALSE(in_s3.has_errors());
  mrp::Diagnostics over_s3;
  mrp::check_pipeline_template_size(ir, 1000001, over_s3);
  CHECK(rendered(over_s3) ==
        "test.mrp:1:10: error: deployment-pipeline/pipeline.yaml would be 1000001 bytes; "
        "CloudFormation takes at most 1000000 from S3: deploy to fewer regions "
        "[template-size]\n"
        "pipeline shop {\n"
        "         ^\n");
  mrp::Diagnostics ok;
  mrp::check_pipeline_template_size(ir, 51200, ok);
  CHECK(ok.all().empty());
}

TEST_CASE("a spec over 1 MiB is refused before parsing") {
  const std::string huge = "# " + std::string(mrp::max_spec_bytes, 'x') + "\n";
  CHECK(mrp::test::compile_errors(huge).rfind(
            "test.mrp:1:1: error: the spec is larger than 1048576 bytes, the most mrp reads; a "
            "spec is a few kilobytes [file-size]\n",
            0) == 0);
}

TEST_CASE("the template size bound holds for specs small and large") {
  const std::vector<std::string> all_regions = {
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
      "ca-west-1",      "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",
      "eu-central-2",   "eu-north-1",     "eu-south-1",     "eu-south-2",     "ap-south-1",
      "ap-south-2",     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
      "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-east-1",
      "sa-east-1",      "me-south-1",     "me-central-1",   "il-central-1",   "af-south-1"};
  for (std::size_t n : {1u, 2u, 7u, 15u, 30u}) {
    for (std::size_t extra : {0u, 200u, 5000u}) {
      std::string regions;
      for (std::size_t i = 0; i < n; ++i) regions += " " + all_regions[i];
      const std::string spec = fmt::format(
          "pipeline p {{\n  description \"{}\"\n"
          "  source github {{ owner o; repo r; branch \"b{}\" }}\n  regions{}\n"
          "  build {{ env A \"{}\"; env B \"1\" }}\n"
          "  app a {{ template t.yaml; capabilities CAPABILITY_IAM }}\n}}\n",
          std::string(std::min<std::size_t>(extra, 1024), 'd'), std::string(extra / 10, 'b'),
          regions, escaped_quotes(extra));
      const auto r = compile_text(spec);
      INFO(mrp::render_all(r.diags, spec));
      REQUIRE(r.outputs);
      const std::size_t actual = r.outputs->at("deployment-pipeline/pipeline.yaml").size();
      const std::size_t bound = mrp::pipeline_template_size_bound(*r.ir);
      CAPTURE(n);
      CAPTURE(extra);
      CHECK(actual <= bound);
      CHECK(bound <= 3 * actual + 8192);
    }
  }
}

TEST_CASE("the README's rule table lists exactly the rules of compiler/base/rules.h") {
  const std::string readme = mrp::test::read_text(mrp::test::source_dir() / "README.md");
  const std::regex row{"\n\\| `([a-z-]+)` \\| (error|warning) \\|"};
  std::vector<std::string> documented;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), row);
       it != std::sregex_iterator(); ++it)
    documented.push_back((*it)[1].str());
  std::vector<std::string> defined;
  for (const auto& r : mrp::all_rules) defined.emplace_back(r.id);
  CHECK(documented == defined);
}

TEST_CASE("JSON and SARIF reports carry bytes that are not UTF-8 as U+FFFD") {
  // A file name is any bytes, and the app template (whose resource names
  // messages quote) is not checked for UTF-8.
  mrp::FileReport r{"sh\xffop.mrp", "pipeline shop\n", {}};
  r.diags.error(mrp::SourcePos{r.file, 1, 1, 0}, mrp::rule::capabilities_needed,
                "`Role\xff` is an AWS::IAM::Role");
  const auto list = nlohmann::json::parse(mrp::render_report({r}, mrp::ReportFormat::json));
  CHECK(list == nlohmann::json::array({{{"file", "sh\xef\xbf\xbdop.mrp"},
                                        {"line", 1},
                                        {"column", 1},
                                        {"severity", "error"},
                                        {"rule", "capabilities-needed"},
                                        {"message", "`Role\xef\xbf\xbd` is an AWS::IAM::Role"}}}));
  const auto sarif = nlohmann::json::parse(mrp::render_report({r}, mrp::ReportFormat::sarif));
  const auto& result = sarif["runs"][0]["results"][0];
  CHECK(result["message"]["text"] == "`Role\xef\xbf\xbd` is an AWS::IAM::Role");
  CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "sh\xef\xbf\xbdop.mrp");
}

TEST_CASE("in change-set mode the longer create and execute action names are checked") {
  const std::string stack(78, 'a');
  const std::string spec = fmt::format(
      "pipeline shop {{\n  source codecommit {{ repo shop; branch main }}\n  regions us-east-1\n"
      "  deploy change-set\n  app {} {{ template t.yaml }}\n  app b {{ template t.yaml }}\n}}\n",
      stack);
  // DeployAaa…ToUsEast1 has 93 characters and CreateChangeSetAaa…UsEast1 100:
  // only the execute action's 101 are too many.
  CHECK(mrp::test::compile_errors(spec) ==
        "test.mrp:3:11: error: action name `ExecuteChangeSetA" + std::string(77, 'a') +
            "UsEast1` must be 1 to 100 letters, digits, `.`, `@`, `_` or `-` [action-name]\n"
            "  regions us-east-1\n"
            "          ^\n");
  CHECK(mrp::test::compile_errors(
            fmt::format("pipeline shop {{\n  source codecommit {{ repo shop; branch main }}\n"
                        "  regions us-east-1\n  app {} {{ template t.yaml }}\n"
                        "  app b {{ template t.yaml }}\n}}\n",
                        stack)) == "");
}

TEST_CASE("a stage's action count includes every app's actions and each step's review") {
  const std::vector<std::string> codes = {
      "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
      "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",   "eu-north-1",
      "ap-south-1",     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
      "ap-southeast-2", "sa-east-1",      "ca-west-1",      "eu-south-1",     "eu-south-2",
      "eu-central-2",   "me-south-1",     "me-central-1",   "il-central-1",   "af-south-1",
      "ap-east-1"};
  // One wave with one region a line, after `options`.
  const auto spec = [&](std::size_t regions, const std::string& options) {
    std::string lines;
    for (std::size_t i = 0; i < regions; ++i) lines += "      " + codes[i] + "\n";
    return "pipeline shop {\n  source codecommit { repo shop; branch main }\n" + options +
           "  regions {\n    wave all {\n" + lines +
           "    }\n  }\n  app a { template t.yaml }\n  app b { template t.yaml }\n}\n";
  };
  // Two apps in 26 regions: 52 deploy actions, and the 26th region is one too many.
  CHECK(mrp::test::compile_errors(spec(26, "")) ==
        "test.mrp:30:7: error: stage Deploy-all would have 52 actions; CodePipeline allows 50 per "
        "stage: split its regions into more waves [stage-actions]\n"
        "      ap-east-1\n"
        "      ^\n");
  CHECK(mrp::test::compile_errors(spec(25, "")) == "");
  // In change-set mode b waits for a: two steps, each reviewed. 12 regions
  // make 48 actions, the two reviews 50, and an approval before them 51.
  const std::string change_sets = "  deploy change-set\n";
  const std::string reviewed = "      approve-change-sets\n";
  CHECK(
      mrp::test::compile_errors(
          spec(12, change_sets).insert(spec(12, change_sets).find("      us-east-1"), reviewed)) ==
      "");
  CHECK(mrp::test::compile_errors(spec(12, change_sets)
                                      .insert(spec(12, change_sets).find("      us-east-1"),
                                              reviewed + "      approve\n")) ==
        "test.mrp:19:7: error: stage Deploy-all would have 51 actions; CodePipeline allows 50 per "
        "stage: split its regions into more waves [stage-actions]\n"
        "      ap-northeast-1\n"
        "      ^\n");
}

TEST_CASE("two stacks whose action names would be the same are an error") {
  CHECK(mrp::test::compile_errors(
            "pipeline shop {\n  source codecommit { repo shop; branch main }\n  regions us-east-1\n"
            "  app orders-api { template t.yaml }\n  app Orders-Api { template t.yaml }\n"
            "  app ordersApi { template t.yaml }\n  app orders-ap-i { template t.yaml }\n}\n") ==
        "test.mrp:5:7: error: app stack `Orders-Api` gives the same action names as `orders-api` "
        "(`DeployOrdersApiToUsEast1`): CodePipeline needs each action name once in a stage; "
        "rename one of them [action-name]\n"
        "  app Orders-Api { template t.yaml }\n"
        "      ^\n"
        "test.mrp:6:7: error: app stack `ordersApi` gives the same action names as `orders-api` "
        "(`DeployOrdersApiToUsEast1`): CodePipeline needs each action name once in a stage; "
        "rename one of them [action-name]\n"
        "  app ordersApi { template t.yaml }\n"
        "      ^\n");
}

TEST_CASE("the template size bound holds for every example, its app templates read") {
  namespace fs = std::filesystem;
  for (const auto& entry : fs::directory_iterator(mrp::test::source_dir() / "specs")) {
    CAPTURE(entry.path().filename().string());
    const std::string text = mrp::test::read_text(entry.path() / "pipeline.mrp");
    const auto r = mrp::compile(text, "pipeline.mrp", mrp::test::files_in(entry.path()));
    REQUIRE(r.outputs);
    const std::size_t actual = r.outputs->at("deployment-pipeline/pipeline.yaml").size();
    CHECK(actual <= mrp::pipeline_template_size_bound(*r.ir));
    CHECK(mrp::pipeline_template_size_bound(*r.ir) <= 3 * actual + 8192);
  }
}
