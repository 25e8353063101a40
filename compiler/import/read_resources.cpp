// The resources of a 2018 layout besides the pipeline: its CodeBuild project
// and roles (pipeline.yaml), and the artifact bucket (artifact-buckets.yaml).

#include <set>

#include <fmt/format.h>

#include "compiler/import/readers.h"

namespace mrp::import {
namespace {

// BUILD_GENERAL1_SMALL -> small; other compute types stay as they are.
std::string compute_name(const std::string& type) {
  static const std::map<std::string, std::string> short_names = {
      {"BUILD_GENERAL1_SMALL", "small"},
      {"BUILD_GENERAL1_MEDIUM", "medium"},
      {"BUILD_GENERAL1_LARGE", "large"},
      {"BUILD_GENERAL1_XLARGE", "xlarge"},
      {"BUILD_GENERAL1_2XLARGE", "2xlarge"}};
  const auto it = short_names.find(type);
  return it == short_names.end() ? type : it->second;
}

void read_variable(const YamlFile& f, const YAML::Node& var, Layout& layout) {
  const std::string name = literal(child(var, "Name"));
  // The bucket variables are mrp's own, one per region.
  const std::string suffix = "_ARTIFACT_BUCKET";
  if (name.size() > suffix.size() &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    return;
  const YAML::Node type = child(var, "Type");
  const YAML::Node value = child(var, "Value");
  if ((present(type) && literal(type) != "PLAINTEXT") || !present(value) || !value.IsScalar() ||
      value.Scalar() != literal(value)) {
    f.warn(var, fmt::format("environment variable `{}` is not carried over: mrp's `env` takes a "
                            "plain value",
                            name));
    return;
  }
  layout.env.emplace_back(name, value.Scalar());
}

void read_environment(const YamlFile& f, const YAML::Node& env, Layout& layout) {
  static const std::set<std::string> known = {"ComputeType", "Image", "Type",
                                              "EnvironmentVariables"};
  layout.image = literal(child(env, "Image"));
  layout.compute = compute_name(literal(child(env, "ComputeType")));
  if (const YAML::Node type = child(env, "Type");
      present(type) && literal(type) != "LINUX_CONTAINER")
    f.warn(type, fmt::format("environment type {} is not carried over: mrp builds in a "
                             "LINUX_CONTAINER",
                             text(type)));
  if (const YAML::Node vars = child(env, "EnvironmentVariables"); vars.IsSequence())
    for (const auto& var : vars) read_variable(f, var, layout);
  if (!env.IsMap()) return;
  for (const auto& kv : env)
    if (known.count(kv.first.Scalar()) == 0)
      f.warn(kv.first, fmt::format("`{}` of the build environment is not carried over: mrp has "
                                   "no directive for it",
                                   kv.first.Scalar()));
}

// Where a spec grants a role more than mrp derives, as the end of a finding.
std::string permissions_place(const std::string& use, const std::string& what) {
  if (use == "build") return fmt::format("; add {} under `build {{ permissions {{ … }} }}`", what);
  if (use == "deploy") return fmt::format("; add {} under the app's `permissions {{ … }}`", what);
  return "";
}

void read_managed_policies(const YamlFile& f, const YAML::Node& arns, const std::string& role,
                           const std::string& use, Layout& layout) {
  if (!arns.IsSequence()) return;
  const std::string admin = ":policy/AdministratorAccess";
  for (const auto& arn : arns) {
    const std::string text = yaml::text(arn);
    if (text.size() >= admin.size() &&
        text.compare(text.size() - admin.size(), admin.size(), admin) == 0) {
      layout.admin_roles = true;
      continue;
    }
    f.warn(arn, fmt::format("managed policy {} of role `{}` is not carried over: mrp derives the "
                            "{} role's permissions{}",
                            text, role, use, permissions_place(use, "it as `managed-policy`")));
  }
}

void read_role(const YamlFile& f, const std::string& name, const YAML::Node& role,
               const std::string& use, Layout& layout) {
  const YAML::Node props = child(role, "Properties");
  read_managed_policies(f, child(props, "ManagedPolicyArns"), name, use, layout);
  if (!props.IsMap()) return;
  for (const auto& kv : props) {
    const std::string key = kv.first.Scalar();
    if (key == "AssumeRolePolicyDocument" || key == "ManagedPolicyArns") continue;
    if (key == "Policies")
      f.warn(kv.first,
             fmt::format("the inline policies of role `{}` are not carried over: mrp "
                         "derives the {} role's permissions{}",
                         name, use, permissions_place(use, "their statements as `allow`")));
    else
      f.warn(kv.first, fmt::format("`{}` of role `{}` is not carried over: mrp has no directive "
                                   "for it",
                                   key, name));
  }
}

// mrp names the bucket NAME-<account>-<region> after the pipeline; a bucket
// named so gives the pipeline's name when the scripts do not.
void read_bucket_name(const YamlFile& f, const YAML::Node& name, Layout& layout) {
  const std::string suffix = "-${AWS::AccountId}-${AWS::Region}";
  const std::string text = yaml::text(name);
  const bool derived = present(name) && name.Tag() == "!Sub" && text.size() > suffix.size() &&
                       text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
  const std::string prefix = derived ? text.substr(0, text.size() - suffix.size()) : "";
  if (layout.pipeline_name.empty()) layout.pipeline_name = prefix;
  if (prefix == layout.pipeline_name) return;
  f.warn(name, fmt::format("the artifact buckets are not named `{}{}`, as mrp names them, so "
                           "deploy.sh creates new buckets and the old ones stay until you delete "
                           "them",
                           layout.pipeline_name, suffix));
}

}  // namespace

void read_build_project(const YamlFile& f, const YAML::Node& project, Layout& layout) {
  static const std::set<std::string> known = {"Artifacts", "Environment", "ServiceRole", "Source",
                                              "Name"};
  read_environment(f, child(project, "Environment"), layout);
  const YAML::Node spec = child(child(project, "Source"), "BuildSpec");
  layout.buildspec_path = literal(spec);
  if (layout.buildspec_path.find('\n') != std::string::npos) {
    f.warn(spec, "an inline buildspec is not carried over: mrp reads the buildspec from a file");
    layout.buildspec_path.clear();
  }
  if (!project.IsMap()) return;
  for (const auto& kv : project)
    if (known.count(kv.first.Scalar()) == 0)
      f.warn(kv.first, fmt::format("`{}` of the CodeBuild project is not carried over: mrp has "
                                   "no directive for it",
                                   kv.first.Scalar()));
}

void read_roles(const YamlFile& f, const std::map<std::string, std::string>& role_uses,
                Layout& layout) {
  const YAML::Node resources = child(f.root, "Resources");
  for (const auto& [name, use] : role_uses) {
    const YAML::Node role = child(resources, name);
    if (present(role)) read_role(f, name, role, use, layout);
  }
}

void read_artifact_buckets(const YamlFile& f, Layout& layout) {
  const YAML::Node resources = child(f.root, "Resources");
  if (!resources.IsMap()) return;
  for (const auto& kv : resources) {
    if (literal(child(kv.second, "Type")) != "AWS::S3::Bucket") {
      f.warn(kv.first, fmt::format("resource `{}` is not carried over: mrp's artifact-bucket "
                                   "stack holds the bucket alone",
                                   kv.first.Scalar()));
      continue;
    }
    const YAML::Node props = child(kv.second, "Properties");
    read_bucket_name(f, child(props, "BucketName"), layout);
    const YAML::Node rules = child(child(props, "LifecycleConfiguration"), "Rules");
    if (rules.IsSequence())
      for (const auto& rule : rules) {
        const std::string days = literal(child(rule, "ExpirationInDays"));
        const bool number = !days.empty() && days.size() < 6 &&
                            days.find_first_not_of("0123456789") == std::string::npos;
        if (number && literal(child(rule, "Status")) != "Disabled")
          layout.expire_days = std::stoi(days);
      }
    if (literal(child(child(props, "VersioningConfiguration"), "Status")) == "Suspended")
      layout.versioning_off = true;
  }
}

}  // namespace mrp::import
