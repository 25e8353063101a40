#pragma once
// Pieces of the pipeline template that its emitters share: logical ids,
// artifact names and the small YAML shapes CodePipeline uses everywhere.

#include <string_view>

#include "compiler/ir.h"
#include "compiler/yaml_out.h"

namespace mrp::pipeline_parts {

// Logical ids are the hand-written example's, so that a pipeline stack created
// from it updates in place.
inline constexpr std::string_view webhook_id = "GithubWebhook";
inline constexpr std::string_view pipeline_id = "CodePipeline";
inline constexpr std::string_view project_id = "CodeBuildProject";
inline constexpr std::string_view build_role_id = "CodeBuildRole";
inline constexpr std::string_view pipeline_role_id = "CodePipelineRole";
inline constexpr std::string_view deploy_role_id = "CloudformationRole";
inline constexpr std::string_view source_rule_id = "SourceChangeRule";
inline constexpr std::string_view source_rule_role_id = "SourceChangeRuleRole";
inline constexpr std::string_view source_artifact = "SourceCode";
inline constexpr std::string_view build_artifact = "BuildOutput";

/// `ActionTypeId: {Category, Owner, Provider, Version: "1"}`.
void action_type(YamlWriter& y, std::string_view category, std::string_view owner,
                 std::string_view provider);

/// `KEY: [{Name: NAME}]`, the shape of input and output artifacts.
void artifacts(YamlWriter& y, std::string_view key, std::string_view name);

/// An IAM role that `service` may assume, without policies; the caller adds
/// them and closes the Properties and the resource maps.
void open_service_role(YamlWriter& y, std::string_view id, std::string_view service);

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
