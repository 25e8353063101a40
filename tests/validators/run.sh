#!/usr/bin/env bash
# Lints and validates mrp output roots (what the compiler writes, or a
# golden/<spec-name>/ folder):
#   - CloudFormation validation of the templates in deployment-pipeline/
#     (artifact-buckets.yaml, pipeline.yaml and, when waves deploy into other
#     accounts, every target-account-ACCOUNT.yaml) with validate-cfn.js (the
#     CDK's CloudFormation Validate plugin; any error or warning fails), all
#     DIRs in one node run
#   - ShellCheck (-S warning) on every *.sh under DIR
#   - yamllint (-d relaxed, any finding but line-length fails) on the same
#     templates and deployment-pipeline/buildspec.yaml
#   - cdk-nag's AWS Solutions rules on the same templates with nag-cfn.js;
#     any finding its resource does not suppress in the template
#     (Metadata: cdk_nag: rules_to_suppress, with a reason) fails, and so does
#     a suppression that matches no finding; all DIRs in one node run
# Usage: tests/validators/run.sh DIR...
# Exit: 0 all clean, 1 a tool found problems, 2 usage or setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=tests/validators/run.sh

usage() {
  echo "usage: $prog DIR..." >&2
  exit 2
}
case ${1:-} in
  --) shift ;;
  -*) usage ;;
esac
(($#)) || usage
for dir in "$@"; do
  if [[ ! -d "$dir" ]]; then
    echo "$prog: not a directory: $dir" >&2
    exit 2
  fi
done

missing=()
for tool in shellcheck yamllint node npm; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "$prog: missing ${missing[*]}; install the project's dependencies with scripts/setup-deps" >&2
  exit 2
fi

# shellcheck source-path=SCRIPTDIR source=node-deps.sh
source "$here/node-deps.sh"
ensure_node_modules

summary=()
failed=0
setup_error=0

# --- cfn-validate ------------------------------------------------------------
# The two templates every output root has (a missing one is an error of
# validate-cfn.js), then one per target account, when there are any.
templates=()
for dir in "$@"; do
  root=${dir%/}/deployment-pipeline
  templates+=("$root/artifact-buckets.yaml" "$root/pipeline.yaml")
  while IFS= read -r -d '' f; do
    templates+=("$f")
  done < <(find "$root" -maxdepth 1 -type f -name 'target-account-*.yaml' -print0 2>/dev/null | sort -z)
done
echo "== cfn-validate"
rc=0
out=$(node "$here/validate-cfn.js" "${templates[@]}") || rc=$?
[[ -z "$out" ]] || printf '%s\n' "$out"
ok=$(grep -c '^ok ' <<<"$out" || true)
if ((rc == 0)); then
  summary+=("cfn-validate: ok (${#templates[@]} templates)")
else
  summary+=("cfn-validate: FAILED ($((${#templates[@]} - ok)) of ${#templates[@]} templates)")
  failed=1
fi

# --- shellcheck ----------------------------------------------------------------
scripts=()
empty_dirs=()
for dir in "$@"; do
  n=${#scripts[@]}
  while IFS= read -r -d '' f; do
    scripts+=("$f")
  done < <(find "${dir%/}" -type f -name '*.sh' -print0 | sort -z)
  ((${#scripts[@]} > n)) || empty_dirs+=("$dir")
done
echo "== shellcheck"
bad=0
for f in "${scripts[@]}"; do
  if shellcheck -S warning "$f"; then
    echo "ok $f"
  else
    bad=$((bad + 1))
  fi
done
for dir in "${empty_dirs[@]}"; do
  echo "$prog: no *.sh under $dir"
done
if ((bad || ${#empty_dirs[@]})); then
  summary+=("shellcheck: FAILED ($bad of ${#scripts[@]} scripts; ${#empty_dirs[@]} DIRs without any)")
  failed=1
else
  summary+=("shellcheck: ok (${#scripts[@]} scripts)")
fi

# --- yamllint ------------------------------------------------------------------
yamls=("${templates[@]}")
for dir in "$@"; do
  yamls+=("${dir%/}/deployment-pipeline/buildspec.yaml")
done
echo "== yamllint"
# The relaxed profile, with every warning counted as a failure except line
# length: yaml-cpp cannot fold a plain scalar, and a user's description, a
# command or an AllowedPattern is as long as it is.
rc=0
out=$(yamllint -d relaxed -f parsable "${yamls[@]}" 2>&1) || rc=$?
[[ -z "$out" ]] || printf '%s\n' "$out"
if grep -v '(line-length)$' <<<"$out" | grep -q .; then
  rc=1
fi
if ((rc == 0)); then
  summary+=("yamllint: ok (${#yamls[@]} files)")
else
  summary+=("yamllint: FAILED ($(grep -c . <<<"$out" || true) problems)")
  failed=1
fi

# --- cdk-nag -------------------------------------------------------------------
# The same templates as cfn-validate.
echo "== cdk-nag"
rc=0
out=$(node "$here/nag-cfn.js" "${templates[@]}") || rc=$?
[[ -z "$out" ]] || printf '%s\n' "$out"
# "nag-cfn: N findings in T templates, S suppressed, U unexpected[, E errors]"
counts=$(sed -n 's/^nag-cfn: \([0-9]* findings\) in [0-9]* templates, \(.*\)$/\1, \2/p' <<<"$out")
if ((rc == 0)); then
  summary+=("cdk-nag: ok (${#templates[@]} templates; ${counts:-no findings})")
elif ((rc == 1)); then
  summary+=("cdk-nag: FAILED (${#templates[@]} templates; $counts)")
  failed=1
else
  summary+=("cdk-nag: SETUP ERROR (nag-cfn.js exited $rc)")
  setup_error=1
fi

echo "== summary"
printf '%s\n' "${summary[@]}"
if ((setup_error)); then
  exit 2
fi
exit "$failed"
