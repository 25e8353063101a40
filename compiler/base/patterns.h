#pragma once
// Matchers for the short patterns names and values are checked against, in
// place of std::regex: compiling a std::regex (bracket expressions above all)
// cost a compile of one spec more than the rest of lowering did. Each function
// accepts exactly the language of the pattern above it, which
// tests/test_patterns.cpp checks against std::regex.

#include <cstddef>
#include <optional>
#include <string_view>

namespace mrp::text {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

/// Whether `s` is `least` to `most` characters, each one `ok` accepts.
template <typename Ok>
constexpr bool is_run(std::string_view s, std::size_t least, std::size_t most, Ok ok) {
  if (s.size() < least || s.size() > most) return false;
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}

/// Whether `s` starts with `prefix`; if so, drops it from `s`.
constexpr bool eat(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

/// `[A-Za-z][A-Za-z0-9-]{0,127}`: a CloudFormation stack name.
constexpr bool is_stack_name(std::string_view s) {
  return !s.empty() && is_alpha(s[0]) &&
         is_run(s.substr(1), 0, 127, [](char c) { return is_alnum(c) || c == '-'; });
}

/// `[a-z0-9][a-z0-9.-]*\$\{AWS::AccountId\}[a-z0-9.-]*`: a bucket name with the
/// account in it, as deployed.json records them.
constexpr bool is_account_bucket_name(std::string_view s) {
  constexpr std::string_view account = "${AWS::AccountId}";
  constexpr auto bucket_char = [](char c) {
    return is_lower(c) || is_digit(c) || c == '.' || c == '-';
  };
  // Neither side may hold a `$`, so the first `${AWS::AccountId}` is the one.
  const std::size_t at = s.find(account);
  if (at == std::string_view::npos || at == 0 || !(is_lower(s[0]) || is_digit(s[0]))) return false;
  return is_run(s.substr(1, at - 1), 0, at, bucket_char) &&
         is_run(s.substr(at + account.size()), 0, s.size(), bucket_char);
}

/// `[a-z][a-z0-9-]*[a-z0-9]|[a-z]`: lower-case letters, digits and hyphens,
/// starting with a letter and not ending with `-`.
/// `[0-9]{12}`: an AWS account id.
constexpr bool is_account_id(std::string_view s) { return is_run(s, 12, 12, is_digit); }

constexpr bool is_lower_dns_label(std::string_view s) {
  return !s.empty() && is_lower(s[0]) && s.back() != '-' &&
         is_run(s, 1, s.size(), [](char c) { return is_lower(c) || is_digit(c) || c == '-'; });
}

/// `[A-Za-z_][A-Za-z0-9_]*`: an environment variable name.
constexpr bool is_identifier(std::string_view s) {
  return !s.empty() && !is_digit(s[0]) &&
         is_run(s, 1, s.size(), [](char c) { return is_alnum(c) || c == '_'; });
}

/// `[A-Za-z0-9]{1,255}`: a CloudFormation parameter name.
constexpr bool is_parameter_name(std::string_view s) { return is_run(s, 1, 255, is_alnum); }

/// `[A-Za-z0-9.@_-]+`: the characters of a CodePipeline action or stage name.
constexpr bool is_action_name(std::string_view s) {
  return is_run(s, 1, s.size(),
                [](char c) { return is_alnum(c) || c == '.' || c == '@' || c == '_' || c == '-'; });
}

/// `([1-9][0-9]{0,5})U` for the unit `unit`: the count, from 1 to 999999.
constexpr std::optional<int> count_with_unit(std::string_view s, char unit) {
  if (s.size() < 2 || s.size() > 7 || s.back() != unit || s[0] == '0') return std::nullopt;
  int n = 0;
  for (char c : s.substr(0, s.size() - 1)) {
    if (!is_digit(c)) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

/// `[a-z0-9-]+:[A-Za-z0-9*?-]+|\*`: an IAM action, with wildcards, or `*`.
constexpr bool is_iam_action(std::string_view s) {
  if (s == "*") return true;
  // The action part holds no `:`, so the first one ends the service prefix.
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  return is_run(s.substr(0, colon), 1, colon,
                [](char c) { return is_lower(c) || is_digit(c) || c == '-'; }) &&
         is_run(s.substr(colon + 1), 1, s.size(),
                [](char c) { return is_alnum(c) || c == '*' || c == '?' || c == '-'; });
}

/// `arn:(aws|aws-cn|aws-us-gov|\$\{AWS::Partition\}):iam::(aws|[0-9]{12}|\$\{AWS::AccountId\}):policy/[A-Za-z0-9+=,.@_/-]{1,512}`:
/// an IAM managed policy ARN, AWS's own (account `aws`) or the account's.
constexpr bool is_managed_policy_arn(std::string_view s) {
  if (!eat(s, "arn:")) return false;
  if (!eat(s, "aws:iam::") && !eat(s, "aws-cn:iam::") && !eat(s, "aws-us-gov:iam::") &&
      !eat(s, "${AWS::Partition}:iam::"))
    return false;
  const auto twelve_digits = [&s] {
    if (!is_run(s.substr(0, 12), 12, 12, is_digit)) return false;
    s.remove_prefix(12);
    return true;
  };
  const bool account = eat(s, "aws:policy/") || eat(s, "${AWS::AccountId}:policy/") ||
                       (twelve_digits() && eat(s, ":policy/"));
  return account && is_run(s, 1, 512, [](char c) {
           return is_alnum(c) || std::string_view("+=,.@_/-").find(c) != std::string_view::npos;
         });
}

}  // namespace mrp::text
