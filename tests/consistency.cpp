#include "tests/consistency.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "compiler/emit/shell_out.h"
#include "tests/support.h"

namespace mrp::test {
namespace fs = std::filesystem;

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// With waves in other accounts: deploy.sh's `--profile` options for the
// target-account templates beside it, and the stand-in's answers for them and
// for the pipeline's account (read from a key parameter's pattern) in `env`.
std::string target_account_profiles(const Workspace& ws, const YAML::Node& pipeline,
                                    std::vector<std::string>& env) {
  std::string options, mapping = "FAKE_AWS_PROFILES=";
  for (const auto& entry : fs::directory_iterator(ws.repo() / "deployment-pipeline")) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("target-account-", 0) != 0 || entry.path().extension() != ".yaml") continue;
    const std::string account = name.substr(15, 12);
    options += fmt::format(" --profile {0}=p{0}", account);
    mapping += fmt::format("p{0}={0} ", account);
  }
  if (options.empty()) return "";
  for (const auto& p : pipeline["Parameters"]) {
    const std::string pattern = p.second["AllowedPattern"].as<std::string>("");
    if (p.first.as<std::string>().rfind("ArtifactKey", 0) == 0)
      env.push_back("FAKE_AWS_ACCOUNT=" + pattern.substr(pattern.find(":key/") - 12, 12));
  }
  env.push_back(mapping);
  return options;
}

// deploy.sh deploys the bucket stacks exactly as create-artifact-buckets.sh
// does, then the pipeline stack where create-pipeline.sh creates it, through
// the bucket of the artifact store in that region, with every parameter of
// the template: the token, and the source's values as the template's defaults
// (deploy would keep a stack's previous values for any other).
void check_deploy_script(const Workspace& ws, const YAML::Node& pipeline,
                         const std::vector<std::vector<std::string>>& bucket_calls,
                         const std::vector<std::pair<std::string, std::string>>& stores) {
  std::vector<std::string> env = {"GITHUB_TOKEN=t"};
  const std::string profiles = target_account_profiles(ws, pipeline, env);
  REQUIRE(ws.run("bash deployment-pipeline/create-pipeline.sh", ws.repo(), env).status == 0);
  const auto create_calls = call_args(ws, ws.aws_calls());
  const auto create = std::find_if(create_calls.begin(), create_calls.end(), [](const auto& c) {
    return c.size() > 1 && c[1] == "create-stack";
  });
  REQUIRE(create != create_calls.end());
  const auto& created = *create;
  const Run deployed = ws.run("bash deployment-pipeline/deploy.sh" + profiles, ws.repo(), env);
  INFO(deployed.err);
  REQUIRE(deployed.status == 0);
  auto calls = call_args(ws, ws.aws_calls());
  if (!profiles.empty()) {
    // What deploy.sh does in the target accounts and the key lookups are
    // test_accounts.cpp's to check; the rest is the pipeline account's.
    std::erase_if(calls, [](const std::vector<std::string>& c) {
      return c.at(0) == "kms" || std::find(c.begin(), c.end(), "--profile") != c.end();
    });
    calls.erase(calls.begin());  // the default credentials' account, checked first
  }
  const std::size_t n = bucket_calls.size();
  REQUIRE(calls.size() == n + 2);
  for (std::size_t i = 0; i < n; ++i) CHECK(calls[i] == bucket_calls[i]);
  const std::vector<std::string>& call = calls[n + 1];
  CHECK(std::vector<std::string>(call.begin(), call.begin() + 2) ==
        std::vector<std::string>{"cloudformation", "deploy"});
  CHECK(option(call, "--region") == option(created, "--region"));
  const auto home = std::find_if(stores.begin(), stores.end(), [&](const auto& store) {
    return store.first == option(created, "--region");
  });
  REQUIRE(home != stores.end());
  CHECK(option(call, "--stack-name") == option(created, "--stack-name"));
  CHECK(option(call, "--capabilities") == option(created, "--capabilities"));
  // The stand-in answers for the pipeline's own account where one is given.
  std::string bucket = with_account(home->second);
  for (const auto& e : env)
    if (e.rfind("FAKE_AWS_ACCOUNT=", 0) == 0)
      bucket = replace_all(bucket, test_account, e.substr(17));
  CHECK(option(call, "--s3-bucket") == bucket);
  CHECK(fs::equivalent(option(call, "--template-file"),
                       ws.repo() / "deployment-pipeline/pipeline.yaml"));
  const YAML::Node parameters = pipeline["Parameters"];
  if (!parameters) {
    CHECK(std::find(call.begin(), call.end(), "--parameter-overrides") == call.end());
    return;
  }
  const std::string file = option(call, "--parameter-overrides");
  REQUIRE(file.rfind("file://", 0) == 0);
  const auto given = nlohmann::json::parse(read_text(file.substr(7)));
  std::map<std::string, std::string> values;
  for (const auto& p : given) values[p.at("ParameterKey")] = p.at("ParameterValue");
  CHECK(values.size() == given.size());
  CHECK(values.size() == parameters.size());
  for (const auto& p : parameters) {
    const std::string key = p.first.as<std::string>();
    CAPTURE(key);
    REQUIRE(values.count(key) == 1);
    if (key.rfind("ArtifactKey", 0) == 0)
      CHECK(values[key].rfind("arn:aws:kms:", 0) == 0);
    else
      CHECK(values[key] == (p.second["Default"] ? p.second["Default"].as<std::string>() : "t"));
  }
}

}  // namespace

std::string with_account(std::string s) {
  return replace_all(replace_all(std::move(s), "${AWS::AccountId}", test_account),
                     "${AWS::URLSuffix}", "amazonaws.com");
}

std::string in_region(std::string s, const std::string& region) {
  return replace_all(std::move(s), "${AWS::Region}", region);
}

std::vector<std::vector<std::string>> call_args(const Workspace& ws,
                                                const std::vector<std::string>& calls) {
  // The stand-in logs each argument bare or as bash's printf %q writes it, so
  // bash itself reads it back: each call becomes its argument count, then its
  // arguments, every one ended by a NUL.
  const fs::path log = ws.repo().parent_path() / "calls.txt";
  {
    std::ofstream out(log, std::ios::binary);
    for (const auto& c : calls) out << c << '\n';
  }
  const Run r = ws.run(
      "bash -c 'while IFS= read -r line; do eval \"a=($line)\"; printf \"%s\\0\" \"${#a[@]}\" "
      "\"${a[@]}\"; done' <" +
          shell_quote(log.string()),
      ws.repo());
  REQUIRE(r.status == 0);
  std::vector<std::string> fields;
  for (std::size_t at = 0; at < r.out.size();) {
    const std::size_t end = r.out.find('\0', at);
    REQUIRE(end != std::string::npos);
    fields.push_back(r.out.substr(at, end - at));
    at = end + 1;
  }
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < fields.size();) {
    const std::size_t n = std::stoul(fields[i]);
    REQUIRE(i + 1 + n <= fields.size());
    out.emplace_back(fields.begin() + static_cast<long>(i + 1),
                     fields.begin() + static_cast<long>(i + 1 + n));
    i += 1 + n;
  }
  REQUIRE(out.size() == calls.size());
  return out;
}

std::string option(const std::vector<std::string>& args, const std::string& name) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == name) return args[i + 1];
  return "";
}

void check_files_agree(const Workspace& ws, const Ir& ir) {
  const fs::path dp = ws.repo() / "deployment-pipeline";
  const YAML::Node pipeline = YAML::LoadFile((dp / "pipeline.yaml").string());
  const YAML::Node buildspec = YAML::LoadFile((dp / "buildspec.yaml").string());
  const YAML::Node buckets = YAML::LoadFile((dp / "artifact-buckets.yaml").string());
  const YAML::Node res = pipeline["Resources"];
  // (region, bucket) of each artifact store; a single-region pipeline has one
  // ArtifactStore, in the pipeline's own (the home) region.
  std::vector<std::pair<std::string, std::string>> stores;
  const YAML::Node pipeline_props = res["CodePipeline"]["Properties"];
  if (pipeline_props["ArtifactStores"]) {
    for (const auto& s : pipeline_props["ArtifactStores"])
      stores.emplace_back(s["Region"].as<std::string>(),
                          s["ArtifactStore"]["Location"].as<std::string>());
  } else {
    stores.emplace_back(ir.home_region().code,
                        pipeline_props["ArtifactStore"]["Location"].as<std::string>());
  }
  const YAML::Node project = res["CodeBuildProject"]["Properties"];
  const YAML::Node vars = project["Environment"]["EnvironmentVariables"];
  // The actions that read a packaged template, from every stage after Source
  // and Build, in order (one stage for a plain region list, one per wave),
  // and the change-set executions by name.
  std::map<std::string, YAML::Node> deploy, executions;
  for (std::size_t st = 2; st < pipeline_props["Stages"].size(); ++st) {
    for (const auto& item : pipeline_props["Stages"][st]["Actions"]) {
      const YAML::Node action = item;
      if (action["Configuration"] && action["Configuration"]["TemplatePath"])
        deploy[action["Name"].as<std::string>()] = action;
      else if (action["ActionTypeId"]["Category"].as<std::string>() == "Deploy")
        executions[action["Name"].as<std::string>()] = action;
    }
  }
  const std::string bucket_sub =
      buckets["Resources"]["CodePipelineBuildArtifactBucket"]["Properties"]["BucketName"]
          .as<std::string>();

  // The build script gets exactly the variables the CodeBuild project sets:
  // those given with !Sub as CloudFormation fills them in, the others as written.
  std::vector<std::string> env;
  for (const auto& v : vars) {
    const std::string value = v["Value"].as<std::string>();
    env.push_back(v["Name"].as<std::string>() + "=" +
                  (v["Value"].Tag() == "!Sub" ? with_account(value) : value));
  }
  const Run build = ws.run("bash multiregion-build.sh", ws.repo(), env);
  INFO(build.err);
  REQUIRE(build.status == 0);
  const auto aws_packages = call_args(ws, ws.aws_calls());
  CHECK(ws.stub_calls() == ir.build.run);
  // `sam build` once for each app built with sam, into the folder its
  // packaging reads, before any packaging; then `sam package` for the apps
  // with container images, `aws cloudformation package` for the others.
  std::vector<std::string> sam_build_lines, sam_package_lines;
  for (const auto& line : ws.sam_calls())
    (line.rfind("build ", 0) == 0 ? sam_build_lines : sam_package_lines).push_back(line);
  std::vector<std::vector<std::string>> expected_builds;
  for (const auto& app : ir.apps)
    if (app.build_with == BuildWith::sam)
      expected_builds.push_back(
          {"build", "--template-file", app.template_path, "--build-dir", app.sam_build_dir});
  CHECK(call_args(ws, sam_build_lines) == expected_builds);
  const auto sam_packages = call_args(ws, sam_package_lines);
  // Each region's calls, app by app, whichever tool made them.
  std::vector<std::vector<std::string>> package_calls;
  std::size_t next_aws = 0, next_sam = 0;
  for (std::size_t r = 0; r < ir.regions.size(); ++r)
    for (const auto& app : ir.apps) {
      const auto& from = !app.has_images() ? aws_packages : sam_packages;
      std::size_t& next = !app.has_images() ? next_aws : next_sam;
      REQUIRE(next < from.size());
      package_calls.push_back(from[next++]);
    }
  CHECK(next_aws == aws_packages.size());
  CHECK(next_sam == sam_packages.size());

  REQUIRE(ws.run("bash deployment-pipeline/create-artifact-buckets.sh", ws.repo()).status == 0);
  const auto bucket_calls = call_args(ws, ws.aws_calls());

  const std::size_t n = ir.regions.size(), apps = ir.apps.size();
  check_deploy_script(ws, pipeline, bucket_calls, stores);
  REQUIRE(stores.size() == n);
  REQUIRE(deploy.size() == n * apps);
  REQUIRE(package_calls.size() == n * apps);
  REQUIRE(bucket_calls.size() == n);
  REQUIRE(buildspec["artifacts"]["files"].size() == n * apps);
  CHECK(buildspec["artifacts"]["discard-paths"].as<std::string>() == "yes");
  CHECK(project["Source"]["BuildSpec"].as<std::string>() == "deployment-pipeline/buildspec.yaml");
  CHECK(buildspec["phases"]["build"]["commands"][0].as<std::string>() ==
        "bash multiregion-build.sh");
  for (std::size_t i = 0; i < n; ++i) {
    const std::string region = ir.regions[i].code;
    CAPTURE(region);
    const std::string bucket = with_account(in_region(bucket_sub, region));
    CHECK(stores[i].first == region);
    CHECK(with_account(stores[i].second) == bucket);
    CHECK(with_account(vars[i]["Value"].as<std::string>()) == bucket);
    CHECK(option(bucket_calls[i], "--region") == region);
    CHECK(option(bucket_calls[i], "--stack-name") == ir.pipeline_name + "-artifact-bucket");
    for (std::size_t a = 0; a < apps; ++a) {
      const App& app = ir.apps[a];
      const AppRegion& names = app.regions[i];
      const std::vector<std::string>& call = package_calls[i * apps + a];
      CAPTURE(app.stack_name);
      CHECK(option(call, "--region") == region);
      CHECK(option(call, "--s3-bucket") == bucket);
      CHECK(option(call, "--template-file") == app.packaged_from());
      // Images go to the region's repository, which the project names.
      if (app.has_images()) {
        const std::string repository = with_account(ir.regions[i].image_repository_uri_sub);
        CHECK(option(call, "--image-repository") == repository);
        CHECK(std::count(env.begin(), env.end(),
                         ir.regions[i].image_repository_env_var + "=" + repository) == 1);
      }
      CHECK(fs::exists(ws.repo() / app.packaged_from()));
      const std::string packaged = option(call, "--output-template-file");
      CHECK(fs::exists(ws.repo() / packaged));
      CHECK(buildspec["artifacts"]["files"][i * apps + a].as<std::string>() == packaged);
      const bool direct = ir.deploy_mode == DeployMode::direct;
      const std::string action_name = direct ? names.deploy_action : names.create_change_set_action;
      REQUIRE(deploy.count(action_name) == 1);
      const YAML::Node& action = deploy[action_name];
      CHECK((action["Region"] ? action["Region"].as<std::string>() : stores[0].first) == region);
      CHECK(action["Configuration"]["TemplatePath"].as<std::string>() ==
            "BuildOutput::" + fs::path(packaged).filename().string());
      CHECK(action["Configuration"]["StackName"].as<std::string>() == app.stack_name);
      if (!direct) {
        REQUIRE(executions.count(names.execute_change_set_action) == 1);
        const YAML::Node execute = executions[names.execute_change_set_action];
        CHECK(execute["Configuration"]["StackName"].as<std::string>() == app.stack_name);
        CHECK(execute["Configuration"]["ChangeSetName"].as<std::string>() ==
              action["Configuration"]["ChangeSetName"].as<std::string>());
        CHECK(execute["RunOrder"].as<int>() > action["RunOrder"].as<int>());
      }
    }
  }
}

}  // namespace mrp::test
