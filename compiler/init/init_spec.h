#pragma once
// The first spec of a repository, made from what repo_survey found: a pure
// function of the survey, so that tests give it any repository they like.
// Every guess carries a comment that says what it was guessed from, and a
// value that cannot be guessed is a `<...>` placeholder that lint names.

#include <map>
#include <string>
#include <vector>

#include "compiler/base/result.h"
#include "compiler/init/repo_survey.h"
#include "compiler/syntax/spec_writer.h"

namespace mrp {

struct InitSpec {
  std::string text;                       ///< the spec, in mrp fmt's layout
  std::vector<std::string> placeholders;  ///< each `<...>` written, in order
};

/// The spec for `survey`, deploying to `regions` (as given on the command
/// line, already checked) or, when there are none, to the region the survey
/// found. A failure says why no spec can be written: no app template, or one
/// that is not a template.
Result<InitSpec> init_spec(const RepoSurvey& survey, const std::vector<std::string>& regions);

/// The `source` directive for a git remote URL and branch: codestar for
/// GitHub, GitLab and Bitbucket, codecommit for CodeCommit, and codestar with
/// placeholders for anything else or no remote (`url` ""). `survey` says
/// whether git could be run and the folder is in a git work tree, for the
/// comment.
SpecNode guess_source(const std::string& url, const std::string& branch, const RepoSurvey& survey);

/// `name` made into a pipeline name: lower case, letters, digits and single
/// hyphens, starting with a letter, at most 35 characters (what fits in every
/// region's bucket name).
std::string pipeline_name_from(const std::string& name);

/// The `build` block the manifests suggest, or nothing (no `build` directive)
/// when there is nothing to run. `sam_methods` are the BuildMethods of the
/// apps `sam build` builds; `all_sam` is set when every app is built so.
std::vector<SpecNode> guess_build(const std::map<std::string, std::string>& manifests,
                                  const std::vector<std::string>& sam_methods, bool all_sam);

}  // namespace mrp
