#pragma once
// What `mrp init` reads of a repository before it writes a spec: the app
// templates, the build manifests, the git remote and branch, and the region
// the AWS CLI is configured for. All reading of the disk, of git and of the
// AWS CLI happens here, so that the spec is made by a pure function
// (init_spec.h) that tests feed directly.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/result.h"

namespace mrp {

/// An app template found in the repository.
struct FoundTemplate {
  std::string path;  ///< relative to the repository: `template.yaml`, `api/template.yml`
  std::string text;
};

/// A region the environment names, and where it came from.
struct ConfiguredRegion {
  std::string code;
  std::string origin;  ///< `AWS_REGION`, `AWS_DEFAULT_REGION` or `aws configure get region`
};

struct RepoSurvey {
  std::string name;  ///< the folder's name
  /// Top level first, then one level of subfolders in name order; in each
  /// folder the first of template.yaml, template.yml, template.json.
  std::vector<FoundTemplate> templates;
  /// The top-level build manifests found, by file name (package.json,
  /// package-lock.json, requirements.txt, Makefile, go.mod, Cargo.toml).
  std::map<std::string, std::string> manifests;
  std::string remote_url;  ///< of `origin`, else the first remote; "" for none
  std::string branch;      ///< the checked-out branch; "" when unknown
  bool git_found = false;  ///< git could be run
  bool git = false;        ///< the folder is in a git work tree
  std::optional<ConfiguredRegion> region;
};

/// The names survey_repo looks for as app templates, in order of preference.
inline const std::vector<std::string> template_names = {"template.yaml", "template.yml",
                                                        "template.json"};

/// Reads `dir`. `ask_region` is false when the caller already has regions,
/// so that the AWS CLI is not started for nothing. A failure is a folder that
/// does not exist or cannot be read.
Result<RepoSurvey> survey_repo(const std::filesystem::path& dir, bool ask_region);

}  // namespace mrp
