#pragma once
// IAM roles and policies as CloudFormation resources, for every template
// that holds a role: the pipeline stack's service roles and a target
// account's roles.

#include <string_view>
#include <vector>

#include "compiler/emit/yaml_out.h"
#include "compiler/ir/ir.h"

namespace mrp {

/// `PolicyDocument: {Version, Statement: [...]}`.
void policy_document(YamlWriter& y, const std::vector<Statement>& statements);

/// Who may assume a role: a service, or one role of another account (the
/// account's root with an `aws:PrincipalArn` condition: a policy cannot name
/// a role that does not exist yet, and IAM rejects it).
struct Trust {
  std::string_view service;       ///< codepipeline.amazonaws.com, or ""
  std::string_view account;       ///< with no service: the account trusted
  std::string_view role_arn_sub;  ///< with no service: its role, for !Sub
};

/// `AssumeRolePolicyDocument`: the service, or the account's root on the
/// condition that the caller is the one role.
void trust_policy(YamlWriter& y, const Trust& t);

/// Where and how a role is named.
struct RoleNaming {
  std::string_view id;             ///< the logical id
  std::string_view path;           ///< the IAM path, or ""
  std::string_view name;           ///< RoleName, or "" for CloudFormation's
  std::string_view pipeline_name;  ///< for the descriptions of its policies
};

/// The role with its managed policies and its one inline policy, then the
/// managed policies of the stack that hold what the inline policy cannot
/// (IAM's quota), which the role refers to.
void role_resources(YamlWriter& y, const RoleNaming& naming, const Trust& trust, const Role& role);

}  // namespace mrp
