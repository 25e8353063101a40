// The `source` of a first spec, from the URL of the repository's git remote.
// The URL may carry a user name or a token (https://user:token@host/...), so
// the comments name only the host and the repository.

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "compiler/init/init_spec.h"

namespace mrp {
namespace {

struct Remote {
  std::string host;  ///< lower case, without user or port
  std::string path;  ///< without a leading `/`, a trailing `/` or `.git`
};

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string clean_path(std::string path) {
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (ends_with(path, ".git")) path.resize(path.size() - 4);
  return path;
}

// `scheme://[user@]host[:port]/path` or scp's `[user@]host:path`.
Remote split_remote(const std::string& url) {
  Remote r;
  std::string rest;
  const auto scheme = url.find("://");
  if (scheme != std::string::npos) {
    rest = url.substr(scheme + 3);
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    r.host = authority.substr(0, authority.find(':'));
    r.path = slash == std::string::npos ? "" : rest.substr(slash);
  } else {
    const auto colon = url.find(':');
    if (colon == std::string::npos) return r;
    std::string authority = url.substr(0, colon);
    if (const auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    r.host = authority;
    r.path = url.substr(colon + 1);
  }
  std::transform(r.host.begin(), r.host.end(), r.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  r.path = clean_path(r.path);
  return r;
}

// The repository name of a CodeCommit remote, or "": its https and ssh URLs
// (`git-codecommit.REGION.amazonaws.com/v1/repos/NAME`) and those of the
// git-remote-codecommit helper (`codecommit::REGION://[PROFILE@]NAME`).
std::string codecommit_repo(const std::string& url, const Remote& r) {
  if (starts_with(url, "codecommit:")) {
    std::string name = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    if (const auto at = name.find('@'); at != std::string::npos) name.erase(0, at + 1);
    return clean_path(name);
  }
  if (!starts_with(r.host, "git-codecommit.") || !ends_with(r.host, ".amazonaws.com")) return "";
  if (!starts_with(r.path, "v1/repos/")) return "";
  return r.path.substr(9);
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> connection_hosts = {
    {{"github.com", "GitHub"}, {"gitlab.com", "GitLab"}, {"bitbucket.org", "Bitbucket"}}};

SpecNode codestar(const std::string& repo, const std::string& branch, std::string comment) {
  SpecNode node = spec_block("source", {"codestar"},
                             {spec_line("connection", {"<connection-arn>"}),
                              spec_line("repo", {repo}), spec_line("branch", {branch})});
  node.comments = {std::move(comment)};
  return node;
}

// Why the source could not be guessed, for its comment.
std::string unguessed(const std::string& url, const std::string& host, const RepoSurvey& survey) {
  if (!survey.git_found) return "The git command could not be run";
  if (!survey.git) return "This folder is not in a git repository";
  if (url.empty()) return "The git repository has no remote";
  return fmt::format(
      "The git remote is on {}, which is not GitHub, GitLab, Bitbucket or CodeCommit",
      host.empty() ? std::string("an unknown host") : host);
}

}  // namespace

SpecNode guess_source(const std::string& url, const std::string& branch_found,
                      const RepoSurvey& survey) {
  const std::string branch = branch_found.empty() ? "main" : branch_found;
  const std::string branch_from =
      branch_found.empty() ? "branch main, as git names no current branch" : "the current branch";
  const Remote remote = split_remote(url);
  if (const std::string name = codecommit_repo(url, remote); !name.empty()) {
    SpecNode node = spec_block("source", {"codecommit"},
                               {spec_line("repo", {name}), spec_line("branch", {branch})});
    node.comments = {fmt::format("Guessed from the git remote (CodeCommit repository {}) and {}.",
                                 name, branch_from)};
    return node;
  }
  for (const auto& [host, provider] : connection_hosts)
    if (remote.host == host && remote.path.find('/') != std::string::npos)
      return codestar(remote.path, branch,
                      fmt::format("Guessed from the git remote ({} repository {}) and {}.\nCreate "
                                  "a connection to {} (console: Developer Tools, Settings, "
                                  "Connections) and put its ARN in place of <connection-arn>.",
                                  provider, remote.path, branch_from, provider));
  const std::string why = unguessed(url, remote.host, survey);
  return codestar("<owner/repo>", branch,
                  fmt::format("{}: mrp init could not guess the source. A CodeStar connection "
                              "serves GitHub, GitLab and Bitbucket;\nput its ARN and the "
                              "repository in place of the placeholders, or use another source "
                              "(docs/language.md, `source`).",
                              why));
}

}  // namespace mrp
