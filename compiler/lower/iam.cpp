#include "compiler/lower/iam.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "compiler/aws/cfn_sub.h"
#include "compiler/aws/logical_ids.h"
#include "compiler/aws/names.h"

namespace mrp {
namespace {

using logical_ids::deploy_role_id;
using logical_ids::project_id;

// ---------------------------------------------------------------------------
// What the CloudFormation deploy role may do, by resource type.
//
// Each group is one policy statement: the API calls CloudFormation makes to
// create, update, tag, read and delete resources of its types (after the
// permissions the CloudFormation resource handlers document), on resources of
// this account in any region. Names are not narrowed to the stack's: names
// CloudFormation generates cut the stack name short when it is long, so a
// `STACK-*` pattern would deny resources of the stack itself.
//
// A type the table does not list gets a lint warning (`resource-permissions`);
// the spec's `permissions` block adds what it needs.
// ---------------------------------------------------------------------------

struct Group {
  std::string_view sid;
  std::vector<std::string_view> actions;
  std::vector<std::string_view> resources;
  std::string_view passed_to_service = {};  ///< iam:PassRole only to this service
};

constexpr std::string_view any_resource = "*";

// clang-format off
const std::vector<Group> groups = {
    {"LambdaFunctions",
     {"lambda:AddPermission", "lambda:CreateAlias", "lambda:CreateFunction", "lambda:DeleteAlias",
      "lambda:DeleteFunction", "lambda:DeleteFunctionConcurrency", "lambda:GetAlias",
      "lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionConfiguration", "lambda:GetFunctionRecursionConfig",
      "lambda:GetFunctionScalingConfig", "lambda:GetPolicy",
      "lambda:GetProvisionedConcurrencyConfig", "lambda:GetRuntimeManagementConfig",
      "lambda:ListTags", "lambda:ListVersionsByFunction", "lambda:PublishVersion",
      "lambda:PutFunctionConcurrency", "lambda:PutRuntimeManagementConfig",
      "lambda:RemovePermission", "lambda:TagResource", "lambda:UntagResource", "lambda:UpdateAlias",
      "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"},
     {"arn:${AWS::Partition}:lambda:*:${AWS::AccountId}:function:*"}},
    // CreateEventSourceMapping has no resource type of its own in IAM.
    {"LambdaEventSourceMappings",
     {"lambda:CreateEventSourceMapping", "lambda:DeleteEventSourceMapping",
      "lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping"},
     {any_resource}},
    {"LambdaLayers",
     {"lambda:DeleteLayerVersion", "lambda:GetLayerVersion", "lambda:PublishLayerVersion"},
     {"arn:${AWS::Partition}:lambda:*:${AWS::AccountId}:layer:*"}},
    {"PassRolesToLambda", {"iam:PassRole"},
     {"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"}, "lambda.amazonaws.com"},
    {"InvokeCustomResources", {"lambda:InvokeFunction"},
     {"arn:${AWS::Partition}:lambda:*:${AWS::AccountId}:function:*"}},
    {"IamRoles",
     {"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription"},
     {"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"}},
    {"IamManagedPolicies",
     {"iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion",
      "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListEntitiesForPolicy",
      "iam:ListPolicyVersions", "iam:TagPolicy", "iam:UntagPolicy"},
     {"arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/*"}},
    {"RestApis",
     {"apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST",
      "apigateway:PUT"},
     {"arn:${AWS::Partition}:apigateway:*::/restapis", "arn:${AWS::Partition}:apigateway:*::/restapis/*",
      "arn:${AWS::Partition}:apigateway:*::/tags/*"}},
    {"HttpApis",
     {"apigateway:DELETE", "apigateway:GET", "apigateway:PATCH", "apigateway:POST",
      "apigateway:PUT"},
     {"arn:${AWS::Partition}:apigateway:*::/apis", "arn:${AWS::Partition}:apigateway:*::/apis/*",
      "arn:${AWS::Partition}:apigateway:*::/tags/*"}},
    {"DynamoDBTables",
     {"dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeContributorInsights", "dynamodb:DescribeKinesisStreamingDestination",
      "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:GetResourcePolicy",
      "dynamodb:ListTagsOfResource", "dynamodb:TagResource", "dynamodb:UntagResource",
      "dynamodb:UpdateContinuousBackups", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive"},
     {"arn:${AWS::Partition}:dynamodb:*:${AWS::AccountId}:table/*"}},
    {"SqsQueues",
     {"sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
      "sqs:ListQueueTags", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"},
     {"arn:${AWS::Partition}:sqs:*:${AWS::AccountId}:*"}},
    {"SnsTopics",
     {"sns:CreateTopic", "sns:DeleteTopic", "sns:GetDataProtectionPolicy",
      "sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
      "sns:ListTagsForResource", "sns:SetSubscriptionAttributes", "sns:SetTopicAttributes",
      "sns:Subscribe", "sns:TagResource", "sns:Unsubscribe", "sns:UntagResource"},
     {"arn:${AWS::Partition}:sns:*:${AWS::AccountId}:*"}},
    // S3 ARNs carry no account: bucket names are global.
    {"S3Buckets",
     {"s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy",
      "s3:GetAccelerateConfiguration", "s3:GetAnalyticsConfiguration", "s3:GetBucketCORS",
      "s3:GetBucketLogging", "s3:GetBucketNotification", "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketOwnershipControls", "s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite",
      "s3:GetEncryptionConfiguration", "s3:GetIntelligentTieringConfiguration",
      "s3:GetInventoryConfiguration", "s3:GetLifecycleConfiguration", "s3:GetMetricsConfiguration",
      "s3:GetReplicationConfiguration", "s3:ListBucket", "s3:PutBucketCORS",
      "s3:PutBucketNotification", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy",
      "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:PutBucketVersioning",
      "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration"},
     {"arn:${AWS::Partition}:s3:::*"}},
    {"LogGroups",
     {"logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:DeleteRetentionPolicy",
      "logs:DeleteSubscriptionFilter", "logs:DescribeIndexPolicies", "logs:DescribeLogGroups",
      "logs:DescribeSubscriptionFilters", "logs:GetDataProtectionPolicy",
      "logs:ListTagsForResource", "logs:PutRetentionPolicy", "logs:PutSubscriptionFilter",
      "logs:TagResource", "logs:UntagResource"},
     {"arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:*"}},
    {"EventRules",
     {"events:DeleteRule", "events:DescribeRule", "events:DisableRule", "events:EnableRule",
      "events:ListTagsForResource", "events:ListTargetsByRule", "events:PutRule",
      "events:PutTargets", "events:RemoveTargets", "events:TagResource", "events:UntagResource"},
     {"arn:${AWS::Partition}:events:*:${AWS::AccountId}:rule/*"}},
    {"StateMachines",
     {"states:CreateStateMachine", "states:DeleteStateMachine", "states:DescribeStateMachine",
      "states:ListTagsForResource", "states:TagResource", "states:UntagResource",
      "states:UpdateStateMachine"},
     {"arn:${AWS::Partition}:states:*:${AWS::AccountId}:stateMachine:*"}},
    {"PassRolesToStepFunctions", {"iam:PassRole"},
     {"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"}, "states.amazonaws.com"},
    {"Alarms",
     {"cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource",
      "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"},
     {"arn:${AWS::Partition}:cloudwatch:*:${AWS::AccountId}:alarm:*"}},
    {"Parameters",
     {"ssm:AddTagsToResource", "ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParameters",
      "ssm:ListTagsForResource", "ssm:PutParameter", "ssm:RemoveTagsFromResource"},
     {"arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:parameter/*"}},
};

struct TypeRow {
  std::string_view type;
  std::vector<std::string_view> groups;  ///< none: the type needs no permissions
};

// The table the README documents ("Permissions"). SAM types list what the
// resource itself needs; what SAM adds for its role and events comes from
// sam_implied_types.
const std::vector<TypeRow> type_table = {
    {"AWS::Serverless::Function", {"LambdaFunctions", "PassRolesToLambda"}},
    {"AWS::Serverless::Api", {"RestApis"}},
    {"AWS::Serverless::HttpApi", {"HttpApis"}},
    {"AWS::Serverless::SimpleTable", {"DynamoDBTables"}},
    {"AWS::Serverless::LayerVersion", {"LambdaLayers"}},
    {"AWS::Serverless::StateMachine", {"StateMachines", "PassRolesToStepFunctions"}},
    {"AWS::Lambda::Function", {"LambdaFunctions", "PassRolesToLambda"}},
    {"AWS::Lambda::Permission", {"LambdaFunctions"}},
    {"AWS::Lambda::Version", {"LambdaFunctions"}},
    {"AWS::Lambda::Alias", {"LambdaFunctions"}},
    {"AWS::Lambda::EventSourceMapping", {"LambdaEventSourceMappings"}},
    {"AWS::Lambda::LayerVersion", {"LambdaLayers"}},
    {"AWS::ApiGateway::RestApi", {"RestApis"}},
    {"AWS::ApiGateway::Resource", {"RestApis"}},
    {"AWS::ApiGateway::Method", {"RestApis"}},
    {"AWS::ApiGateway::Deployment", {"RestApis"}},
    {"AWS::ApiGateway::Stage", {"RestApis"}},
    {"AWS::ApiGateway::Model", {"RestApis"}},
    {"AWS::ApiGateway::Authorizer", {"RestApis"}},
    {"AWS::ApiGateway::RequestValidator", {"RestApis"}},
    {"AWS::ApiGateway::GatewayResponse", {"RestApis"}},
    {"AWS::ApiGatewayV2::Api", {"HttpApis"}},
    {"AWS::ApiGatewayV2::Stage", {"HttpApis"}},
    {"AWS::ApiGatewayV2::Route", {"HttpApis"}},
    {"AWS::ApiGatewayV2::Integration", {"HttpApis"}},
    {"AWS::ApiGatewayV2::Authorizer", {"HttpApis"}},
    {"AWS::ApiGatewayV2::Deployment", {"HttpApis"}},
    {"AWS::DynamoDB::Table", {"DynamoDBTables"}},
    {"AWS::SQS::Queue", {"SqsQueues"}},
    {"AWS::SQS::QueuePolicy", {"SqsQueues"}},
    {"AWS::SNS::Topic", {"SnsTopics"}},
    {"AWS::SNS::Subscription", {"SnsTopics"}},
    {"AWS::SNS::TopicPolicy", {"SnsTopics"}},
    {"AWS::S3::Bucket", {"S3Buckets"}},
    {"AWS::S3::BucketPolicy", {"S3Buckets"}},
    {"AWS::IAM::Role", {"IamRoles"}},
    {"AWS::IAM::Policy", {"IamRoles"}},
    {"AWS::IAM::ManagedPolicy", {"IamRoles", "IamManagedPolicies"}},
    {"AWS::Logs::LogGroup", {"LogGroups"}},
    {"AWS::Logs::SubscriptionFilter", {"LogGroups"}},
    {"AWS::Events::Rule", {"EventRules"}},
    {"AWS::StepFunctions::StateMachine", {"StateMachines", "PassRolesToStepFunctions"}},
    {"AWS::CloudWatch::Alarm", {"Alarms"}},
    {"AWS::SSM::Parameter", {"Parameters"}},
    {"AWS::CloudFormation::CustomResource", {"InvokeCustomResources"}},
    {"AWS::CloudFormation::WaitConditionHandle", {}},
    {"AWS::CloudFormation::WaitCondition", {}},
    {"AWS::CDK::Metadata", {}},
};
// clang-format on

const TypeRow* find_type(std::string_view type) {
  // `Custom::Name` resources are custom resources under another name.
  if (type.rfind("Custom::", 0) == 0) type = "AWS::CloudFormation::CustomResource";
  const auto it = std::find_if(type_table.begin(), type_table.end(),
                               [&](const TypeRow& r) { return r.type == type; });
  return it == type_table.end() ? nullptr : &*it;
}

PolicyValue sub_or_text(std::string_view s) {
  const bool sub = s.find("${") != std::string_view::npos;
  return PolicyValue{sub ? PolicyValue::Kind::sub : PolicyValue::Kind::text, std::string(s)};
}

PolicyValue sub(std::string s) { return PolicyValue{PolicyValue::Kind::sub, std::move(s)}; }
PolicyValue text(std::string s) { return PolicyValue{PolicyValue::Kind::text, std::move(s)}; }
PolicyValue arn_of(std::string_view id) {
  return PolicyValue{PolicyValue::Kind::arn_of, std::string(id)};
}

std::string sub_literal(std::string_view s) { return sub_escaped(s, false); }

Statement statement(std::string sid, std::vector<std::string> actions,
                    std::vector<PolicyValue> resources) {
  Statement s;
  s.sid = std::move(sid);
  s.actions = std::move(actions);
  s.resources = std::move(resources);
  return s;
}

Statement from_group(const Group& g) {
  Statement s = statement(std::string(g.sid), {g.actions.begin(), g.actions.end()}, {});
  for (auto r : g.resources) s.resources.push_back(sub_or_text(r));
  if (!g.passed_to_service.empty())
    s.conditions.push_back(
        {"StringEquals", "iam:PassedToService", {text(std::string(g.passed_to_service))}});
  return s;
}

std::string bucket_arn(const Ir& ir) {
  return "arn:${AWS::Partition}:s3:::" + ir.artifacts.bucket_pattern_sub;
}

// Bucket names are global: the pattern could name another account's bucket.
PolicyCondition in_this_account() {
  return {"StringEquals", "aws:ResourceAccount", {sub("${AWS::AccountId}")}};
}

// Reading and writing artifacts in every region's bucket: the pipeline moves
// them between stages and regions, the build uploads each region's packaged
// code. One pattern names the buckets of all regions, so that the policy does
// not grow with them.
void artifact_statements(const Ir& ir, std::vector<std::string> object_actions, Role& role) {
  Statement buckets = statement(
      "ArtifactBuckets", {"s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"},
      {sub(bucket_arn(ir))});
  buckets.conditions.push_back(in_this_account());
  Statement objects =
      statement("ArtifactObjects", std::move(object_actions), {sub(bucket_arn(ir) + "/*")});
  objects.conditions.push_back(in_this_account());
  role.statements.push_back(std::move(buckets));
  role.statements.push_back(std::move(objects));
}

// The artifact keys, found by their alias: IAM authorises key use on the key's
// ARN, which CloudFormation makes up, so the alias pins the keys down.
void key_statement(const Ir& ir, std::vector<std::string> actions, Role& role) {
  if (ir.artifacts.encryption != ArtifactEncryption::kms) return;
  Statement s = statement("ArtifactKeys", std::move(actions),
                          {sub("arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*")});
  s.conditions.push_back(
      {"ForAnyValue:StringEquals", "kms:ResourceAliases", {text(ir.artifacts.key_alias)}});
  role.statements.push_back(std::move(s));
}

const std::vector<std::string> key_use_actions = {"kms:Decrypt",       "kms:DescribeKey",
                                                  "kms:Encrypt",       "kms:GenerateDataKey",
                                                  "kms:ReEncryptFrom", "kms:ReEncryptTo"};

void add_spec_permissions(const Permissions& p, std::string_view sid_prefix, Role& role) {
  for (const auto& arn : p.managed_policies)
    if (std::find(role.managed_policies.begin(), role.managed_policies.end(), arn) ==
        role.managed_policies.end())
      role.managed_policies.push_back(arn);
  int n = 0;
  for (Statement s : p.statements) {
    s.sid = fmt::format("{}{}", sid_prefix, ++n);
    role.statements.push_back(std::move(s));
  }
}

void pipeline_role(Ir& ir) {
  Role& role = ir.pipeline_role;
  artifact_statements(ir, {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}, role);
  key_statement(ir, key_use_actions, role);
  role.statements.push_back(statement(
      "BuildProject", {"codebuild:BatchGetBuilds", "codebuild:StartBuild"}, {arn_of(project_id)}));
  // DescribeStackEvents lets a failed deploy action name the resource that failed
  // instead of a generic message.
  std::vector<std::string> stack_actions = {"cloudformation:DescribeStackEvents",
                                            "cloudformation:DescribeStacks"};
  if (ir.deploy_mode == DeployMode::direct)
    stack_actions.insert(
        stack_actions.end(),
        {"cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:UpdateStack"});
  else
    stack_actions.insert(stack_actions.end(),
                         {"cloudformation:CreateChangeSet", "cloudformation:DeleteChangeSet",
                          "cloudformation:DescribeChangeSet", "cloudformation:ExecuteChangeSet"});
  Statement stacks = statement("AppStacks", std::move(stack_actions), {});
  for (const auto& app : ir.apps)
    for (const auto& r : ir.regions)
      stacks.resources.push_back(sub(
          fmt::format("arn:${{AWS::Partition}}:cloudformation:{}:${{AWS::AccountId}}:stack/{}/*",
                      r.code, app.stack_name)));
  role.statements.push_back(std::move(stacks));
  Statement pass = statement("PassDeployRole", {"iam:PassRole"}, {arn_of(deploy_role_id)});
  pass.conditions.push_back(
      {"StringEquals", "iam:PassedToService", {text("cloudformation.amazonaws.com")}});
  role.statements.push_back(std::move(pass));

  const Source& src = ir.source;
  switch (src.kind) {
    case SourceKind::github:
      break;
    case SourceKind::codestar:
      // Connections made before the service's rename have codestar-connections
      // ARNs, newer ones codeconnections ARNs; each takes its own action name.
      role.statements.push_back(statement(
          "UseConnection", {"codeconnections:UseConnection", "codestar-connections:UseConnection"},
          {sub_or_text(src.connection_arn)}));
      break;
    case SourceKind::codecommit:
      role.statements.push_back(
          statement("SourceRepository",
                    {"codecommit:CancelUploadArchive", "codecommit:GetBranch",
                     "codecommit:GetCommit", "codecommit:GetRepository",
                     "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"},
                    {sub("arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:" +
                         sub_literal(src.repo))}));
      break;
    case SourceKind::s3:
      role.statements.push_back(
          statement("SourceBucket", {"s3:GetBucketVersioning"},
                    {sub("arn:${AWS::Partition}:s3:::" + sub_literal(src.bucket))}));
      role.statements.push_back(
          statement("SourceObject", {"s3:GetObject", "s3:GetObjectVersion"},
                    {sub("arn:${AWS::Partition}:s3:::" + sub_literal(src.bucket) + "/" +
                         sub_literal(src.key))}));
      break;
  }

  std::vector<PolicyValue> topics;
  for (const auto& w : ir.waves)
    for (const auto* a : {&w.approval, &w.change_set_approval})
      if (*a && !(*a)->topic_arn.empty()) {
        PolicyValue t = sub_or_text((*a)->topic_arn);
        if (std::find(topics.begin(), topics.end(), t) == topics.end()) topics.push_back(t);
      }
  if (!topics.empty())
    role.statements.push_back(statement("NotifyApprovers", {"sns:Publish"}, std::move(topics)));
}

void build_role(Ir& ir) {
  Role& role = ir.build_role;
  if (ir.build.permissions.admin) {
    role.managed_policies.emplace_back(administrator_access);
    return;
  }
  const std::string log_group = fmt::format(
      "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/codebuild/"
      "{}",
      ir.build.project_name);
  role.statements.push_back(
      statement("BuildLogs", {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
                {sub(log_group), sub(log_group + ":*")}));
  artifact_statements(ir, {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}, role);
  key_statement(ir, key_use_actions, role);
  add_spec_permissions(ir.build.permissions, "Build", role);
}

// With a permissions boundary, the deploy role may create a role, or give a
// role permissions, only when the role carries the boundary (the
// iam:PermissionsBoundary condition key), and may not change the boundary
// policy itself: what the app's roles may do stays within the boundary
// whatever the template grants them.
void within_boundary(const Ir& ir, Role& role) {
  std::vector<PolicyValue> boundaries;
  for (const auto& app : ir.apps) {
    if (app.permissions.boundary.empty()) continue;
    PolicyValue b = sub_or_text(app.permissions.boundary);
    if (std::find(boundaries.begin(), boundaries.end(), b) == boundaries.end())
      boundaries.push_back(std::move(b));
  }
  if (boundaries.empty()) return;
  static const std::vector<std::string> granting = {"iam:AttachRolePolicy", "iam:CreateRole",
                                                    "iam:PutRolePolicy"};
  const auto roles = std::find_if(role.statements.begin(), role.statements.end(),
                                  [](const Statement& s) { return s.sid == "IamRoles"; });
  if (roles != role.statements.end()) {
    Statement bounded = statement("IamRolesWithinBoundary", {}, roles->resources);
    std::vector<std::string> rest;
    for (auto& a : roles->actions)
      (std::find(granting.begin(), granting.end(), a) != granting.end() ? bounded.actions : rest)
          .push_back(a);
    roles->actions = std::move(rest);
    bounded.conditions.push_back({"StringEquals", "iam:PermissionsBoundary", boundaries});
    role.statements.insert(roles + 1, std::move(bounded));
  }
  Statement keep = statement("KeepBoundary",
                             {"iam:CreatePolicyVersion", "iam:DeletePolicy",
                              "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"},
                             boundaries);
  keep.deny = true;
  role.statements.push_back(std::move(keep));
}

void deploy_role(Ir& ir) {
  Role& role = ir.deploy_role;
  for (const auto& app : ir.apps) {
    if (app.permissions.admin) {
      role.managed_policies.emplace_back(administrator_access);
      return;
    }
  }
  // Lambda reads each function's packaged code from the region's bucket with
  // the deploying role's rights.
  Statement code = statement("ReadPackagedCode", {"s3:GetObject", "s3:GetObjectVersion"},
                             {sub(bucket_arn(ir) + "/*")});
  code.conditions.push_back(in_this_account());
  role.statements.push_back(std::move(code));
  key_statement(ir, {"kms:Decrypt", "kms:DescribeKey"}, role);
  // A template with a Transform is expanded by a change set the role creates
  // on the transform (CloudFormation User Guide, "Controlling access with IAM").
  if (std::any_of(ir.apps.begin(), ir.apps.end(),
                  [](const App& a) { return a.template_has_transform; }))
    role.statements.push_back(
        statement("ExpandTransforms", {"cloudformation:CreateChangeSet"},
                  {sub("arn:${AWS::Partition}:cloudformation:*:aws:transform/*")}));
  std::set<std::string_view> used;
  for (const auto& app : ir.apps)
    for (const auto& type : app.resource_types)
      if (const TypeRow* row = find_type(type)) used.insert(row->groups.begin(), row->groups.end());
  for (const auto& g : groups)
    if (used.count(g.sid)) role.statements.push_back(from_group(g));
  within_boundary(ir, role);
  for (const auto& app : ir.apps)
    add_spec_permissions(app.permissions, stack_pascal_case(app.stack_name), role);
}

// The length of `v` once CloudFormation has filled it in, at most.
std::size_t resolved_length(const PolicyValue& v) {
  if (v.kind == PolicyValue::Kind::arn_of) return 128;  // an ARN of a generated name
  if (v.kind == PolicyValue::Kind::text) return v.text.size();
  static const std::vector<std::pair<std::string_view, std::size_t>> longest = {
      {"${AWS::Partition}", 10},  // aws-us-gov
      {"${AWS::AccountId}", 12},
      {"${AWS::Region}", 14}};
  std::size_t n = v.text.size();
  for (const auto& [var, len] : longest)
    for (auto at = v.text.find(var); at != std::string::npos; at = v.text.find(var, at + 1))
      n = n - var.size() + len;
  return n;
}

// `"a","b"` inside brackets: the quotes, the commas and the brackets.
template <typename T, typename F>
std::size_t list_length(const std::vector<T>& items, F length) {
  std::size_t n = 2;
  for (const auto& i : items) n += length(i) + 3;
  return n;
}

}  // namespace

void derive_roles(Ir& ir) {
  ir.pipeline_role = {};
  ir.build_role = {};
  ir.deploy_role = {};
  pipeline_role(ir);
  build_role(ir);
  deploy_role(ir);
}

bool resource_type_covered(std::string_view type) { return find_type(type) != nullptr; }

std::size_t inline_policy_size(const Role& role) {
  // {"Version":"2012-10-17","Statement":[ … ]}
  std::size_t n = 40;
  for (const auto& s : role.statements) {
    // {"Sid":"…","Effect":"Allow","Action":[…],"Resource":[…]}
    n += 52 + s.sid.size();
    n += list_length(s.actions, [](const std::string& a) { return a.size(); });
    n += list_length(s.resources, resolved_length);
    for (const auto& c : s.conditions) {
      // ,"Condition":{"OP":{"KEY":[…]}}
      n += 24 + c.op.size() + c.key.size() + list_length(c.values, resolved_length);
    }
  }
  return n;
}

}  // namespace mrp
