#!/usr/bin/env bash
# Runs the validators (run.sh) on every golden/<spec>/ output root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dirs=()
for dir in golden/*/; do
  # Bad specs, and the pictures of mrp graph (tests/validators/graph.sh): no output roots.
  [[ "$dir" == golden/errors/ || "$dir" == golden/graph/ ]] && continue
  dirs+=("$dir")
done
exec bash tests/validators/run.sh "${dirs[@]}"
