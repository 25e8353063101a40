#include "compiler/emit/emit.h"
#include "compiler/emit/iam_out.h"
#include "compiler/emit/yaml_out.h"

#include <fmt/format.h>

#include "compiler/aws/logical_ids.h"

namespace mrp {

// A target account's bootstrap stack: only IAM, which is global, so it is
// deployed once, in the pipeline's home region. The artifacts, their buckets
// and keys stay in the pipeline's account, whose policies admit these roles.
//   - The action role: CodePipeline assumes it, as the pipeline's role, to run
//     the deploy actions in this account. It trusts the pipeline account on
//     the condition that the caller is the pipeline's role (by ARN: a policy
//     cannot name a role of another account before it exists).
//   - The deploy role: CloudFormation deploys the app stacks with it, with the
//     same least-privilege derivation as the pipeline account's deploy role.
std::string emit_target_account(const Ir& ir, const TargetAccount& a) {
  using namespace logical_ids;
  const std::string pipeline_role_arn_sub =
      fmt::format("arn:${{AWS::Partition}}:iam::{}:role{}{}", ir.pipeline_account,
                  ir.artifacts.role_path, ir.pipeline_role_name);
  YamlWriter y;
  y.map();
  y.kv("AWSTemplateFormatVersion", "2010-09-09");
  y.kv("Description",
       fmt::format("What the {} pipeline of account {} needs in account {}: the role its deploy "
                   "actions run as, and the role CloudFormation deploys the app stacks with",
                   ir.pipeline_name, ir.pipeline_account, a.id));
  y.key("Resources").map();
  role_resources(
      y, {target_action_role_id, ir.artifacts.role_path, a.action_role_name, ir.pipeline_name},
      {"", ir.pipeline_account, pipeline_role_arn_sub}, a.action_role);
  role_resources(
      y, {target_deploy_role_id, ir.artifacts.role_path, a.deploy_role_name, ir.pipeline_name},
      {"cloudformation.amazonaws.com", "", ""}, ir.target_deploy_role);
  y.end_map();  // Resources
  y.key("Outputs").map();
  y.key("ActionRoleArn").map().kv("Description", "The role the pipeline's deploy actions run as");
  y.key("Value").fn("GetAtt", fmt::format("{}.Arn", target_action_role_id)).end_map();
  y.key("DeployRoleArn").map().kv("Description", "The role CloudFormation deploys the apps with");
  y.key("Value").fn("GetAtt", fmt::format("{}.Arn", target_deploy_role_id)).end_map();
  y.end_map();
  y.end_map();
  return y.text(generated_header(ir));
}

}  // namespace mrp
