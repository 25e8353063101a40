#pragma once
// The parts of the pipeline template that follow from the spec's source: its
// parameters, what starts the pipeline, the Source stage and the V2 triggers.

#include "compiler/emit/yaml_out.h"
#include "compiler/ir/ir.h"

namespace mrp::pipeline_parts {

/// The parameters the source needs (the GitHub token and repository), if any.
void source_parameters(YamlWriter& y, const Ir& ir);
/// The resources that start the pipeline on a change: the GitHub webhook, or
/// an EventBridge rule and its role for CodeCommit and S3.
void source_trigger_resources(YamlWriter& y, const Ir& ir);
/// The Source stage.
void source_stage(YamlWriter& y, const Ir& ir);
/// `PipelineType`, `ExecutionMode` and `Triggers`, for the specs that need
/// them; nothing for the others, whose templates stay as they were.
void pipeline_type_and_triggers(YamlWriter& y, const Ir& ir);

}  // namespace mrp::pipeline_parts
