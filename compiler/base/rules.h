#pragma once
// Every diagnostic carries the id of the rule that raised it. This table is the
// single list of rules: the README's rule table follows it, and a test checks
// that both agree.

#include <array>
#include <string_view>

namespace mrp {

struct Rule {
  std::string_view id;
  std::string_view summary;
};

namespace rule {
// clang-format off
inline constexpr std::string_view syntax = "syntax";
inline constexpr std::string_view encoding = "encoding";
inline constexpr std::string_view file_size = "file-size";
inline constexpr std::string_view unknown_directive = "unknown-directive";
inline constexpr std::string_view argument_count = "argument-count";
inline constexpr std::string_view block_shape = "block-shape";
inline constexpr std::string_view duplicate_directive = "duplicate-directive";
inline constexpr std::string_view missing_directive = "missing-directive";
inline constexpr std::string_view pipeline_name = "pipeline-name";
inline constexpr std::string_view description = "description";
inline constexpr std::string_view source_kind = "source-kind";
inline constexpr std::string_view source_value = "source-value";
inline constexpr std::string_view trigger = "trigger";
inline constexpr std::string_view execution_mode = "execution-mode";
inline constexpr std::string_view deploy_mode = "deploy-mode";
inline constexpr std::string_view github_owner = "github-owner";
inline constexpr std::string_view github_repo = "github-repo";
inline constexpr std::string_view git_branch = "git-branch";
inline constexpr std::string_view unknown_region = "unknown-region";
inline constexpr std::string_view duplicate_region = "duplicate-region";
inline constexpr std::string_view wave = "wave";
inline constexpr std::string_view account = "account";
inline constexpr std::string_view opt_in_region = "opt-in-region";
inline constexpr std::string_view codepipeline_region = "codepipeline-region";
inline constexpr std::string_view bucket_name = "bucket-name";
inline constexpr std::string_view stack_name = "stack-name";
inline constexpr std::string_view action_name = "action-name";
inline constexpr std::string_view duration = "duration";
inline constexpr std::string_view versioning = "versioning";
inline constexpr std::string_view compute_type = "compute-type";
inline constexpr std::string_view env_name = "env-name";
inline constexpr std::string_view capability = "capability";
inline constexpr std::string_view parameter = "parameter";
inline constexpr std::string_view parameter_required = "parameter-required";
inline constexpr std::string_view parameter_value = "parameter-value";
inline constexpr std::string_view app_order = "app-order";
inline constexpr std::string_view app_template = "app-template";
inline constexpr std::string_view sam_transform = "sam-transform";
inline constexpr std::string_view capabilities_needed = "capabilities-needed";
inline constexpr std::string_view global_names = "global-names";
inline constexpr std::string_view code_path = "code-path";
inline constexpr std::string_view deprecated_image = "deprecated-image";
inline constexpr std::string_view deprecated_runtime = "deprecated-runtime";
inline constexpr std::string_view unknown_runtime = "unknown-runtime";
inline constexpr std::string_view deprecated_source = "deprecated-source";
inline constexpr std::string_view config_value_length = "config-value-length";
inline constexpr std::string_view stage_actions = "stage-actions";
inline constexpr std::string_view template_size = "template-size";
inline constexpr std::string_view artifact_encryption = "artifact-encryption";
inline constexpr std::string_view permissions = "permissions";
inline constexpr std::string_view broad_permissions = "broad-permissions";
inline constexpr std::string_view resource_permissions = "resource-permissions";
inline constexpr std::string_view policy_size = "policy-size";
inline constexpr std::string_view permissions_boundary = "permissions-boundary";
inline constexpr std::string_view home_region = "home-region";
inline constexpr std::string_view record = "record";
inline constexpr std::string_view retiring = "retiring";
inline constexpr std::string_view build_with = "build-with";
inline constexpr std::string_view build_toolchain = "build-toolchain";
inline constexpr std::string_view privileged_build = "privileged-build";
inline constexpr std::string_view placeholder = "placeholder";
inline constexpr std::string_view import = "import";
inline constexpr std::string_view internal = "internal";
// clang-format on
}  // namespace rule

inline constexpr std::array<Rule, 63> all_rules = {{
    {rule::syntax, "the text does not follow the .mrp syntax"},
    {rule::encoding, "the file is not UTF-8 text (binary, control characters)"},
    {rule::file_size, "the spec is larger than mrp reads (1 MiB)"},
    {rule::unknown_directive, "a directive the block does not know (with a suggestion)"},
    {rule::argument_count, "too many or too few arguments"},
    {rule::block_shape, "a block where none belongs, or none where one is needed"},
    {rule::duplicate_directive, "a directive given twice where it may appear once"},
    {rule::missing_directive, "a required directive is missing"},
    {rule::description, "a description over CloudFormation's 1,024 bytes"},
    {rule::pipeline_name, "the pipeline name cannot start S3 bucket names"},
    {rule::source_kind, "an unknown source kind"},
    {rule::trigger, "a trigger filter CodePipeline would reject"},
    {rule::execution_mode, "an unknown execution mode"},
    {rule::deploy_mode, "an unknown deploy mode, or a change-set review without change sets"},
    {rule::source_value, "a connection ARN, repository, bucket or key AWS would reject"},
    {rule::github_owner, "not a GitHub user or organisation name"},
    {rule::github_repo, "not a GitHub repository name"},
    {rule::git_branch, "not a branch name git accepts"},
    {rule::unknown_region, "not a commercial AWS region code"},
    {rule::duplicate_region, "a region listed twice"},
    {rule::wave, "a malformed wave, approval or rollback"},
    {rule::account,
     "an account that is not 12 digits, or a wave in another account mrp cannot set up"},
    {rule::opt_in_region, "a region that must be enabled in the account first (warning)"},
    {rule::codepipeline_region, "a region where CodePipeline is not listed as offered (warning)"},
    {rule::bucket_name, "an artifact bucket name over S3's 63 characters"},
    {rule::stack_name, "a stack name CloudFormation rejects, or one that collides"},
    {rule::action_name, "a stage, action or artifact name CodePipeline rejects"},
    {rule::duration, "a malformed duration"},
    {rule::versioning, "versioning other than on or off"},
    {rule::compute_type, "an unknown CodeBuild compute type"},
    {rule::env_name, "a bad, reserved, clashing or repeated environment variable"},
    {rule::capability, "an unknown or repeated CloudFormation capability"},
    {rule::parameter, "a parameter the app template does not declare, or a bad override"},
    {rule::parameter_required, "a template parameter without a Default that the spec does not set"},
    {rule::parameter_value, "a parameter value outside the template's AllowedValues or bounds"},
    {rule::app_order, "an `after` naming no app, or apps that wait for each other"},
    {rule::app_template, "the app template is missing, not YAML, or not a template"},
    {rule::sam_transform, "an AWS::Serverless type in a template without the SAM transform"},
    {rule::capabilities_needed, "the app template needs a capability the spec does not declare"},
    {rule::global_names, "an account- or AWS-wide name the same in every region of the app"},
    {rule::code_path, "a missing local path to package, or a SAM function without its own CodeUri"},
    {rule::deprecated_image, "a CodeBuild image past its deprecation date (warning)"},
    {rule::deprecated_runtime, "a Lambda runtime in the app template past deprecation (warning)"},
    {rule::unknown_runtime, "a Lambda runtime in the app template that Lambda does not know"},
    {rule::deprecated_source, "the GitHub OAuth (version 1) source action (warning)"},
    {rule::config_value_length, "an action configuration value over 1,000 characters"},
    {rule::stage_actions, "more than 50 actions in one stage"},
    {rule::template_size,
     "a pipeline template over the 1 MB CloudFormation reads from S3 (error) or the 51,200 bytes "
     "of --template-body (warning)"},
    {rule::artifact_encryption, "artifact encryption other than s3 or kms"},
    {rule::permissions, "a malformed `permissions` block: actions, policy ARNs, resources"},
    {rule::broad_permissions, "AdministratorAccess or a `*` action in a generated role (warning)"},
    {rule::resource_permissions,
     "an app resource type AWS's handler data lacks, or a macro to invoke (warning)"},
    {rule::policy_size, "a role's inline policy over IAM's 10,240 characters"},
    {rule::permissions_boundary, "with a `boundary`, an app role created without it"},
    {rule::home_region,
     "`home-region` not among the regions, or a pipeline that would move to another region"},
    {rule::record, "deployment-pipeline/deployed.json is not a record mrp wrote"},
    {rule::retiring,
     "a renamed or removed pipeline or app stack that retire.sh will delete (warning)"},
    {rule::build_with,
     "`build-with` other than sam or package; a note when mrp chooses `sam build` because a "
     "function sets Metadata.BuildMethod"},
    {rule::build_toolchain,
     "a BuildMethod whose tools the CodeBuild image lacks and no build step installs (warning)"},
    {rule::privileged_build,
     "container-image functions make the CodeBuild project privileged, to run Docker (warning)"},
    {rule::placeholder, "a `<...>` placeholder mrp init wrote, still to be replaced"},
    {rule::import,
     "mrp import: a hand-written layout mrp cannot read, or a part of it no directive carries "
     "over (warning)"},
    {rule::internal, "mrp could not format a spec without changing its meaning (a bug)"},
}};

}  // namespace mrp
