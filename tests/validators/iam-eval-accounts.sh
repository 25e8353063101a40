#!/usr/bin/env bash
# Proves offline (iam-eval-accounts.js) that the golden release-train templates
# let the pipeline into its waves' other accounts exactly as far as it must:
# who may assume the action and deploy roles, who may use the artifact keys
# and read the artifact buckets, and what the action roles may do there.
# Usage: tests/validators/iam-eval-accounts.sh [SPEC-DIR OUTPUT-ROOT]
# Exit: 0 every result as expected, 1 one was not, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=tests/validators/iam-eval-accounts.sh

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$prog: missing $tool; install the project's dependencies with scripts/setup-deps" >&2
    exit 2
  fi
done
# shellcheck source-path=SCRIPTDIR source=node-deps.sh
source "$here/node-deps.sh"
ensure_node_modules

exec node "$here/iam-eval-accounts.js" "$@"
