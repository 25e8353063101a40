#!/usr/bin/env bash
# Proves that iam-eval-accounts.js can fail, and fails where it should: on
# copies of golden/release-train/ with one policy loosened, checks that
#   - the golden templates pass, exit 0;
#   - a key policy that admits the target accounts' roots without the
#     condition on aws:PrincipalArn, a bucket policy likewise, an action
#     role's trust without its condition, a pipeline role that may assume any
#     role, and an action role that may deploy in any region each give exactly
#     the failures they should, exit 1;
#   - a missing target-account template is a setup error, exit 2.
# Usage: tests/validators/iam-eval-accounts-selftest.sh
# Exit: 0 all checks passed, 1 one failed, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=tests/validators/iam-eval-accounts-selftest.sh

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
spec=../../specs/release-train
golden=../../golden/release-train
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
# iam-eval-accounts.js on OUTPUT-ROOT; sets out and rc.
evaluate() {
  rc=0
  out=$(node iam-eval-accounts.js "$spec" "$1" 2>&1) || rc=$?
}
failures() { grep '^FAILED - ' <<<"$out" || true; }
# A fresh copy of the golden output root in $tmp/out.
fresh() {
  rm -rf "$tmp/out"
  mkdir -p "$tmp/out"
  cp -R "$golden/deployment-pipeline" "$tmp/out/"
}
# Rewrites $tmp/out/deployment-pipeline/FILE as JSON after the JavaScript
# function body CODE has changed the template `t` (long-form intrinsics).
edit() { # FILE CODE
  node -e '
    const fs = require("fs");
    const { readCfnFile } = require("./iam-eval-read");
    const [file, code] = process.argv.slice(1);
    const t = readCfnFile(file);
    const statement = (doc, sid) => doc.Statement.find((s) => s.Sid === sid);
    new Function("t", "statement", code)(t, statement);
    fs.writeFileSync(file, JSON.stringify(t, null, 1));
  ' "$tmp/out/deployment-pipeline/$1" "$2"
}
# The failures expected after the change, and exit 1.
expect_failures() { # NAME WANT
  evaluate "$tmp/out"
  local st=0
  [[ "$rc" == 1 && "$(failures)" == "$2" ]] || st=1
  check "$1, exit 1 (exit $rc)" $st "$(diff <(printf '%s\n' "$2") <(failures) || true)"
}

# 1. The golden templates: every result as expected.
evaluate "$golden"
st=0
[[ "$rc" == 0 && -z "$(failures)" ]] || st=1
grep -q '^iam-eval-accounts: [0-9]* checks, 0 failed$' <<<"$out" || st=1
check "golden templates: every result as expected, exit 0 (exit $rc)" $st "$(failures)"

# 2. Each loosened policy, and what it lets through.
staging=222233334444
production=444455556666
fresh
edit artifact-buckets.yaml \
  'delete statement(t.Resources.ArtifactKey.Properties.KeyPolicy, "DecryptByTargetAccountRoles").Condition;'
want=""
for region in us-east-1 eu-west-1; do
  for account in $staging $production; do
    want+="FAILED - $region key: another role of $account, allowed everything, kms:Decrypt: Allowed, want ImplicitlyDenied
FAILED - $region key: $account's root kms:Decrypt: Allowed, want ImplicitlyDenied
"
  done
done
expect_failures "key policy admitting the target accounts' roots without a condition" "${want%$'\n'}"

fresh
edit artifact-buckets.yaml \
  'delete statement(t.Resources.CodePipelineBuildArtifactBucketPolicy.Properties.PolicyDocument, "TargetAccountsReadArtifacts").Condition;'
want=""
for region in us-east-1 eu-west-1; do
  for account in $staging $production; do
    want+="FAILED - $region bucket: another role of $account, allowed everything, s3:GetObject: Allowed, want ImplicitlyDenied
FAILED - $region bucket: $account's root s3:GetObject: Allowed, want ImplicitlyDenied
"
  done
done
expect_failures "bucket policy admitting the target accounts' roots without a condition" "${want%$'\n'}"

fresh
edit target-account-$staging.yaml \
  'delete t.Resources.PipelineActionRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition;'
expect_failures "staging action role trusting the pipeline account without a condition" \
  "FAILED - $staging's action role trusts 111122223333's build role: Allowed, want ImplicitlyDenied
FAILED - $staging's action role trusts another role of 111122223333 on the pipeline role's path: Allowed, want ImplicitlyDenied
FAILED - $staging's action role trusts 111122223333's root: Allowed, want ImplicitlyDenied"

fresh
edit pipeline.yaml '
  const doc = t.Resources.CodePipelineRole.Properties.Policies[0].PolicyDocument;
  statement(doc, "AssumeTargetAccountRoles").Resource = "*";'
expect_failures "pipeline role that may assume any role" \
  "FAILED - pipeline role assumes another role of $staging that trusts 111122223333: Allowed, want ImplicitlyDenied
FAILED - pipeline role assumes $staging's action role name in 999988887777, which trusts 111122223333: Allowed, want ImplicitlyDenied
FAILED - pipeline role assumes another role of $production that trusts 111122223333: Allowed, want ImplicitlyDenied
FAILED - pipeline role assumes $production's action role name in 999988887777, which trusts 111122223333: Allowed, want ImplicitlyDenied"

fresh
sed -i 's/cloudformation:us-east-1:/cloudformation:*:/' "$tmp/out/deployment-pipeline/target-account-$staging.yaml"
expect_failures "staging action role that may deploy in any region" \
  "FAILED - $staging's action role on release-notes in eu-west-1 cloudformation:CreateStack: Allowed, want ImplicitlyDenied
FAILED - $staging's action role on release-notes in eu-west-1 cloudformation:UpdateStack: Allowed, want ImplicitlyDenied
FAILED - $staging's action role on release-notes in ap-south-1 cloudformation:CreateStack: Allowed, want ImplicitlyDenied
FAILED - $staging's action role on release-notes in ap-south-1 cloudformation:UpdateStack: Allowed, want ImplicitlyDenied"

# 3. A target-account template that is not there.
fresh
rm "$tmp/out/deployment-pipeline/target-account-$production.yaml"
evaluate "$tmp/out"
st=0
[[ "$rc" == 2 ]] && grep -qF "target-account-$production.yaml: cannot read: ENOENT" <<<"$out" || st=1
check "missing target-account template is a setup error, exit 2 (exit $rc)" $st "$out"

echo "iam-eval-accounts-selftest: $passed passed, $failed failed"
((failed == 0))
