#pragma once
// Which IAM service a CloudFormation resource type belongs to: the prefix of
// the actions that create and manage it, which is often not the type's own
// namespace (`AWS::Cognito::UserPool` is `cognito-idp`, `AWS::EFS::*` is
// `elasticfilesystem`). From AWS's handler data (data/aws/), generated into
// service_prefixes.inc by scripts/gen-aws-data.

#include <string>
#include <string_view>

namespace mrp {

/// The IAM service prefix of `type`: from the handler data; for a type it does
/// not list (older types), the prefix most of its namespace's types use; for a
/// SAM type, that of the type SAM makes of it; else the namespace in lower case.
std::string service_prefix(std::string_view type);

}  // namespace mrp
