#include "compiler/init/repo_survey.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "compiler/init/run_program.h"

namespace mrp {
namespace fs = std::filesystem;

namespace {

// Manifests and templates are small; anything larger is not one mrp init
// should read whole.
constexpr std::uintmax_t max_file_bytes = 1 << 20;

std::optional<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > max_file_bytes || ec)
    return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// The first template of `folder` (relative to `dir`, "" for the top), by
// template_names' order.
std::optional<FoundTemplate> template_in(const fs::path& dir, const std::string& folder) {
  for (const auto& name : template_names) {
    const std::string path = folder.empty() ? name : (fs::path(folder) / name).generic_string();
    if (auto text = read_file(dir / path)) return FoundTemplate{path, std::move(*text)};
  }
  return std::nullopt;
}

// The top level, then each subfolder one level down (not hidden ones, nor
// node_modules, where packages keep templates of their own).
std::vector<FoundTemplate> find_templates(const fs::path& dir) {
  std::vector<FoundTemplate> out;
  if (auto top = template_in(dir, "")) out.push_back(std::move(*top));
  std::vector<std::string> folders;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory(ec) && name.front() != '.' && name != "node_modules")
      folders.push_back(name);
  }
  std::sort(folders.begin(), folders.end());
  for (const auto& f : folders)
    if (auto t = template_in(dir, f)) out.push_back(std::move(*t));
  return out;
}

// `git -C DIR ARGS...`, its first line, or "".
std::string git(const fs::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {"git", "-C", dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto out = program_output(argv);
  return out ? first_line(*out) : "";
}

void survey_git(const fs::path& dir, RepoSurvey& s) {
  s.git_found = program_output({"git", "--version"}).has_value();
  s.git = s.git_found && git(dir, {"rev-parse", "--is-inside-work-tree"}) == "true";
  if (!s.git) return;
  s.remote_url = git(dir, {"remote", "get-url", "origin"});
  if (s.remote_url.empty()) {
    const std::string first = git(dir, {"remote"});
    if (!first.empty()) s.remote_url = git(dir, {"remote", "get-url", first});
  }
  s.branch = git(dir, {"symbolic-ref", "--short", "-q", "HEAD"});
}

// As the AWS CLI looks for a region: the environment first, then its
// configuration (which `aws configure get` reads for the active profile).
std::optional<ConfiguredRegion> configured_region() {
  for (const char* var : {"AWS_REGION", "AWS_DEFAULT_REGION"})
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0')
      return ConfiguredRegion{v, var};
  const auto out = program_output({"aws", "configure", "get", "region"});
  if (!out || first_line(*out).empty()) return std::nullopt;
  return ConfiguredRegion{first_line(*out), "aws configure get region"};
}

}  // namespace

Result<RepoSurvey> survey_repo(const fs::path& dir, bool ask_region) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Failure{dir.string() + " is not a folder"};
  RepoSurvey s;
  s.name = fs::weakly_canonical(fs::absolute(dir), ec).filename().string();
  s.templates = find_templates(dir);
  for (const char* name : {"package.json", "package-lock.json", "requirements.txt", "Makefile",
                           "go.mod", "Cargo.toml"})
    if (auto text = read_file(dir / name)) s.manifests.emplace(name, std::move(*text));
  survey_git(dir, s);
  if (ask_region) s.region = configured_region();
  return s;
}

}  // namespace mrp
