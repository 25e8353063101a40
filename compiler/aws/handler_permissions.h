#pragma once
// What CloudFormation's resource handlers call, by resource type: the actions
// of each type's create, read, update and delete handlers, from the
// CloudFormation registry's schemas (data/aws/, generated into
// handler_permissions.inc by scripts/gen-aws-data), with the resources the
// deploy role grants each action on and, for an action only some templates
// need, the property that needs it.

#include <span>
#include <string_view>

namespace mrp {

struct ResourceSet {
  std::string_view sid;       ///< the policy statement's name: Lambda, AnyResource
  std::string_view patterns;  ///< space-separated `${}` patterns, `*`, or a mark (below)
};

/// Resources that are the artifact buckets' objects: filled in by the caller.
inline constexpr std::string_view artifact_objects_mark = "@artifact-objects";

struct HandlerAction {
  std::string_view action;    ///< as IAM's catalogue spells it
  unsigned resource_set;      ///< index into handler_resource_sets()
  std::string_view property;  ///< needed only when the resource sets it; "" always
};

struct TypeHandlers {
  std::string_view type;
  std::string_view prefix;  ///< the type's IAM service prefix
  unsigned first;           ///< into handler_actions()
  unsigned count;
  std::string_view passed_to;  ///< services a role passed for the type goes to, space-separated
};

/// The handlers' actions of `type`, or null for a type AWS's data does not
/// list (`Custom::NAME` is looked up as AWS::CloudFormation::CustomResource).
const TypeHandlers* find_type_handlers(std::string_view type);

/// The actions of `t`.
std::span<const HandlerAction> actions_of(const TypeHandlers& t);

std::span<const ResourceSet> handler_resource_sets();

}  // namespace mrp
