#!/usr/bin/env bash
# Proves that nag-cfn.js can fail: runs it on fixtures/nag-bad.yaml, a template
# of deliberately insecure resources, and fixtures/nag-clean.yaml, and checks
#   - exactly the findings in fixtures/nag-bad.expected, and "ok" for the clean
#     template, exit 1;
#   - with fixtures/nag-bad-accepted.txt, every finding accepted but one,
#     which is the only unexpected one, exit 1;
#   - with that one accepted too, exit 0;
#   - a malformed accepted file is a setup error, exit 2;
#   - a missing template fails even when everything is accepted, exit 1.
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

# 1. No accepted file: every expected finding, nothing else.
nag "$bad" "$clean"
got=$(sed -n "s|^$bad: \\([A-Z]*\\) \\([^ ]*\\) \\([^ :]*\\): .*|\\1 \\2 \\3|p" <<<"$out" | sed 's/ \[accepted\]$//')
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
has_line "nag-cfn: $n findings in 2 templates, 0 accepted, $n unexpected" || st=1
check "summary counts every finding as unexpected" $st "$(tail -n 1 <<<"$out")"

# 2. The fixture's accepted file leaves exactly IAM5[Resource::*] unexpected.
nag --accepted fixtures/nag-bad-accepted.txt "$bad" "$clean"
unexpected=$(grep '^unexpected: ' <<<"$out" || true)
st=0
[[ "$rc" == 1 && "$unexpected" == "unexpected: $bad: ERROR AwsSolutions-IAM5[Resource::*] WildcardRole: "* ]] || st=1
[[ $(grep -c . <<<"$unexpected") == 1 ]] || st=1
has_line "nag-cfn: $n findings in 2 templates, $((n - 1)) accepted, 1 unexpected" || st=1
check "accepted entries match by glob, exact rule id and logical id, exit 1 (exit $rc)" $st "$out"
st=0
[[ $(grep -c '^note: fixtures/nag-bad-accepted.txt:[0-9]* matched no finding' <<<"$out") == 3 ]] || st=1
check "entries that match nothing are noted" $st "$out"

# 3. Everything accepted: exit 0.
{
  cat fixtures/nag-bad-accepted.txt
  echo "nag-bad.yaml  AwsSolutions-IAM5[Resource::*]  WildcardRole  -- wildcard resource"
} >"$tmp/all.txt"
nag --accepted "$tmp/all.txt" "$bad" "$clean"
st=0
[[ "$rc" == 0 ]] || st=1
has_line "nag-cfn: $n findings in 2 templates, $n accepted, 0 unexpected" || st=1
check "every finding accepted, exit 0 (exit $rc)" $st "$out"

# 4. A malformed accepted file is a setup error.
echo "nag-bad.yaml  AwsSolutions-S1  OpenBucket" >"$tmp/malformed.txt"
nag --accepted "$tmp/malformed.txt" "$bad"
st=0
[[ "$rc" == 2 ]] && grep -qF "malformed.txt:1: missing ' -- reason'" <<<"$out" || st=1
check "entry without a reason is a setup error, exit 2 (exit $rc)" $st "$out"

# 5. A template that cannot be read is never accepted.
nag --accepted "$tmp/all.txt" "$bad" fixtures/no-such.yaml
st=0
[[ "$rc" == 1 ]] && has_line "unexpected: fixtures/no-such.yaml: ERROR include: no such file" || st=1
check "missing template fails, exit 1 (exit $rc)" $st "$out"

echo "nag-selftest: $passed passed, $failed failed"
((failed == 0))
