#!/usr/bin/env bash
# Proves that iam-eval.js can fail, and reads what it should: on
# fixtures/iam-eval-fixture/ (a one-region spec and a hand-written pipeline
# template whose deploy role allows exactly what the app's handlers call,
# split over an inline policy, a managed policy in ManagedPolicyArns and a
# managed policy that names the role in Roles), checks that
#   - the complete role passes, exit 0;
#   - a role missing one action (in each of the three policies), a pass-role
#     grant for the wrong service, and a pipeline role that may not read the
#     stack's events each give exactly their denials, exit 1;
#   - --types reads sam-types.yaml (SAM resources, Globals, connectors,
#     Fn::ForEach, AWS::Include) as sam-types.expected says;
#   - a missing pipeline template is a setup error, exit 2.
# Usage: tests/validators/iam-eval-selftest.sh
# Exit: 0 all checks passed, 1 one failed, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=tests/validators/iam-eval-selftest.sh

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$prog: missing $tool; install the project's dependencies with scripts/setup-deps" >&2
    exit 2
  fi
done
# shellcheck source-path=SCRIPTDIR source=node-deps.sh
source "$here/node-deps.sh"
ensure_node_modules

cd "$here"
spec=fixtures/iam-eval-fixture
complete=$spec/pipeline.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0
check() { # NAME CONDITION-STATUS [DETAILS]
  if (($2 == 0)); then
    echo "ok - $1"
    passed=$((passed + 1))
  else
    echo "FAILED - $1"
    [[ -z "${3:-}" ]] || printf '%s\n' "$3" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}
# iam-eval.js with ARGS; sets out and rc.
evaluate() {
  rc=0
  out=$(node iam-eval.js "$@" 2>&1) || rc=$?
}
denials() { grep ': denied$' <<<"$out" || true; }

# 1. The complete role: nothing denied.
evaluate "$spec" "$complete"
st=0
[[ "$rc" == 0 && -z "$(denials)" ]] || st=1
grep -q '^iam-eval-fixture: [0-9]* checks, 0 denied$' <<<"$out" || st=1
check "complete role: nothing denied, exit 0 (exit $rc)" $st "$out"

# 2. One grant less, one denial more: PATTERN is the line removed from (or
# replaced in) the role, WANT the only denial lines expected.
expect_denials() { # NAME SED-SCRIPT WANT
  sed "$2" "$complete" >"$tmp/pipeline.yaml"
  if cmp -s "$complete" "$tmp/pipeline.yaml"; then
    check "$1" 1 "the sed script changed nothing in $complete"
    return
  fi
  evaluate "$spec" "$tmp/pipeline.yaml"
  local st=0
  [[ "$rc" == 1 && "$(denials)" == "$3" ]] || st=1
  check "$1, exit 1 (exit $rc)" $st \
    "$(diff <(printf '%s\n' "$3") <(denials) || true; printf '%s\n' "$out")"
}
arn=arn:aws
expect_denials "inline policy without sqs:SetQueueAttributes" \
  '/- sqs:SetQueueAttributes$/d' \
  "iam-eval-fixture: AWS::SQS::Queue update sqs:SetQueueAttributes on $arn:sqs:eu-west-1:111122223333:iam-eval-app-Queue-1A2B3C4D5E6F: denied"
expect_denials "ManagedPolicyArns policy without sns:Unsubscribe" \
  '/- sns:Unsubscribe$/d' \
  "iam-eval-fixture: AWS::SNS::Topic update sns:Unsubscribe on $arn:sns:eu-west-1:111122223333:iam-eval-app-Topic-1A2B3C4D5E6F: denied"
expect_denials "policy naming the role in Roles without ssm:DeleteParameter" \
  '/- ssm:DeleteParameter$/d' \
  "iam-eval-fixture: AWS::SSM::Parameter delete ssm:DeleteParameter on $arn:ssm:eu-west-1:111122223333:parameter/iam-eval-app-Parameter-1A2B3C4D5E6F: denied"
expect_denials "roles passed to Lambda instead of SNS (iam:PassedToService)" \
  's/iam:PassedToService: sns.amazonaws.com/iam:PassedToService: lambda.amazonaws.com/' \
  "iam-eval-fixture: AWS::SNS::Topic create iam:PassRole on $arn:iam::111122223333:role/iam-eval-app-Role-1A2B3C4D5E6F: denied
iam-eval-fixture: AWS::SNS::Topic update iam:PassRole on $arn:iam::111122223333:role/iam-eval-app-Role-1A2B3C4D5E6F: denied"
expect_denials "pipeline role without cloudformation:DescribeStackEvents" \
  '/- cloudformation:DescribeStackEvents$/d' \
  "iam-eval-fixture: pipeline-role deploy cloudformation:DescribeStackEvents on $arn:cloudformation:eu-west-1:111122223333:stack/iam-eval-app/1234abcd-12ab-34cd-56ef-1234567890ab: denied"

# 3. The resource types of a SAM template.
evaluate --types "$spec/sam-types.yaml"
st=0
[[ "$rc" == 0 && "$out" == "$(cat "$spec/sam-types.expected")" ]] || st=1
check "--types reads sam-types.yaml as sam-types.expected says (exit $rc)" $st \
  "$(diff "$spec/sam-types.expected" <(printf '%s\n' "$out") || true)"

# 4. A pipeline template that is not there.
evaluate "$spec" "$tmp/no-such.yaml"
st=0
[[ "$rc" == 2 ]] && grep -qF 'no-such.yaml: cannot read: ENOENT' <<<"$out" || st=1
check "missing pipeline template is a setup error, exit 2 (exit $rc)" $st "$out"

echo "iam-eval-selftest: $passed passed, $failed failed"
((failed == 0))
