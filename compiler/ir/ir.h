#pragma once
// The resolved IR: what the spec means, with every derived name computed once.
// Emitters read only `const Ir&`; none of them derives a name of its own.

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source_pos.h"
#include "compiler/ir/record.h"

namespace mrp {

/// One target region and every name that follows from it (docs/language.md §3).
struct TargetRegion {
  std::string code;             ///< us-east-1
  std::string bucket_name_sub;  ///< NAME-${AWS::AccountId}-us-east-1, for !Sub
  std::string bucket_env_var;   ///< US_EAST_1_ARTIFACT_BUCKET
  /// With container-image functions: US_EAST_1_IMAGE_REPOSITORY, and the
  /// region's repository URI for !Sub.
  std::string image_repository_env_var;
  std::string image_repository_uri_sub;
  /// With target accounts: the pipeline template's parameter that holds the
  /// ARN of the region's artifact key (ArtifactKeyUsEast1): cross-account
  /// actions find the key by ARN only, which CloudFormation makes up.
  std::string key_parameter;
  SourcePos pos;  ///< where the spec lists the region
};

/// Where the pipeline's source comes from and what starts it.
enum class SourceKind {
  github,      ///< GitHub through an OAuth token, started by a webhook
  codestar,    ///< a CodeStar connection (GitHub, GitLab, Bitbucket), started on push
  codecommit,  ///< a CodeCommit repository, started by an EventBridge rule
  s3,          ///< a zip in an S3 bucket, started by an EventBridge rule
};

/// A manual approval before a wave's deploy actions.
struct Approval {
  std::string topic_arn;               ///< SNS topic notified, or ""
  std::optional<int> timeout_minutes;  ///< CodePipeline's default when empty
  SourcePos pos;
};

/// Regions deployed together, as one stage; the stages run one after another.
/// A plain `regions` list is one wave, the stage `Deploy`.
struct Wave {
  std::string name;        ///< "" for the wave of a plain list
  std::string stage_name;  ///< Deploy, or Deploy-NAME
  std::optional<Approval> approval;
  std::optional<Approval> change_set_approval;  ///< between creating and executing change sets
  bool rollback = false;             ///< on failure, roll the stage back (pipeline type V2)
  std::vector<std::size_t> regions;  ///< indices into Ir::regions, in order
  /// `account ID`: the AWS account the wave deploys to; "" for the pipeline's
  /// own. A region may be in two waves when their accounts differ.
  std::string account;
  SourcePos account_pos;
  SourcePos pos;
};

/// Glob patterns a trigger includes and excludes (CodePipeline V2 triggers).
struct GitFilter {
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
  bool empty() const { return includes.empty() && excludes.empty(); }
};

/// `trigger push { … }` or `trigger pull-request { … }` on a connection source.
struct GitTrigger {
  enum class Event { push, pull_request } event = Event::push;
  GitFilter branches;
  GitFilter tags;  ///< push only
  GitFilter file_paths;
  std::vector<std::string> pull_request_events;  ///< OPEN, UPDATED, CLOSED
  SourcePos pos;
};

struct Source {
  SourceKind kind = SourceKind::github;
  std::string owner;           ///< github
  std::string repo;            ///< github, codecommit: the name; codestar: OWNER/NAME
  std::string branch;          ///< github, codestar, codecommit
  std::string connection_arn;  ///< codestar
  std::string bucket;          ///< s3
  std::string key;             ///< s3
  std::vector<GitTrigger> triggers;
  /// github: the Secrets Manager secret holding the token (name or ARN), read
  /// by CloudFormation through a dynamic reference; "" for the GITHUB_TOKEN path.
  std::string token_secret;
  /// `{{resolve:secretsmanager:…}}` for token_secret, which the template holds
  /// in place of the token parameter.
  std::string token_reference;
  /// Whether the spec has a source of a kind mrp knows; the rest of this is
  /// meaningless without one.
  bool given = false;
  SourcePos pos;  ///< the `source` directive
};

/// A value in an IAM policy: text as written, a `!Sub` string (it holds
/// `${AWS::…}`), or the ARN of a resource of the same template (`!GetAtt ID.Arn`).
struct PolicyValue {
  enum class Kind { text, sub, arn_of } kind = Kind::text;
  std::string text;  ///< the text, the !Sub string, or the logical id
  friend bool operator==(const PolicyValue&, const PolicyValue&) = default;
};

/// `Condition: {OPERATOR: {KEY: VALUES}}` of a policy statement.
struct PolicyCondition {
  std::string op;   ///< StringEquals, ArnLike, ForAnyValue:StringEquals
  std::string key;  ///< iam:PassedToService, aws:PrincipalArn
  std::vector<PolicyValue> values;
};

/// One statement of an IAM policy: `Effect: Allow`, or `Deny` when `deny`.
struct Statement {
  std::string sid;
  bool deny = false;
  std::vector<std::string> actions;
  std::vector<PolicyValue> resources;
  std::vector<PolicyCondition> conditions;
  bool from_spec = false;  ///< written in the spec's `permissions`, not derived by mrp
  SourcePos pos;           ///< where the spec writes it, when from_spec
};

/// What the spec grants a role beyond what mrp derives (`permissions`).
struct Permissions {
  bool admin = false;  ///< `permissions admin`: AdministratorAccess, as the 2018 example
  std::vector<std::string> managed_policies;
  std::vector<Statement> statements;
  /// The permissions boundary every role the app creates must carry; the
  /// deploy role may then create and grant roles only within it.
  std::string boundary;
};

/// An IAM service role of the pipeline stack: managed policies, one inline
/// policy, and, for what the inline policy cannot hold, customer managed
/// policies of the stack attached to the role.
struct Role {
  std::vector<std::string> managed_policies;           ///< ARNs of existing policies
  std::vector<Statement> statements;                   ///< the inline policy
  std::vector<std::vector<Statement>> stack_policies;  ///< one list per managed policy
};

/// An AWS account other than the pipeline's that waves deploy to, and what
/// its bootstrap stack (deployment-pipeline/target-account-ID.yaml) holds: a
/// role CodePipeline assumes for the deploy actions there, and the role
/// CloudFormation deploys the app stacks with.
struct TargetAccount {
  std::string id;                    ///< 222233334444
  std::vector<std::size_t> regions;  ///< indices into Ir::regions, in order of first use
  std::string template_path;         ///< deployment-pipeline/target-account-ID.yaml
  std::string stack;                 ///< NAME-target-account, in the home region
  std::string action_role_name;      ///< NAME-action
  std::string deploy_role_name;      ///< NAME-deploy
  /// The roles' ARNs for !Sub (`${AWS::Partition}` only; the account is literal).
  std::string action_role_arn_sub;
  std::string deploy_role_arn_sub;
  Role action_role;  ///< what CodePipeline does there: the app stacks, the artifacts
  SourcePos pos;     ///< where a wave first names it
};

/// How each region's stack is deployed: straight away (CREATE_UPDATE), or as a
/// change set that is created, then executed.
enum class DeployMode { direct, change_set };

/// How a pipeline runs executions that overlap (CodePipeline, "Set or change
/// the pipeline execution mode").
enum class ExecutionMode { superseded, queued, parallel };

enum class ArtifactEncryption {
  s3,   ///< SSE-S3, the bucket's default encryption
  kms,  ///< a customer managed KMS key per region
};

struct ArtifactStore {
  std::optional<int> expire_after_days;  ///< none: objects never expire
  bool versioning = true;
  std::string bucket_name_sub;  ///< NAME-${AWS::AccountId}-${AWS::Region}
  /// NAME-${AWS::AccountId}-*: the buckets of every region, for IAM policies
  /// (with an aws:ResourceAccount condition: bucket names are global).
  std::string bucket_pattern_sub;
  ArtifactEncryption encryption = ArtifactEncryption::s3;
  SourcePos encryption_pos;  ///< the `encryption` argument; no file when the spec has none
  std::string key_alias;     ///< kms: alias/NAME-artifacts, in every region
  /// kms: the IAM path of the pipeline's roles, which the key policy admits.
  std::string role_path;
  /// `access-logs`: the artifact bucket's server access logs go to a bucket of
  /// their own in each region, NAME-${AWS::AccountId}-${AWS::Region}-logs.
  bool access_logs = false;
  std::string log_bucket_name_sub;  ///< "" without access logs
  SourcePos access_logs_pos;
  /// kms: the alias ARN in `region`, for the pipeline's EncryptionKey.
  std::string key_alias_arn_sub(std::string_view region) const {
    return "arn:${AWS::Partition}:kms:" + std::string(region) + ":${AWS::AccountId}:" + key_alias;
  }
};

struct EnvVar {
  std::string name;
  std::string value;
};

struct Build {
  std::string image;
  std::string compute_type;  ///< full BUILD_GENERAL1_* name
  std::vector<std::string> install;
  std::vector<std::string> run;
  std::vector<EnvVar> env;   ///< the spec's own variables, after the bucket ones
  SourcePos image_pos;       ///< the `image` argument, or the `build` directive
  std::string project_name;  ///< NAME-build; its log group is /aws/codebuild/NAME-build
  Permissions permissions;   ///< what the build's commands need beyond the buckets
  /// The buildspec's `runtime-versions` (nodejs 22, python 3.12, …): what the
  /// functions `sam build` builds run on, which its builders must match.
  std::vector<std::pair<std::string, std::string>> runtime_versions;
};

/// A stack parameter the deploy actions pass (ParameterOverrides).
struct Parameter {
  std::string key;
  std::string value;
  std::string region;  ///< "" for the app's own; a region code for an override
  SourcePos pos;       ///< the key
};

/// What one app deploys in one region: its packaged template and the names of
/// its actions. With one app the names are the example's (docs/language.md §3); with
/// several, each carries the app's stack name.
struct AppRegion {
  std::string packaged_template;          ///< packaged-template-us-east-1.yaml
  std::string packaged_path;              ///< mrp-packaged/packaged-template-us-east-1.yaml
  std::string deploy_action;              ///< DeployToUsEast1
  std::string create_change_set_action;   ///< CreateChangeSetUsEast1
  std::string execute_change_set_action;  ///< ExecuteChangeSetUsEast1
};

/// A Lambda runtime an app template names (a function's, or its `Globals`').
struct RuntimeUse {
  std::string name;  ///< nodejs20.x
  SourcePos pos;     ///< in the app template
};

/// How the build script turns an app's sources into what it packages.
enum class BuildWith {
  /// `aws cloudformation package` of the template as it is: its code folders
  /// are zipped as they are.
  package,
  /// `sam build` once (each function's Metadata.BuildMethod: esbuild, cargo
  /// lambda, make, …), then the built template packaged per region.
  sam,
};

/// A resource of an app template that names the builder `sam build` uses.
struct BuildMethodUse {
  std::string resource;  ///< its logical id
  std::string method;    ///< esbuild, makefile, rust-cargolambda, …
  SourcePos pos;         ///< the BuildMethod value, in the app template
  /// Its code folder as written (CodeUri, a layer's ContentUri, else
  /// Globals.Function.CodeUri), relative to the template; "" when not a plain
  /// string.
  std::string code_uri;
};

struct App {
  std::string stack_name;
  std::string template_path;     ///< relative to the output folder
  std::string template_in_spec;  ///< as the spec writes it: relative to the spec's folder
  std::vector<std::string> capabilities;
  std::vector<Parameter> parameters;  ///< the app's, then each region's overrides
  /// The ParameterOverrides JSON of each region's deploy action, by region
  /// code; absent for a region without parameters.
  std::map<std::string, std::string> parameter_overrides;
  std::vector<std::string> after;  ///< stacks this app deploys after, within a region
  SourcePos after_pos;
  /// The app's step within a region: 0 deploys first, apps of one step deploy
  /// together. Declaration order unless `after` says otherwise.
  int step = 0;
  std::vector<AppRegion> regions;  ///< by index of Ir::regions
  Permissions permissions;         ///< what the deploy role needs beyond the derived default
  /// The resource types the app template declares, with those SAM creates for
  /// them (a function's role, an event's API or rule); read from the template
  /// when the compiler can see it.
  std::vector<std::string> resource_types;
  /// Properties that change what the deploy role needs, as `TYPE.Property`
  /// (`AWS::Lambda::Function.VpcConfig`), sorted and unique. SAM resources
  /// record the property under the type SAM passes it to.
  std::vector<std::string> property_uses;
  /// The account's own macros the template calls (in its `Transform` section
  /// or through `Fn::Transform`), sorted and unique. CloudFormation runs a
  /// macro's Lambda function as the stack's caller, so the deploy role must be
  /// allowed to invoke it; AWS's transforms (AWS::Serverless-2016-10-31,
  /// AWS::Include, AWS::LanguageExtensions) need no such grant and are not
  /// listed.
  std::vector<std::string> macros;
  /// A `Transform` section or an `Fn::Transform`: CloudFormation expands the
  /// template before it deploys it.
  bool template_has_transform = false;
  std::vector<RuntimeUse> runtimes;  ///< in template order
  BuildWith build_with = BuildWith::package;
  /// Whether the spec says `build-with`; else mrp chooses.
  bool build_with_written = false;
  std::vector<BuildMethodUse> build_methods;  ///< in template order
  /// Functions packaged as container images (`PackageType: Image`), which
  /// `sam build` builds with Docker and `sam package` pushes to the region's
  /// image repository; in template order.
  std::vector<BuildMethodUse> image_functions;
  bool has_images() const { return !image_functions.empty(); }
  /// build-with sam: the folder `sam build` writes, relative to the output
  /// folder, and the template it writes there, which is packaged per region.
  std::string sam_build_dir;
  std::string built_template;
  /// What the build script packages: the built template, or the app's own.
  const std::string& packaged_from() const {
    return build_with == BuildWith::sam ? built_template : template_path;
  }
  SourcePos pos;               ///< the stack name
  SourcePos template_pos;      ///< the `template` argument
  SourcePos capabilities_pos;  ///< the `capabilities` directive, or the `app` directive
};

/// Paths of the generated files, relative to the output folder (the repository
/// root as CodeBuild sees it).
struct OutputPaths {
  std::string artifact_buckets_template = "deployment-pipeline/artifact-buckets.yaml";
  std::string pipeline_template = "deployment-pipeline/pipeline.yaml";
  std::string buildspec = "deployment-pipeline/buildspec.yaml";
  std::string build_script = "multiregion-build.sh";
  std::string create_buckets_script = "deployment-pipeline/create-artifact-buckets.sh";
  std::string create_pipeline_script = "deployment-pipeline/create-pipeline.sh";
  std::string update_pipeline_script = "deployment-pipeline/update-pipeline.sh";
  std::string teardown_script = "deployment-pipeline/teardown.sh";
  std::string retire_script = "deployment-pipeline/retire.sh";
  std::string deploy_script = "deployment-pipeline/deploy.sh";
  /// With target accounts: deploys one account's bootstrap stack.
  std::string target_account_script = "deployment-pipeline/deploy-target-account.sh";
  std::string record = "deployment-pipeline/deployed.json";
  std::string packaged_dir = "mrp-packaged";
  /// build-with sam: `sam build` writes each app under a folder of its own here.
  std::string sam_build_dir = ".aws-sam/mrp";
};

struct Ir {
  std::string spec_path;  ///< the spec, relative to the output folder
  std::string pipeline_name;
  SourcePos pipeline_pos;  ///< the pipeline name
  std::string description;
  std::string pipeline_stack;         ///< NAME
  std::string artifact_bucket_stack;  ///< NAME-artifact-bucket
  Source source;
  DeployMode deploy_mode = DeployMode::direct;
  std::string change_set_name;  ///< set in change-set mode
  SourcePos deploy_mode_pos;
  std::optional<ExecutionMode> execution_mode;
  SourcePos execution_mode_pos;
  std::vector<TargetRegion> regions;  ///< deploy order
  /// Index into `regions` of the pipeline's home region, where the pipeline
  /// stack and the build live: `home-region`, else where the record puts the
  /// pipeline, else the first region listed.
  std::size_t home = 0;
  std::vector<Wave> waves;
  /// `account ID`: the pipeline's own account; required when a wave names
  /// another, since the other accounts' roles and the artifacts' policies
  /// name it.
  std::string pipeline_account;
  SourcePos pipeline_account_pos;
  /// The accounts the waves name, in order of first use.
  std::vector<TargetAccount> target_accounts;
  /// With target accounts, the pipeline role's fixed name (NAME-pipeline),
  /// which the target accounts' action roles trust; else "" (CloudFormation
  /// names it).
  std::string pipeline_role_name;
  ArtifactStore artifacts;
  Build build;
  std::vector<App> apps;  ///< in declaration order
  /// The pipeline stack's service roles, derived from everything above.
  Role pipeline_role;
  Role build_role;
  Role deploy_role;
  /// The deploy role of every target account: the deploy role's derivation,
  /// reading the artifacts from the pipeline's account.
  Role target_deploy_role;
  OutputPaths paths;

  /// What the files deployed before this build (deployment-pipeline/deployed.json
  /// as it was), when there is such a record.
  std::optional<DeployRecord> previous;
  /// What these files deploy, and what waits to be retired.
  DeployRecord record;

  const TargetRegion& home_region() const { return regions.at(home); }
  /// The regions the waves deploy to in `account` ("": the pipeline's), in
  /// wave order.
  std::vector<std::size_t> regions_in(std::string_view account) const {
    std::vector<std::size_t> out;
    for (const auto& w : waves)
      if (w.account == account) out.insert(out.end(), w.regions.begin(), w.regions.end());
    return out;
  }
  /// Whether some wave deploys to another account.
  bool cross_account() const { return !target_accounts.empty(); }
  /// The target account `id`, or nullptr for the pipeline's own ("").
  const TargetAccount* target_account(std::string_view id) const {
    for (const auto& a : target_accounts)
      if (a.id == id) return &a;
    return nullptr;
  }
  /// Whether an app has container-image functions: then each region has an
  /// image repository beside its artifact bucket, and the build runs Docker.
  bool has_images() const {
    return std::any_of(apps.begin(), apps.end(), [](const App& a) { return a.has_images(); });
  }
  /// How many steps the apps take in each region.
  int app_steps() const {
    int n = 0;
    for (const auto& a : apps) n = std::max(n, a.step + 1);
    return n;
  }
  /// Triggers and the queued and parallel execution modes need pipeline type V2.
  bool needs_v2() const {
    for (const auto& w : waves)
      if (w.rollback) return true;
    return !source.triggers.empty() ||
           (execution_mode && *execution_mode != ExecutionMode::superseded);
  }
};

}  // namespace mrp
