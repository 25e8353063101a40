#include "compiler/lint/lint.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "compiler/aws/deprecations.h"
#include "compiler/aws/names.h"
#include "compiler/base/patterns.h"
#include "compiler/base/rules.h"
#include "compiler/lower/iam.h"
#include "compiler/lower/schema.h"

namespace mrp {
namespace {

// Regions launched after 20 March 2019 are disabled until an account enables
// them (AWS Account Management, "Specify which AWS Regions your account can use").
constexpr std::array<std::string_view, 17> opt_in_regions = {
    "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-south-2",     "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",
    "eu-central-2",   "eu-south-1",     "eu-south-2",     "il-central-1",   "me-central-1",
    "me-south-1",     "mx-central-1"};

// Regions missing from the CodePipeline endpoint list (AWS General Reference,
// "AWS CodePipeline endpoints and quotas") when this table was made. A
// cross-region deploy action needs CodePipeline in its region; AWS adds regions
// over time, so this is a warning to check, not an error.
constexpr std::array<std::string_view, 4> regions_without_codepipeline = {
    "ap-east-2", "ap-southeast-6", "ap-southeast-7", "mx-central-1"};

// CodePipeline quotas (CodePipeline User Guide, "Quotas in AWS CodePipeline").
constexpr std::size_t max_actions_per_stage = 50;
constexpr std::size_t max_configuration_value = 1000;
constexpr std::size_t max_codepipeline_name = 100;
// CloudFormation takes at most 51,200 bytes of template in the request
// itself (--template-body) and 1 MB from an S3 object (--template-url, and
// `aws cloudformation deploy --s3-bucket`): CloudFormation User Guide,
// "CloudFormation quotas". Read as 1,000,000 bytes, the smaller of the two
// meanings of MB.
constexpr std::size_t max_template_body = 51200;
constexpr std::size_t max_template_in_s3 = 1000000;

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void lint_regions(const Ir& ir, Diagnostics& diags) {
  for (const auto& r : ir.regions) {
    if (contains(opt_in_regions, r.code)) {
      diags.warning(r.pos, rule::opt_in_region,
                    fmt::format("`{}` is an opt-in region: enable it for the account (Account "
                                "settings, AWS Regions) before deploying, or every stack there "
                                "fails to create",
                                r.code));
    }
    if (contains(regions_without_codepipeline, r.code)) {
      diags.warning(r.pos, rule::codepipeline_region,
                    fmt::format("CodePipeline's endpoint list does not name `{}`; a deploy action "
                                "there needs CodePipeline in that region: check before deploying",
                                r.code));
    }
  }
  // Each app has its own actions in every region, and a change-set review is
  // one approval per step of apps.
  const bool change_set = ir.deploy_mode == DeployMode::change_set;
  const std::size_t apps = std::max<std::size_t>(1, ir.apps.size());
  for (const auto& w : ir.waves) {
    const std::size_t per_region = apps * (change_set ? 2 : 1);
    const std::size_t extra =
        (w.approval ? 1 : 0) +
        (w.change_set_approval && change_set ? static_cast<std::size_t>(ir.app_steps()) : 0);
    const std::size_t actions = per_region * w.regions.size() + extra;
    if (actions <= max_actions_per_stage) continue;
    const std::size_t fits = (max_actions_per_stage - extra) / per_region;
    diags.error(ir.regions[w.regions[std::min(fits, w.regions.size() - 1)]].pos,
                rule::stage_actions,
                fmt::format("stage {} would have {} actions; CodePipeline allows {} per stage: "
                            "split its regions into more waves",
                            w.stage_name, actions, max_actions_per_stage));
  }
}

// Action names: 1 to 100 of [A-Za-z0-9.@_-] (CodePipeline API Reference,
// ActionDeclaration). Stage names follow the same rule, which lowering's
// check of wave names already guarantees.
void check_action_name(const std::string& name, const SourcePos& pos, Diagnostics& diags) {
  if (name.size() > max_codepipeline_name || !text::is_action_name(name)) {
    diags.error(
        pos, rule::action_name,
        fmt::format("action name `{}` must be 1 to {} letters, digits, `.`, `@`, `_` or `-`", name,
                    max_codepipeline_name));
  }
}

// With `access-logs` every region also gets NAME-ACCOUNT-REGION-logs, longer
// than the artifact bucket whose length lowering checked (S3 User Guide,
// "General purpose bucket naming rules": 63 characters).
void lint_log_bucket_name(const Ir& ir, Diagnostics& diags) {
  if (!ir.artifacts.access_logs) return;
  const TargetRegion* longest = nullptr;
  for (const auto& r : ir.regions)
    if (!longest || r.code.size() > longest->code.size()) longest = &r;
  if (!longest || bucket_name_length(ir.pipeline_name, longest->code) > max_bucket_name_length)
    return;
  const std::size_t length = log_bucket_name_length(ir.pipeline_name, longest->code);
  if (length <= max_bucket_name_length) return;
  diags.error(ir.artifacts.access_logs_pos, rule::bucket_name,
              fmt::format("access-log bucket name `{}-123456789012-{}-logs` would be {} "
                          "characters; S3 allows {}: shorten the pipeline name to at most {} "
                          "characters",
                          ir.pipeline_name, longest->code, length, max_bucket_name_length,
                          ir.pipeline_name.size() - (length - max_bucket_name_length)));
}

void lint_names(const Ir& ir, Diagnostics& diags) {
  lint_log_bucket_name(ir, diags);
  // The action names the deploy stages use: in change-set mode a create and an
  // execute action per app and region, longer than the direct mode's one.
  for (const auto& app : ir.apps) {
    for (std::size_t r = 0; r < app.regions.size(); ++r) {
      const AppRegion& names = app.regions[r];
      if (ir.deploy_mode == DeployMode::direct) {
        check_action_name(names.deploy_action, ir.regions[r].pos, diags);
        continue;
      }
      check_action_name(names.create_change_set_action, ir.regions[r].pos, diags);
      check_action_name(names.execute_change_set_action, ir.regions[r].pos, diags);
    }
  }
  // Action names hold a stack name in CamelCase without its hyphens, so two
  // stacks can give the same names, which CodePipeline refuses in one stage.
  for (std::size_t i = 0; i < ir.apps.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const App &a = ir.apps[j], &b = ir.apps[i];
      if (a.stack_name == b.stack_name || b.regions.empty() ||
          a.regions[0].deploy_action != b.regions[0].deploy_action)
        continue;
      diags.error(b.pos, rule::action_name,
                  fmt::format("app stack `{}` gives the same action names as `{}` (`{}`): "
                              "CodePipeline needs each action name once in a stage; rename one "
                              "of them",
                              b.stack_name, a.stack_name, b.regions[0].deploy_action));
      break;
    }
  }
  // Stage rollback and parallel executions do not mix (CodePipeline User
  // Guide, "Configure stage rollback").
  const bool parallel = ir.execution_mode && *ir.execution_mode == ExecutionMode::parallel;
  for (const auto& w : ir.waves) {
    if (w.change_set_approval && ir.deploy_mode != DeployMode::change_set)
      diags.error(w.change_set_approval->pos, rule::deploy_mode,
                  "`approve-change-sets` reviews change sets, which only `deploy change-set` "
                  "makes: add it to the pipeline, or use `approve`");
    if (w.rollback && parallel)
      diags.error(w.pos, rule::wave,
                  fmt::format("wave `{}` rolls back on failure, which CodePipeline does not allow "
                              "with `execution-mode parallel`: use `queued` or drop the rollback",
                              w.name));
  }
  // Every source value lands in the Source action's configuration; owner and
  // repository names are bounded by their own patterns, the rest are not.
  const std::pair<std::string_view, const std::string*> values[] = {
      {"branch name", &ir.source.branch},
      {"connection ARN", &ir.source.connection_arn},
      {"object key", &ir.source.key}};
  for (const auto& app : ir.apps) {
    for (const auto& [region, json] : app.parameter_overrides) {
      if (json.size() <= max_configuration_value) continue;
      const auto r =
          std::find_if(ir.regions.begin(), ir.regions.end(),
                       [&code = region](const TargetRegion& t) { return t.code == code; });
      diags.error(r != ir.regions.end() ? r->pos : app.pos, rule::config_value_length,
                  fmt::format("the parameters of the {} deploy action of {} come to {} "
                              "characters of ParameterOverrides; a CodePipeline action "
                              "configuration value takes at most {}",
                              region, app.stack_name, json.size(), max_configuration_value));
    }
  }
  for (const auto& [what, value] : values) {
    if (value->size() <= max_configuration_value) continue;
    diags.error(ir.source.pos, rule::config_value_length,
                fmt::format("the {} is {} characters; a CodePipeline action configuration value "
                            "takes at most {}",
                            what, value->size(), max_configuration_value));
  }
}

// A runtime outside Lambda's list is an error, not a warning: CloudFormation
// rejects the function (the Runtime enum of the Lambda API), so the pipeline
// would build and then fail in the deploy stage of every region. A deprecated
// one still deploys until Lambda blocks it, hence a warning.
void lint_runtimes(const Ir& ir, Date as_of, Diagnostics& diags) {
  const auto known = known_runtimes();
  const std::vector<std::string_view> names(known.begin(), known.end());
  for (const auto& app : ir.apps) {
    for (const auto& runtime : app.runtimes) {
      if (!is_known_runtime(runtime.name)) {
        const std::string_view guess = closest_word(runtime.name, names);
        diags.error(
            runtime.pos, rule::unknown_runtime,
            fmt::format(
                "`{}` is not a Lambda runtime identifier, so CloudFormation would reject the "
                "function; {}",
                runtime.name,
                guess.empty() ? fmt::format("use one such as `{}`", names.front())
                              : fmt::format("did you mean `{}`?", guess)));
        continue;
      }
      const Deprecation* d = find_runtime_deprecation(runtime.name);
      if (!d || as_of < d->since) continue;
      diags.warning(runtime.pos, rule::deprecated_runtime,
                    d->replacement.empty()
                        ? fmt::format("Lambda runtime `{}` is deprecated since {}, and mrp knows "
                                      "no newer one of its family: see \"Lambda runtimes\" in "
                                      "the Lambda Developer Guide",
                                      d->name, d->since.str())
                        : fmt::format("Lambda runtime `{}` is deprecated since {}: use `{}`",
                                      d->name, d->since.str(), d->replacement));
    }
  }
}

void lint_deprecations(const Ir& ir, Date as_of, Diagnostics& diags) {
  lint_runtimes(ir, as_of, diags);
  if (const Deprecation* d = find_image_deprecation(ir.build.image); d && as_of >= d->since) {
    diags.warning(ir.build.image_pos, rule::deprecated_image,
                  fmt::format("CodeBuild image `{}` is deprecated since {}: use `{}`",
                              ir.build.image, d->since.str(), d->replacement));
  }
  const Deprecation& oauth = github_oauth_source_deprecation();
  const bool has_github_source = ir.source.given && ir.source.kind == SourceKind::github;
  if (has_github_source && as_of >= oauth.since) {
    diags.warning(ir.source.pos, rule::deprecated_source,
                  fmt::format("the {} is not recommended by AWS since {}: prefer {}", oauth.name,
                              oauth.since.str(), oauth.replacement));
  }
}

// IAM quotas (IAM User Guide, "IAM and AWS STS quotas"): a role's inline
// policies hold at most 10,240 characters, a managed policy 6,144, and a role
// takes 10 managed policies unless the account's quota was raised (at most
// 20). What the inline policy cannot hold goes into managed policies of the
// stack (fit_policies), so the count of managed policies is what can overflow.
void lint_roles(const Ir& ir, Diagnostics& diags) {
  constexpr std::size_t raised_quota = 20;
  const std::pair<const Role*, std::string_view> roles[] = {
      {&ir.pipeline_role, "pipeline"},
      {&ir.build_role, "CodeBuild"},
      {&ir.deploy_role, "CloudFormation deploy"}};
  for (const auto& [role, name] : roles) {
    const std::size_t size = inline_policy_size(*role);
    if (size > max_inline_policy_size)
      diags.error(ir.pipeline_pos, rule::policy_size,
                  fmt::format("the {} role's policy would be up to {} characters; IAM takes at "
                              "most {} per role: list fewer resources in `permissions`, or "
                              "deploy fewer apps or regions per pipeline",
                              name, size, max_inline_policy_size));
    for (const auto& policy : role->stack_policies)
      if (const std::size_t part = policy_size(policy); part > max_managed_policy_size)
        diags.error(ir.pipeline_pos, rule::policy_size,
                    fmt::format("the {} role's policy needs a statement of up to {} characters "
                                "alone; IAM takes at most {} in a managed policy and {} inline "
                                "in all: list fewer resources in `permissions`",
                                name, part, max_managed_policy_size, max_inline_policy_size));
    const std::size_t made = role->stack_policies.size();
    const std::size_t managed = role->managed_policies.size() + made;
    const std::string why =
        made == 0 ? fmt::format("the {} role would have {} managed policies", name, managed)
                  : fmt::format(
                        "the {} role would have {} managed policies ({} of them for "
                        "what its {}-character inline policy cannot hold)",
                        name, managed, made, max_inline_policy_size);
    if (managed > raised_quota)
      diags.error(ir.pipeline_pos, rule::policy_size,
                  fmt::format("{}; IAM attaches at most {} to a role: deploy the apps with "
                              "fewer resource types from a pipeline of their own",
                              why, raised_quota));
    else if (managed > max_managed_policies)
      diags.warning(ir.pipeline_pos, rule::policy_size,
                    fmt::format("{}; IAM attaches {} to a role unless the account's quota is "
                                "raised (Service Quotas, \"Managed policies per role\")",
                                why, max_managed_policies));
  }
}

}  // namespace

void lint_spec(const Ir& ir, const LintOptions& options, Diagnostics& diags) {
  lint_regions(ir, diags);
  lint_names(ir, diags);
  lint_deprecations(ir, options.as_of, diags);
  lint_roles(ir, diags);
}

void check_pipeline_template_size(const Ir& ir, std::size_t size, Diagnostics& diags) {
  if (size > max_template_in_s3) {
    diags.error(ir.pipeline_pos, rule::template_size,
                fmt::format("{} would be {} bytes; CloudFormation takes at most {} from S3: "
                            "deploy to fewer regions",
                            ir.paths.pipeline_template, size, max_template_in_s3));
  } else if (size > max_template_body) {
    diags.warning(ir.pipeline_pos, rule::template_size,
                  fmt::format("{} is {} bytes, more than the {} CloudFormation takes through "
                              "--template-body: {} and {} cannot send it; {} can, through the "
                              "artifact bucket",
                              ir.paths.pipeline_template, size, max_template_body,
                              ir.paths.create_pipeline_script, ir.paths.update_pipeline_script,
                              ir.paths.deploy_script));
  }
}

std::size_t pipeline_template_size_bound(const Ir& ir) {
  // The fixed part (header, parameters, webhook, stages, project, roles) is
  // under 6 KB and each app in each region adds under 1 KB (its actions, the
  // region's store and variable), plus what the spec's own values add; every
  // value may be quoted and escaped, which at most doubles it.
  // tests/test_lint.cpp holds the bound against every example and generated spec.
  constexpr std::size_t fixed = 8192, per_region = 1536;
  std::size_t values = ir.spec_path.size() + ir.description.size() + ir.pipeline_name.size() +
                       ir.source.owner.size() + ir.source.repo.size() + ir.source.branch.size() +
                       ir.source.connection_arn.size() + 2 * ir.source.bucket.size() +
                       2 * ir.source.key.size() + ir.build.image.size() + ir.paths.buildspec.size();
  for (const auto& e : ir.build.env) values += e.name.size() + e.value.size() + 64;
  std::size_t per_region_values = 0;
  for (const auto& r : ir.regions)
    per_region_values +=
        3 * r.bucket_name_sub.size() + r.bucket_env_var.size() + ir.pipeline_name.size();
  // Each app adds its actions in every region: names, template, parameters.
  for (const auto& app : ir.apps) {
    for (const auto& c : app.capabilities) values += c.size() + 1;
    for (const auto& [region, json] : app.parameter_overrides) values += json.size() + 32;
    for (const auto& ar : app.regions)
      per_region_values += ar.deploy_action.size() + ar.create_change_set_action.size() +
                           ar.execute_change_set_action.size() + ar.packaged_template.size() +
                           3 * app.stack_name.size();
  }
  // The roles' policies: each action, resource and condition value on a line
  // of its own, with its indentation and markup. mrp's own statements need no
  // quoting; the spec's may be quoted and escaped,
  // which at most doubles them.
  std::size_t roles = 0;
  // A wildcard is named again in the cdk-nag suppressions of the role (or of
  // the managed policy that holds it); they share a reason per kind of
  // wildcard, each at most `reason` long, and there are few kinds.
  constexpr std::size_t reason = 330, kinds = 8;
  const auto statements = [&](const std::vector<Statement>& list) {
    std::size_t wildcards = 0;
    for (const auto& st : list) {
      const std::size_t escaping = st.from_spec ? 2 : 1;
      roles += 128 + st.sid.size();
      for (const auto& a : st.actions) roles += escaping * a.size() + 24;
      for (const auto& r : st.resources) {
        roles += escaping * r.text.size() + 32;
        if (r.text.find('*') != std::string::npos) {
          roles += r.text.size() + 48;
          ++wildcards;
        }
      }
      for (const auto& c : st.conditions) {
        roles += 96 + c.op.size() + c.key.size();
        for (const auto& v : c.values) roles += escaping * v.text.size() + 32;
      }
    }
    roles += std::min(wildcards, kinds) * reason;
  };
  for (const Role* role : {&ir.pipeline_role, &ir.build_role, &ir.deploy_role}) {
    for (const auto& m : role->managed_policies) roles += 2 * m.size() + 24;
    statements(role->statements);
    for (const auto& policy : role->stack_policies) {
      roles += 512;  // the managed policy resource around them
      statements(policy);
    }
  }
  const std::size_t actions = ir.regions.size() * std::max<std::size_t>(1, ir.apps.size());
  return fixed + per_region * actions + 2 * (values + per_region_values) + roles;
}

bool pipeline_template_may_be_too_large(const Ir& ir) {
  return pipeline_template_size_bound(ir) > max_template_body;
}

}  // namespace mrp
