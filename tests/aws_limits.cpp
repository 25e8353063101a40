#include "tests/aws_limits.h"

#include <regex>
#include <set>
#include <sstream>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "tests/consistency.h"

namespace mrp::test {
namespace {

// The limits, from the AWS documentation of each service:
// CloudFormation User Guide, "CloudFormation quotas" and CreateStack;
// CodePipeline User Guide, "Quotas in AWS CodePipeline", and the API Reference
// of StageDeclaration and ActionDeclaration; S3 User Guide, "General purpose
// bucket naming rules".
constexpr std::size_t max_template_body = 51200;
constexpr std::size_t max_template_in_s3 = 1000000;
constexpr std::size_t max_template_description = 1024;
constexpr std::size_t max_stages = 50;
constexpr std::size_t max_actions_per_stage = 50;
constexpr std::size_t max_codepipeline_name = 100;
constexpr std::size_t max_configuration_value = 1000;
constexpr std::size_t max_stack_name = 128;
constexpr int max_run_order = 999;

bool matches(const std::string& s, const std::regex& pattern) {
  return std::regex_match(s, pattern);
}

const std::regex stack_pattern{"[A-Za-z][A-Za-z0-9-]*"};
const std::regex codepipeline_pattern{"[A-Za-z0-9.@_-]+"};
const std::regex bucket_pattern{"[a-z0-9][a-z0-9.-]*[a-z0-9]"};
const std::regex ip_pattern{"[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+"};

void check_stack_name(const std::string& name) {
  CAPTURE(name);
  CHECK(name.size() <= max_stack_name);
  CHECK(matches(name, stack_pattern));
}

void check_codepipeline_name(const std::string& name) {
  CAPTURE(name);
  CHECK(name.size() <= max_codepipeline_name);
  CHECK(matches(name, codepipeline_pattern));
}

void walk_tags(const YAML::Node& n, std::set<std::string>& tags) {
  const std::string tag = n.Tag();
  if (!tag.empty() && tag != "?" && tag != "!") tags.insert(tag);
  if (n.IsMap())
    for (const auto& kv : n) {
      walk_tags(kv.first, tags);
      walk_tags(kv.second, tags);
    }
  if (n.IsSequence())
    for (const auto& item : n) walk_tags(item, tags);
}

// The value of `NAME=VALUE` on a line of its own in a generated script, with
// the script's quoting (bare, or single quotes) undone; arrays `(A B)` give
// each word.
std::vector<std::string> script_words(const std::string& script, const std::string& name) {
  std::istringstream in(script);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + "=", 0) != 0) continue;
    std::string value = line.substr(name.size() + 1);
    const bool array = !value.empty() && value.front() == '(';
    if (array) value = value.substr(1, value.size() - 2);
    std::vector<std::string> words(1);
    bool quoted = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const char c = value[i];
      if (c == '\'') {
        quoted = !quoted;
      } else if (c == '\\' && !quoted && i + 1 < value.size()) {
        words.back() += value[++i];
      } else if (c == ' ' && !quoted && array) {
        words.emplace_back();
      } else {
        words.back() += c;
      }
    }
    return words;
  }
  FAIL("no `" << name << "=` line in the script");
  return {};
}

void check_stage(const YAML::Node& stage, std::set<std::string>& stage_names) {
  const std::string name = stage["Name"].as<std::string>();
  check_codepipeline_name(name);
  CHECK_MESSAGE(stage_names.insert(name).second, "stage named twice: ", name);
  const YAML::Node actions = stage["Actions"];
  CAPTURE(name);
  CHECK(actions.size() >= 1);
  CHECK(actions.size() <= max_actions_per_stage);
  std::set<std::string> action_names;
  for (const auto& a : actions) {
    const std::string action = a["Name"].as<std::string>();
    check_codepipeline_name(action);
    CHECK_MESSAGE(action_names.insert(action).second, "action named twice in a stage: ", action);
    const int order = a["RunOrder"].as<int>();
    CHECK(order >= 1);
    CHECK(order <= max_run_order);
    if (a["TimeoutInMinutes"]) {
      CHECK(a["TimeoutInMinutes"].as<int>() >= 5);
      CHECK(a["TimeoutInMinutes"].as<int>() <= 86400);
    }
    if (!a["Configuration"]) continue;
    for (const auto& kv : a["Configuration"]) {
      if (!kv.second.IsScalar()) continue;
      CAPTURE(kv.first.as<std::string>());
      CHECK(kv.second.Scalar().size() <= max_configuration_value);
    }
    const YAML::Node c = a["Configuration"];
    if (c["StackName"]) check_stack_name(c["StackName"].as<std::string>());
    if (c["ChangeSetName"]) check_stack_name(c["ChangeSetName"].as<std::string>());
  }
}

}  // namespace

std::string bucket_name_problem(const std::string& name) {
  if (name.size() < 3 || name.size() > 63) return "not 3 to 63 characters";
  if (!matches(name, bucket_pattern))
    return "not lower-case letters, digits, `.` and `-`, starting and ending with a letter or "
           "digit";
  if (name.find("..") != std::string::npos) return "two adjacent periods";
  if (matches(name, ip_pattern)) return "formatted as an IP address";
  for (const char* prefix : {"xn--", "sthree-", "amzn-s3-demo-"})
    if (name.rfind(prefix, 0) == 0) return std::string("starts with ") + prefix;
  for (const std::string suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"})
    if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
      return "ends with " + suffix;
  return "";
}

void check_yaml_loads(const std::string& path, const std::string& text) {
  CAPTURE(path);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    FAIL_CHECK("yaml-cpp cannot load it: " << e.what());
    return;
  }
  CHECK(root.IsMap());
  std::set<std::string> tags;
  walk_tags(root, tags);
  for (const auto& t : tags) {
    CAPTURE(t);
    CHECK((t == "!Ref" || t == "!Sub" || t == "!GetAtt"));
  }
}

void check_aws_limits(const Outputs& outputs) {
  // deploy.sh sends the pipeline template through S3; every script sends the
  // bucket template in the request.
  const std::string& body = outputs.at("deployment-pipeline/pipeline.yaml");
  CHECK(body.size() <= max_template_in_s3);
  CHECK(outputs.at("deployment-pipeline/artifact-buckets.yaml").size() <= max_template_body);
  const YAML::Node pipeline = YAML::Load(body);
  CHECK(pipeline["Description"].as<std::string>().size() <= max_template_description);
  const YAML::Node props = pipeline["Resources"]["CodePipeline"]["Properties"];
  CHECK(props["Stages"].size() <= max_stages);
  std::set<std::string> stage_names;
  for (const auto& stage : props["Stages"]) check_stage(stage, stage_names);

  // Every bucket the pipeline uses, in every region, as S3 would see it.
  std::vector<std::string> regions;
  if (props["ArtifactStores"]) {
    for (const auto& s : props["ArtifactStores"]) regions.push_back(s["Region"].as<std::string>());
  } else {
    regions = script_words(outputs.at("deployment-pipeline/create-pipeline.sh"), "region");
  }
  const YAML::Node bucket_resources =
      YAML::Load(outputs.at("deployment-pipeline/artifact-buckets.yaml"))["Resources"];
  const std::string bucket_sub =
      bucket_resources["CodePipelineBuildArtifactBucket"]["Properties"]["BucketName"]
          .as<std::string>();
  const std::string log_bucket_sub =
      bucket_resources["AccessLogBucket"]
          ? bucket_resources["AccessLogBucket"]["Properties"]["BucketName"].as<std::string>()
          : "";
  const std::string teardown = outputs.at("deployment-pipeline/teardown.sh");
  const std::string deploy = outputs.at("deployment-pipeline/deploy.sh");
  // teardown.sh deletes one bucket stack per region, the last region first.
  std::vector<std::string> bucket_regions, stacks;
  {
    std::istringstream lines(teardown);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream words(line);
      std::string call, region, stack;
      words >> call >> region >> stack;
      if (call != "delete_app_stack" && call != "delete_bucket_stack" &&
          call != "delete_pipeline_stack")
        continue;
      stacks.push_back(stack);
      if (call == "delete_bucket_stack") bucket_regions.insert(bucket_regions.begin(), region);
    }
  }
  CHECK(bucket_regions == regions);
  CHECK(script_words(deploy, "regions") == regions);
  for (const auto& region : regions) {
    const std::string bucket = with_account(in_region(bucket_sub, region));
    CAPTURE(bucket);
    CHECK(bucket_name_problem(bucket) == "");
    if (!log_bucket_sub.empty())
      CHECK(bucket_name_problem(with_account(in_region(log_bucket_sub, region))) == "");
  }
  for (const char* script :
       {"deployment-pipeline/create-pipeline.sh", "deployment-pipeline/create-artifact-buckets.sh"})
    for (const auto& stack : script_words(outputs.at(script), "stack")) check_stack_name(stack);
  for (const auto& stack : stacks) check_stack_name(stack);
  for (const char* name : {"pipeline_stack", "bucket_stack"})
    for (const auto& stack : script_words(deploy, name)) check_stack_name(stack);
}

}  // namespace mrp::test
