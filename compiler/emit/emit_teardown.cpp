// deployment-pipeline/teardown.sh: deletes what the pipeline made, in the
// order that strands nothing (the hand-written example listed it by hand):
// the app stacks in every region, then the artifact buckets (and their
// access-log buckets), emptied of every version and delete marker, with their
// stacks, then the pipeline stack.

#include <algorithm>

#include <fmt/format.h>

#include "compiler/emit/emit.h"
#include "compiler/emit/shell_out.h"

namespace mrp {
namespace {

// `access-logs`: S3 delivers access logs late, up to hours after a request.
// The artifact bucket's logging is stopped before it is emptied, and the log
// bucket's policy, the only thing that lets the logging service write, is
// deleted before the log bucket is emptied, so that no log arrives between
// the emptying and the stack's deletion of the bucket (which would fail on a
// bucket that is not empty). Deleting a policy that is gone is no error for
// CloudFormation either.
constexpr std::string_view stop_access_logs =
    R"sh(  step="stopping the access logs of bucket $bucket"
  aws s3api put-bucket-logging --region "$region" --bucket "$bucket" --bucket-logging-status '{}'
)sh";
constexpr std::string_view empty_log_bucket = R"sh(  log_bucket="$bucket-logs"
  step="closing bucket $log_bucket to log deliveries"
  aws s3api delete-bucket-policy --region "$region" --bucket "$log_bucket"
  step="emptying bucket $log_bucket"
  echo "Emptying bucket $log_bucket"
  empty_bucket "$region" "$log_bucket"
)sh";

}  // namespace

std::string emit_teardown_script(const Ir& ir) {
  std::vector<std::string> apps;
  // Apps that wait for others are deleted before them.
  std::vector<const App*> order;
  for (const auto& a : ir.apps) order.push_back(&a);
  std::stable_sort(order.begin(), order.end(),
                   [](const App* a, const App* b) { return a->step > b->step; });
  apps.reserve(order.size());
  for (const App* a : order) apps.push_back(a->stack_name);
  return script_header(ir,
                       "Deletes everything the pipeline made: the app stacks in every region, "
                       "then the\n# artifact buckets (every version) and their stacks, then the "
                       "pipeline stack.\n# Asks first, unless run with --yes; stops at the first "
                       "failure and says what is left.") +
         fmt::format(
             R"sh(# The failure message below comes from an ERR trap, which functions inherit
# only with errtrace.
set -E

pipeline_stack={pipeline_stack}
bucket_stack={bucket_stack}
primary_region={primary}
regions=({regions})
app_stacks=({apps})

if [[ "${{1:-}}" != "--yes" ]]; then
  echo "This deletes the app stacks ${{app_stacks[*]}} and the artifact buckets{with_logs} in ${{regions[*]}}, then the pipeline stack $pipeline_stack."
  answer=""
  read -r -p "Type yes to go on: " answer || true
  if [[ "$answer" != "yes" ]]; then
    echo "teardown.sh: nothing was deleted" >&2
    exit 1
  fi
fi

step="finding the account"
left="the app stacks, the artifact buckets and their stacks, and the pipeline stack"
trap 'echo "teardown.sh: failed while $step; still there: $left" >&2' ERR

delete_stack() {{
  aws cloudformation delete-stack --region "$1" --stack-name "$2"
  aws cloudformation wait stack-delete-complete --region "$1" --stack-name "$2"
}}

# A versioned bucket must lose every version and delete marker before it can go.
empty_bucket() {{
  local batch
  batch=$(mktemp)
  while :; do
    aws s3api list-object-versions --region "$1" --bucket "$2" --max-items 1000 --output json \
      --query '{{Objects: [Versions, DeleteMarkers][].{{Key: Key, VersionId: VersionId}}, Quiet: `true`}}' >"$batch"
    if ! grep -q '"Key"' "$batch"; then
      break
    fi
    aws s3api delete-objects --region "$1" --bucket "$2" --delete "file://$batch" >/dev/null
  done
  rm -f "$batch"
}}

account=$(aws sts get-caller-identity --region "$primary_region" --query Account --output text)

for region in "${{regions[@]}}"; do
  for stack in "${{app_stacks[@]}}"; do
    step="deleting app stack $stack in $region"
    echo "Deleting stack $stack in $region"
    delete_stack "$region" "$stack"
  done
done
left="the artifact buckets and their stacks, and the pipeline stack"

for region in "${{regions[@]}}"; do
  bucket="{pipeline}-$account-$region"
{stop_logs}  step="emptying bucket $bucket"
  echo "Emptying bucket $bucket"
  empty_bucket "$region" "$bucket"
{empty_logs}  step="deleting stack $bucket_stack in $region"
  echo "Deleting stack $bucket_stack in $region"
  delete_stack "$region" "$bucket_stack"
done
left="the pipeline stack"

step="deleting stack $pipeline_stack in $primary_region"
echo "Deleting stack $pipeline_stack in $primary_region"
delete_stack "$primary_region" "$pipeline_stack"
trap - ERR
echo "Everything the pipeline made is deleted"
)sh",
             fmt::arg("pipeline_stack", shell_quote(ir.pipeline_stack)),
             fmt::arg("bucket_stack", shell_quote(ir.artifact_bucket_stack)),
             fmt::arg("primary", ir.primary_region().code), fmt::arg("regions", region_words(ir)),
             fmt::arg("apps", shell_words(apps)), fmt::arg("pipeline", ir.pipeline_name),
             fmt::arg("with_logs", ir.artifacts.access_logs ? " with their access logs" : ""),
             fmt::arg("stop_logs", ir.artifacts.access_logs ? stop_access_logs : ""),
             fmt::arg("empty_logs", ir.artifacts.access_logs ? empty_log_bucket : ""));
}

}  // namespace mrp
