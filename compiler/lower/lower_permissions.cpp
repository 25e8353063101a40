#include "compiler/lower/lower_permissions.h"

#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "compiler/aws/cfn_sub.h"
#include "compiler/aws/iam_actions.h"
#include "compiler/base/patterns.h"
#include "compiler/base/rules.h"

namespace mrp {

const DirectiveShape permissions_shape = {
    .name = "permissions",
    .max_args = 1,
    .block = BlockRule::optional,
    .arg_hint = "`admin`, or a block of `managed-policy`, `allow` and `boundary` lines"};

namespace {

using B = BlockRule;

const std::vector<DirectiveShape> permissions_shapes = {
    {.name = "managed-policy",
     .min_args = 1,
     .max_args = any_count,
     .repeats = true,
     .arg_hint = "managed policy ARNs"},
    {.name = "allow",
     .min_args = 1,
     .max_args = any_count,
     .block = B::optional,
     .repeats = true,
     .arg_hint = "IAM actions such as `dynamodb:GetItem`"},
    {.name = "boundary", .min_args = 1, .max_args = 1, .arg_hint = "a managed policy ARN"}};
const std::vector<DirectiveShape> allow_shapes = {
    {.name = "resources", .min_args = 1, .max_args = any_count, .arg_hint = "ARNs, or `*`"}};

// A policy value as the spec writes it: with `${AWS::…}` it becomes a !Sub
// string, where every other `${` (an IAM policy variable such as
// `${aws:username}`) is kept literal as `${!`.
PolicyValue spec_value(const std::string& s) {
  if (s.find("${AWS::") == std::string::npos) return PolicyValue{PolicyValue::Kind::text, s};
  return PolicyValue{PolicyValue::Kind::sub, sub_escaped(s, true)};
}

class PermissionsLowering {
 public:
  PermissionsLowering(Permissions& out, Diagnostics& diags) : out_(out), diags_(diags) {}

  void run(const Directive& d) {
    if (!d.args.empty()) {
      const Argument& a = d.args[0];
      if (a.value != "admin") {
        diags_.error(a.pos, rule::permissions,
                     fmt::format("`permissions` takes `admin` or a block; got `{}`", a.value));
      } else if (d.has_block) {
        diags_.error(d.block_pos, rule::permissions,
                     "`permissions admin` gives every permission; it takes no block");
      } else {
        out_.admin = true;
        admin_warning(a.pos, "`permissions admin` (AdministratorAccess)");
      }
      return;
    }
    if (!d.has_block) {
      diags_.error(d.pos, rule::permissions,
                   "`permissions` takes `admin` or a block of `managed-policy`, `allow` and "
                   "`boundary` lines");
      return;
    }
    const Children c = check_children(d, d.children, permissions_shapes, diags_);
    if (const auto it = c.find("managed-policy"); it != c.end())
      for (const Directive* m : it->second)
        for (const auto& a : m->args) managed_policy(a);
    if (const auto it = c.find("allow"); it != c.end())
      for (const Directive* a : it->second) allow(*a);
    if (const auto it = c.find("boundary"); it != c.end()) {
      const Argument& a = it->second.front()->args[0];
      if (!is_policy_arn(a.value)) {
        diags_.error(a.pos, rule::permissions,
                     fmt::format("boundary `{}` is not an IAM managed policy ARN", a.value));
        return;
      }
      out_.boundary = a.value;
    }
  }

 private:
  void admin_warning(const SourcePos& pos, std::string_view what) {
    diags_.warning(pos, rule::broad_permissions,
                   fmt::format("{} gives the role every action on every resource of the "
                               "account; list what it needs instead",
                               what));
  }

  // IAM managed policy ARNs: AWS's own (account `aws`) or the account's.
  static bool is_policy_arn(const std::string& s) { return text::is_managed_policy_arn(s); }

  void managed_policy(const Argument& a) {
    if (!is_policy_arn(a.value)) {
      diags_.error(a.pos, rule::permissions,
                   fmt::format("`{}` is not an IAM managed policy ARN such as "
                               "`arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess`",
                               a.value));
      return;
    }
    if (a.value.size() > 20 &&
        a.value.compare(a.value.size() - 20, 20, "/AdministratorAccess") == 0)
      admin_warning(a.pos, "the AdministratorAccess policy");
    out_.managed_policies.push_back(a.value);
  }

  // What is wrong with a well-formed action AWS's catalogue does not know.
  static std::optional<std::string> not_in_catalogue(const std::string& action) {
    if (action == "*") return std::nullopt;
    const std::string_view prefix = std::string_view(action).substr(0, action.find(':'));
    const bool wildcard = action.find_first_of("*?") != std::string::npos;
    if (!iam_service_known(prefix)) {
      const std::string guess = wildcard ? "" : suggest_iam_action(action);
      return fmt::format("unknown IAM action `{}`: AWS has no service `{}`{}", action, prefix,
                         guess.empty() ? "" : fmt::format("; did you mean `{}`?", guess));
    }
    if (wildcard) {
      if (iam_actions_matching(action) > 0) return std::nullopt;
      return fmt::format("`{}` matches no IAM action of `{}`", action, prefix);
    }
    if (canonical_iam_action(action)) return std::nullopt;
    if (const std::string guess = suggest_iam_action(action); !guess.empty())
      return fmt::format("unknown IAM action `{}`; did you mean `{}`?", action, guess);
    return fmt::format("unknown IAM action `{}`: `{}` has no such action", action, prefix);
  }

  void allow(const Directive& d) {
    Statement s;
    s.from_spec = true;
    s.pos = d.pos;
    // IAM action names: SERVICE:ACTION, where the action may hold wildcards
    // (and, in one case, `vpc-lattice:AssociateViaAWSService-EventsAndStates`,
    // a hyphen).
    for (const auto& a : d.args) {
      if (!text::is_iam_action(a.value)) {
        diags_.error(a.pos, rule::permissions,
                     fmt::format("`{}` is not an IAM action; write SERVICE:ACTION, such as "
                                 "`dynamodb:GetItem`",
                                 a.value));
        continue;
      }
      if (const auto problem = not_in_catalogue(a.value)) {
        diags_.error(a.pos, rule::permissions, *problem);
        continue;
      }
      if (a.value == "*") {
        diags_.warning(a.pos, rule::broad_permissions,
                       "action `*` allows every action of every service; list the actions "
                       "it needs instead");
      } else if (a.value.size() > 2 && a.value.compare(a.value.size() - 2, 2, ":*") == 0) {
        diags_.warning(a.pos, rule::broad_permissions,
                       fmt::format("`{}` allows every {} action; list the actions it needs "
                                   "instead",
                                   a.value, a.value.substr(0, a.value.size() - 2)));
      }
      s.actions.push_back(a.value);
    }
    const Children c = check_children(d, d.children, allow_shapes, diags_);
    if (const auto it = c.find("resources"); it != c.end()) {
      for (const auto& a : it->second.front()->args) {
        if (a.value != "*" && a.value.rfind("arn:", 0) != 0) {
          diags_.error(a.pos, rule::permissions,
                       fmt::format("resource `{}` is not an ARN (`arn:…`) or `*`", a.value));
          continue;
        }
        s.resources.push_back(spec_value(a.value));
      }
    } else {
      s.resources.push_back(PolicyValue{PolicyValue::Kind::text, "*"});
    }
    out_.statements.push_back(std::move(s));
  }

  Permissions& out_;
  Diagnostics& diags_;
};

}  // namespace

void lower_permissions(const Directive& d, Permissions& out, Diagnostics& diags) {
  PermissionsLowering(out, diags).run(d);
}

}  // namespace mrp
