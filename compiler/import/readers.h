#pragma once
// The readers of each file of a 2018 layout, and what they share: positions
// from node marks, `import` warnings, and references between resources.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "compiler/import/layout.h"
#include "compiler/yaml/yaml_nodes.h"

namespace mrp::import {

/// One YAML file of the layout and where its findings go.
struct YamlFile {
  std::string file;  ///< relative to the imported folder, as findings name it
  YAML::Node root;
  Diagnostics* diags = nullptr;

  SourcePos pos(const YAML::Node& n) const;
  void warn(const YAML::Node& at, std::string message) const;
};

// Values are looked up through the helpers lower reads app templates with.
using yaml::child;
using yaml::literal;
using yaml::present;
using yaml::text;

/// The name `!Ref NAME` or `{Ref: NAME}` refers to, else "".
std::string ref_name(const YAML::Node& n);
/// The resource `!GetAtt NAME.Attr`, `!Ref NAME` or their long forms refer to, else "".
std::string referenced_resource(const YAML::Node& n);

/// Reads `path` through `files` as YAML. Nothing, with an error, when it is
/// not YAML; nothing, with an error only when `required`, when it is absent.
std::optional<YamlFile> load_yaml(const FileReader& files, const std::string& path, bool required,
                                  Diagnostics& diags);

/// deployment-pipeline/pipeline.yaml: name, description, source, regions,
/// build project, deploy actions. False when it holds no pipeline.
bool read_pipeline(const YamlFile& f, Layout& layout);

/// An action's RunOrder, 1 when it names none.
int run_order(const YAML::Node& action);

/// Whether `action` is a manual approval (category Approval, provider Manual).
bool manual_approval(const YAML::Node& action);

/// A stage whose deploy actions are layout.deploys from `first` on, as a
/// wave: its name, `on-failure rollback`, and its manual approvals, placed
/// before the deploys (`approve`) or between creating change sets and
/// executing them (`approve-change-sets`); an approval elsewhere is reported.
void read_wave(const YamlFile& f, const YAML::Node& stage, std::size_t first, Layout& layout);

/// Once every stage is read: `deploy change-set` when every region deploys
/// with a create and an execute action, as mrp generates them (else each
/// misfit is reported and the regions deploy directly); the waves only when
/// the stages need them, a plain region list otherwise.
void settle_deploys(const YamlFile& f, Layout& layout);

/// The CodeBuild project the pipeline's Build action runs.
void read_build_project(const YamlFile& f, const YAML::Node& project, Layout& layout);

/// The roles of the pipeline template: AdministratorAccess is noted, other
/// policies are reported.
void read_roles(const YamlFile& f, const std::map<std::string, std::string>& role_uses,
                Layout& layout);

/// artifact-buckets.yaml: lifecycle and versioning of the artifact bucket.
void read_artifact_buckets(const YamlFile& f, Layout& layout);

/// buildspec.yaml: install commands, env, and which build script it runs.
void read_buildspec(const YamlFile& f, const FileReader& files, Layout& layout);

/// The build script: commands before its packaging, and the template it packages.
void read_build_script(const std::string& text, const std::string& file, Layout& layout,
                       Diagnostics& diags);

/// create-pipeline.sh / update-pipeline.sh: the pipeline stack's name and region.
void read_stack_script(const std::string& text, Layout& layout);

}  // namespace mrp::import
