#pragma once
// Pieces of the pipeline template that its emitters share: the small YAML
// shapes CodePipeline uses everywhere, and the logical ids.

#include <string_view>
#include <vector>

#include "compiler/aws/logical_ids.h"
#include "compiler/emit/nag_suppressions.h"
#include "compiler/emit/yaml_out.h"

namespace mrp::pipeline_parts {

using namespace logical_ids;

/// `ActionTypeId: {Category, Owner, Provider, Version: "1"}`.
void action_type(YamlWriter& y, std::string_view category, std::string_view owner,
                 std::string_view provider);

/// `KEY: [{Name: NAME}]`, the shape of input and output artifacts.
void artifacts(YamlWriter& y, std::string_view key, std::string_view name);

/// An IAM role that `service` may assume, without policies, with the cdk-nag
/// suppressions of its findings; the caller adds the policies and closes the
/// Properties and the resource maps.
void open_service_role(YamlWriter& y, std::string_view id, std::string_view service,
                       const std::vector<NagSuppression>& suppressions = {});

}  // namespace mrp::pipeline_parts
