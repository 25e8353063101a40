#!/usr/bin/env bash
# Benchmark of mrp: builds it in Release, generates N realistic specs and prints
# how long `mrp lint` and `mrp build` take and how much memory they use, next to
# the targets. It prints figures; it fails only when something does not work
# (a generated spec that does not compile), never because a figure misses its
# target. Not a test: ctest does not run it. See bench/README.md.
#
#   bench/run.sh [N]      N specs for the lint figure (default 1000)
set -euo pipefail
export LC_ALL=C # a '.' in EPOCHREALTIME and in printf's numbers
cd "$(dirname "${BASH_SOURCE[0]}")/.."

n=${1:-1000}
if [[ ! $n =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bench/run.sh [N]   (N: how many specs to lint, default 1000)" >&2
  exit 2
fi
runs=20      # runs of each build; the best one counts
lint_runs=3  # runs of the lint command; the best one counts
gnu_time=/usr/bin/time

# The 20 regions of the largest build; the scaling runs take the first 1, 5, 10, 20.
regions20=(us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 eu-west-1 eu-west-2
  eu-west-3 eu-central-1 eu-north-1 ap-northeast-1 ap-northeast-2 ap-northeast-3
  ap-south-1 ap-southeast-1 ap-southeast-2 sa-east-1 eu-south-1 ap-south-2 il-central-1)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mrp-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ms() { printf '%d.%03d ms' $(($1 / 1000)) $(($1 % 1000)); }
seconds() { printf '%d.%03d s' $(($1 / 1000000)) $(($1 / 1000 % 1000)); }
mb() { printf '%d.%d MB' $(($1 * 1024 / 1000000)) $(($1 * 1024 / 100000 % 10)); }
verdict() { if (($1)); then printf 'met'; else printf 'MISSED'; fi; }

# best_us K CMD...: sets best to the fastest of K runs, in microseconds. The
# clock is bash's EPOCHREALTIME (microseconds, read without starting a process).
best_us() {
  local k=$1 i t0 t1
  shift
  best=
  for ((i = 0; i < k; i++)); do
    t0=${EPOCHREALTIME/./}
    "$@" >/dev/null 2>&1 || true
    t1=${EPOCHREALTIME/./}
    if [[ -z $best ]] || ((t1 - t0 < best)); then best=$((t1 - t0)); fi
  done
}

# peak_kb CMD...: sets peak to the command's peak resident set size in KiB
# (GNU time's %M; empty without GNU time) and elapsed to its %e.
peak_kb() {
  peak=''
  elapsed=''
  [[ -x $gnu_time ]] || { "$@" >/dev/null 2>&1 || true; return 0; }
  "$gnu_time" -f '%e %M' -o "$tmp/time.out" "$@" >/dev/null 2>&1 || true
  # On a non-zero exit GNU time writes a line of its own before the figures.
  read -r elapsed peak < <(tail -n 1 "$tmp/time.out") || true
}

rss() { if [[ -n $peak ]]; then mb "$peak"; else printf 'unknown (no GNU time at %s)' "$gnu_time"; fi; }

build_mrp() {
  echo "Building mrp (Release) in build-bench/ ..."
  if ! { cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DMRP_TESTS=OFF &&
    cmake --build build-bench -j2 --target mrp; } >"$tmp/cmake.log" 2>&1; then
    cat "$tmp/cmake.log" >&2
    exit 1
  fi
  mrp=$PWD/build-bench/mrp
}

generate_and_compile() {
  local spec failed=0
  bench/gen-specs.sh "$tmp/specs" "$n"
  specs=("$tmp"/specs/*/pipeline.mrp)
  for spec in "${specs[@]}"; do
    if ! "$mrp" build "$spec" -o "$tmp/compiled" >/dev/null 2>"$tmp/build.err"; then
      failed=$((failed + 1))
      if ((failed <= 3)); then cat "$tmp/build.err" >&2; fi
    fi
  done
  if ((failed)); then
    echo "bench: $failed of ${#specs[@]} generated specs do not compile with mrp build" >&2
    exit 1
  fi
  echo "Generated ${#specs[@]} specs (1-12 regions each); every one compiles with mrp build."
}

measure_lint() {
  local status=0 per_spec
  "$mrp" lint "${specs[@]}" >"$tmp/lint.out" 2>&1 || status=$?
  best_us "$lint_runs" "$mrp" lint "${specs[@]}"
  peak_kb "$mrp" lint "${specs[@]}"
  per_spec=$((best / ${#specs[@]}))
  echo
  echo "mrp lint SPEC... : one process over all ${#specs[@]} specs"
  printf '  exit status   %d\n' "$status"
  if ((status != 0)); then
    echo "  NOTE: mrp lint exits 0 on clean specs; it exited $status. The figures time that"
    echo "  run as it was; no verdict. It printed:"
    head -n 3 "$tmp/lint.out" | sed 's/^/    | /'
  fi
  local target='not measured'
  ((status == 0)) && target=$(verdict $((best * 1000 < 500000 * ${#specs[@]})))
  printf '  wall time     %s (best of %d; GNU time %%e: %s s)   target < 0.5 s per 1,000 specs: %s\n' \
    "$(seconds "$best")" "$lint_runs" "${elapsed:-?}" "$target"
  printf '  per spec      %s\n' "$(ms "$per_spec")"
  printf '  peak RSS      %s\n' "$(rss)"
}

# spec_with K: writes a spec with the first K of the 20 regions; sets spec.
spec_with() {
  spec=$tmp/regions-$1/pipeline.mrp
  [[ -f $spec ]] || bench/gen-specs.sh --one "$tmp/regions-$1" "scale-$1" "${regions20[@]:0:$1}"
}

measure_build20() {
  spec_with 20
  best_us "$runs" "$mrp" build "$spec" -o "$tmp/out-20"
  peak_kb "$mrp" build "$spec" -o "$tmp/out-20"
  echo
  echo "mrp build of one 20-region spec ($(find "$tmp/out-20" -type f | wc -l) files written to a temp folder)"
  printf '  wall time     %s (best of %d)   target < 10 ms: %s\n' "$(ms "$best")" "$runs" \
    "$(verdict $((best < 10000)))"
  printf '  peak RSS      %s   target < 10 MB: %s\n' "$(rss)" \
    "$(verdict $((${peak:-999999} * 1024 < 10000000)))"
}

# Runs the four sizes in turn, 20 rounds, so a change in the machine's load
# affects each size alike instead of whichever ran during it.
measure_scaling() {
  local -a sizes=(1 5 10 20) best_of=()
  local round i t0 t1
  for i in "${sizes[@]}"; do spec_with "$i"; done
  for ((round = 0; round < runs; round++)); do
    for i in "${!sizes[@]}"; do
      t0=${EPOCHREALTIME/./}
      "$mrp" build "$tmp/regions-${sizes[i]}/pipeline.mrp" -o "$tmp/out-${sizes[i]}" >/dev/null 2>&1
      t1=${EPOCHREALTIME/./}
      if [[ -z ${best_of[i]-} ]] || ((t1 - t0 < best_of[i])); then best_of[i]=$((t1 - t0)); fi
    done
  done
  best_us "$runs" "$mrp" --version
  echo
  echo "mrp build by number of regions (best of $runs runs each)"
  printf '  mrp --version %s   (starting the process, for comparison)\n' "$(ms "$best")"
  printf '   1 region     %s\n' "$(ms "${best_of[0]}")"
  for i in 1 2 3; do
    printf '  %2d regions    %s   (%d us per region beyond the first)\n' "${sizes[i]}" \
      "$(ms "${best_of[i]}")" $(((best_of[i] - best_of[0]) / (sizes[i] - 1)))
  done
  # Least squares over the four sizes: less sensitive to one noisy size.
  local sx=0 sy=0 sxx=0 sxy=0 slope
  for i in "${!sizes[@]}"; do
    sx=$((sx + sizes[i])) sy=$((sy + best_of[i]))
    sxx=$((sxx + sizes[i] * sizes[i])) sxy=$((sxy + sizes[i] * best_of[i]))
  done
  slope=$(((4 * sxy - sx * sy) / (4 * sxx - sx * sx)))
  printf '  fit           %s + %d us per region\n' "$(ms $(((sy - slope * sx) / 4)))" "$slope"
}

# build_write_floor DIR: compiles $tmp/write-floor, a program that writes the
# files of DIR (mrp's output) to the folder it is given, as mrp's writer does:
# the folders made, each file written to a temporary file, the scripts made
# executable, then every file renamed into place. The bytes are in the program
# (.incbin), so it reads nothing: the least any compiler of these files could do.
build_write_floor() {
  local dir=$1 f i=0 c=$tmp/write-floor.c
  {
    echo '#include <fcntl.h>'
    echo '#include <stdio.h>'
    echo '#include <string.h>'
    echo '#include <sys/stat.h>'
    echo '#include <unistd.h>'
    echo 'struct file { const char *path; const char *start, *end; };'
    while IFS= read -r -d '' f; do
      printf 'extern const char f%d[], f%d_end[];\n' "$i" "$i"
      printf '__asm__(".section .rodata\\n.global f%d\\nf%d:\\n.incbin \\"%s\\"\\n.global f%d_end\\nf%d_end:\\n.previous");\n' \
        "$i" "$i" "$dir/$f" "$i" "$i"
      i=$((i + 1))
    done < <(cd "$dir" && find . -type f -printf '%P\0' | sort -z)
    echo 'static const struct file files[] = {'
    i=0
    while IFS= read -r -d '' f; do
      printf '  {"%s", f%d, f%d_end},\n' "$f" "$i" "$i"
      i=$((i + 1))
    done < <(cd "$dir" && find . -type f -printf '%P\0' | sort -z)
    cat <<'C'
};
enum { count = sizeof files / sizeof files[0] };
int main(int argc, char **argv) {
  char target[count][4096], temp[count][4096];
  if (argc != 2) return 2;
  for (int i = 0; i < count; ++i) {
    snprintf(target[i], sizeof target[i], "%s/%s", argv[1], files[i].path);
    for (char *p = target[i] + 1; (p = strchr(p, '/')); ++p) {
      *p = 0;
      mkdir(target[i], 0777);
      *p = '/';
    }
    snprintf(temp[i], sizeof temp[i], "%s.floor-%ld.tmp", target[i], (long)getpid());
    int fd = open(temp[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0 || write(fd, files[i].start, files[i].end - files[i].start) < 0 || close(fd))
      return 1;
    size_t n = strlen(files[i].path);
    if (n > 3 && !strcmp(files[i].path + n - 3, ".sh")) chmod(temp[i], 0755);
  }
  for (int i = 0; i < count; ++i)
    if (rename(temp[i], target[i])) return 1;
  return 0;
}
C
  } >"$c"
  cc -O2 -o "$tmp/write-floor" "$c"
}

# The release binary (scripts/release: -O2, every library but glibc linked in)
# against the dynamic build measured above, and against the write floor.
measure_release() {
  local static_build static_version floor floor_files
  echo
  echo "Building the release binary in build-bench-static/ ..."
  if ! scripts/release --build-only build-bench-static >"$tmp/release.log" 2>&1; then
    cat "$tmp/release.log" >&2
    exit 1
  fi
  local release=$PWD/build-bench-static/mrp
  spec_with 20
  "$mrp" build "$spec" -o "$tmp/floor-source" >/dev/null 2>&1
  build_write_floor "$tmp/floor-source"
  "$tmp/write-floor" "$tmp/floor-out"
  floor_files=$(cd "$tmp/floor-out" && find . -type f | wc -l)
  if ! diff -r "$tmp/floor-source" "$tmp/floor-out" >/dev/null; then
    echo "bench: the write floor did not write the same files as mrp" >&2
    exit 1
  fi
  # Each in turn, as in measure_scaling, so that a change in load is shared.
  local round t0 t1 i
  local -a best_of=() cmds=(
    "$mrp --version" "$release --version"
    "$mrp build $spec -o $tmp/out-dyn" "$release build $spec -o $tmp/out-rel"
    "$tmp/write-floor $tmp/floor-out")
  for ((round = 0; round < runs; round++)); do
    for i in "${!cmds[@]}"; do
      t0=${EPOCHREALTIME/./}
      ${cmds[i]} >/dev/null 2>&1
      t1=${EPOCHREALTIME/./}
      if [[ -z ${best_of[i]-} ]] || ((t1 - t0 < best_of[i])); then best_of[i]=$((t1 - t0)); fi
    done
  done
  floor=${best_of[4]}
  echo "Release binary (static but for glibc, -O2) against the dynamic build (best of $runs runs)"
  printf '  start-up (--version)     dynamic %s   release %s\n' "$(ms "${best_of[0]}")" \
    "$(ms "${best_of[1]}")"
  printf '  build of 20 regions      dynamic %s   release %s\n' "$(ms "${best_of[2]}")" \
    "$(ms "${best_of[3]}")"
  printf '  write floor              %s   (a program that only writes the same %d files)\n' \
    "$(ms "$floor")" "$floor_files"
  printf '  release build / floor    %d.%02dx   target <= 2.5x: %s\n' \
    $((best_of[3] / floor)) $((best_of[3] * 100 / floor % 100)) \
    "$(verdict $((best_of[3] * 10 <= floor * 25)))"
}

main() {
  build_mrp
  local cpu=''
  command -v lscpu >/dev/null && cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
  echo "Machine: $(uname -srm), $(nproc) CPUs${cpu:+ ($cpu)}; $("$mrp" --version)"
  if [[ ! -x $gnu_time ]]; then
    echo "No GNU time at $gnu_time: wall times only, peak RSS is not measured."
  fi
  generate_and_compile
  # Flush the thousands of files just written, so that their writeback does
  # not slow the renames of the builds measured next.
  sync
  measure_lint
  measure_build20
  measure_scaling
  measure_release
}

main
