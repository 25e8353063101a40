#include "compiler/emit/nag_suppressions.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace mrp {
namespace {

constexpr std::string_view wildcard_rule = "AwsSolutions-IAM5";

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

void add_unique(std::vector<std::string>& to, const std::string& item) {
  if (std::find(to.begin(), to.end(), item) == to.end()) to.push_back(item);
}

// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, as cdk-nag flattens it.
struct Arn {
  std::string_view service, region, account, resource;
};

// The colons of `<AWS::Partition>` and the like do not separate fields.
std::optional<Arn> parse_arn(std::string_view text) {
  if (text.rfind("arn:", 0) != 0) return std::nullopt;
  std::string_view fields[5];
  std::size_t field = 0;
  std::size_t start = 4;
  int depth = 0;
  for (std::size_t i = start; i < text.size() && field < 4; ++i) {
    if (text[i] == '<') ++depth;
    if (text[i] == '>' && depth > 0) --depth;
    if (text[i] != ':' || depth > 0) continue;
    fields[field++] = text.substr(start, i - start);
    start = i + 1;
  }
  if (field < 4) return std::nullopt;
  fields[4] = text.substr(start);
  return Arn{fields[1], fields[2], fields[3], fields[4]};
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// What a resource of that shape is, and why no narrower ARN names it; empty
// for a shape mrp does not explain.
std::string resource_reason(std::string_view flat, const std::vector<std::string>& actions) {
  // The Service Authorization Reference lists no resource type for it: IAM
  // takes it only on `*`.
  if (flat == "*" && actions == std::vector<std::string>{"ecr:GetAuthorizationToken"})
    return "`ecr:GetAuthorizationToken` acts on no resource (it logs Docker in to the account's "
           "registry); IAM grants it only on `*`";
  if (flat == "*")
    return fmt::format(
        "{}: IAM cannot narrow {} to a resource known before the stack "
        "exists; only `*` grants {}",
        joined(actions), actions.size() == 1 ? "it" : "them", actions.size() == 1 ? "it" : "them");
  const std::optional<Arn> arn = parse_arn(flat);
  if (!arn) return {};
  const std::string resource(arn->resource);
  if (arn->service == "s3") {
    if (resource == "*")
      return "S3 ARNs hold no account, and CloudFormation makes up the app's bucket names";
    if (ends_with(resource, "/*") && resource.find('/') == resource.size() - 2)
      return "object keys, chosen as the objects are written (by CodePipeline, by `aws "
             "cloudformation package`)";
    if (resource.find('/') == std::string::npos)
      return "the artifact bucket of every region, by one name pattern";
    return {};
  }
  if (arn->account == "aws" && arn->service == "iam")
    return "AWS managed policies, which the app's roles attach and the handlers read";
  if (arn->account == "aws")
    return fmt::format("`{}`: AWS's own transforms (such as SAM), not this account's", resource);
  const bool any_name = ends_with(resource, "/*") || ends_with(resource, ":*") || resource == "*";
  const bool named_one = resource.find('*') == resource.size() - 1;
  if (arn->service == "cloudformation" && resource.rfind("stack/", 0) == 0 && named_one &&
      ends_with(resource, "/*") && arn->region.find('*') == std::string_view::npos)
    return "the app stacks by name and region; a stack's ARN ends in an id CloudFormation "
           "makes up";
  if (arn->service == "logs" && resource.rfind("log-group:", 0) == 0 && named_one &&
      ends_with(resource, ":*"))
    return "the log streams of the build's log group, named per build";
  if (arn->service == "kms" && resource == "key/*") return "KMS makes up key ids";
  const bool any_region = arn->region == "*";
  // The deploy role's grants: one role deploys the app stacks to every
  // region, and what CloudFormation creates gets a name or id made up then.
  if (any_region && !any_name)
    return fmt::format("`{}` of {} in every region the role deploys to", resource, arn->service);
  if (!any_name) return {};
  return fmt::format(
      "this account's resources of the app's kinds{}, any name: CloudFormation "
      "makes names up from the stack name cut short, services make ids up; a "
      "name pattern would deny the stack its own resources",
      any_region ? " in every region the role deploys to" : "");
}

struct Wildcard {
  std::string finding;
  std::vector<const Statement*> statements;
};

// Every Allow statement's wildcard resources, once each, in statement order.
std::vector<Wildcard> wildcard_resources(const Role& role) {
  std::vector<Wildcard> out;
  for (const auto& s : role.statements) {
    if (s.deny) continue;
    for (const auto& r : s.resources) {
      const std::string flat = nag_flatten(r);
      if (flat.find('*') == std::string::npos) continue;
      const std::string finding = "Resource::" + flat;
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const Wildcard& w) { return w.finding == finding; });
      if (it == out.end()) it = out.insert(out.end(), Wildcard{finding, {}});
      it->statements.push_back(&s);
    }
  }
  return out;
}

std::string reason_for(const Wildcard& w) {
  const bool all_from_spec = std::all_of(w.statements.begin(), w.statements.end(),
                                         [](const Statement* s) { return s->from_spec; });
  if (all_from_spec) return "granted as written in the spec's `permissions`";
  std::vector<std::string> actions;
  std::vector<std::string> condition_keys;
  bool all_conditioned = true;
  for (const Statement* s : w.statements) {
    for (const auto& a : s->actions) add_unique(actions, a);
    for (const auto& c : s->conditions) add_unique(condition_keys, c.key);
    all_conditioned = all_conditioned && !s->conditions.empty();
  }
  std::string reason = resource_reason(
      std::string_view(w.finding).substr(std::string_view("Resource::").size()), actions);
  if (reason.empty()) return {};
  if (all_conditioned)
    reason += fmt::format("; narrowed by the condition on {}", joined(condition_keys));
  return reason;
}

// `(a|b)`, each escaped for a JavaScript regular expression.
std::string alternatives(const std::vector<std::string>& items) {
  std::string out = "(";
  for (const auto& item : items) {
    if (out.size() > 1) out += '|';
    for (char c : item) {
      if (std::string_view(R"(\^$.|?*+()[]{}/)").find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out + ")";
}

// The findings of app stacks (`…:cloudformation:REGION:ACCOUNT:stack/NAME/*`)
// as one pattern over their regions and names; nothing when `findings` are
// not all of that shape.
std::optional<std::string> stacks_pattern(const std::vector<std::string>& findings) {
  constexpr std::string_view head = "Resource::arn:<AWS::Partition>:cloudformation:";
  constexpr std::string_view account = ":<AWS::AccountId>:stack/";
  std::vector<std::string> regions, names;
  for (const auto& f : findings) {
    const std::string_view v(f);
    if (v.rfind(head, 0) != 0 || !ends_with(v, "/*")) return std::nullopt;
    const std::size_t at = v.find(account, head.size());
    if (at == std::string_view::npos) return std::nullopt;
    const std::string_view region = v.substr(head.size(), at - head.size());
    const std::string_view name = v.substr(at + account.size(), v.size() - 2 - at - account.size());
    if (region.find_first_of("*/:<") != std::string_view::npos ||
        name.find_first_of("*/:<") != std::string_view::npos)
      return std::nullopt;
    add_unique(regions, std::string(region));
    add_unique(names, std::string(name));
  }
  return fmt::format(
      "/^Resource::arn:<AWS::Partition>:cloudformation:{}:<AWS::AccountId>:"
      "stack\\/{}\\/\\*$/",
      alternatives(regions), alternatives(names));
}

}  // namespace

std::string nag_flatten(const PolicyValue& v) {
  if (v.kind == PolicyValue::Kind::arn_of) return fmt::format("<{}.Arn>", v.text);
  // cdk-nag turns every `${` into `<` and every `}` into `>`, in any string.
  std::string out;
  for (std::size_t i = 0; i < v.text.size(); ++i) {
    if (v.text[i] == '$' && i + 1 < v.text.size() && v.text[i + 1] == '{') {
      out += '<';
      ++i;
    } else {
      out += v.text[i] == '}' ? '>' : v.text[i];
    }
  }
  return out;
}

std::vector<NagSuppression> wildcard_suppressions(const Role& role) {
  std::vector<NagSuppression> out;
  for (const auto& w : wildcard_resources(role)) {
    std::string reason = reason_for(w);
    if (reason.empty()) continue;
    const auto same = std::find_if(out.begin(), out.end(),
                                   [&](const NagSuppression& n) { return n.reason == reason; });
    if (same != out.end())
      same->applies_to.push_back(w.finding);
    else
      out.push_back({std::string(wildcard_rule), std::move(reason), {w.finding}});
  }
  for (auto& n : out) {
    if (n.applies_to.size() < 2) continue;
    if (auto pattern = stacks_pattern(n.applies_to)) {
      n.applies_to.clear();
      n.applies_to_patterns.push_back(std::move(*pattern));
    }
  }
  return out;
}

void nag_metadata(YamlWriter& y, const std::vector<NagSuppression>& suppressions) {
  if (suppressions.empty()) return;
  y.key("Metadata").map().key("cdk_nag").map().key("rules_to_suppress").seq();
  for (const auto& s : suppressions) {
    y.map().kv("id", s.rule).kv("reason", s.reason);
    if (!s.applies_to.empty() || !s.applies_to_patterns.empty()) {
      y.key("applies_to").seq();
      for (const auto& f : s.applies_to) y.str(f);
      for (const auto& p : s.applies_to_patterns) y.map().kv("regex", p).end_map();
      y.end_seq();
    }
    y.end_map();
  }
  y.end_seq().end_map().end_map();
}

}  // namespace mrp
