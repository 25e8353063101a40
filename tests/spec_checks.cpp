#include "tests/spec_checks.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "tests/consistency.h"

namespace mrp::test {
namespace fs = std::filesystem;
namespace {

// Each app's deploy action in each region: its stack, its capabilities and
// its parameters, as the spec gave them.
void check_apps_meaning(const GeneratedSpec& spec, const YAML::Node& pipeline) {
  const YAML::Node stages = pipeline["Resources"]["CodePipeline"]["Properties"]["Stages"];
  for (const auto& app : spec.apps) {
    CAPTURE(app.stack);
    std::string caps;
    for (const auto& c : app.capabilities) caps += (caps.empty() ? "" : ",") + c;
    for (const auto& region : spec.regions) {
      CAPTURE(region);
      std::vector<YAML::Node> found;
      for (std::size_t i = 2; i < stages.size(); ++i) {
        for (const auto& a : stages[i]["Actions"]) {
          const YAML::Node c = a["Configuration"];
          if (!c || !c["TemplatePath"]) continue;
          const std::string r = a["Region"] ? a["Region"].as<std::string>() : spec.home;
          if (c["StackName"].as<std::string>() == app.stack && r == region) found.push_back(a);
        }
      }
      REQUIRE(found.size() == 1);
      const YAML::Node c = found[0]["Configuration"];
      CHECK((c["Capabilities"] ? c["Capabilities"].as<std::string>() : "") == caps);
      std::vector<std::pair<std::string, std::string>> parameters;
      if (c["ParameterOverrides"]) {
        const auto json = nlohmann::ordered_json::parse(c["ParameterOverrides"].as<std::string>());
        for (const auto& [k, v] : json.items()) parameters.emplace_back(k, v.get<std::string>());
      }
      const auto it = app.parameters.find(region);
      CHECK(parameters == (it == app.parameters.end() ? decltype(parameters){} : it->second));
    }
  }
}

// The words of a line of a generated script: bare, in single quotes (with
// `'\''` for a quote) or in double quotes (kept as written, `$VAR` and all).
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote == 0 && (c == ' ' || c == '\t')) {
      in_word = false;
      continue;
    }
    if (!in_word) words.emplace_back();
    in_word = true;
    if (quote != 0 && c == quote) {
      quote = 0;
    } else if (quote == 0 && (c == '\'' || c == '"')) {
      quote = c;
    } else if (quote == 0 && c == '\\' && i + 1 < line.size()) {
      words.back() += line[++i];
    } else {
      words.back() += c;
    }
  }
  return words;
}

// One `package REGION "$VAR" OUTPUT [TEMPLATE]` line of the build script, or
// `package_images REGION "$VAR" "$REPOSITORY_VAR" OUTPUT TEMPLATE`; a template
// `sam build` wrote is given as the template it built from.
struct Packaging {
  std::string region, bucket_var, output, template_path;
  std::string repository_var;  ///< package_images only
  bool built = false;          ///< packaged from what `sam build` wrote
};

struct BuildScript {
  std::vector<Packaging> packaging;
  std::vector<std::string> bucket_vars;
  std::set<std::string> reads;  ///< variables read and not set by the script itself
};

// Reads the build script; `run` are the spec's own commands, which are the
// user's shell code and not read for variables.
BuildScript read_build_script(const std::string& script, const std::vector<std::string>& run) {
  BuildScript out;
  std::string one_template;
  std::set<std::string> assigned = {"BASH_SOURCE"};
  std::map<std::string, std::string> built;  ///< what `sam build` writes -> its template
  std::set<std::string> read;
  std::istringstream in(script);
  bool in_bucket_vars = false;
  static const std::regex assignment{"(?:^|[ (])([A-Za-z_][A-Za-z0-9_]*)(?:=|\\+=| in )"};
  static const std::regex reference{"\\$\\{?[!#]?([A-Za-z_][A-Za-z0-9_]*)"};
  for (std::string line; std::getline(in, line);) {
    if (std::find(run.begin(), run.end(), line) != run.end() || line.rfind('#', 0) == 0) continue;
    if (in_bucket_vars) {
      if (line == ")")
        in_bucket_vars = false;
      else
        out.bucket_vars.push_back(shell_words(line).at(0));
      continue;
    }
    in_bucket_vars = line == "bucket_vars=(";
    if (line.find('=') != std::string::npos || line.find(" in ") != std::string::npos)
      for (auto it = std::sregex_iterator(line.begin(), line.end(), assignment);
           it != std::sregex_iterator(); ++it)
        assigned.insert((*it)[1].str());
    if (line.find('$') != std::string::npos)
      for (auto it = std::sregex_iterator(line.begin(), line.end(), reference);
           it != std::sregex_iterator(); ++it)
        read.insert((*it)[1].str());
    const auto words = shell_words(line);
    const auto flag = std::find(words.begin(), words.end(), "--template-file");
    if (flag != words.end() && flag + 1 != words.end() && flag[1] != "$template")
      one_template = flag[1];
    if (words.size() >= 4 && words[0] == "package") {
      CAPTURE(line);
      REQUIRE(words[2].rfind('$', 0) == 0);
      out.packaging.push_back({words[1], words[2].substr(1), words[3],
                               words.size() > 4 ? words[4] : one_template, "", false});
    }
    if (words.size() == 6 && words[0] == "package_images") {
      CAPTURE(line);
      REQUIRE(words[2].rfind('$', 0) == 0);
      REQUIRE(words[3].rfind('$', 0) == 0);
      out.packaging.push_back(
          {words[1], words[2].substr(1), words[4], words[5], words[3].substr(1), false});
    }
    // `sam build --template-file T --build-dir D` writes D/template.yaml.
    if (words.size() == 6 && words[0] == "sam" && words[1] == "build") {
      CAPTURE(line);
      REQUIRE(words[2] == "--template-file");
      REQUIRE(words[4] == "--build-dir");
      REQUIRE(built.emplace(words[5] + "/template.yaml", words[3]).second);
    }
  }
  for (auto& pk : out.packaging) {
    const auto it = built.find(pk.template_path);
    if (it == built.end()) continue;
    pk.template_path = it->second;
    pk.built = true;
  }
  for (const auto& r : read)
    if (assigned.count(r) == 0) out.reads.insert(r);
  return out;
}

}  // namespace

// What the spec says, found in the files.
void check_meaning(const GeneratedSpec& spec, const Outputs& outputs) {
  const YAML::Node pipeline = YAML::Load(outputs.at("deployment-pipeline/pipeline.yaml"));
  const YAML::Node buildspec = YAML::Load(outputs.at("deployment-pipeline/buildspec.yaml"));
  CHECK(pipeline["Description"].as<std::string>() == spec.description);
  const YAML::Node props = pipeline["Resources"]["CodePipeline"]["Properties"];
  const YAML::Node stages = props["Stages"];
  std::vector<std::string> stage_names;
  for (std::size_t i = 2; i < stages.size(); ++i)
    stage_names.push_back(stages[i]["Name"].as<std::string>());
  CHECK(stage_names == spec.stages);

  const YAML::Node vars = pipeline["Resources"]["CodeBuildProject"]["Properties"]["Environment"]
                                  ["EnvironmentVariables"];
  // A bucket variable per region, then with container images a repository
  // variable per region, then the spec's own.
  const bool images = std::any_of(spec.apps.begin(), spec.apps.end(),
                                  [](const GeneratedApp& a) { return a.images; });
  const std::size_t ours = spec.regions.size() * (images ? 2 : 1);
  REQUIRE(vars.size() == ours + spec.env.size());
  for (std::size_t i = 0; i < spec.regions.size(); ++i) {
    std::string var;
    for (char c : spec.regions[i]) var += c == '-' ? '_' : static_cast<char>(std::toupper(c));
    CHECK(vars[i]["Name"].as<std::string>() == var + "_ARTIFACT_BUCKET");
    if (images)
      CHECK(vars[spec.regions.size() + i]["Name"].as<std::string>() == var + "_IMAGE_REPOSITORY");
  }
  const YAML::Node environment =
      pipeline["Resources"]["CodeBuildProject"]["Properties"]["Environment"];
  CHECK(static_cast<bool>(environment["PrivilegedMode"]) == images);
  const YAML::Node buckets = YAML::Load(outputs.at("deployment-pipeline/artifact-buckets.yaml"));
  CHECK(static_cast<bool>(buckets["Resources"]["ImageRepository"]) == images);
  for (std::size_t i = 0; i < spec.env.size(); ++i) {
    const YAML::Node v = vars[ours + i];
    CHECK(v["Name"].as<std::string>() == spec.env[i].first);
    CHECK(v["Value"].as<std::string>() == spec.env[i].second);
  }
  std::vector<std::string> install;
  if (buildspec["phases"]["install"] && buildspec["phases"]["install"]["commands"])
    install = buildspec["phases"]["install"]["commands"].as<std::vector<std::string>>();
  // The generated functions run on nodejs22.x: built by sam from their code
  // (not images), on a curated image, the build selects Node.js 22.
  const bool sam_zip = std::any_of(spec.apps.begin(), spec.apps.end(),
                                   [](const GeneratedApp& a) { return a.sam_build && !a.images; });
  const std::string image =
      pipeline["Resources"]["CodeBuildProject"]["Properties"]["Environment"]["Image"]
          .as<std::string>();
  const bool has_install = static_cast<bool>(buildspec["phases"]["install"]);
  const YAML::Node versions =
      has_install ? buildspec["phases"]["install"]["runtime-versions"] : YAML::Node();
  const bool has_versions = has_install && static_cast<bool>(versions);
  if (sam_zip && image.rfind("aws/codebuild/", 0) == 0) {
    REQUIRE(has_versions);
    CHECK(versions.size() == 1);
    CHECK(versions["nodejs"].as<std::string>() == "22");
  } else {
    CHECK_FALSE(has_versions);
  }
  CHECK(install == spec.install);
  const std::string script = outputs.at("multiregion-build.sh");
  std::size_t at = script.find("# Build steps from the spec, in order.\n");
  for (const auto& cmd : spec.run) {
    REQUIRE(at != std::string::npos);
    at = script.find("\n" + cmd + "\n", at);
    CHECK_MESSAGE(at != std::string::npos, "run step not in the build script: ", cmd);
    if (at != std::string::npos) ++at;
  }
  if (!spec.branch.empty()) {
    const YAML::Node source = stages[0]["Actions"][0]["Configuration"];
    const std::string branch =
        source["BranchName"] ? source["BranchName"].as<std::string>()
                             : pipeline["Parameters"]["GitHubBranch"]["Default"].as<std::string>();
    CHECK(branch == spec.branch);
  }
  check_apps_meaning(spec, pipeline);
}

namespace {

// What the pipeline template says about buckets and variables, with the
// account and regions filled in as CloudFormation would.
struct Pipeline {
  YAML::Node props;
  std::string bucket_sub;                  ///< the bucket template's BucketName
  std::map<std::string, std::string> env;  ///< the CodeBuild project's variables
  std::string bucket_in(const std::string& region) const {
    return with_account(in_region(bucket_sub, region));
  }
};

Pipeline read_pipeline(const Outputs& outputs) {
  const YAML::Node pipeline = YAML::Load(outputs.at("deployment-pipeline/pipeline.yaml"));
  const YAML::Node buckets = YAML::Load(outputs.at("deployment-pipeline/artifact-buckets.yaml"));
  Pipeline p;
  p.props = pipeline["Resources"]["CodePipeline"]["Properties"];
  p.bucket_sub = buckets["Resources"]["CodePipelineBuildArtifactBucket"]["Properties"]["BucketName"]
                     .as<std::string>();
  for (const auto& v : pipeline["Resources"]["CodeBuildProject"]["Properties"]["Environment"]
                               ["EnvironmentVariables"]) {
    const std::string name = v["Name"].as<std::string>(), value = v["Value"].as<std::string>();
    CHECK_MESSAGE(p.env.count(name) == 0, "set twice: ", name);
    p.env[name] = v["Value"].Tag() == "!Sub" ? with_account(value) : value;
  }
  return p;
}

// Each artifact store is its own region's bucket, one per region.
void check_stores(const GeneratedSpec& spec, const Pipeline& p) {
  std::map<std::string, std::string> stores;
  if (p.props["ArtifactStores"]) {
    for (const auto& s : p.props["ArtifactStores"])
      stores[s["Region"].as<std::string>()] = s["ArtifactStore"]["Location"].as<std::string>();
  } else {
    stores[spec.home] = p.props["ArtifactStore"]["Location"].as<std::string>();
  }
  CHECK(stores.size() == spec.regions.size());
  for (const auto& region : spec.regions) {
    CAPTURE(region);
    REQUIRE(stores.count(region) == 1);
    CHECK(with_account(stores[region]) == p.bucket_in(region));
  }
}

// The build script reads only variables the project sets, and packages into
// each region's bucket the files the buildspec lists as its artifacts.
void check_packaging(const Pipeline& p, const BuildScript& script, const YAML::Node& buildspec) {
  for (const auto& name : script.reads) {
    CAPTURE(name);
    CHECK(p.env.count(name) == 1);
  }
  for (const auto& name : script.bucket_vars) {
    CAPTURE(name);
    CHECK(p.env.count(name) == 1);
  }
  std::vector<std::string> listed, packaged;
  for (const auto& f : buildspec["artifacts"]["files"]) listed.push_back(f.as<std::string>());
  for (const auto& pk : script.packaging) {
    CAPTURE(pk.output);
    packaged.push_back(pk.output);
    REQUIRE(p.env.count(pk.bucket_var) == 1);
    CHECK(p.env.at(pk.bucket_var) == p.bucket_in(pk.region));
    if (!pk.repository_var.empty()) {
      REQUIRE(p.env.count(pk.repository_var) == 1);
      CHECK(p.env.at(pk.repository_var).find(".dkr.ecr." + pk.region + ".") != std::string::npos);
    }
    CHECK(std::find(script.bucket_vars.begin(), script.bucket_vars.end(), pk.bucket_var) !=
          script.bucket_vars.end());
  }
  CHECK(packaged == listed);
  CHECK(buildspec["artifacts"]["discard-paths"].as<std::string>() == "yes");
}

// Each deploy action reads the template packaged for its region from its
// app's template.
void check_deploy_actions(const GeneratedSpec& spec, const Pipeline& p, const BuildScript& script) {
  const std::string folder = fs::path(spec.spec_path).parent_path().generic_string();
  std::size_t actions = 0;
  for (std::size_t st = 2; st < p.props["Stages"].size(); ++st) {
    for (const auto& a : p.props["Stages"][st]["Actions"]) {
      const YAML::Node c = a["Configuration"];
      if (!c || !c["TemplatePath"]) continue;
      ++actions;
      const std::string region = a["Region"] ? a["Region"].as<std::string>() : spec.home;
      const std::string path = c["TemplatePath"].as<std::string>();
      CAPTURE(path);
      REQUIRE(path.rfind("BuildOutput::", 0) == 0);
      const auto app = std::find_if(spec.apps.begin(), spec.apps.end(), [&](const GeneratedApp& g) {
        return g.stack == c["StackName"].as<std::string>();
      });
      REQUIRE(app != spec.apps.end());
      std::vector<const Packaging*> sources;
      for (const auto& pk : script.packaging)
        if (fs::path(pk.output).filename() == path.substr(13)) sources.push_back(&pk);
      REQUIRE(sources.size() == 1);
      CHECK(sources[0]->region == region);
      const std::string template_path =
          (fs::path(folder) / app->template_path).lexically_normal().generic_string();
      CHECK(sources[0]->template_path == template_path);
      CHECK(spec.files.count(template_path) == 1);
      // Built by sam exactly when the app needs it; images pushed exactly
      // when it has them.
      CHECK(sources[0]->built == app->sam_build);
      CHECK(sources[0]->repository_var.empty() == !app->images);
    }
  }
  CHECK(actions == spec.apps.size() * spec.regions.size());
  CHECK(script.packaging.size() == actions);
}

}  // namespace

void check_references(const GeneratedSpec& spec, const Outputs& outputs) {
  const Pipeline p = read_pipeline(outputs);
  const BuildScript script = read_build_script(outputs.at("multiregion-build.sh"), spec.run);
  check_stores(spec, p);
  check_packaging(p, script, YAML::Load(outputs.at("deployment-pipeline/buildspec.yaml")));
  check_deploy_actions(spec, p, script);
}

}  // namespace mrp::test
