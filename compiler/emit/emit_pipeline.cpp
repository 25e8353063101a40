#include "compiler/emit/emit.h"
#include "compiler/emit/emit_source.h"
#include "compiler/emit/iam_out.h"
#include "compiler/emit/pipeline_parts.h"
#include "compiler/emit/yaml_out.h"

#include <fmt/format.h>

namespace mrp {
namespace {

using namespace pipeline_parts;

// CodePipeline takes one artifact store per region (`ArtifactStores`) only for
// a pipeline with cross-region actions; a single-region pipeline has one
// `ArtifactStore` and its actions name no region.
bool is_cross_region(const Ir& ir) { return ir.regions.size() > 1; }

void build_stage(YamlWriter& y) {
  y.map().kv("Name", "Build").key("Actions").seq().map().kv("Name", "Build");
  action_type(y, "Build", "AWS", "CodeBuild");
  artifacts(y, "InputArtifacts", source_artifact);
  artifacts(y, "OutputArtifacts", build_artifact);
  y.key("Configuration").map().key("ProjectName").fn("Ref", project_id).end_map();
  y.key("RunOrder").num(1).end_map().end_seq().end_map();
}

std::string joined(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// A manual approval; the actions after it in its stage wait for it.
void approval_action(YamlWriter& y, std::string_view name, const Approval& a, int run_order) {
  y.map().kv("Name", name);
  action_type(y, "Approval", "AWS", "Manual");
  if (!a.topic_arn.empty())
    y.key("Configuration").map().kv("NotificationArn", a.topic_arn).end_map();
  if (a.timeout_minutes) y.key("TimeoutInMinutes").num(*a.timeout_minutes);
  y.key("RunOrder").num(run_order).end_map();
}

// A CloudFormation action on `app`'s stack in region `r`. CREATE_UPDATE and
// CHANGE_SET_REPLACE read the packaged template; CHANGE_SET_EXECUTE runs the
// change set the replace made.
// In a target account, the action runs as the account's action role, and
// CloudFormation deploys with the deploy role there.
void stack_action(YamlWriter& y, const Ir& ir, const Wave& w, const App& app, std::size_t r,
                  std::string_view name, std::string_view mode, int run_order) {
  const TargetAccount* account = ir.target_account(w.account);
  const bool execute = mode == "CHANGE_SET_EXECUTE";
  const TargetRegion& region = ir.regions[r];
  y.map().kv("Name", name);
  if (is_cross_region(ir)) y.kv("Region", region.code);
  action_type(y, "Deploy", "AWS", "CloudFormation");
  if (!execute) artifacts(y, "InputArtifacts", build_artifact);
  y.key("Configuration").map().kv("ActionMode", mode);
  if (!execute && !app.capabilities.empty()) y.kv("Capabilities", joined(app.capabilities, ","));
  if (!execute && account)
    y.key("RoleArn").fn("Sub", account->deploy_role_arn_sub);
  else if (!execute)
    y.key("RoleArn").fn("GetAtt", fmt::format("{}.Arn", deploy_role_id));
  y.kv("StackName", app.stack_name);
  if (ir.deploy_mode == DeployMode::change_set) y.kv("ChangeSetName", ir.change_set_name);
  if (!execute)
    y.kv("TemplatePath", fmt::format("{}::{}", build_artifact, app.regions[r].packaged_template));
  if (const auto it = app.parameter_overrides.find(region.code);
      !execute && it != app.parameter_overrides.end())
    y.kv("ParameterOverrides", it->second);
  y.end_map();
  // In another account, CodePipeline runs the action as the role there.
  if (account) y.key("RoleArn").fn("Sub", account->action_role_arn_sub);
  y.key("RunOrder").num(run_order).end_map();
}

// One stage per wave; the stages run one after another.
void deploy_stages(YamlWriter& y, const Ir& ir) {
  for (const auto& w : ir.waves) {
    y.map().kv("Name", w.stage_name).key("Actions").seq();
    for (const auto& a : stage_actions(ir, w)) {
      if (a.is_approval())
        approval_action(y, a.name, *a.approval, a.run_order);
      else
        stack_action(y, ir, w, *a.app, a.region, a.name, a.mode(), a.run_order);
    }
    y.end_seq();
    if (w.rollback) y.key("OnFailure").map().kv("Result", "ROLLBACK").end_map();
    y.end_map();
  }
}

// The region's bucket, and its KMS key (by alias) when the spec asks for one.
void artifact_store(YamlWriter& y, const Ir& ir, const TargetRegion& r) {
  y.map().kv("Type", "S3").key("Location").fn("Sub", r.bucket_name_sub);
  // Another account knows the key by its ARN only, not by an alias
  // (CodePipeline API Reference, EncryptionKey).
  if (!r.key_parameter.empty()) {
    y.key("EncryptionKey").map().key("Id").fn("Ref", r.key_parameter).kv("Type", "KMS").end_map();
  } else if (ir.artifacts.encryption == ArtifactEncryption::kms) {
    y.key("EncryptionKey").map().key("Id").fn("Sub", ir.artifacts.key_alias_arn_sub(r.code));
    y.kv("Type", "KMS").end_map();
  }
  y.end_map();
}

// The source's parameters, and with target accounts the ARN of each region's
// artifact key, which the scripts look up by alias and pass.
void parameters(YamlWriter& y, const Ir& ir) {
  if (ir.source.kind != SourceKind::github && !ir.cross_account()) return;
  y.key("Parameters").map();
  source_parameters(y, ir);
  for (const auto& r : ir.regions) {
    if (r.key_parameter.empty()) continue;
    y.key(r.key_parameter).map().kv("Type", "String");
    y.kv("Description", fmt::format("The ARN of the artifact key in {} ({}); the scripts pass it",
                                    r.code, ir.artifacts.key_alias));
    y.kv("AllowedPattern",
         fmt::format("arn:aws[a-z-]*:kms:{}:{}:key/[a-z0-9-]+", r.code, ir.pipeline_account));
    y.end_map();
  }
  y.end_map();
}

void pipeline(YamlWriter& y, const Ir& ir) {
  y.key(pipeline_id).map().kv("Type", "AWS::CodePipeline::Pipeline").key("Properties").map();
  if (is_cross_region(ir)) {
    y.key("ArtifactStores").seq();
    for (const auto& r : ir.regions) {
      y.map().kv("Region", r.code).key("ArtifactStore");
      artifact_store(y, ir, r);
      y.end_map();
    }
    y.end_seq();
  } else {
    y.key("ArtifactStore");
    artifact_store(y, ir, ir.home_region());
  }
  y.key("RestartExecutionOnUpdate").boolean(true);
  y.key("RoleArn").fn("GetAtt", fmt::format("{}.Arn", pipeline_role_id));
  y.key("Stages").seq();
  source_stage(y, ir);
  build_stage(y);
  deploy_stages(y, ir);
  y.end_seq();
  pipeline_type_and_triggers(y, ir);
  y.end_map().end_map();
}

void codebuild_project(YamlWriter& y, const Ir& ir) {
  y.key(project_id).map().kv("Type", "AWS::CodeBuild::Project");
  // Without `encryption kms` the build's output is encrypted with the AWS
  // managed key for S3, which cdk-nag's CB4 asks to replace.
  std::vector<NagSuppression> nag;
  if (ir.artifacts.encryption != ArtifactEncryption::kms)
    nag.push_back({"AwsSolutions-CB4",
                   "the build's output is encrypted with the AWS managed key for S3; "
                   "`artifacts { encryption kms }` gives it a customer managed key in every "
                   "region"});
  if (!nag.empty()) nag_metadata(y, nag);
  y.key("Properties").map();
  y.kv("Name", ir.build.project_name);
  y.key("Artifacts").map().kv("Type", "CODEPIPELINE").end_map();
  if (ir.artifacts.encryption == ArtifactEncryption::kms)
    y.key("EncryptionKey").fn("Sub", ir.artifacts.key_alias_arn_sub(ir.home_region().code));
  y.key("Environment").map().kv("ComputeType", ir.build.compute_type);
  y.kv("Image", ir.build.image).kv("Type", "LINUX_CONTAINER");
  // Docker, which builds container images, runs only in privileged mode.
  if (ir.has_images()) y.key("PrivilegedMode").boolean(true);
  y.key("EnvironmentVariables").seq();
  for (const auto& r : ir.regions) {
    y.map().kv("Name", r.bucket_env_var).key("Value").fn("Sub", r.bucket_name_sub).end_map();
  }
  if (ir.has_images())
    for (const auto& r : ir.regions)
      y.map()
          .kv("Name", r.image_repository_env_var)
          .key("Value")
          .fn("Sub", r.image_repository_uri_sub)
          .end_map();
  for (const auto& e : ir.build.env) {
    y.map().kv("Name", e.name).kv("Type", "PLAINTEXT").kv("Value", e.value).end_map();
  }
  y.end_seq().end_map();
  // The same ARN either way; with an IAM path on the role, cfn-lint's E3050
  // (as the CDK's validator runs it) mistakes the GetAtt for a Ref by name.
  if (ir.artifacts.role_path.empty())
    y.key("ServiceRole").fn("GetAtt", fmt::format("{}.Arn", build_role_id));
  else
    y.key("ServiceRole").fn("Sub", fmt::format("${{{}.Arn}}", build_role_id));
  y.key("Source").map().kv("Type", "CODEPIPELINE").kv("BuildSpec", ir.paths.buildspec).end_map();
  y.end_map().end_map();
}

// A service role of the pipeline stack. With a KMS key for the artifacts,
// the roles sit under the pipeline's own IAM path, which the keys' policies
// admit; with target accounts the pipeline role has a fixed name, which their
// roles trust.
void service_role(YamlWriter& y, const Ir& ir, std::string_view id, std::string_view service,
                  const Role& role) {
  std::string_view name;
  if (id == pipeline_role_id) name = ir.pipeline_role_name;
  role_resources(y, {id, ir.artifacts.role_path, name, ir.pipeline_name}, {service, "", ""}, role);
}

}  // namespace

std::string emit_pipeline(const Ir& ir) {
  YamlWriter y;
  y.map();
  y.kv("AWSTemplateFormatVersion", "2010-09-09");
  y.kv("Description", ir.description);
  parameters(y, ir);
  y.key("Resources").map();
  source_trigger_resources(y, ir);
  pipeline(y, ir);
  codebuild_project(y, ir);
  service_role(y, ir, build_role_id, "codebuild.amazonaws.com", ir.build_role);
  service_role(y, ir, pipeline_role_id, "codepipeline.amazonaws.com", ir.pipeline_role);
  // Waves in other accounts deploy with the deploy role there.
  if (!ir.regions_in("").empty())
    service_role(y, ir, deploy_role_id, "cloudformation.amazonaws.com", ir.deploy_role);
  y.end_map().end_map();
  return y.text(generated_header(ir));
}

}  // namespace mrp
