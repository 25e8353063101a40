#include "compiler/emit/iam_out.h"

#include <fmt/format.h>

#include "compiler/aws/logical_ids.h"
#include "compiler/emit/nag_suppressions.h"

namespace mrp {
namespace {

void policy_value(YamlWriter& y, const PolicyValue& v) {
  switch (v.kind) {
    case PolicyValue::Kind::text:
      y.str(v.text);
      break;
    case PolicyValue::Kind::sub:
      y.fn("Sub", v.text);
      break;
    case PolicyValue::Kind::arn_of:
      y.fn("GetAtt", fmt::format("{}.Arn", v.text));
      break;
  }
}

void statement(YamlWriter& y, const Statement& s) {
  y.map().kv("Sid", s.sid).kv("Effect", s.deny ? "Deny" : "Allow").key("Action").seq();
  for (const auto& a : s.actions) y.str(a);
  y.end_seq().key("Resource").seq();
  for (const auto& r : s.resources) policy_value(y, r);
  y.end_seq();
  if (!s.conditions.empty()) {
    y.key("Condition").map();
    for (const auto& c : s.conditions) {
      y.key(c.op).map().key(c.key);
      if (c.values.size() == 1) {
        policy_value(y, c.values.front());
      } else {
        y.seq();
        for (const auto& v : c.values) policy_value(y, v);
        y.end_seq();
      }
      y.end_map();
    }
    y.end_map();
  }
  y.end_map();
}

}  // namespace

void policy_document(YamlWriter& y, const std::vector<Statement>& statements) {
  y.key("PolicyDocument").map().kv("Version", "2012-10-17").key("Statement").seq();
  for (const auto& s : statements) statement(y, s);
  y.end_seq().end_map();
}

void trust_policy(YamlWriter& y, const Trust& t) {
  y.key("AssumeRolePolicyDocument").map().kv("Version", "2012-10-17").key("Statement").seq();
  y.map().kv("Effect", "Allow").key("Principal").map();
  if (!t.service.empty()) {
    y.kv("Service", t.service).end_map();
  } else {
    y.key("AWS").fn("Sub", fmt::format("arn:${{AWS::Partition}}:iam::{}:root", t.account));
    y.end_map();
  }
  y.kv("Action", "sts:AssumeRole");
  if (t.service.empty()) {
    y.key("Condition").map().key("ArnEquals").map().key("aws:PrincipalArn");
    y.fn("Sub", t.role_arn_sub).end_map().end_map();
  }
  y.end_map().end_seq().end_map();
}

void role_resources(YamlWriter& y, const RoleNaming& naming, const Trust& trust, const Role& role) {
  const std::string_view id = naming.id;
  y.key(id).map().kv("Type", "AWS::IAM::Role");
  nag_metadata(y, wildcard_suppressions(role));
  y.key("Properties").map();
  trust_policy(y, trust);
  if (!naming.path.empty()) y.kv("Path", naming.path);
  if (!naming.name.empty()) y.kv("RoleName", naming.name);
  if (!role.managed_policies.empty() || !role.stack_policies.empty()) {
    y.key("ManagedPolicyArns").seq();
    for (const auto& m : role.managed_policies) y.str(m);
    for (std::size_t n = 1; n <= role.stack_policies.size(); ++n)
      y.fn("Ref", logical_ids::stack_policy_id(id, n));
    y.end_seq();
  }
  if (!role.statements.empty()) {
    y.key("Policies").seq().map().kv("PolicyName", "least-privilege");
    policy_document(y, role.statements);
    y.end_map().end_seq();
  }
  y.end_map().end_map();
  // What the inline policy cannot hold (IAM's quota), in managed policies of
  // the stack; the role refers to them, so they exist before it is used.
  for (std::size_t n = 1; n <= role.stack_policies.size(); ++n) {
    y.key(logical_ids::stack_policy_id(id, n)).map().kv("Type", "AWS::IAM::ManagedPolicy");
    nag_metadata(y, wildcard_suppressions(Role{{}, role.stack_policies[n - 1], {}}));
    y.key("Properties").map();
    y.kv("Description", fmt::format("{}: what {}'s inline policy cannot hold ({} of {})",
                                    naming.pipeline_name, id, n, role.stack_policies.size()));
    if (!naming.path.empty()) y.kv("Path", naming.path);
    policy_document(y, role.stack_policies[n - 1]);
    y.end_map().end_map();
  }
}

}  // namespace mrp
