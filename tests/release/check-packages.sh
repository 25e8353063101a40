#!/usr/bin/env bash
# Checks what scripts/release made, as a user would meet it:
#
#   tests/release/check-packages.sh DIST
#
# - SHA256SUMS matches both packages;
# - the tarball holds exactly the binary, the man page, README, language
#   reference and licence, in one folder named after it;
# - the .deb's control fields (depending on libc6 2.34 alone), and its files, unpacked into a scratch root with
#   dpkg -x (installing into the machine itself is not a test's business);
# - both carry the same binary, which needs glibc's libraries alone, and no
#   symbol newer than glibc 2.34 (Amazon Linux 2023, Ubuntu 22.04, Debian 12);
# - the installed binary prints the version with the commit, compiles the
#   example spec to exactly its golden files, reports a broken app template
#   exactly as the golden .err says (an exception thrown and caught inside the
#   binary, through the unwinder the release links in), and refuses a bad
#   command line with status 2;
# - the man page renders without a warning and documents every subcommand.
set -euo pipefail
export LC_ALL=C.UTF-8
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dist=$(cd "${1:?usage: tests/release/check-packages.sh DIST}" && pwd)
version=$(sed -n 's/^project(mrp VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
name=mrp-$version-linux-x86_64
deb=mrp_${version}_amd64.deb
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "check-packages: FAIL: $*" >&2
  failures=$((failures + 1))
}
expect_eq() { # WHAT EXPECTED ACTUAL
  if [[ "$2" != "$3" ]]; then fail "$1: expected [$2], got [$3]"; fi
}

(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
expect_eq "SHA256SUMS lists" "$name.tar.gz $deb" "$(awk '{print $2}' "$dist/SHA256SUMS" | xargs)"

# The tarball.
expect_eq "tarball contents" "$(printf '%s\n' "$name/bin/mrp" "$name/share/doc/mrp/LICENSE" \
  "$name/share/doc/mrp/README.md" "$name/share/doc/mrp/language.md" "$name/share/man/man1/mrp.1")" \
  "$(tar -tzf "$dist/$name.tar.gz" | grep -v '/$' | sort)"
mkdir "$tmp/tar"
tar -xzf "$dist/$name.tar.gz" -C "$tmp/tar"
cmp -s "$tmp/tar/$name/share/doc/mrp/README.md" "$root/README.md" || fail "tarball README differs"
cmp -s "$tmp/tar/$name/share/doc/mrp/language.md" "$root/docs/language.md" ||
  fail "tarball language.md differs"

# The Debian package.
expect_eq "deb Package" mrp "$(dpkg-deb -f "$dist/$deb" Package)"
expect_eq "deb Version" "$version" "$(dpkg-deb -f "$dist/$deb" Version)"
expect_eq "deb Architecture" amd64 "$(dpkg-deb -f "$dist/$deb" Architecture)"
expect_eq "deb Depends" "libc6 (>= 2.34)" "$(dpkg-deb -f "$dist/$deb" Depends)"
expect_eq "deb contents" "$(printf '%s\n' ./usr/bin/mrp ./usr/share/doc/mrp/LICENSE \
  ./usr/share/doc/mrp/README.md ./usr/share/doc/mrp/language.md ./usr/share/man/man1/mrp.1)" \
  "$(dpkg-deb -c "$dist/$deb" | awk '{print $6}' | grep -v '/$' | sort)"
mkdir "$tmp/root"
dpkg -x "$dist/$deb" "$tmp/root"
mrp=$tmp/root/usr/bin/mrp
cmp -s "$mrp" "$tmp/tar/$name/bin/mrp" || fail "the tarball and the .deb carry different binaries"

# What the binary needs from the system.
others=$("$root/scripts/libs-beyond-glibc" "$mrp")
[[ -z $others ]] || fail "the binary needs libraries beyond glibc: $others"
newest=$(objdump -T "$mrp" | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -n 1)
expect_eq "newest glibc symbol version" GLIBC_2.34 "$newest"

# The installed binary at work.
describe=$(git -C "$root" describe --always --dirty --abbrev=12 2>/dev/null || true)
expect_eq "mrp --version" "mrp $version${describe:+ (git $describe)}" "$("$mrp" --version)"
mkdir "$tmp/example"
cp -r "$root/specs/multi-region-codepipeline/." "$tmp/example/"
(cd "$tmp/example" && "$mrp" build pipeline.mrp >"$tmp/build.out" 2>&1) || {
  cat "$tmp/build.out" >&2
  fail "mrp build of the example spec failed"
}
for f in $(cd "$root/golden/multi-region-codepipeline" && find . -type f | sort); do
  cmp -s "$root/golden/multi-region-codepipeline/$f" "$tmp/example/$f" ||
    fail "the installed mrp wrote a different $f than golden/multi-region-codepipeline"
done
status=0
(cd "$root" && "$mrp" lint golden/errors/lint-app-template-broken.mrp >"$tmp/lint.out" 2>&1) ||
  status=$?
expect_eq "lint of a broken app template: exit status" 1 "$status"
cmp -s "$tmp/lint.out" "$root/golden/errors/lint-app-template-broken.err" ||
  fail "lint of a broken app template printed: $(cat "$tmp/lint.out")"
status=0
"$mrp" build --no-such-option >/dev/null 2>&1 || status=$?
expect_eq "a bad command line: exit status" 2 "$status"

# The man page.
page=$tmp/root/usr/share/man/man1/mrp.1
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1 || true)
  [[ -z $warnings ]] || fail "the man page has groff warnings: $warnings"
fi
# Every subcommand the installed program lists must have its section.
mapfile -t commands < <("$mrp" --help | sed -n '/^Subcommands:/,$s/^  \([a-z][a-z-]*\) .*/\1/p')
((${#commands[@]} >= 5)) || fail "mrp --help lists ${#commands[@]} subcommands"
for needle in "${commands[@]/#/mrp }" '\-\-forget\-retired' 'sarif' 'EXIT STATUS'; do
  grep -q -F -- "$needle" "$page" || fail "the man page does not mention $needle"
done

if ((failures)); then
  echo "check-packages: $failures check(s) failed" >&2
  exit 1
fi
echo "check-packages: $name.tar.gz and $deb: all checks passed ($("$mrp" --version))"
