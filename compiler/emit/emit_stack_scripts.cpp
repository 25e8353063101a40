#include "compiler/emit/emit.h"
#include "compiler/emit/shell_out.h"

#include <fmt/format.h>

namespace mrp {
namespace {

constexpr std::string_view here_line =
    R"sh(here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)")sh";

// The file name of a generated file that sits beside the scripts.
std::string beside_scripts(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace

std::string emit_create_buckets_script(const Ir& ir) {
  return script_header(ir,
                       "Creates or updates the artifact-bucket stack in every target region. "
                       "Safe to re-run:\n# after adding a region, run it again.") +
         fmt::format(R"sh(
{here}
stack={stack}
regions=({regions})
for region in "${{regions[@]}}"; do
  echo "Deploying stack $stack in $region"
  aws cloudformation deploy --region "$region" --stack-name "$stack" \
    --template-file "$here/{template}" --no-fail-on-empty-changeset
done
)sh",
                     fmt::arg("here", here_line),
                     fmt::arg("stack", shell_quote(ir.artifact_bucket_stack)),
                     fmt::arg("regions", region_words(ir)),
                     fmt::arg("template", beside_scripts(ir.paths.artifact_buckets_template)));
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

std::string stack_command(const Ir& ir, std::string_view verb) {
  return fmt::format(
      R"sh(aws cloudformation {verb} --region "$region" --stack-name "$stack" \
    --template-body "file://$here/{template}" --capabilities CAPABILITY_IAM{parameters})sh",
      fmt::arg("verb", verb), fmt::arg("template", beside_scripts(ir.paths.pipeline_template)),
      fmt::arg("parameters",
               takes_github_token(ir) ? " \\\n    --parameters \"file://$parameters\"" : ""));
}

// The token reaches the CLI in a parameters file only this user can read
// (mktemp makes it 0600), never as an argument, which `ps` shows to every
// user of the machine; printf is a shell builtin, so no process sees it either.
constexpr std::string_view parameters_file = R"sh(
parameters=$(mktemp)
trap 'rm -f "$parameters"' EXIT
)sh";

// Writes GITHUB_TOKEN into the parameters file as JSON; `indent` for its place.
std::string write_token(std::string_view indent) {
  std::string out;
  for (
      std::string_view line :
      {R"sh(if [[ "$GITHUB_TOKEN" == *[[:cntrl:]]* ]]; then)sh",
       R"sh(  echo "${0##*/}: GITHUB_TOKEN holds a control character" >&2)sh", R"sh(  exit 1)sh",
       R"sh(fi)sh", R"sh(token=${GITHUB_TOKEN//\\/\\\\})sh", R"sh(token=${token//\"/\\\"})sh",
       R"sh(printf '[{"ParameterKey": "GitHubOAuthToken", "ParameterValue": "%s"}]\n' "$token" >"$parameters")sh",
       R"sh(unset token)sh"})
    out += fmt::format("{}{}\n", indent, line);
  return out;
}

// The create script's check of GITHUB_TOKEN, when the source takes a token.
std::string create_token_step(const Ir& ir) {
  if (!takes_github_token(ir)) return "";
  return std::string(R"sh(
if [[ -z "${GITHUB_TOKEN:-}" ]]; then
  echo "create-pipeline.sh: set GITHUB_TOKEN to a GitHub personal access token with the repo scope" >&2
  exit 1
fi)sh") + std::string(parameters_file) +
         write_token("");
}

// The update script keeps the stack's token when GITHUB_TOKEN is unset.
std::string update_token_step(const Ir& ir) {
  if (!takes_github_token(ir)) return "";
  return std::string(parameters_file) + "if [[ -n \"${GITHUB_TOKEN:-}\" ]]; then\n" +
         write_token("  ") +
         "else\n"
         R"sh(  printf '[{"ParameterKey": "GitHubOAuthToken", "UsePreviousValue": true}]\n' >"$parameters")sh"
         "\nfi\n";
}

}  // namespace

std::string emit_create_pipeline_script(const Ir& ir) {
  const std::string purpose =
      takes_github_token(ir)
          ? "Creates the pipeline stack in the primary region. Run create-artifact-buckets.sh "
            "first.\n# Reads the GitHub token from GITHUB_TOKEN."
          : "Creates the pipeline stack in the primary region. Run create-artifact-buckets.sh "
            "first.";
  return pipeline_script_start(ir, purpose) + create_token_step(ir) +
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
          ? "Updates the pipeline stack in the primary region. Reads a new GitHub token from "
            "GITHUB_TOKEN;\n# without it the stack keeps the token it has."
          : "Updates the pipeline stack in the primary region.";
  return pipeline_script_start(ir, purpose) + update_token_step(ir) +
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

}  // namespace mrp
