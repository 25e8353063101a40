#pragma once
// What GitHub and git accept as owner, repository and branch names. The
// pipeline template's AllowedPattern and lowering's checks come from here, so a
// spec that compiles never has a Default its own pattern rejects.

#include <string>
#include <string_view>

namespace mrp {

/// GitHub user and organisation names: letters, digits and hyphens, at most 39,
/// not starting with a hyphen.
inline constexpr std::string_view github_owner_pattern = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}$";
/// GitHub repository names: letters, digits, `_`, `.` and `-`, at most 100.
inline constexpr std::string_view github_repo_pattern = "^[A-Za-z0-9_.-]{1,100}$";
/// A branch name as `git check-ref-format --branch` accepts it (see
/// git_branch_problem); Java regex syntax, as CloudFormation uses.
inline constexpr std::string_view git_branch_pattern =
    R"(^(?!-|/|.*(\.\.|//|@\{|/\.))(?!\.)[^\x00-\x20\x7F~^:?*\[\\]+(?<![/.])(?<!\.lock)$)";

bool is_github_owner(std::string_view owner);
bool is_github_repo(std::string_view repo);

/// Why git would reject `branch` as a branch name, or "" when it is valid.
std::string git_branch_problem(std::string_view branch);

}  // namespace mrp
