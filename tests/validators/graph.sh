#!/usr/bin/env bash
# Checks the pictures `mrp graph` draws, golden/graph/*: each .mmd parses with
# Mermaid's own parser (mermaid/parse.mjs, under jsdom), each .dot renders with
# Graphviz's `dot -Tsvg` without a word on stderr, and docs/*.svg is what
# `dot -Tsvg` makes of its golden .dot now. First it proves that each check can
# fail: broken Mermaid and broken DOT must be refused.
# Usage: tests/validators/graph.sh
# Exit: 0 all checks passed, 1 one failed, 2 setup error.
set -euo pipefail

prog=tests/validators/graph.sh
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

for tool in node npm dot; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$prog: missing $tool; install the project's dependencies with scripts/setup-deps" >&2
    exit 2
  fi
done
# Mermaid and jsdom have a package.json of their own: the other validators'
# node_modules need not be reinstalled for them.
here="$root/tests/validators/mermaid"
# shellcheck source-path=SCRIPTDIR source=node-deps.sh
source "$root/tests/validators/node-deps.sh"
ensure_node_modules

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
check() { # NAME CONDITION-STATUS [DETAILS]
  if (($2 == 0)); then
    echo "ok - $1"
  else
    echo "not ok - $1${3:+: $3}"
    failed=1
  fi
}

cd "$root"
mmd=(golden/graph/*.mmd)
dots=(golden/graph/*.dot)
if [[ ! -e "${mmd[0]}" || ! -e "${dots[0]}" ]]; then
  echo "$prog: no golden/graph/*.mmd or *.dot" >&2
  exit 2
fi

# The checks themselves must refuse broken text.
printf 'flowchart LR\n  a["x"] --> b["y\n' >"$tmp/broken.mmd"
status=0
node "$here/parse.mjs" "$tmp/broken.mmd" >"$tmp/out" 2>&1 || status=$?
check "mermaid refuses an unclosed label" "$((status == 1 ? 0 : 1))" "$(cat "$tmp/out")"
printf 'digraph g {\n  a -> ;\n}\n' >"$tmp/broken.dot"
status=0
dot -Tsvg "$tmp/broken.dot" >/dev/null 2>"$tmp/err" || status=$?
check "dot refuses a broken edge" "$((status != 0 && $(wc -c <"$tmp/err") > 0 ? 0 : 1))"

status=0
node "$here/parse.mjs" "${mmd[@]}" >"$tmp/out" 2>&1 || status=$?
check "mermaid parses ${#mmd[@]} golden/graph/*.mmd" "$status" "$(grep -v '^ok ' "$tmp/out")"

for file in "${dots[@]}"; do
  status=0
  dot -Tsvg "$file" >"$tmp/out.svg" 2>"$tmp/err" || status=$?
  [[ -s "$tmp/err" ]] && status=1
  check "dot -Tsvg $file" "$status" "$(cat "$tmp/err")"
done

for svg in docs/graph-*.svg; do
  [[ -e "$svg" ]] || continue
  name=$(basename "$svg" .svg)
  status=0
  dot -Tsvg "golden/graph/${name#graph-}.dot" >"$tmp/now.svg" 2>/dev/null || status=$?
  cmp -s "$svg" "$tmp/now.svg" || status=1
  check "$svg is dot -Tsvg of golden/graph/${name#graph-}.dot" "$status" \
    "regenerate it with: dot -Tsvg golden/graph/${name#graph-}.dot -o $svg"
done
exit "$failed"
