#include "compiler/lower/iam.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/aws/cfn_sub.h"
#include "compiler/aws/handler_permissions.h"
#include "compiler/aws/logical_ids.h"
#include "compiler/aws/names.h"

namespace mrp {
namespace {

using logical_ids::deploy_role_id;
using logical_ids::project_id;
using logical_ids::target_deploy_role_id;

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

// The account that holds the artifacts, as a policy writes it: the stack's
// own, or in a target account's template the pipeline's.
constexpr std::string_view own_account = "${AWS::AccountId}";

std::string bucket_arn(const Ir& ir, std::string_view account = own_account) {
  std::string pattern = ir.artifacts.bucket_pattern_sub;
  pattern.replace(pattern.find(own_account), own_account.size(), account);
  return "arn:${AWS::Partition}:s3:::" + pattern;
}

// Bucket names are global: the pattern could name another account's bucket.
PolicyCondition in_account(std::string_view account = own_account) {
  return {"StringEquals", "aws:ResourceAccount", {sub_or_text(account)}};
}

// Reading and writing artifacts in every region's bucket: the pipeline moves
// them between stages and regions, the build uploads each region's packaged
// code. One pattern names the buckets of all regions, so that the policy does
// not grow with them.
void artifact_statements(const Ir& ir, std::vector<std::string> object_actions, Role& role,
                         std::string_view account = own_account) {
  Statement buckets = statement(
      "ArtifactBuckets", {"s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"},
      {sub(bucket_arn(ir, account))});
  buckets.conditions.push_back(in_account(account));
  Statement objects = statement("ArtifactObjects", std::move(object_actions),
                                {sub(bucket_arn(ir, account) + "/*")});
  objects.conditions.push_back(in_account(account));
  role.statements.push_back(std::move(buckets));
  role.statements.push_back(std::move(objects));
}

// The artifact keys, found by their alias: IAM authorises key use on the key's
// ARN, which CloudFormation makes up, so the alias pins the keys down. A
// target account's roles name the pipeline account's keys instead; an alias
// is known only in its own account, and the keys' policies admit those roles
// and no others.
void key_statement(const Ir& ir, std::vector<std::string> actions, Role& role,
                   std::string_view account = own_account) {
  if (ir.artifacts.encryption != ArtifactEncryption::kms) return;
  Statement s = statement("ArtifactKeys", std::move(actions),
                          {sub(fmt::format("arn:${{AWS::Partition}}:kms:*:{}:key/*", account))});
  if (account == own_account)
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

// The app stacks of `regions` in the account of the role's template.
// DescribeStackEvents lets a failed deploy action name the resource that
// failed instead of a generic message.
Statement stack_statement(const Ir& ir, const std::vector<std::size_t>& regions) {
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
    for (std::size_t r : regions)
      stacks.resources.push_back(sub(
          fmt::format("arn:${{AWS::Partition}}:cloudformation:{}:${{AWS::AccountId}}:stack/{}/*",
                      ir.regions[r].code, app.stack_name)));
  return stacks;
}

void pipeline_role(Ir& ir) {
  Role& role = ir.pipeline_role;
  artifact_statements(ir, {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"}, role);
  key_statement(ir, key_use_actions, role);
  role.statements.push_back(statement(
      "BuildProject", {"codebuild:BatchGetBuilds", "codebuild:StartBuild"}, {arn_of(project_id)}));
  if (const auto local = ir.regions_in(""); !local.empty()) {
    role.statements.push_back(stack_statement(ir, local));
    Statement pass = statement("PassDeployRole", {"iam:PassRole"}, {arn_of(deploy_role_id)});
    pass.conditions.push_back(
        {"StringEquals", "iam:PassedToService", {text("cloudformation.amazonaws.com")}});
    role.statements.push_back(std::move(pass));
  }
  // CodePipeline runs a target account's deploy actions as the role there,
  // which it assumes with the pipeline's.
  if (ir.cross_account()) {
    Statement assume = statement("AssumeTargetAccountRoles", {"sts:AssumeRole"}, {});
    for (const auto& a : ir.target_accounts) assume.resources.push_back(sub(a.action_role_arn_sub));
    role.statements.push_back(std::move(assume));
  }

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

// The image repository of every region (the same name in each), for the
// roles that push or pull container images.
std::vector<PolicyValue> image_repositories(const Ir& ir) {
  std::vector<PolicyValue> arns;
  for (const auto& r : ir.regions)
    arns.push_back(
        sub(fmt::format("arn:${{AWS::Partition}}:ecr:{}:${{AWS::AccountId}}:repository/{}", r.code,
                        sub_literal(image_repository_name(ir.pipeline_name)))));
  return arns;
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
  // `sam package` logs Docker in to ECR (an action on no resource) and pushes
  // each region's images to its repository (ECR User Guide, "Required IAM
  // permissions for pushing an image").
  if (ir.has_images()) {
    role.statements.push_back(
        statement("ImageRegistryLogin", {"ecr:GetAuthorizationToken"}, {text("*")}));
    role.statements.push_back(statement(
        "PushImages",
        {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
         "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"},
        image_repositories(ir)));
  }
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
  for (auto it = role.statements.begin(); it != role.statements.end(); ++it) {
    Statement bounded = statement(it->sid + "WithinBoundary", {}, it->resources);
    std::vector<std::string> rest;
    for (auto& a : it->actions)
      (std::find(granting.begin(), granting.end(), a) != granting.end() ? bounded.actions : rest)
          .push_back(a);
    if (bounded.actions.empty()) continue;
    it->actions = std::move(rest);
    bounded.conditions.push_back({"StringEquals", "iam:PermissionsBoundary", boundaries});
    it = role.statements.insert(it + 1, std::move(bounded));
  }
  Statement keep = statement("KeepBoundary",
                             {"iam:CreatePolicyVersion", "iam:DeletePolicy",
                              "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"},
                             boundaries);
  keep.deny = true;
  role.statements.push_back(std::move(keep));
}

// The space-separated words of `s`.
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto space = s.find(' ');
    out.push_back(s.substr(0, space));
    s = space == std::string_view::npos ? "" : s.substr(space + 1);
  }
  return out;
}

// What the resource types of the app templates need: every action their
// CloudFormation handlers call (create, read, update, delete), from AWS's
// data (compiler/aws/handler_permissions.h says how it is chosen), one
// statement per set of resources. Three kinds of action are treated apart:
//   - iam:PassRole, on this account's roles and only to the services that
//     take a role for the types used (iam:PassedToService);
//   - kms:CreateGrant, only through the services that encrypt with the key
//     (kms:ViaService): a grant lets its grantee use the key;
//   - reading objects, which other services do to fetch what `aws
//     cloudformation package` uploaded: only the artifact buckets' objects.
void handler_statements(const Ir& ir, Role& role) {
  const auto sets = handler_resource_sets();
  std::map<unsigned, std::set<std::string_view>> by_set;
  std::set<std::string> passed_to;
  std::set<std::string> grant_via;
  std::map<unsigned, std::set<std::string_view>> grants;
  std::set<std::string_view> artifact_reads;
  for (const auto& app : ir.apps) {
    const auto has = [&](std::string_view type, std::string_view property) {
      return std::binary_search(app.property_uses.begin(), app.property_uses.end(),
                                fmt::format("{}.{}", type, property));
    };
    // SAM types have no handlers of their own: what SAM makes of them is in
    // the app's resource types beside them.
    for (const auto& type : app.resource_types) {
      const TypeHandlers* t = find_type_handlers(type);
      if (t == nullptr) continue;
      for (const auto& a : actions_of(*t)) {
        if (!a.property.empty() && !has(t->type, a.property)) continue;
        if (a.action == "iam:PassRole") {
          for (const auto service : words(t->passed_to)) passed_to.emplace(service);
        } else if (a.action == "kms:CreateGrant") {
          grants[a.resource_set].insert(a.action);
          grant_via.insert(fmt::format("{}.*.amazonaws.com", t->prefix));
        } else if (sets[a.resource_set].patterns == artifact_objects_mark) {
          artifact_reads.insert(a.action);
        } else {
          by_set[a.resource_set].insert(a.action);
        }
      }
    }
  }
  for (const auto action : artifact_reads) {
    auto& reads = role.statements.front().actions;  // ReadPackagedCode
    if (std::find(reads.begin(), reads.end(), action) == reads.end()) reads.emplace_back(action);
  }
  std::sort(role.statements.front().actions.begin(), role.statements.front().actions.end());
  const auto resources_of = [](std::string_view patterns) {
    std::vector<PolicyValue> out;
    for (const auto pattern : words(patterns)) out.push_back(sub_or_text(pattern));
    return out;
  };
  for (const auto& [set, actions] : by_set)
    role.statements.push_back(statement(std::string(sets[set].sid),
                                        {actions.begin(), actions.end()},
                                        resources_of(sets[set].patterns)));
  for (const auto& [set, actions] : grants) {
    Statement s = statement(fmt::format("{}GrantsToServices", sets[set].sid),
                            {actions.begin(), actions.end()}, resources_of(sets[set].patterns));
    PolicyCondition via{"StringLike", "kms:ViaService", {}};
    for (const auto& v : grant_via) via.values.push_back(text(v));
    s.conditions.push_back(std::move(via));
    role.statements.push_back(std::move(s));
  }
  if (!passed_to.empty()) {
    Statement pass = statement("PassRolesToServices", {"iam:PassRole"},
                               {sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*")});
    PolicyCondition to{"StringEquals", "iam:PassedToService", {}};
    for (const auto& service : passed_to) to.values.push_back(text(service));
    pass.conditions.push_back(std::move(to));
    role.statements.push_back(std::move(pass));
  }
}

// The role CloudFormation deploys the app stacks with, in the pipeline's
// account or, reading the artifacts from `account`, in a target account.
Role deploy_role(const Ir& ir, std::string_view account = own_account) {
  Role role;
  for (const auto& app : ir.apps) {
    if (app.permissions.admin) {
      role.managed_policies.emplace_back(administrator_access);
      return role;
    }
  }
  // Lambda reads each function's packaged code from the region's bucket with
  // the deploying role's rights (in another account too: the bucket's and the
  // key's policies admit the role there).
  Statement code = statement("ReadPackagedCode", {"s3:GetObject", "s3:GetObjectVersion"},
                             {sub(bucket_arn(ir, account) + "/*")});
  code.conditions.push_back(in_account(account));
  role.statements.push_back(std::move(code));
  key_statement(ir, {"kms:Decrypt", "kms:DescribeKey"}, role, account);
  // A container-image function is created from its image in the region's
  // repository: Lambda reads it through the repository's policy; the role
  // that creates the function may read it too, and nothing else of ECR.
  if (ir.has_images())
    role.statements.push_back(statement(
        "ReadImages", {"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, image_repositories(ir)));
  // A template with a Transform is expanded by a change set the role creates
  // on the transform (CloudFormation User Guide, "Controlling access with IAM").
  // The account's own macros are transforms of this account, by name.
  if (std::any_of(ir.apps.begin(), ir.apps.end(),
                  [](const App& a) { return a.template_has_transform; })) {
    Statement expand = statement("ExpandTransforms", {"cloudformation:CreateChangeSet"},
                                 {sub("arn:${AWS::Partition}:cloudformation:*:aws:transform/*")});
    std::set<std::string> macros;
    for (const auto& app : ir.apps) macros.insert(app.macros.begin(), app.macros.end());
    for (const auto& m : macros)
      expand.resources.push_back(sub(
          "arn:${AWS::Partition}:cloudformation:*:${AWS::AccountId}:transform/" + sub_literal(m)));
    role.statements.push_back(std::move(expand));
  }
  handler_statements(ir, role);
  within_boundary(ir, role);
  for (const auto& app : ir.apps)
    add_spec_permissions(app.permissions, stack_pascal_case(app.stack_name), role);
  return role;
}

// The role CodePipeline assumes for the deploy actions in target account `a`:
// the app stacks in the account's regions, the deploy role passed to
// CloudFormation, and the artifacts it hands over, read from the pipeline's
// account.
void action_role(const Ir& ir, TargetAccount& a) {
  Role& role = a.action_role;
  role = {};
  role.statements.push_back(stack_statement(ir, a.regions));
  Statement pass = statement("PassDeployRole", {"iam:PassRole"}, {arn_of(target_deploy_role_id)});
  pass.conditions.push_back(
      {"StringEquals", "iam:PassedToService", {text("cloudformation.amazonaws.com")}});
  role.statements.push_back(std::move(pass));
  artifact_statements(ir, {"s3:GetObject", "s3:GetObjectVersion"}, role, ir.pipeline_account);
  key_statement(ir, {"kms:Decrypt", "kms:DescribeKey"}, role, ir.pipeline_account);
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
  ir.target_deploy_role = {};
  pipeline_role(ir);
  build_role(ir);
  if (!ir.regions_in("").empty()) ir.deploy_role = deploy_role(ir);
  if (ir.cross_account()) ir.target_deploy_role = deploy_role(ir, ir.pipeline_account);
  for (auto& a : ir.target_accounts) {
    action_role(ir, a);
    fit_policies(a.action_role);
  }
  for (Role* role : {&ir.pipeline_role, &ir.build_role, &ir.deploy_role, &ir.target_deploy_role})
    fit_policies(*role);
}

void fit_policies(Role& role) {
  role.stack_policies.clear();
  if (inline_policy_size(role) <= max_inline_policy_size) return;
  std::vector<Statement> rest;
  std::vector<Statement> kept;
  for (auto& s : role.statements) {
    kept.push_back(s);
    if (!rest.empty() || policy_size(kept) > max_inline_policy_size) {
      kept.pop_back();
      rest.push_back(std::move(s));
    }
  }
  role.statements = std::move(kept);
  std::vector<Statement> policy;
  const auto close = [&] {
    if (!policy.empty()) role.stack_policies.push_back(std::move(policy));
    policy.clear();
  };
  for (auto& s : rest) {
    policy.push_back(s);
    if (policy_size(policy) <= max_managed_policy_size) continue;
    policy.pop_back();
    close();
    // Alone, it may still be too big: cut it between its actions, each part
    // a statement of its own with the same resources and conditions.
    policy.push_back(s);
    if (policy_size(policy) <= max_managed_policy_size) continue;
    policy.clear();
    Statement part = s;
    part.actions.clear();
    int n = 1;
    for (auto& a : s.actions) {
      part.actions.push_back(a);
      policy.push_back(part);
      const bool fits = policy_size(policy) <= max_managed_policy_size;
      policy.pop_back();
      if (fits || part.actions.size() == 1) continue;
      part.actions.pop_back();
      policy.push_back(part);
      close();
      part.actions = {a};
      part.sid = fmt::format("{}{}", s.sid, ++n);
    }
    policy.push_back(std::move(part));
  }
  close();
}

bool resource_type_covered(std::string_view type) {
  // A SAM type is covered through the types SAM makes of it, checked each.
  return type.rfind("AWS::Serverless::", 0) == 0 || find_type_handlers(type) != nullptr;
}

std::size_t inline_policy_size(const Role& role) { return policy_size(role.statements); }

std::size_t policy_size(const std::vector<Statement>& statements) {
  // {"Version":"2012-10-17","Statement":[ … ]}
  std::size_t n = 40;
  for (const auto& s : statements) {
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
