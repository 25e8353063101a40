#pragma once
// The parts of the pipeline template that follow from the spec's source: its
// parameters, what starts the pipeline, the Source stage and the V2 triggers.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/emit/yaml_out.h"
#include "compiler/ir/ir.h"

namespace mrp::pipeline_parts {

/// The parameters the source needs (the GitHub token and repository), if
/// any, as entries of the open `Parameters` map.
void source_parameters(YamlWriter& y, const Ir& ir);

/// A template parameter whose value comes from the spec: its `Default`.
struct SourceParameter {
  std::string_view name;
  std::string_view description;
  std::string value;
  std::string_view pattern;
};
/// The source's parameters other than the token, in template order; none but
/// for GitHub. deploy.sh passes their values too: `aws cloudformation deploy`
/// keeps a stack's previous value for a parameter it is not given, even when
/// the template's `Default` changed.
std::vector<SourceParameter> source_parameters_from_spec(const Ir& ir);
/// The resources that start the pipeline on a change: the GitHub webhook, or
/// an EventBridge rule and its role for CodeCommit and S3.
void source_trigger_resources(YamlWriter& y, const Ir& ir);
/// The Source stage.
void source_stage(YamlWriter& y, const Ir& ir);
/// `PipelineType`, `ExecutionMode` and `Triggers`, for the specs that need
/// them; nothing for the others, whose templates stay as they were.
void pipeline_type_and_triggers(YamlWriter& y, const Ir& ir);

}  // namespace mrp::pipeline_parts
