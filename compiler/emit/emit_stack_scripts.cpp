#include "compiler/aws/names.h"
#include "compiler/emit/emit.h"
#include "compiler/emit/emit_source.h"
#include "compiler/emit/shell_out.h"

#include <fmt/format.h>

namespace mrp {
namespace {

constexpr std::string_view here_line =
    R"sh(here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)")sh";

// The file name of a generated file that sits beside the scripts.
std::string beside_scripts(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace

namespace {

// The artifact-bucket stack created or updated in every region, in the words
// of create-artifact-buckets.sh and deploy.sh alike: the stack's name in the
// variable `stack_var`, and `each` at the top of each region's pass.
std::string deploy_bucket_stacks(const Ir& ir, std::string_view stack_var, std::string_view each) {
  return fmt::format(R"sh({var}={stack}
regions=({regions})
for region in "${{regions[@]}}"; do
{each}  echo "Deploying stack ${var} in $region"
  aws cloudformation deploy --region "$region" --stack-name "${var}" \
    --template-file "$here/{template}" --no-fail-on-empty-changeset
done
)sh",
                     fmt::arg("var", stack_var), fmt::arg("each", each),
                     fmt::arg("stack", shell_quote(ir.artifact_bucket_stack)),
                     fmt::arg("regions", region_words(ir)),
                     fmt::arg("template", beside_scripts(ir.paths.artifact_buckets_template)));
}

}  // namespace

std::string emit_create_buckets_script(const Ir& ir) {
  return script_header(ir,
                       "Creates or updates the artifact-bucket stack in every target region. "
                       "Safe to re-run:\n# after adding a region, run it again. deploy.sh does "
                       "this, then the pipeline stack.") +
         fmt::format("\n{}\n", here_line) + deploy_bucket_stacks(ir, "stack", "");
}

namespace {

std::string pipeline_script_start(const Ir& ir, std::string_view purpose) {
  return script_header(ir, purpose) + fmt::format(R"sh(
{here}
stack={stack}
region={region}
)sh",
                                                  fmt::arg("here", here_line),
                                                  fmt::arg("stack", shell_quote(ir.pipeline_stack)),
                                                  fmt::arg("region", ir.home_region().code));
}

// The GitHub OAuth source without `token-secret` takes the token from
// GITHUB_TOKEN; with it, CloudFormation reads the token from Secrets Manager.
bool takes_github_token(const Ir& ir) {
  return ir.source.kind == SourceKind::github && ir.source.token_reference.empty();
}

// What the pipeline stack is created with: its roles have no custom names,
// but for the pipeline role that the target accounts' roles trust by name.
std::string_view pipeline_capabilities(const Ir& ir) {
  return ir.pipeline_role_name.empty() ? "CAPABILITY_IAM" : "CAPABILITY_NAMED_IAM";
}

// Whether the pipeline stack takes a parameters file: the GitHub token, the
// artifact keys' ARNs.
bool takes_parameters(const Ir& ir) { return takes_github_token(ir) || ir.cross_account(); }

// Where deploy.sh uploads the pipeline template in the artifact bucket, apart
// from what the pipeline (under its name) and the build (at the top) put there.
constexpr std::string_view deploy_upload_prefix = "mrp-deploy";

std::string stack_command(const Ir& ir, std::string_view verb) {
  return fmt::format(
      R"sh(aws cloudformation {verb} --region "$region" --stack-name "$stack" \
    --template-body "file://$here/{template}" --capabilities {capabilities}{parameters})sh",
      fmt::arg("verb", verb), fmt::arg("template", beside_scripts(ir.paths.pipeline_template)),
      fmt::arg("capabilities", pipeline_capabilities(ir)),
      fmt::arg("parameters",
               takes_parameters(ir) ? " \\\n    --parameters \"file://$parameters\"" : ""));
}

// The token reaches the CLI in a parameters file only this user can read
// (mktemp makes it 0600), never as an argument, which `ps` shows to every
// user of the machine; printf is a shell builtin, so no process sees it either.
constexpr std::string_view parameters_file = R"sh(
parameters=$(mktemp)
trap 'rm -f "$parameters"' EXIT
)sh";

// Writes GITHUB_TOKEN, escaped as a JSON string, into the parameters file with
// `print`, a printf line that reads it from $token; `indent` for its place.
std::string write_token(std::string_view indent, std::string_view print) {
  std::string out;
  for (const std::string_view line : std::initializer_list<std::string_view>{
           R"sh(if [[ "$GITHUB_TOKEN" == *[[:cntrl:]]* ]]; then)sh",
           R"sh(  echo "${0##*/}: GITHUB_TOKEN holds a control character" >&2)sh",
           R"sh(  exit 1)sh", R"sh(fi)sh", R"sh(token=${GITHUB_TOKEN//\\/\\\\})sh",
           R"sh(token=${token//\"/\\\"})sh", print, R"sh(unset token)sh"})
    out += fmt::format("{}{}\n", indent, line);
  return out;
}

// The printf line that writes the parameters file: the JSON list of
// `entries` (a printf format, filled from `args`), and with target accounts
// the artifact keys' ARNs that key_lookup put in $key_parameters.
std::string print_parameters(const Ir& ir, std::string_view entries, std::string_view args) {
  const std::string with_args = args.empty() ? "" : " " + std::string(args);
  if (!ir.cross_account())
    return fmt::format(R"sh(printf '[{}]\n'{} >"$parameters")sh", entries, with_args);
  if (entries.empty()) return R"sh(printf '[%s]\n' "${key_parameters#, }" >"$parameters")sh";
  return fmt::format(R"sh(printf '[{}%s]\n'{} "$key_parameters" >"$parameters")sh", entries,
                     with_args);
}

std::string print_token_only(const Ir& ir) {
  return print_parameters(ir, R"({"ParameterKey": "GitHubOAuthToken", "ParameterValue": "%s"})",
                          R"("$token")");
}

// Cross-account actions know the artifact keys by their ARN only, which KMS
// made up: the scripts look each region's up by its alias, once the bucket
// stacks exist, and pass it as the pipeline stack's parameter.
std::string key_lookup(const Ir& ir) {
  if (!ir.cross_account()) return "";
  std::string calls;
  for (const auto& r : ir.regions)
    calls += fmt::format("add_key_parameter {} {}\n", shell_quote(r.code), r.key_parameter);
  return fmt::format(R"sh(key_parameters=""
add_key_parameter() {{
  local arn
  arn=$(aws kms describe-key --region "$1" --key-id {alias} --query KeyMetadata.Arn --output text)
  key_parameters+=", {{\"ParameterKey\": \"$2\", \"ParameterValue\": \"$arn\"}}"
}}
{calls})sh",
                     fmt::arg("alias", shell_quote(ir.artifacts.key_alias)),
                     fmt::arg("calls", calls));
}

// The create script's parameters: the check of GITHUB_TOKEN, when the source
// takes a token, and the artifact keys' ARNs.
std::string create_parameters_step(const Ir& ir) {
  if (!takes_parameters(ir)) return "";
  std::string out;
  if (takes_github_token(ir))
    out += R"sh(
if [[ -z "${GITHUB_TOKEN:-}" ]]; then
  echo "create-pipeline.sh: set GITHUB_TOKEN to a GitHub personal access token with the repo scope" >&2
  exit 1
fi)sh";
  out += std::string(parameters_file) + key_lookup(ir);
  if (!takes_github_token(ir)) return out + print_parameters(ir, "", "") + "\n";
  return out + write_token("", print_token_only(ir));
}

// The update script keeps the stack's token when GITHUB_TOKEN is unset.
std::string update_parameters_step(const Ir& ir) {
  if (!takes_parameters(ir)) return "";
  const std::string start = std::string(parameters_file) + key_lookup(ir);
  if (!takes_github_token(ir)) return start + print_parameters(ir, "", "") + "\n";
  return start + "if [[ -n \"${GITHUB_TOKEN:-}\" ]]; then\n" +
         write_token("  ", print_token_only(ir)) + "else\n  " +
         print_parameters(ir, R"({"ParameterKey": "GitHubOAuthToken", "UsePreviousValue": true})",
                          "") +
         "\nfi\n";
}

}  // namespace

std::string emit_create_pipeline_script(const Ir& ir) {
  const std::string purpose =
      takes_github_token(ir)
          ? "Creates the pipeline stack in the home region. Run create-artifact-buckets.sh "
            "first.\n# Reads the GitHub token from GITHUB_TOKEN."
          : "Creates the pipeline stack in the home region. Run create-artifact-buckets.sh "
            "first.";
  return pipeline_script_start(ir, purpose) + create_parameters_step(ir) +
         fmt::format(R"sh(
echo "Creating stack $stack in $region"
{create}
aws cloudformation wait stack-create-complete --region "$region" --stack-name "$stack"
echo "Stack $stack is created"
)sh",
                     fmt::arg("create", stack_command(ir, "create-stack")));
}

std::string emit_update_pipeline_script(const Ir& ir) {
  const std::string purpose =
      takes_github_token(ir)
          ? "Updates the pipeline stack in the home region. Reads a new GitHub token from "
            "GITHUB_TOKEN;\n# without it the stack keeps the token it has."
          : "Updates the pipeline stack in the home region.";
  return pipeline_script_start(ir, purpose) + update_parameters_step(ir) +
         fmt::format(R"sh(
echo "Updating stack $stack in $region"
if ! output=$({update} 2>&1); then
  if [[ "$output" == *"No updates are to be performed"* ]]; then
    echo "Stack $stack is up to date"
    exit 0
  fi
  echo "$output" >&2
  exit 1
fi
aws cloudformation wait stack-update-complete --region "$region" --stack-name "$stack"
echo "Stack $stack is updated"
)sh",
                     fmt::arg("update", stack_command(ir, "update-stack")));
}

namespace {

// `value` as a JSON string; UTF-8 passes through.
std::string json_string(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\')
      out += {'\\', c};
    else if (static_cast<unsigned char>(c) < 0x20)
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out + "\"";
}

// The home region's artifact bucket as a shell word, the account id read
// from $account (every bucket name holds it: compiler/aws/names.h).
std::string home_bucket_word(const Ir& ir) {
  const auto [before, after] = around_account_id(ir.home_region().bucket_name_sub);
  return shell_quote(before) + "\"$account\"" + shell_quote(after);
}

// The pipeline stack's parameters, in a file as the token needs: the source's
// values from the spec (deploy would keep a stack's previous values, and miss
// a branch changed in the spec), and the token from GITHUB_TOKEN when set;
// when it is not, deploy keeps the stack's token, and a stack that is not
// there yet cannot be created: the script stops before it changes anything.
std::string deploy_parameters_step(const Ir& ir, std::string_view script) {
  std::string entries;
  for (const auto& p : pipeline_parts::source_parameters_from_spec(ir))
    entries += fmt::format(R"({}{{"ParameterKey": {}, "ParameterValue": {}}})",
                           entries.empty() ? "" : ", ", json_string(p.name), json_string(p.value));
  if (entries.empty()) {  // nor a token: only a GitHub source takes one
    if (!ir.cross_account()) return "";
    return std::string(parameters_file) + key_lookup(ir) + print_parameters(ir, "", "") + "\n";
  }
  const std::string start = std::string(parameters_file) +
                            "source_parameters=" + shell_quote(entries) + "\n" + key_lookup(ir);
  const std::string print_spec = print_parameters(ir, "%s", R"("$source_parameters")");
  if (!takes_github_token(ir)) return start + print_spec + "\n";
  return start + "if [[ -n \"${GITHUB_TOKEN:-}\" ]]; then\n" +
         write_token("  ", print_parameters(ir,
                                            R"({"ParameterKey": "GitHubOAuthToken", )"
                                            R"("ParameterValue": "%s"}, %s)",
                                            R"("$token" "$source_parameters")")) +
         fmt::format(
             R"sh(elif ! aws cloudformation describe-stacks --region "$home_region" --stack-name "$pipeline_stack" >/dev/null; then
  echo "{script}: cannot find stack $pipeline_stack in $home_region, and creating it needs a token: set GITHUB_TOKEN to a GitHub personal access token with the repo scope" >&2
  exit 1
else
  {print_spec}
fi
)sh",
             fmt::arg("script", script), fmt::arg("print_spec", print_spec));
}

}  // namespace

// With target accounts, deploy.sh deploys each one's stack with its profile
// after the bucket stacks, then looks the artifact keys up and writes the
// parameters (so a missing token is found only then).
std::string target_accounts_step(const Ir& ir, std::string_view script) {
  if (!ir.cross_account()) return "";
  return fmt::format(R"sh(
# Each target account's roles, with the account's own credentials, before the
# pipeline whose actions use them.
for account in "${{accounts[@]}}"; do
  step="deploying the stack of account $account"
  left="the target accounts' stacks from account $account on, then stack $pipeline_stack in $home_region"
  "$here/{target_script}" "$account" "${{profiles[$account]}}"
done
step="looking up the artifact keys"
left="stack $pipeline_stack in $home_region"
{parameters})sh",
                     fmt::arg("target_script", beside_scripts(ir.paths.target_account_script)),
                     fmt::arg("parameters", deploy_parameters_step(ir, script)));
}

std::string emit_deploy_script(const Ir& ir) {
  const std::string script = beside_scripts(ir.paths.deploy_script);
  const bool has_parameters =
      !pipeline_parts::source_parameters_from_spec(ir).empty() || ir.cross_account();
  std::vector<std::string> accounts;
  for (const auto& a : ir.target_accounts) accounts.push_back(a.id);
  const std::string purpose =
      std::string(
          "Brings the account to what these files describe: creates or updates the "
          "artifact-bucket\n# stack in every region, then the pipeline stack in the "
          "home region, waiting for each.\n") +
      (takes_github_token(ir) ? "# Reads the GitHub token from GITHUB_TOKEN; without it the "
                                "stack keeps the token it has.\n"
                              : "") +
      "# Safe to re-run: when the account already matches, it changes nothing.";
  return script_header(ir, purpose) +
         fmt::format(
             R"sh(
{here}
pipeline_stack={pipeline_stack}
home_region={home}
{profiles}{parameters}
step="deploying the artifact-bucket stacks"
left="the artifact-bucket stacks, then stack $pipeline_stack in $home_region"
trap 'echo "{script}: failed while $step; not done yet: $left; run {script} again once the cause is fixed" >&2' ERR

{buckets}{targets}left="stack $pipeline_stack in $home_region"

# The template goes through the home region's artifact bucket: CloudFormation
# takes at most 51,200 bytes of template in the request itself.
step="finding the account"
account=$(aws sts get-caller-identity --region "$home_region" --query Account --output text)
bucket={bucket}
step="deploying stack $pipeline_stack in $home_region"
echo "Deploying stack $pipeline_stack in $home_region through bucket $bucket"
aws cloudformation deploy --region "$home_region" --stack-name "$pipeline_stack" \
  --template-file "$here/{template}" --s3-bucket "$bucket" --s3-prefix {prefix} \
  --capabilities {capabilities} --no-fail-on-empty-changeset{overrides}
trap - ERR
echo "The account matches the files: stack $bucket_stack in ${{regions[*]}}, stack $pipeline_stack in $home_region{targets_done}"
)sh",
             fmt::arg("here", here_line), fmt::arg("script", script),
             fmt::arg("pipeline_stack", shell_quote(ir.pipeline_stack)),
             fmt::arg("home", shell_quote(ir.home_region().code)),
             fmt::arg("profiles", accounts.empty() ? ""
                                                   : profile_options(script, accounts, false,
                                                                     ir.home_region().code,
                                                                     ir.pipeline_account)),
             fmt::arg("parameters", ir.cross_account() ? "" : deploy_parameters_step(ir, script)),
             fmt::arg("targets", target_accounts_step(ir, script)),
             fmt::arg("targets_done",
                      accounts.empty()
                          ? ""
                          : fmt::format("; stack {} in $home_region of ${{accounts[*]}}",
                                        ir.target_accounts.front().stack)),
             fmt::arg("buckets",
                      deploy_bucket_stacks(ir, "bucket_stack",
                                           R"sh(  step="deploying stack $bucket_stack in $region"
  left="the artifact-bucket stacks from $region on, then stack $pipeline_stack in $home_region"
)sh")),
             fmt::arg("bucket", home_bucket_word(ir)),
             fmt::arg("template", beside_scripts(ir.paths.pipeline_template)),
             fmt::arg("prefix", deploy_upload_prefix),
             fmt::arg("capabilities", pipeline_capabilities(ir)),
             fmt::arg("overrides",
                      has_parameters ? " \\\n  --parameter-overrides \"file://$parameters\"" : ""));
}

std::string emit_target_account_script(const Ir& ir) {
  const std::string script = beside_scripts(ir.paths.target_account_script);
  std::string accounts;
  for (const auto& a : ir.target_accounts) accounts += (accounts.empty() ? "" : " ") + a.id;
  const std::string& stack = ir.target_accounts.front().stack;
  return script_header(
             ir,
             "Deploys what the pipeline needs in one of the accounts its waves deploy to, with "
             "that\n# account's credentials: deploy-target-account.sh ACCOUNT PROFILE, where "
             "PROFILE is a named\n# AWS CLI profile of the account. Only IAM, so one stack in "
             "the home region. Run it for\n# each account before the pipeline stack is created "
             "(deploy.sh does). Safe to re-run.") +
         fmt::format(R"sh(
{here}
if [[ $# -ne 2 ]]; then
  echo "usage: {script} ACCOUNT PROFILE (ACCOUNT: {accounts})" >&2
  exit 2
fi
account=$1
profile=$2
accounts=({accounts})
if [[ " ${{accounts[*]}} " != *" $account "* ]]; then
  echo "{script}: no wave deploys to account $account; the accounts are ${{accounts[*]}}" >&2
  exit 2
fi
# The profile must be the account's: the template would deploy anywhere.
actual=$(aws sts get-caller-identity --profile "$profile" --region {home} --query Account --output text)
if [[ "$actual" != "$account" ]]; then
  echo "{script}: profile $profile is account $actual, not $account" >&2
  exit 1
fi
echo "Deploying stack {stack} in {home} of account $account"
aws cloudformation deploy --profile "$profile" --region {home} --stack-name {stack} \
  --template-file "$here/target-account-$account.yaml" --capabilities CAPABILITY_NAMED_IAM \
  --no-fail-on-empty-changeset
)sh",
                     fmt::arg("here", here_line), fmt::arg("script", script),
                     fmt::arg("accounts", accounts), fmt::arg("home", ir.home_region().code),
                     fmt::arg("stack", shell_quote(stack)));
}

}  // namespace mrp
