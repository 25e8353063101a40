// The source side of the pipeline template: its parameters, the resources
// that start the pipeline, and the Source stage, one shape per source kind.

#include <fmt/format.h>

#include "compiler/aws/github.h"
#include "compiler/emit/emit_source.h"
#include "compiler/emit/pipeline_parts.h"

namespace mrp::pipeline_parts {
namespace {

void parameter(YamlWriter& y, std::string_view name, std::string_view description,
               std::string_view default_value, std::string_view pattern) {
  y.key(name).map().kv("Type", "String").kv("Description", description);
  y.kv("Default", default_value).kv("AllowedPattern", pattern).end_map();
}

// The token: the stack's NoEcho parameter, or the secret CloudFormation reads.
void token(YamlWriter& y, std::string_view key, const Source& s) {
  y.key(key);
  if (s.token_reference.empty())
    y.fn("Ref", "GitHubOAuthToken");
  else
    y.str(s.token_reference);
}

void webhook(YamlWriter& y, const Source& s) {
  y.key(webhook_id).map().kv("Type", "AWS::CodePipeline::Webhook").key("Properties").map();
  y.key("Authentication").str("GITHUB_HMAC");
  y.key("AuthenticationConfiguration").map();
  token(y, "SecretToken", s);
  y.end_map();
  y.key("Filters").seq().map().kv("JsonPath", "$.ref").kv("MatchEquals", "refs/heads/{Branch}");
  y.end_map().end_seq();
  y.key("TargetPipeline").fn("Ref", pipeline_id);
  y.kv("TargetAction", "Source");
  y.key("TargetPipelineVersion").fn("GetAtt", fmt::format("{}.Version", pipeline_id));
  y.key("RegisterWithThirdParty").boolean(true);
  y.end_map().end_map();
}

// The pipeline's ARN, which EventBridge targets (CodePipeline User Guide,
// "Migrate polling pipelines to use event-based change detection").
std::string pipeline_arn_sub() {
  return fmt::format("arn:aws:codepipeline:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}",
                     pipeline_id);
}

void one_item(YamlWriter& y, std::string_view key, std::string_view value) {
  y.key(key).seq().str(value).end_seq();
}

void event_pattern(YamlWriter& y, const Source& s) {
  y.key("EventPattern").map();
  if (s.kind == SourceKind::codecommit) {
    one_item(y, "source", "aws.codecommit");
    one_item(y, "detail-type", "CodeCommit Repository State Change");
    y.key("resources").seq();
    y.fn("Sub", fmt::format("arn:aws:codecommit:${{AWS::Region}}:${{AWS::AccountId}}:{}", s.repo));
    y.end_seq().key("detail").map();
    y.key("event").seq().str("referenceCreated").str("referenceUpdated").end_seq();
    one_item(y, "referenceType", "branch");
    one_item(y, "referenceName", s.branch);
  } else {
    // S3 sends "Object Created" to EventBridge once the bucket has EventBridge
    // notifications turned on (S3 User Guide, "Using EventBridge").
    one_item(y, "source", "aws.s3");
    one_item(y, "detail-type", "Object Created");
    y.key("detail").map().key("bucket").map();
    one_item(y, "name", s.bucket);
    y.end_map().key("object").map();
    one_item(y, "key", s.key);
    y.end_map();
  }
  y.end_map().end_map();
}

void event_rule(YamlWriter& y, const Ir& ir) {
  const Source& s = ir.source;
  y.key(source_rule_id).map().kv("Type", "AWS::Events::Rule").key("Properties").map();
  y.kv("Description",
       s.kind == SourceKind::codecommit
           ? fmt::format("Starts the pipeline on a change to {} of {}", s.branch, s.repo)
           : fmt::format("Starts the pipeline on a new s3://{}/{}", s.bucket, s.key));
  event_pattern(y, s);
  y.key("Targets").seq().map().kv("Id", "start-pipeline");
  y.key("Arn").fn("Sub", pipeline_arn_sub());
  y.key("RoleArn").fn("GetAtt", fmt::format("{}.Arn", source_rule_role_id));
  y.end_map().end_seq().end_map().end_map();

  open_service_role(y, source_rule_role_id, "events.amazonaws.com");
  y.key("Policies").seq().map().kv("PolicyName", "start-pipeline");
  y.key("PolicyDocument").map().kv("Version", "2012-10-17").key("Statement").seq();
  y.map().kv("Effect", "Allow").kv("Action", "codepipeline:StartPipelineExecution");
  y.key("Resource").fn("Sub", pipeline_arn_sub()).end_map();
  y.end_seq().end_map().end_map().end_seq();
  y.end_map().end_map();
}

void source_configuration(YamlWriter& y, const Source& s) {
  y.key("Configuration").map();
  switch (s.kind) {
    case SourceKind::github:
      y.key("Owner").fn("Ref", "GitHubOwner");
      y.key("Repo").fn("Ref", "GitHubRepo");
      y.key("Branch").fn("Ref", "GitHubBranch");
      token(y, "OAuthToken", s);
      y.kv("PollForSourceChanges", "false");  // the webhook starts the pipeline
      break;
    case SourceKind::codestar:
      y.kv("ConnectionArn", s.connection_arn).kv("FullRepositoryId", s.repo);
      y.kv("BranchName", s.branch).kv("DetectChanges", "true");
      break;
    case SourceKind::codecommit:
      y.kv("RepositoryName", s.repo).kv("BranchName", s.branch);
      y.kv("PollForSourceChanges", "false");  // the EventBridge rule starts the pipeline
      break;
    case SourceKind::s3:
      y.kv("S3Bucket", s.bucket).kv("S3ObjectKey", s.key);
      y.kv("PollForSourceChanges", "false");  // the EventBridge rule starts the pipeline
      break;
  }
  y.end_map();
}

void git_filter(YamlWriter& y, std::string_view key, const GitFilter& f) {
  if (f.empty()) return;
  y.key(key).map();
  if (!f.includes.empty()) {
    y.key("Includes").seq();
    for (const auto& p : f.includes) y.str(p);
    y.end_seq();
  }
  if (!f.excludes.empty()) {
    y.key("Excludes").seq();
    for (const auto& p : f.excludes) y.str(p);
    y.end_seq();
  }
  y.end_map();
}

void git_filters(YamlWriter& y, const Ir& ir, GitTrigger::Event event, std::string_view key) {
  bool any = false;
  for (const auto& t : ir.source.triggers) any = any || t.event == event;
  if (!any) return;
  y.key(key).seq();
  for (const auto& t : ir.source.triggers) {
    if (t.event != event) continue;
    y.map();
    if (event == GitTrigger::Event::pull_request) {
      y.key("Events").seq();
      for (const auto& e : t.pull_request_events) y.str(e);
      y.end_seq();
    }
    git_filter(y, "Branches", t.branches);
    git_filter(y, "FilePaths", t.file_paths);
    git_filter(y, "Tags", t.tags);
    y.end_map();
  }
  y.end_seq();
}

std::string_view execution_mode_name(ExecutionMode mode) {
  switch (mode) {
    case ExecutionMode::superseded:
      return "SUPERSEDED";
    case ExecutionMode::queued:
      return "QUEUED";
    case ExecutionMode::parallel:
      return "PARALLEL";
  }
  return "";  // unreachable: the switch names every mode
}

// The Source action's owner and provider (CodePipeline, "Valid action types
// and providers").
struct SourceProvider {
  std::string_view owner, provider;
};

SourceProvider source_provider(SourceKind kind) {
  switch (kind) {
    case SourceKind::github:
      return {"ThirdParty", "GitHub"};
    case SourceKind::codestar:
      return {"AWS", "CodeStarSourceConnection"};
    case SourceKind::codecommit:
      return {"AWS", "CodeCommit"};
    case SourceKind::s3:
      return {"AWS", "S3"};
  }
  return {};  // unreachable: the switch names every kind
}

}  // namespace

void pipeline_type_and_triggers(YamlWriter& y, const Ir& ir) {
  if (ir.needs_v2()) y.kv("PipelineType", "V2");
  if (ir.execution_mode) y.kv("ExecutionMode", execution_mode_name(*ir.execution_mode));
  if (ir.source.triggers.empty()) return;
  y.key("Triggers").seq().map().kv("ProviderType", "CodeStarSourceConnection");
  y.key("GitConfiguration").map().kv("SourceActionName", "Source");
  git_filters(y, ir, GitTrigger::Event::push, "Push");
  git_filters(y, ir, GitTrigger::Event::pull_request, "PullRequest");
  y.end_map().end_map().end_seq();
}

void source_parameters(YamlWriter& y, const Ir& ir) {
  if (ir.source.kind != SourceKind::github) return;
  if (ir.source.token_reference.empty()) {
    y.key("GitHubOAuthToken").map().kv("Type", "String").key("NoEcho").boolean(true);
    y.kv("Description",
         "GitHub personal access token (repo scope); create-pipeline.sh passes "
         "$GITHUB_TOKEN");
    y.key("MinLength").num(1).end_map();
  }
  for (const auto& p : source_parameters_from_spec(ir))
    parameter(y, p.name, p.description, p.value, p.pattern);
}

std::vector<SourceParameter> source_parameters_from_spec(const Ir& ir) {
  if (ir.source.kind != SourceKind::github) return {};
  return {{"GitHubOwner", "GitHub user or organisation that owns the repository", ir.source.owner,
           github_owner_pattern},
          {"GitHubRepo", "GitHub repository name", ir.source.repo, github_repo_pattern},
          {"GitHubBranch", "Branch whose pushes start the pipeline", ir.source.branch,
           git_branch_pattern}};
}

void source_trigger_resources(YamlWriter& y, const Ir& ir) {
  switch (ir.source.kind) {
    case SourceKind::github:
      webhook(y, ir.source);
      break;
    case SourceKind::codecommit:
    case SourceKind::s3:
      event_rule(y, ir);
      break;
    case SourceKind::codestar:
      break;  // the connection starts the pipeline on push (DetectChanges)
  }
}

void source_stage(YamlWriter& y, const Ir& ir) {
  const SourceProvider p = source_provider(ir.source.kind);
  y.map().kv("Name", "Source").key("Actions").seq().map().kv("Name", "Source");
  action_type(y, "Source", p.owner, p.provider);
  artifacts(y, "OutputArtifacts", source_artifact);
  source_configuration(y, ir.source);
  y.key("RunOrder").num(1).end_map().end_seq().end_map();
}

}  // namespace mrp::pipeline_parts
