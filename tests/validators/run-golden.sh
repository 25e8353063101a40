#!/usr/bin/env bash
# Runs the validators (run.sh) on every golden/<spec>/ output root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dirs=()
for dir in golden/*/; do
  [[ "$dir" == golden/errors/ ]] && continue
  dirs+=("$dir")
done
exec bash tests/validators/run.sh "${dirs[@]}"
