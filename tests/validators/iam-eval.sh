#!/usr/bin/env bash
# Evaluates the roles of every golden pipeline template offline (iam-eval.js):
# the deploy role against the handler permissions of every resource type the
# spec's apps create, and the pipeline role against the app stacks' events.
# Prints every denial and, at the end, the denials counted by type and action.
# Usage: tests/validators/iam-eval.sh
# Exit: 0 nothing denied, 1 a denial, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=tests/validators/iam-eval.sh

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$prog: missing $tool; install the project's dependencies with scripts/setup-deps" >&2
    exit 2
  fi
done
# shellcheck source-path=SCRIPTDIR source=node-deps.sh
source "$here/node-deps.sh"
ensure_node_modules

exec node "$here/iam-eval.js" --group
