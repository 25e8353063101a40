#include "compiler/aws/github.h"

#include "compiler/base/patterns.h"

namespace mrp {

bool is_github_owner(std::string_view owner) {
  // github_owner_pattern
  return !owner.empty() && text::is_alnum(owner[0]) &&
         text::is_run(owner.substr(1), 0, 38, [](char c) { return text::is_alnum(c) || c == '-'; });
}

bool is_github_repo(std::string_view repo) {
  // github_repo_pattern
  return text::is_run(repo, 1, 100,
                      [](char c) { return text::is_alnum(c) || c == '_' || c == '.' || c == '-'; });
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
