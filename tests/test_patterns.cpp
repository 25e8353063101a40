// The hand-written matchers accept exactly what the std::regex patterns they
// replaced accept: every short string over an alphabet of the characters that
// matter, and the lengths at each limit.

#include <doctest/doctest.h>

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "compiler/aws/github.h"
#include "compiler/base/patterns.h"

namespace {

// Calls `visit` on every string of up to `max_length` pieces of `alphabet`.
void each_string(const std::vector<std::string>& alphabet, std::size_t max_length,
                 const std::function<void(const std::string&)>& visit) {
  std::vector<std::string> level = {""};
  for (std::size_t length = 0; length <= max_length; ++length) {
    std::vector<std::string> next;
    for (const auto& s : level) {
      visit(s);
      if (length < max_length)
        for (const auto& piece : alphabet) next.push_back(s + piece);
    }
    level = std::move(next);
  }
}

std::vector<std::string> chars(std::string_view cs) {
  std::vector<std::string> out;
  for (char c : cs) out.emplace_back(1, c);
  return out;
}

// Checks `matches` against `pattern` over every short string of `alphabet`,
// and over strings of `edge` characters from one below `limits` to one above.
void agree(const char* pattern, const std::function<bool(std::string_view)>& matches,
           const std::vector<std::string>& alphabet, std::size_t max_length,
           std::vector<std::pair<std::string, std::size_t>> edges = {}) {
  const std::regex re(pattern);
  std::size_t accepted = 0, checked = 0;
  const auto check = [&](const std::string& s) {
    const bool expected = std::regex_match(s, re);
    if (matches(s) != expected) {
      CAPTURE(pattern);
      CAPTURE(s);
      REQUIRE(matches(s) == expected);
    }
    accepted += expected;
    ++checked;
  };
  each_string(alphabet, max_length, check);
  for (const auto& [start, limit] : edges)
    for (std::size_t n = limit - 1; n <= limit + 1; ++n)
      for (char fill : {'a', 'Z', '0', '-', '_', '.'})
        check(start + std::string(n - start.size(), fill));
  // Both answers occur, so neither side can be constant.
  CAPTURE(pattern);
  CHECK(accepted > 0);
  CHECK(accepted < checked);
}

// Each string of `bases`, and each with one piece of `more` added, changed or
// taken away.
std::vector<std::string> near(const std::vector<std::string>& bases, std::string_view more) {
  std::vector<std::string> out;
  for (const std::string& base : bases) {
    out.push_back(base);
    for (std::size_t i = 0; i <= base.size(); ++i)
      for (char c : more) {
        std::string added = base, changed = base;
        out.push_back(added.insert(i, 1, c));
        if (i < base.size()) {
          changed[i] = c;
          out.push_back(changed);
          out.push_back(std::string(base).erase(i, 1));
        }
      }
  }
  return out;
}

}  // namespace

using namespace mrp::text;

TEST_CASE("stack names") {
  agree("[A-Za-z][A-Za-z0-9-]{0,127}", is_stack_name, chars("aZ0-_.\xC3"), 5, {{"a", 128}});
}

TEST_CASE("bucket names with the account in them") {
  agree("[a-z0-9][a-z0-9.-]*\\$\\{AWS::AccountId\\}[a-z0-9.-]*", is_account_bucket_name,
        {"a", "0", ".", "-", "A", "$", "{", "${AWS::AccountId}", "${AWS::Region}"}, 4);
}

TEST_CASE("pipeline names") {
  agree("[a-z][a-z0-9-]*[a-z0-9]|[a-z]", is_lower_dns_label, chars("a0-A_."), 6);
}

TEST_CASE("environment variable names") {
  agree("[A-Za-z_][A-Za-z0-9_]*", is_identifier, chars("aZ0_-$"), 5);
}

TEST_CASE("parameter names") {
  agree("[A-Za-z0-9]{1,255}", is_parameter_name, chars("aZ0_-"), 5, {{"", 255}});
}

TEST_CASE("account ids") {
  // Short strings are all refused; the edges and the ids near a real one hold
  // what is accepted.
  agree("[0-9]{12}", is_account_id, chars("09a- "), 4, {{"", 12}, {"1", 12}});
  const std::regex re("[0-9]{12}");
  for (const auto& s : near({"111122223333", "12345678901", "1234567890123"}, "09a-")) {
    CAPTURE(s);
    CHECK(is_account_id(s) == std::regex_match(s, re));
  }
}

TEST_CASE("action names") { agree("[A-Za-z0-9.@_-]+", is_action_name, chars("aZ0.@_-$ "), 4); }

TEST_CASE("IAM actions") {
  agree("[a-z0-9-]+:[A-Za-z0-9*?-]+|\\*", is_iam_action, chars("a0-:*?Z."), 5);
}

TEST_CASE("counts with a unit") {
  const std::regex re("([1-9][0-9]{0,5})d");
  each_string(chars("019dm"), 8, [&](const std::string& s) {
    std::smatch m;
    const std::optional<int> expected =
        std::regex_match(s, m, re) ? std::optional<int>(std::stoi(m[1].str())) : std::nullopt;
    CAPTURE(s);
    if (count_with_unit(s, 'd') != expected) REQUIRE(count_with_unit(s, 'd') == expected);
  });
  CHECK(count_with_unit("999999d", 'd') == 999999);
  CHECK(count_with_unit("90m", 'm') == 90);
  CHECK_FALSE(count_with_unit("1000000d", 'd'));
}

TEST_CASE("managed policy ARNs") {
  const char* pattern =
      R"(arn:(aws|aws-cn|aws-us-gov|\$\{AWS::Partition\}):iam::(aws|[0-9]{12}|\$\{AWS::AccountId\}):policy/[A-Za-z0-9+=,.@_/-]{1,512})";
  const std::regex re(pattern);
  std::size_t accepted = 0;
  for (const auto& s :
       near({"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws-cn:iam::123456789012:policy/a",
             "arn:aws-us-gov:iam::${AWS::AccountId}:policy/team/x+=,.@_-",
             "arn:${AWS::Partition}:iam::aws:policy/service-role/X",
             "arn:aws:iam::12345678901:policy/a"},
            "a0-:/$*{}")) {
    CAPTURE(s);
    const bool expected = std::regex_match(s, re);
    accepted += expected;
    if (is_managed_policy_arn(s) != expected) REQUIRE(is_managed_policy_arn(s) == expected);
  }
  CHECK(accepted > 100);
  const std::string arn = "arn:aws:iam::aws:policy/";
  for (std::size_t n : {511, 512, 513}) {
    const std::string s = arn + std::string(n, 'a');
    CHECK(is_managed_policy_arn(s) == std::regex_match(s, re));
  }
}

TEST_CASE("GitHub owners and repositories") {
  agree(mrp::github_owner_pattern.data(), mrp::is_github_owner, chars("a0-Z_."), 5, {{"a", 39}});
  agree(mrp::github_repo_pattern.data(), mrp::is_github_repo, chars("a_.-$Z"), 4, {{"", 100}});
}
