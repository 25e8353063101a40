#!/usr/bin/env bash
# The offline evaluation (iam-eval.js) of the deploy role mrp derives for each
# test template (golden/errors/templates/*.yaml): each is deployed, alone, by
# a one-region spec written to a scratch folder and built with the given
# mrp; every handler permission of every type it creates must be allowed. The
# templates made to fail a check (broken YAML, parameters a spec must set,
# names that collide, …) do not compile on their own: they are skipped, and
# the set skipped must be exactly `expected_skips`, so that the check cannot
# pass by skipping a template it should evaluate.
# Usage: tests/validators/iam-eval-templates.sh MRP
# Exit: 0 nothing denied, 1 a denial, 2 setup error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
prog=tests/validators/iam-eval-templates.sh
mrp=${1:?usage: $prog MRP}

# shellcheck source-path=SCRIPTDIR source=node-deps.sh
source "$here/node-deps.sh"
ensure_node_modules

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

expected_skips="broken global-names not-a-template parameter-constraints sam-without-transform unknown-runtimes with-parameters"
pairs=()
skipped=()
for template in "$root"/golden/errors/templates/*.yaml; do
  name=$(basename "$template" .yaml)
  spec="$scratch/$name"
  mkdir -p "$spec"
  rel=$(realpath --relative-to="$spec" "$template")
  # A build command, so that local code folders the templates name need not
  # exist (the code-path check's business, not this one's).
  cat >"$spec/pipeline.mrp" <<SPEC
pipeline t-$name {
  source codecommit { repo t; branch main }
  regions eu-west-1
  build { run "make" }
  app t-$name-app {
    template "$rel"
    capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND
  }
}
SPEC
  if ! "$mrp" build "$spec/pipeline.mrp" -o "$spec/out" >/dev/null 2>&1; then
    skipped+=("$name")
    continue
  fi
  pairs+=("$spec" "$spec/out/deployment-pipeline/pipeline.yaml")
done
echo "$prog: $((${#pairs[@]} / 2)) templates evaluated; skipped: ${skipped[*]}"
if [[ "${skipped[*]}" != "$expected_skips" ]]; then
  echo "$prog: expected to skip exactly: $expected_skips" >&2
  exit 1
fi
exec node "$here/iam-eval.js" --group "${pairs[@]}"
