// deployment-pipeline/teardown.sh and retire.sh: delete stacks of the record
// (deployment-pipeline/deployed.json) in the order that strands nothing: the
// app stacks (while the role CloudFormation deletes them with still exists),
// then the artifact buckets (and their access-log buckets), emptied of every
// version and delete marker, with their stacks, then the pipeline stacks.
// teardown.sh deletes all the record lists; retire.sh only what waits to be
// retired.

#include <algorithm>

#include <fmt/format.h>

#include "compiler/aws/logical_ids.h"
#include "compiler/aws/names.h"
#include "compiler/emit/emit.h"
#include "compiler/emit/shell_out.h"

namespace mrp {
namespace {

using Kind = DeployedStack::Kind;

// `text` inside double quotes, where only `\`, `"`, `$` and a backquote mean
// something.
std::string double_quoted_part(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"' || c == '$' || c == '`') out += '\\';
    out += c;
  }
  return out;
}

// A bucket name of the record, the account filled in from `$account`, inside
// double quotes: orders-api-$account-us-east-1.
std::string bucket_part(std::string_view sub) {
  if (sub.find(account_id_sub) == std::string_view::npos) return double_quoted_part(sub);
  const auto [before, after] = around_account_id(sub);
  return double_quoted_part(before) + "$account" + double_quoted_part(after);
}

// What is deleted, in order: app stacks (while the deploy roles that
// CloudFormation deletes them with exist), then the target accounts' stacks
// that hold those roles, then bucket stacks, then pipeline stacks, each kind
// in the reverse of the order they were deployed in.
std::vector<DeployedStack> deletion_order(const std::vector<DeployedStack>& deployed) {
  std::vector<DeployedStack> out;
  for (Kind kind : {Kind::app, Kind::target, Kind::buckets, Kind::pipeline})
    for (auto it = deployed.rbegin(); it != deployed.rend(); ++it)
      if (it->kind == kind) out.push_back(*it);
  return out;
}

// How the prompt and the failure message name `d`, as one shell word.
std::string item_word(const DeployedStack& d) {
  switch (d.kind) {
    case Kind::app:
    case Kind::pipeline:
    case Kind::target:
      return shell_quote(fmt::format("{} {} in {}{}", kind_label(d.kind), d.stack, d.region,
                                     d.account.empty() ? "" : " of account " + d.account));
    case Kind::buckets: {
      // Built by appending: GCC 12 at -O2 misreads `"\"" + std::string` as
      // an overlapping copy (-Wrestrict).
      std::string word = "\"";
      word +=
          double_quoted_part(fmt::format("{} {} in {}, with {} ", kind_label(d.kind), d.stack,
                                         d.region, d.buckets.size() == 1 ? "bucket" : "buckets"));
      for (std::size_t i = 0; i < d.buckets.size(); ++i) {
        if (i > 0) word += " and ";
        word += bucket_part(d.buckets[i]);
      }
      return word + "\"";
    }
  }
  return "";
}

std::string step_line(const DeployedStack& d) {
  switch (d.kind) {
    case Kind::app:
    case Kind::target:
      return fmt::format("delete_{}_stack {} {}{}\n", d.kind == Kind::app ? "app" : "target",
                         shell_quote(d.region), shell_quote(d.stack),
                         d.account.empty() ? "" : " " + d.account);
    case Kind::pipeline:
      return fmt::format("delete_pipeline_stack {} {}\n", shell_quote(d.region),
                         shell_quote(d.stack));
    case Kind::buckets: {
      std::string line =
          fmt::format("delete_bucket_stack {} {}", shell_quote(d.region), shell_quote(d.stack));
      for (const auto& b : d.buckets) line += " \"" + bucket_part(b) + "\"";
      return line + "\n";
    }
  }
  return "";
}

// The functions the steps call (see below). A stack or bucket that is already gone is no
// failure, so that a script stopped half-way can be run again.
constexpr std::string_view delete_stack_function = R"sh(delete_stack() {
  aws cloudformation delete-stack --region "$1" --stack-name "$2"
  aws cloudformation wait stack-delete-complete --region "$1" --stack-name "$2"
}
)sh";

// With stacks in other accounts: each is deleted with its account's profile.
constexpr std::string_view delete_stack_in_accounts_function =
    R"sh(# aws_as ACCOUNT ARGS...: the AWS CLI with the profile of ACCOUNT, or for ""
# (the pipeline's account) with the default credentials.
aws_as() {
  local account=$1
  shift
  if [[ -n "$account" ]]; then
    aws --profile "${profiles[$account]}" "$@"
  else
    aws "$@"
  fi
}

delete_stack() {
  aws_as "${3:-}" cloudformation delete-stack --region "$1" --stack-name "$2"
  aws_as "${3:-}" cloudformation wait stack-delete-complete --region "$1" --stack-name "$2"
}

# delete_app_stack REGION STACK [ACCOUNT]
delete_app_stack() {
  step="deleting app stack $2 in $1${3:+ of account $3}"
  echo "Deleting stack $2 in $1${3:+ of account $3}"
  delete_stack "$1" "$2" "${3:-}"
  deleted=$((deleted + 1))
}

# delete_target_stack REGION STACK ACCOUNT: the roles the pipeline used there.
delete_target_stack() {
  step="deleting target-account stack $2 in $1 of account $3"
  echo "Deleting stack $2 in $1 of account $3"
  delete_stack "$1" "$2" "$3"
  deleted=$((deleted + 1))
}
)sh";

constexpr std::string_view delete_app_stack_function = R"sh(
delete_app_stack() {
  step="deleting app stack $2 in $1"
  echo "Deleting stack $2 in $1"
  delete_stack "$1" "$2"
  deleted=$((deleted + 1))
}
)sh";

constexpr std::string_view bucket_functions = R"sh(
# Whether bucket $2 exists: 0 yes, 1 no ("Not Found"), 2 S3 said something
# else (no permission), which it prints.
bucket_exists() {
  local out
  if out=$(aws s3api head-bucket --region "$1" --bucket "$2" 2>&1); then
    return 0
  fi
  if [[ "$out" == *"(404)"* || "$out" == *"Not Found"* ]]; then
    return 1
  fi
  echo "$out" >&2
  return 2
}

# A versioned bucket must lose every version and delete marker before it can go.
empty_bucket() {
  local batch status=0
  bucket_exists "$1" "$2" || status=$?
  if ((status == 1)); then
    echo "Bucket $2 is already gone"
    return 0
  fi
  if ((status != 0)); then
    return "$status"
  fi
  echo "Emptying bucket $2"
  batch=$(mktemp)
  while :; do
    aws s3api list-object-versions --region "$1" --bucket "$2" --max-items 1000 --output json \
      --query '{Objects: [Versions, DeleteMarkers][].{Key: Key, VersionId: VersionId}, Quiet: `true`}' >"$batch"
    if ! grep -q '"Key"' "$batch"; then
      break
    fi
    aws s3api delete-objects --region "$1" --bucket "$2" --delete "file://$batch" >/dev/null
  done
  rm -f "$batch"
}
)sh";

constexpr std::string_view later_functions = R"sh(
# delete_bucket_stack REGION STACK BUCKET [LOG_BUCKET]: with access logs, the
# artifact bucket's logging is stopped before it is emptied, and the log
# bucket's policy, the only thing that lets the logging service write, is
# deleted before the log bucket is emptied, so that no late log (S3 delivers
# them up to hours after a request) arrives between the emptying and the
# stack's deletion of the bucket.
delete_bucket_stack() {
  local region=$1 stack=$2 bucket=$3 log_bucket=${4:-}
  if [[ -n "$log_bucket" ]] && bucket_exists "$region" "$bucket"; then
    step="stopping the access logs of bucket $bucket"
    aws s3api put-bucket-logging --region "$region" --bucket "$bucket" --bucket-logging-status '{}'
  fi
  step="emptying bucket $bucket"
  empty_bucket "$region" "$bucket"
  if [[ -n "$log_bucket" ]]; then
    if bucket_exists "$region" "$log_bucket"; then
      step="closing bucket $log_bucket to log deliveries"
      aws s3api delete-bucket-policy --region "$region" --bucket "$log_bucket"
    fi
    step="emptying bucket $log_bucket"
    empty_bucket "$region" "$log_bucket"
  fi
  step="deleting stack $stack in $region"
  echo "Deleting stack $stack in $region"
  delete_stack "$region" "$stack"
  deleted=$((deleted + 1))
}

delete_pipeline_stack() {
  step="deleting pipeline stack $2 in $1"
  echo "Deleting stack $2 in $1"
  delete_stack "$1" "$2"
  deleted=$((deleted + 1))
}
)sh";

struct Deletion {
  std::string script;   ///< teardown.sh
  std::string purpose;  ///< the header comment
  std::string nothing;  ///< what it says when there is nothing to delete
  std::string done;     ///< its last line
  /// Whether it first asks CodePipeline that the pipeline these files deploy
  /// no longer deploys what it deletes (retire.sh; teardown.sh deletes that
  /// pipeline too).
  bool guard = false;
};

// The check that the pipeline of these files no longer deploys what retire.sh
// deletes: its deploy actions' stacks and its artifact buckets, as
// CodePipeline has them. A pipeline stack that does not exist deploys nothing.
// With other accounts, an action's line also holds the role it runs as
// (`None` in the pipeline's account), which names the account.
std::string guard_part(const Ir& ir, const std::vector<DeployedStack>& order,
                       std::string_view script, bool in_accounts) {
  std::string checks;
  for (const auto& d : order) {
    std::string line = fmt::format("{}\\t{}", d.region, d.stack);
    if (in_accounts)
      line += d.account.empty() ? std::string("\\tNone")
                                : fmt::format("\\tarn:aws:iam::{}:role/mrp/{}/{}-action", d.account,
                                              ir.pipeline_name, ir.pipeline_name);
    if (d.kind == Kind::app)
      checks += fmt::format("still_deploys {} {}\n", shell_quote(line), item_word(d));
    // A target account's roles are in use while any action runs there.
    if (d.kind == Kind::target)
      checks += fmt::format("still_uses_account {} {}\n", d.account, item_word(d));
    // The artifact bucket; an access-log bucket is no artifact store.
    if (d.kind == Kind::buckets && !d.buckets.empty())
      checks +=
          fmt::format("still_deploys \"{0}\" \"bucket {0}\"\n", bucket_part(d.buckets.front()));
  }
  if (checks.empty()) return "";
  return fmt::format(
      R"sh(
# What the pipeline of these files deploys, as CodePipeline has it: a line
# REGION<tab>STACK{role_comment} per action, and a line per artifact bucket. Nothing when its
# stack does not exist.
live_deploys() {{
  local out name
  if ! out=$(aws cloudformation describe-stack-resource --region {home} --stack-name {stack} \
    --logical-resource-id {logical_id} --query StackResourceDetail.PhysicalResourceId --output text 2>&1); then
    if [[ "$out" == *"does not exist"* ]]; then
      return 0
    fi
    echo "$out" >&2
    return 1
  fi
  name=$out
  aws codepipeline get-pipeline --region {home} --name "$name" --output text \
    --query 'pipeline.stages[].actions[].[region, configuration.StackName{role}]'
  out=$(aws codepipeline get-pipeline --region {home} --name "$name" --output text \
    --query 'pipeline.artifactStores.*.location')
  printf '%s\n' "${{out//$'\t'/$'\n'}}"
}}

step="asking CodePipeline what pipeline stack {stack} in {home} deploys"
live=$(live_deploys)
still=()
still_deploys() {{
  if [[ $'\n'"$live"$'\n' == *$'\n'"$(printf '%b' "$1")"$'\n'* ]]; then
    still+=("$2")
  fi
}}
{uses_account}{checks}if ((${{#still[@]}})); then
  echo "{script}: pipeline stack {stack} in {home} still deploys these; run deploy.sh first:" >&2
  printf '  %s\n' "${{still[@]}}" >&2
  echo "{script}: nothing was deleted" >&2
  exit 1
fi
)sh",
      fmt::arg("home", shell_quote(ir.home_region().code)),
      fmt::arg("stack", shell_quote(ir.pipeline_stack)),
      fmt::arg("logical_id", logical_ids::pipeline_id), fmt::arg("checks", checks),
      fmt::arg("script", script), fmt::arg("role", in_accounts ? ", roleArn" : ""),
      fmt::arg("role_comment", in_accounts ? "<tab>ROLE" : ""),
      fmt::arg("uses_account", in_accounts ? R"sh(still_uses_account() {
  if [[ "$live" == *$'\t'"arn:aws:iam::$1:role/"* ]]; then
    still+=("$2")
  fi
}
)sh"
                                           : ""));
}

// The functions the steps call; with stacks in other accounts, each stack is
// deleted with its account's profile.
std::string functions(bool in_accounts) {
  if (in_accounts)
    return std::string(delete_stack_in_accounts_function) + std::string(bucket_functions) +
           std::string(later_functions);
  return std::string(delete_stack_function) + std::string(bucket_functions) +
         std::string(delete_app_stack_function) + std::string(later_functions);
}

// The other accounts `order` deletes stacks in, in order of first mention.
std::vector<std::string> accounts_of(const std::vector<DeployedStack>& order) {
  std::vector<std::string> out;
  for (const auto& d : order)
    if (!d.account.empty() && std::find(out.begin(), out.end(), d.account) == out.end())
      out.push_back(d.account);
  return out;
}

std::string deletion_script(const Ir& ir, const std::vector<DeployedStack>& deployed,
                            const Deletion& what) {
  const std::vector<DeployedStack> order = deletion_order(deployed);
  std::string items, steps;
  for (const auto& d : order) {
    items += "  " + item_word(d) + "\n";
    steps += step_line(d);
  }
  const std::vector<std::string> accounts = accounts_of(order);
  const std::string usage = accounts.empty()
                                ? fmt::format(R"sh(
if [[ $# -gt 1 || ( $# -eq 1 && "$1" != "--yes" ) ]]; then
  echo "usage: {} [--yes]" >&2
  exit 2
fi
)sh",
                                              what.script)
                                : profile_options(what.script, accounts, true,
                                                  ir.home_region().code, ir.pipeline_account);
  if (order.empty())
    return script_header(ir, what.purpose) + usage + fmt::format("echo \"{}\"\n", what.nothing);
  return script_header(ir, what.purpose) +
         "# The failure message below comes from an ERR trap, which functions inherit\n"
         "# only with errtrace.\nset -E\n" +
         usage +
         fmt::format(
             R"sh(
step="finding the account"
# A command substitution inherits the trap: only the script's own shell speaks.
trap '((BASH_SUBSHELL)) || echo "{script}: failed while $step" >&2' ERR
account=$(aws sts get-caller-identity --region {home} --query Account --output text)
{guard}
# What this deletes, in order.
items=(
{items})
deleted=0

if {ask}; then
  echo "This deletes, in order:"
  printf '  %s\n' "${{items[@]}}"
  answer=""
  read -r -p "Type yes to go on: " answer || true
  if [[ "$answer" != "yes" ]]; then
    echo "{script}: nothing was deleted" >&2
    exit 1
  fi
fi

trap '((BASH_SUBSHELL)) || {{ echo "{script}: failed while $step; still there:"; printf "  %s\n" "${{items[@]:deleted}}"; }} >&2' ERR

{functions}
{steps}trap - ERR
echo "{done}"
)sh",
             fmt::arg("script", what.script), fmt::arg("home", ir.home_region().code),
             fmt::arg("guard", what.guard ? guard_part(ir, order, what.script,
                                                       !accounts.empty() || ir.cross_account())
                                          : ""),
             fmt::arg("items", items), fmt::arg("functions", functions(!accounts.empty())),
             fmt::arg("steps", steps),
             fmt::arg("ask", accounts.empty() ? R"sh([[ "${1:-}" != "--yes" ]])sh"
                                              : R"sh([[ -z "$yes" ]])sh"),
             fmt::arg("done", what.done));
}

}  // namespace

std::string emit_teardown_script(const Ir& ir) {
  std::vector<DeployedStack> all = ir.record.retiring;
  all.insert(all.end(), ir.record.deploys.begin(), ir.record.deploys.end());
  return deletion_script(
      ir, all,
      {"teardown.sh",
       ir.cross_account()
           ? "Deletes everything the pipeline made, and what earlier versions of these files "
             "made\n# that waits to be retired (deployed.json): the app stacks of every account, "
             "then the\n# target accounts' stacks, then the artifact buckets (every version) and "
             "their stacks,\n# then the pipeline stack. Takes --profile ACCOUNT=PROFILE for each "
             "target account.\n# Asks first, unless run with --yes; stops at the first failure "
             "and says what is left;\n# safe to run again."
           : "Deletes everything the pipeline made, and what earlier versions of these files "
             "made\n# that waits to be retired (deployed.json): the app stacks, then the artifact "
             "buckets\n# (every version) and their stacks, then the pipeline stack.\n# Asks "
             "first, unless run with --yes; stops at the first failure and says what is left;\n"
             "# safe to run again.",
       "", "Everything the pipeline made is deleted"});
}

std::string emit_retire_script(const Ir& ir) {
  return deletion_script(
      ir, ir.record.retiring,
      {"retire.sh",
       "Deletes what earlier versions of these files deployed and these no longer do\n"
       "# (`retiring` in deployed.json): removed regions, removed or renamed stacks, the\n"
       "# buckets of a renamed pipeline. Run it after deploy.sh, once the pipeline no longer\n"
       "# deploys there; then run `mrp build --forget-retired` and commit.\n"
       "# Asks first, unless run with --yes; stops at the first failure and says what is left;\n"
       "# safe to run again; touches nothing these files deploy.",
       "Nothing waits to be retired", "Everything waiting to be retired is deleted", true});
}

}  // namespace mrp
