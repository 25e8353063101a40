#pragma once
// cdk-nag (the AwsSolutions rule pack) reads why a finding is acceptable from
// the resource itself: `Metadata: cdk_nag: rules_to_suppress: [{id, reason,
// applies_to}]`. The generated templates carry one entry for each finding mrp
// cannot avoid, so the explanation sits beside the resource it explains.

#include <string>
#include <vector>

#include "compiler/emit/yaml_out.h"
#include "compiler/ir/ir.h"

namespace mrp {

struct NagSuppression {
  std::string rule;  ///< AwsSolutions-IAM5
  std::string reason;
  /// The findings it covers (`Resource::arn:<AWS::Partition>:…`); none for a
  /// rule that reports no findings, such as S1.
  std::vector<std::string> applies_to = {};
  /// Findings it covers by pattern, as cdk-nag writes them: `/^…$/`. One
  /// pattern names the app stacks of every region, so that the suppression
  /// does not grow the template by a line per stack and region.
  std::vector<std::string> applies_to_patterns = {};
};

/// A policy value as cdk-nag shows it in a finding: `${X}` as `<X>`, and
/// `!GetAtt ID.Arn` as `<ID.Arn>`.
std::string nag_flatten(const PolicyValue& v);

/// The IAM5 findings cdk-nag reports for `role` that mrp can explain, in the
/// order the statements hold them, grouped by the reason for their kind of
/// wildcard. cdk-nag reports every action and every resource (flattened) of
/// an Allow statement that holds a `*`. A resource written in the spec's
/// `permissions` is explained by the spec; a wildcard action is never
/// explained (mrp derives none, and `broad-permissions` warns about the
/// spec's), nor is a resource of a kind below that mrp does not know, so that
/// the validators' cdk-nag check fails on it.
std::vector<NagSuppression> wildcard_suppressions(const Role& role);

/// `Metadata: {cdk_nag: {rules_to_suppress: […]}}` inside an open resource
/// map; nothing when `suppressions` is empty.
void nag_metadata(YamlWriter& y, const std::vector<NagSuppression>& suppressions);

}  // namespace mrp
