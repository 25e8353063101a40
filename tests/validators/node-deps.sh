# Sourced by run.sh, nag-selftest.sh and the iam-eval*.sh scripts: installs tests/validators/node_modules
# (npm install, from package.json's exact versions) when it is missing or out
# of date. Needs $here (this folder) and $prog (the caller's name, for
# messages); exits 2 when npm fails.
# shellcheck shell=bash disable=SC2154 # $here and $prog are the caller's

# Out of date: package.json is newer than node_modules, or a dependency is
# missing or at another version than package.json pins. A node_modules that is
# a link (git worktrees share one install) is judged by the versions alone: a
# checkout gives package.json a new time, and npm would replace the link with
# an install of its own.
needs_install() {
  [[ ! -d "$here/node_modules" ]] && return 0
  [[ ! -L "$here/node_modules" && "$here/package.json" -nt "$here/node_modules" ]] && return 0
  # shellcheck disable=SC2016 # JavaScript, not shell
  ! (cd "$here" && node -e '
    const deps = require("./package.json").dependencies || {};
    for (const [name, want] of Object.entries(deps)) {
      let got;
      try { got = require(`./node_modules/${name}/package.json`).version; } catch { process.exit(1); }
      if (got !== want) process.exit(1);
    }' 2>/dev/null)
}

ensure_node_modules() {
  needs_install || return 0
  # Serialise concurrent runs (e.g. parallel ctest) around the install.
  exec 9>"$here/.npm-install.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  if needs_install; then
    echo "$prog: installing node_modules in tests/validators (npm install)"
    local npm_log
    npm_log=$(mktemp)
    if ! (cd "$here" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) >"$npm_log" 2>&1; then
      cat "$npm_log" >&2
      rm -f "$npm_log"
      echo "$prog: npm install failed in tests/validators" >&2
      exit 2
    fi
    rm -f "$npm_log"
    # npm leaves the folder's mtime alone when nothing changed.
    touch "$here/node_modules"
  fi
  exec 9>&-
}
