#pragma once
// The logical ids of the pipeline stack's resources, which the emitters write
// and IAM policies refer to (`!GetAtt ID.Arn`), and the names of its artifacts.

#include <cstddef>
#include <string>
#include <string_view>

namespace mrp::logical_ids {

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

// A target account's bootstrap stack (deployment-pipeline/target-account-ID.yaml).
inline constexpr std::string_view target_action_role_id = "PipelineActionRole";
inline constexpr std::string_view target_deploy_role_id = "DeployRole";

/// The `n`th (from 1) managed policy of the stack that holds what the inline
/// policy of role `role_id` cannot: CloudformationRolePolicy1.
inline std::string stack_policy_id(std::string_view role_id, std::size_t n) {
  return std::string(role_id) + "Policy" + std::to_string(n);
}

}  // namespace mrp::logical_ids
