#pragma once
// Pieces of the pipeline template that its emitters share: the small YAML
// shapes CodePipeline uses everywhere, and the logical ids.

#include <string_view>

#include "compiler/aws/logical_ids.h"
#include "compiler/emit/yaml_out.h"

namespace mrp::pipeline_parts {

using namespace logical_ids;

/// `ActionTypeId: {Category, Owner, Provider, Version: "1"}`.
void action_type(YamlWriter& y, std::string_view category, std::string_view owner,
                 std::string_view provider);

/// `KEY: [{Name: NAME}]`, the shape of input and output artifacts.
void artifacts(YamlWriter& y, std::string_view key, std::string_view name);

/// An IAM role that `service` may assume, without policies; the caller adds
/// them and closes the Properties and the resource maps.
void open_service_role(YamlWriter& y, std::string_view id, std::string_view service);

}  // namespace mrp::pipeline_parts
