#pragma once
// What the SAM transform (AWS::Serverless-2016-10-31) makes of an app
// template's resources, read from each resource's properties and the
// template's `Globals` as the transform reads them: the CloudFormation types it
// generates, which the deploy role must be able to create, and whether any of
// them is an IAM role or policy, for which CloudFormation asks CAPABILITY_IAM.
//
// Sources: the AWS SAM Developer Guide, "Generated AWS CloudFormation resources
// for AWS SAM" and its page for each resource type; where those are silent
// (ScheduleV2 roles, destinations SAM creates, authorizer permissions,
// connectors), the behaviour of the transform itself, as it is published at
// github.com/aws/serverless-application-model (samtranslator/model).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace mrp {

/// The template around a resource, as the transform sees it.
struct SamTemplate {
  YAML::Node globals;  ///< the `Globals` section; an empty node for none
  /// The `Type` of the resource with logical id `id` in the same template, or
  /// "" (for the ends of a connector).
  std::function<std::string(const std::string& id)> type_of;
};

/// What the transform generates for one resource.
struct SamExpansion {
  /// The CloudFormation types, in the order the transform makes them (a type
  /// may repeat); for a resource that is not SAM's, only what its `Connectors`
  /// attribute makes.
  std::vector<std::string> types;
  /// Why one of them is an IAM role or managed policy (the stack needs
  /// CAPABILITY_IAM), or "" when none is.
  std::string iam;
};

/// What the SAM transform makes of the resource `id` (a map with `Type`,
/// `Properties` and perhaps `Connectors`) in `tpl`.
SamExpansion sam_expansion(const std::string& id, const YAML::Node& resource,
                           const SamTemplate& tpl);

/// The CloudFormation type the SAM type `type` becomes (its base resource),
/// `type` itself for any other type.
std::string_view sam_base_type(std::string_view type);

}  // namespace mrp
