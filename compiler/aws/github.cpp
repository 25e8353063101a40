#include "compiler/aws/github.h"

#include <regex>

namespace mrp {

bool is_github_owner(std::string_view owner) {
  static const std::regex valid{std::string(github_owner_pattern)};
  return std::regex_match(owner.begin(), owner.end(), valid);
}

bool is_github_repo(std::string_view repo) {
  static const std::regex valid{std::string(github_repo_pattern)};
  return std::regex_match(repo.begin(), repo.end(), valid);
}

std::string git_branch_problem(std::string_view b) {
  if (b.empty()) return "it is empty";
  for (char c : b) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return "it holds a space or control character";
    if (std::string_view("~^:?*[\\").find(c) != std::string_view::npos)
      return std::string("it holds `") + c + "`";
  }
  if (b.front() == '-') return "it starts with `-`";
  if (b.front() == '/' || b.back() == '/') return "it starts or ends with `/`";
  if (b.front() == '.' || b.find("/.") != std::string_view::npos)
    return "a part of it starts with `.`";
  if (b.back() == '.') return "it ends with `.`";
  if (b.size() >= 5 && b.substr(b.size() - 5) == ".lock") return "it ends with `.lock`";
  if (b.find("..") != std::string_view::npos) return "it holds `..`";
  if (b.find("//") != std::string_view::npos) return "it holds `//`";
  if (b.find("@{") != std::string_view::npos) return "it holds `@{`";
  return "";
}

}  // namespace mrp
