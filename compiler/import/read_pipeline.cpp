// deployment-pipeline/pipeline.yaml of a 2018 layout: the pipeline resource,
// its stages and actions, and what else the template holds.

#include <set>

#include <fmt/format.h>

#include "compiler/base/rules.h"
#include "compiler/import/readers.h"

namespace mrp::import {
namespace {

using Defaults = std::map<std::string, std::string>;

// What the pipeline refers to, so that everything else can be reported.
struct Refs {
  std::map<std::string, std::string> roles;  ///< resource -> use: pipeline, build, deploy
  std::string project;
};

Defaults parameter_defaults(const YAML::Node& root) {
  Defaults out;
  const YAML::Node params = child(root, "Parameters");
  if (!yaml::is_map(params)) return out;
  for (const auto& kv : params) {
    const YAML::Node def = child(kv.second, "Default");
    if (yaml::is_scalar(def)) out[kv.first.Scalar()] = def.Scalar();
  }
  return out;
}

// A literal value, or a parameter's Default; nothing, with a warning, else.
std::optional<std::string> value_of(const YamlFile& f, const YAML::Node& n, const Defaults& d,
                                    std::string_view what) {
  if (yaml::is_scalar(n) && n.Scalar() == literal(n)) return n.Scalar();
  if (const std::string ref = ref_name(n); !ref.empty()) {
    if (const auto it = d.find(ref); it != d.end()) return it->second;
    f.warn(n, fmt::format("{} is the parameter `{}`, which has no Default; the spec needs the "
                          "value itself",
                          what, ref));
    return std::nullopt;
  }
  f.warn(n, fmt::format("{} is neither a value nor a parameter with a Default; the spec needs "
                        "the value itself",
                        what));
  return std::nullopt;
}

void set_from(const YamlFile& f, const YAML::Node& config, std::string_view key,
              const std::string& directive, const Defaults& d, KeyValues& out) {
  const YAML::Node n = child(config, key);
  if (!present(n)) return;
  if (auto v = value_of(f, n, d, fmt::format("`{}`", key))) out.emplace_back(directive, *v);
}

// `{{resolve:secretsmanager:NAME:SecretString:KEY}}` -> NAME and KEY.
void read_token(const YAML::Node& token, ImportedSource& s) {
  const std::string text = literal(token);
  const std::string prefix = "{{resolve:secretsmanager:";
  const auto at = text.find(prefix);
  if (at == std::string::npos) {
    s.token_parameter = present(token);
    return;
  }
  const std::string ref = text.substr(at + prefix.size(), text.find("}}") - at - prefix.size());
  const std::string marker = ":SecretString";
  const auto cut = ref.find(marker);
  s.token_secret = ref.substr(0, cut);
  if (cut == std::string::npos) return;
  std::string rest = ref.substr(cut + marker.size());
  if (!rest.empty() && rest[0] == ':') rest = rest.substr(1);
  s.token_key = rest.substr(0, rest.find(':'));
}

// A source action provider, the `source` kind it becomes, and its
// configuration keys with the directive each becomes.
struct SourceKind {
  std::string kind;
  std::vector<std::pair<std::string, std::string>> keys;
};

const std::map<std::string, SourceKind>& source_kinds() {
  static const std::map<std::string, SourceKind> kinds = {
      {"GitHub", {"github", {{"Owner", "owner"}, {"Repo", "repo"}, {"Branch", "branch"}}}},
      {"CodeStarSourceConnection",
       {"codestar",
        {{"ConnectionArn", "connection"}, {"FullRepositoryId", "repo"}, {"BranchName", "branch"}}}},
      {"CodeCommit", {"codecommit", {{"RepositoryName", "repo"}, {"BranchName", "branch"}}}},
      {"S3", {"s3", {{"S3Bucket", "bucket"}, {"S3ObjectKey", "key"}}}},
  };
  return kinds;
}

// Configuration keys mrp sets itself, for every kind of action.
bool generated_key(const std::string& key) {
  static const std::set<std::string> keys = {"PollForSourceChanges",
                                             "OAuthToken",
                                             "ProjectName",
                                             "ActionMode",
                                             "Capabilities",
                                             "RoleArn",
                                             "StackName",
                                             "TemplatePath",
                                             "ParameterOverrides",
                                             "DetectChanges",
                                             "OutputArtifactFormat",
                                             "ChangeSetName"};
  return keys.count(key) > 0;
}

void report_other_keys(const YamlFile& f, const YAML::Node& config, const std::string& action,
                       const std::set<std::string>& known) {
  if (!yaml::is_map(config)) return;
  for (const auto& kv : config) {
    const std::string key = kv.first.Scalar();
    if (known.count(key) > 0 || generated_key(key)) continue;
    f.warn(kv.first, fmt::format("`{}` of action `{}` is not carried over: mrp has no directive "
                                 "for it",
                                 key, action));
  }
}

void read_source(const YamlFile& f, const YAML::Node& action, const std::string& provider,
                 const Defaults& d, Layout& layout) {
  const auto& [kind, keys] = source_kinds().at(provider);
  const YAML::Node config = child(action, "Configuration");
  layout.source.kind = kind;
  std::set<std::string> known;
  for (const auto& [key, directive] : keys) {
    set_from(f, config, key, directive, d, layout.source.settings);
    known.insert(key);
  }
  if (kind == "github") read_token(child(config, "OAuthToken"), layout.source);
  report_other_keys(f, config, literal(child(action, "Name")), known);
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

void read_overrides(const YamlFile& f, const YAML::Node& n, ImportedDeploy& deploy) {
  YAML::Node parsed;
  try {
    parsed = YAML::Load(literal(n));
  } catch (const YAML::Exception&) {
  }
  if (!parsed.IsMap()) {
    f.warn(n,
           "ParameterOverrides is not a JSON object of values; set the parameters with "
           "`parameter` in the app");
    return;
  }
  for (const auto& kv : parsed) {
    if (kv.second.IsScalar()) {
      deploy.parameters.emplace_back(kv.first.Scalar(), kv.second.Scalar());
      continue;
    }
    f.warn(n, fmt::format("parameter `{}` of ParameterOverrides is not a plain value and is not "
                          "carried over",
                          kv.first.Scalar()));
  }
}

void read_deploy(const YamlFile& f, const YAML::Node& action, const Defaults& d, Layout& layout,
                 Refs& refs) {
  const std::string name = literal(child(action, "Name"));
  const YAML::Node config = child(action, "Configuration");
  ImportedDeploy deploy;
  deploy.name = name;
  deploy.region = literal(child(action, "Region"));
  deploy.pos = f.pos(action);
  deploy.run_order = run_order(action);
  const YAML::Node mode = child(config, "ActionMode");
  deploy.mode = present(mode) ? text(mode) : "CREATE_UPDATE";
  if (auto stack = value_of(f, child(config, "StackName"), d, "StackName")) deploy.stack = *stack;
  deploy.capabilities = split_list(literal(child(config, "Capabilities")));
  if (const YAML::Node o = child(config, "ParameterOverrides"); present(o))
    read_overrides(f, o, deploy);
  if (const YAML::Node role = child(config, "RoleArn"); present(role)) {
    const std::string r = referenced_resource(role);
    if (r.empty())
      f.warn(role, fmt::format("the role of action `{}` is not carried over: mrp creates the "
                               "deploy role",
                               name));
    else
      refs.roles[r] = "deploy";
  }
  report_other_keys(f, config, name, {});
  layout.deploys.push_back(std::move(deploy));
}

// "Source/GitHub" and the like: what an action is.
std::pair<std::string, std::string> action_type(const YAML::Node& action) {
  const YAML::Node type = child(action, "ActionTypeId");
  return {literal(child(type, "Category")), literal(child(type, "Provider"))};
}

bool recognised(const std::pair<std::string, std::string>& type) {
  const auto& [category, provider] = type;
  return (category == "Source" && source_kinds().count(provider) > 0) ||
         (category == "Build" && provider == "CodeBuild") ||
         (category == "Deploy" && provider == "CloudFormation");
}

std::string dropped_action(const std::string& name, const std::string& category,
                           const std::string& provider) {
  if (category == "Approval")
    return fmt::format(
        "the manual approval `{}` is not carried over: mrp puts an approval in the stage of "
        "the deploy actions it is for (a wave's `approve`)",
        name);
  return fmt::format("action `{}` ({} by {}) is not carried over: mrp has no directive for it",
                     name, category, provider);
}

void read_action(const YamlFile& f, const YAML::Node& action, const Defaults& d, Layout& layout,
                 Refs& refs) {
  const auto [category, provider] = action_type(action);
  const std::string name = literal(child(action, "Name"));
  if (manual_approval(action)) return;  // read with the stage: read_wave
  if (!recognised({category, provider})) {
    f.warn(action, dropped_action(name, category, provider));
  } else if (category == "Source") {
    if (layout.source.kind.empty())
      read_source(f, action, provider, d, layout);
    else
      f.warn(action, fmt::format("a second source action, `{}`, is not carried over: an mrp "
                                 "pipeline has one source",
                                 name));
  } else if (category == "Build") {
    if (refs.project.empty())
      refs.project = referenced_resource(child(child(action, "Configuration"), "ProjectName"));
    else
      f.warn(action, fmt::format("a second build action, `{}`, is not carried over: an mrp "
                                 "pipeline has one build",
                                 name));
  } else {
    read_deploy(f, action, d, layout, refs);
  }
  if (const YAML::Node role = child(action, "RoleArn"); present(role))
    f.warn(role, fmt::format("the role of action `{}` is not carried over: mrp's actions run "
                             "as the pipeline's role",
                             name));
}

void read_stages(const YamlFile& f, const YAML::Node& stages, const Defaults& d, Layout& layout,
                 Refs& refs) {
  if (!yaml::is_list(stages)) return;
  for (const auto& stage : stages) {
    const YAML::Node actions = child(stage, "Actions");
    bool any = false;
    if (yaml::is_list(actions))
      for (const auto& action : actions) any = any || recognised(action_type(action));
    if (!any) {
      f.warn(stage, fmt::format("stage `{}` is not carried over: its actions are none mrp "
                                "generates (source, build, CloudFormation deploy)",
                                literal(child(stage, "Name"))));
      continue;
    }
    const std::size_t first = layout.deploys.size();
    for (const auto& action : actions) read_action(f, action, d, layout, refs);
    if (layout.deploys.size() > first) {
      read_wave(f, stage, first, layout);
      continue;
    }
    for (const auto& action : actions)
      if (manual_approval(action))
        f.warn(action, dropped_action(literal(child(action, "Name")), "Approval", "Manual"));
  }
  settle_deploys(f, layout);
}

void read_stores(const YamlFile& f, const YAML::Node& pipeline, Layout& layout) {
  const YAML::Node stores = child(pipeline, "ArtifactStores");
  if (!yaml::is_list(stores)) return;
  layout.stores_pos = f.pos(stores);
  for (const auto& store : stores) layout.store_regions.push_back(literal(child(store, "Region")));
}

void read_pipeline_properties(const YamlFile& f, const YAML::Node& props, const Defaults& d,
                              Layout& layout, Refs& refs) {
  static const std::set<std::string> known = {
      "ArtifactStores", "ArtifactStore", "RoleArn", "Stages", "RestartExecutionOnUpdate", "Name"};
  read_stores(f, props, layout);
  if (const std::string role = referenced_resource(child(props, "RoleArn")); !role.empty())
    refs.roles[role] = "pipeline";
  read_stages(f, child(props, "Stages"), d, layout, refs);
  if (!props.IsMap()) return;
  for (const auto& kv : props)
    if (known.count(kv.first.Scalar()) == 0)
      f.warn(kv.first, fmt::format("`{}` of the pipeline is not carried over: mrp has no "
                                   "directive for it",
                                   kv.first.Scalar()));
}

// Resources the pipeline does not use, nor mrp generates.
void report_other_resources(const YamlFile& f, const YAML::Node& resources,
                            const std::string& pipeline, const Refs& refs, bool github) {
  for (const auto& kv : resources) {
    const std::string name = kv.first.Scalar();
    const std::string type = literal(child(kv.second, "Type"));
    if (name == pipeline || name == refs.project || refs.roles.count(name) > 0) continue;
    if (github && type == "AWS::CodePipeline::Webhook") continue;
    f.warn(kv.first, fmt::format("resource `{}` ({}) is not carried over: mrp writes the pipeline "
                                 "template whole; move it to a stack of its own",
                                 name, type));
  }
}

YAML::Node find_pipeline(const YamlFile& f, const YAML::Node& resources, std::string& name) {
  if (yaml::is_map(resources))
    for (const auto& kv : resources)
      if (literal(child(kv.second, "Type")) == "AWS::CodePipeline::Pipeline") {
        name = kv.first.Scalar();
        return kv.second;
      }
  f.diags->error(f.pos(f.root), rule::import,
                 fmt::format("{} defines no AWS::CodePipeline::Pipeline resource, so it is not "
                             "the pipeline template of a 2018 layout",
                             f.file));
  return YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace

bool read_pipeline(const YamlFile& f, Layout& layout) {
  const Defaults defaults = parameter_defaults(f.root);
  const YAML::Node resources = child(f.root, "Resources");
  std::string name;
  const YAML::Node pipeline = find_pipeline(f, resources, name);
  if (!present(pipeline)) return false;
  layout.description = literal(child(f.root, "Description"));
  const YAML::Node props = child(pipeline, "Properties");
  Refs refs;
  read_pipeline_properties(f, props, defaults, layout, refs);
  if (layout.pipeline_name.empty()) layout.pipeline_name = literal(child(props, "Name"));
  if (!refs.project.empty()) {
    const YAML::Node project = child(child(resources, refs.project), "Properties");
    read_build_project(f, project, layout);
    refs.roles[referenced_resource(child(project, "ServiceRole"))] = "build";
  }
  read_roles(f, refs.roles, layout);
  report_other_resources(f, resources, name, refs, layout.source.kind == "github");
  return true;
}

}  // namespace mrp::import
