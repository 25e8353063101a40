#pragma once
// The pipeline stack's three service roles, least privilege by default:
//   - the pipeline role may touch its artifact buckets, its CodeBuild project,
//     the app stacks in their regions, pass the deploy role and use its source;
//   - the CodeBuild role may write its own log group and read and write the
//     artifact buckets, plus what the spec's `build { permissions }` adds;
//   - the CloudFormation deploy role may do what the app templates' resource
//     types need (the table in iam.cpp), plus the spec's `permissions`.
// derive_roles() computes them once into the IR; the emitter only prints them.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace mrp {

/// Fills `ir.pipeline_role`, `ir.build_role` and `ir.deploy_role`. Call after
/// lowering and after the app templates were read.
void derive_roles(Ir& ir);

/// Whether the permission table covers `type` (a type with no permissions of
/// its own, such as AWS::CloudFormation::WaitConditionHandle, is covered).
bool resource_type_covered(std::string_view type);

/// The managed policy that gives everything.
inline constexpr std::string_view administrator_access =
    "arn:aws:iam::aws:policy/AdministratorAccess";

/// The size IAM counts for a role's inline policy (JSON without white space),
/// with the account id and partition filled in; an upper bound for regions.
std::size_t inline_policy_size(const Role& role);

/// Keeps `role`'s inline policy within IAM's quota: the statements that do not
/// fit move, in order, into managed policies of the stack (a statement too
/// big for one is cut between its actions). Each stays within its quota.
void fit_policies(Role& role);

/// The size IAM counts for a policy document of `statements`.
std::size_t policy_size(const std::vector<Statement>& statements);

/// IAM's quota on the inline policies of one role, in characters.
inline constexpr std::size_t max_inline_policy_size = 10240;

/// IAM's quota on one managed policy, in characters.
inline constexpr std::size_t max_managed_policy_size = 6144;

/// Managed policies a role takes unless the account's quota is raised.
inline constexpr std::size_t max_managed_policies = 10;

}  // namespace mrp
