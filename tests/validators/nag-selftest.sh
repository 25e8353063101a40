#!/usr/bin/env bash
# Proves that nag-cfn.js can fail: runs it on fixtures/nag-bad.yaml, a template
# of deliberately insecure resources, and fixtures/nag-clean.yaml, and checks
#   - exactly the findings in fixtures/nag-bad.expected, and "ok" for the clean
#     template, exit 1;
#   - fixtures/nag-suppressed.yaml, the same resources suppressing each finding
#     in their Metadata (cdk_nag: rules_to_suppress), reports none, exit 0;
#   - copies of it with one suppression broken each fail, exit 1: an applies_to
#     that names another finding (the finding is back, the entry is stale), an
#     entry without applies_to for a rule that reports findings (it suppresses
#     nothing), an empty reason, a pattern that is not /PATTERN/;
#   - a missing template fails, exit 1.
# Usage: tests/validators/nag-selftest.sh
# Exit: 0 all checks passed, 1 one failed, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=tests/validators/nag-selftest.sh

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
bad=fixtures/nag-bad.yaml
clean=fixtures/nag-clean.yaml
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
# nag-cfn.js with ARGS; sets out and rc. A setup error (2) is unexpected in
# every step but the one that asks for it, so it is left to the caller.
nag() {
  rc=0
  out=$(node nag-cfn.js "$@" 2>&1) || rc=$?
}
has_line() { grep -qxF -- "$1" <<<"$out"; }

# 1. Every expected finding, nothing else.
nag "$bad" "$clean"
got=$(sed -n "s|^$bad: \\([A-Z]*\\) \\([^ ]*\\) \\([^ :]*\\): .*|\\1 \\2 \\3|p" <<<"$out")
want=$(grep -v '^#' fixtures/nag-bad.expected)
st=0
[[ "$rc" == 1 && "$got" == "$want" ]] || st=1
check "all of nag-bad.expected found, exit 1 (exit $rc)" $st \
  "$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") || true)"
st=0
has_line "ok $clean" || st=1
check "clean fixture reported ok" $st "$out"
n=$(grep -c . <<<"$want")
st=0
has_line "nag-cfn: $n findings in 2 templates, 0 suppressed, $n unexpected" || st=1
check "summary counts every finding as unexpected" $st "$(tail -n 1 <<<"$out")"

# 2. The same resources, each suppressing its findings in the template.
suppressed=fixtures/nag-suppressed.yaml
nag "$suppressed"
st=0
[[ "$rc" == 0 ]] && has_line "ok $suppressed ($n suppressed)" || st=1
has_line "nag-cfn: $n findings in 1 templates, $n suppressed, 0 unexpected" || st=1
check "every finding suppressed in the template, exit 0 (exit $rc)" $st "$out"

# 3. One suppression broken at a time: FILE-NAME SED-SCRIPT EXPECTED-LINE...
broken() {
  local name=$1 script=$2
  shift 2
  sed "$script" "$suppressed" >"$tmp/$name.yaml"
  nag "$tmp/$name.yaml"
  local st=0 line
  [[ "$rc" == 1 ]] || st=1
  for line in "$@"; do
    has_line "unexpected: $tmp/$name.yaml: $line" || st=1
  done
  [[ $(grep -c '^unexpected: ' <<<"$out") == "$#" ]] || st=1
  check "$name: exactly $# unexpected, exit 1 (exit $rc)" $st "$out"
}
iam5_resource="ERROR AwsSolutions-IAM5[Resource::*] WildcardRole: The IAM entity contains wildcard permissions and does not have a cdk-nag rule suppression with evidence for those permission."
iam5_action="ERROR AwsSolutions-IAM5[Action::*] WildcardRole: The IAM entity contains wildcard permissions and does not have a cdk-nag rule suppression with evidence for those permission."
broken other-finding 's|- Resource::\*$|- Resource::arn:aws:s3:::other|' \
  "$iam5_resource" \
  "ERROR suppression WildcardRole: AwsSolutions-IAM5 applies_to Resource::arn:aws:s3:::other matches no finding"
broken no-applies-to '/reason: fixture, wildcard action/{n;N;d}' \
  "$iam5_action" \
  "ERROR suppression WildcardRole: AwsSolutions-IAM5 matches no finding"
broken no-reason 's|reason: fixture, no access logs|reason: ""|' \
  "ERROR AwsSolutions-S1 OpenBucket: The S3 Bucket has server access logs disabled." \
  "ERROR suppression OpenBucket: rules_to_suppress[0] (AwsSolutions-S1) has no reason"
broken bad-pattern 's|regex: /^Action::\\\*\$/|regex: "Action::*"|' \
  "$iam5_action" \
  "ERROR suppression WildcardRole: rules_to_suppress[1] (AwsSolutions-IAM5): regex \"Action::*\" is not /PATTERN/FLAGS"

# 4. A template that cannot be read fails.
nag "$suppressed" fixtures/no-such.yaml
st=0
[[ "$rc" == 1 ]] && has_line "unexpected: fixtures/no-such.yaml: ERROR include: no such file" || st=1
check "missing template fails, exit 1 (exit $rc)" $st "$out"

echo "nag-selftest: $passed passed, $failed failed"
((failed == 0))
