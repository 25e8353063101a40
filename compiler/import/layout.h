#pragma once
// What `mrp import` reads from a hand-written 2018 layout: the values a spec
// can say, gathered from pipeline.yaml, artifact-buckets.yaml, the buildspec,
// the build script and the stack scripts. Readers fill it and report, as
// `import` warnings with positions in those files, whatever mrp has no
// directive for; import_spec turns it into the spec.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/diagnostics.h"
#include "compiler/base/file_reader.h"

namespace mrp {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

/// The pipeline's source action, as spec directives of `source KIND`.
struct ImportedSource {
  std::string kind;    ///< github, codestar, codecommit or s3; "" when none was found
  KeyValues settings;  ///< owner/repo/branch, connection/repo/branch, …
  std::string token_secret, token_key;  ///< a Secrets Manager reference for the token
  bool token_parameter = false;         ///< the token was a stack parameter the scripts passed
};

/// One CloudFormation deploy action.
struct ImportedDeploy {
  std::string name;
  std::string region;
  std::string stack;
  std::string mode;  ///< ActionMode: CREATE_UPDATE, CHANGE_SET_REPLACE, CHANGE_SET_EXECUTE, …
  int run_order = 1;
  std::size_t stage = 0;  ///< the index of its stage's wave
  SourcePos pos;
  std::vector<std::string> capabilities;
  KeyValues parameters;  ///< ParameterOverrides, in their order
};

/// A manual approval, as `approve` or `approve-change-sets` of a wave.
struct ImportedApproval {
  std::string topic;    ///< an SNS topic's ARN, "" when none
  std::string timeout;  ///< as the spec writes it (`2d`), "" for CodePipeline's default
  SourcePos pos;
};

/// A deploy stage, as a wave of `regions`.
struct ImportedWave {
  std::string name;
  std::vector<std::string> regions;
  std::optional<ImportedApproval> approve, approve_change_sets;
  bool rollback = false;
};

struct Layout {
  std::string pipeline_name;
  std::string description;
  ImportedSource source;
  std::string home_region;                 ///< the region the scripts name, "" when they name none
  std::vector<ImportedDeploy> deploys;     ///< without the change sets' execute actions
  std::vector<ImportedWave> waves;         ///< empty when the regions are a plain list
  bool change_set = false;                 ///< regions deploy with change sets
  std::vector<std::string> store_regions;  ///< ArtifactStores, in their order
  SourcePos stores_pos;

  std::optional<int> expire_days;
  bool versioning_off = false;

  std::string image, compute;
  std::string buildspec_path;  ///< as the CodeBuild project names it
  std::vector<std::string> install, run;
  KeyValues env;
  std::string build_script;  ///< the script the buildspec runs, "" when none
  std::string template_path;

  bool admin_roles = false;  ///< a role had AdministratorAccess
};

/// Reads the layout in the folder `files` reads from. Errors (no
/// deployment-pipeline/pipeline.yaml, a file that is not YAML, no pipeline in
/// it) mean there is nothing to import; warnings (rule `import`) name what
/// could not be carried over. `diags` keeps the text of each file it points into.
std::optional<Layout> read_layout(const FileReader& files, Diagnostics& diags);

/// The spec of a layout read without errors, in mrp fmt's layout.
/// `folder` is the imported folder relative to the spec's folder ("" when the
/// spec goes in it): paths in a spec are relative to the spec's folder.
std::string import_spec(const Layout& layout, const std::string& folder = "");

/// The findings of read_layout as the command line prints them: with the
/// line and a caret, except for those about a whole file (line 0). Files are
/// named under `folder`, the imported folder as the user named it.
std::string render_findings(const Diagnostics& diags, const std::string& folder = ".");

/// read_layout, then import_spec: the spec, or nothing when there were errors.
std::optional<std::string> import_layout(const FileReader& files, Diagnostics& diags,
                                         const std::string& folder = "");

}  // namespace mrp
