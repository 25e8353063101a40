#pragma once
// AWS's catalogue of IAM actions (the Service Authorization Reference), from
// data/aws/iam-actions.json, generated into iam_actions.inc by
// scripts/gen-aws-data. IAM compares action names without regard to case
// (`S3:getobject` is `s3:GetObject`); so do these functions. The catalogue is
// compiled in: a lookup parses nothing and allocates nothing.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mrp {

/// The catalogue spelling of `action` (`SERVICE:Action`, no wildcards), or
/// nullopt when AWS defines no such action.
std::optional<std::string_view> canonical_iam_action(std::string_view action);

/// Whether `prefix` (`s3`, `cognito-idp`) is the prefix of an IAM service.
bool iam_service_known(std::string_view prefix);

/// How many actions of the catalogue `pattern` matches, where `*` stands for
/// any run of characters and `?` for one, in the service prefix as in the
/// action name (`s3:Get*`, `s3:*Object?`; `*` alone matches every action).
std::size_t iam_actions_matching(std::string_view pattern);

/// The catalogue action `action` most likely meant, or empty: within its
/// service, the closest name by edit distance (`s3:GetObjekt` ->
/// `s3:GetObject`); else the same name in the service whose prefix looks most
/// like the one written (`cognito:CreateUserPool` ->
/// `cognito-idp:CreateUserPool`, `elbv2:CreateLoadBalancer` ->
/// `elasticloadbalancing:CreateLoadBalancer`); else, for an unknown prefix,
/// the closest name in the closest prefix.
std::string suggest_iam_action(std::string_view action);

}  // namespace mrp
