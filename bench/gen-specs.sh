#!/usr/bin/env bash
# Writes realistic .mrp specs for the benchmark, each in its own folder with a
# small SAM template, in the syntax of docs/language.md.
#
#   bench/gen-specs.sh DIR N [SEED]              N varied specs: DIR/0001/ ... DIR/N/
#   bench/gen-specs.sh --one DIR NAME REGION...  one spec with exactly these regions
#
# The same SEED (default 1) gives the same specs.
set -euo pipefail

# The commercial regions the varied specs draw from.
regions_pool=(
  us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1
  eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-north-1
  ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-south-1
  ap-southeast-1 ap-southeast-2 sa-east-1
)
services=(orders billing invoice search auth catalog inventory payments notify
  profile checkout ledger reports media geo audit shipping pricing quotes tax)
kinds=(api worker sync ingest web jobs cron events gateway stream)
owners=(northwind-labs tidewater-finance harbor-ops acme-retail blue-fjord
  kestrel-io lumen-health orbit-freight)
branches=(main master develop release/2026.11 prod staging release/v3)
images=(aws/codebuild/standard:7.0 aws/codebuild/amazonlinux-x86_64-standard:5.0
  aws/codebuild/amazonlinux-aarch64-standard:3.0 aws/codebuild/standard:6.0)
computes=(small medium large BUILD_GENERAL1_MEDIUM xlarge)
envs=('NODE_OPTIONS --enable-source-maps' 'LOG_LEVEL info' 'STAGE prod'
  'NPM_CONFIG_UPDATE_NOTIFIER false' 'TZ UTC' 'FORCE_COLOR 0' 'CI true'
  'JAVA_TOOL_OPTIONS "-Xmx2g -XX:+UseG1GC"')
# Build commands in the order a build runs them.
installs=('"n 22"' '"corepack enable"  # pnpm comes with Node.js' '"npm install -g pnpm@9"'
  '"npm ci"' '"pip install --upgrade awscli"')
runs=('"npm run lint"' '"npx tsc -p tsconfig.build.json"' '"npm test -- --ci"'
  '"npm run build"          # esbuild bundle into dist/' '"cp -r assets dist/assets"'
  '"node scripts/check-bundle-size.js --max 5MB"'
  '"npm prune --omit=dev"   # keeps the zip under the Lambda limit'
  '"npm audit --omit=dev --audit-level=high"')

# Every draw from RANDOM happens in this shell, never in a $(...) subshell:
# bash reseeds RANDOM in subshells, so SEED would not fix the output.

# pick N ITEM...: sets `picked` to N distinct items, in random order.
pick() {
  local n=$1 j
  shift
  local -a pool=("$@")
  picked=()
  while ((${#picked[@]} < n)); do
    j=$((RANDOM % ${#pool[@]}))
    picked+=("${pool[j]}")
    pool=("${pool[@]:0:j}" "${pool[@]:j+1}")
  done
}

# pick_in_order N ITEM...: sets `picked` to N distinct items, in their order
# (selection sampling: each item is taken with chance still-needed / left).
pick_in_order() {
  local n=$1 item left
  shift
  left=$#
  picked=()
  for item in "$@"; do
    if ((RANDOM % left < n - ${#picked[@]})); then picked+=("$item"); fi
    left=$((left - 1))
  done
}

# pick_one ITEM...: sets REPLY to one item, at random.
pick_one() {
  pick 1 "$@"
  REPLY=${picked[0]}
}

# The regions, in one of the three forms the language allows.
regions_directive() {
  local -a rs=("$@")
  local i
  case $((RANDOM % 3)) in
    0) printf '  regions %s\n' "${rs[*]}" ;;
    1)
      printf '  regions {\n'
      for ((i = 0; i < ${#rs[@]}; i += 3)); do printf '    %s\n' "${rs[*]:i:3}"; done
      printf '  }\n'
      ;;
    2)
      if ((${#rs[@]} > 4)); then
        printf '  regions %s \\\n          %s\n' "${rs[*]:0:4}" "${rs[*]:4}"
      else
        printf '  regions %s  # primary first\n' "${rs[*]}"
      fi
      ;;
  esac
}

source_directive() {
  local name=$1 owner
  pick_one "${owners[@]}"
  owner=$REPLY
  pick_one "${branches[@]}"
  if ((RANDOM % 2)); then
    printf '  source github { owner %s; repo %s; branch %s }\n' "$owner" "$name" "$REPLY"
  else
    printf '  source github {\n    owner  %s\n    repo   %s\n    branch %s\n  }\n' \
      "$owner" "$name" "$REPLY"
  fi
}

artifacts_block() {
  printf '  artifacts {\n    expire-after %dd\n' $((1 + RANDOM % 365))
  if ((RANDOM % 2)); then
    pick_one on off
    printf '    versioning   %s\n' "$REPLY"
  fi
  printf '  }\n'
}

build_block() {
  local line
  printf '  build {\n'
  pick_one "${images[@]}"
  printf '    image   %s\n' "$REPLY"
  if ((RANDOM % 2)); then
    pick_one "${computes[@]}"
    printf '    compute %s\n' "$REPLY"
  fi
  pick $((1 + RANDOM % 3)) "${envs[@]}"
  for line in "${picked[@]}"; do printf '    env     %s\n' "$line"; done
  pick_in_order $((1 + RANDOM % 3)) "${installs[@]}"
  for line in "${picked[@]}"; do printf '    install %s\n' "$line"; done
  pick_in_order $((2 + RANDOM % 5)) "${runs[@]}"
  for line in "${picked[@]}"; do printf '    run     %s\n' "$line"; done
  printf '  }\n'
}

template_yaml() {
  local memory=$((128 << (RANDOM % 4))) timeout=$((3 + RANDOM % 27))
  cat <<EOF
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: $1, deployed by its multi-region pipeline

Resources:
  Function:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: dist/
      MemorySize: $memory
      Timeout: $timeout
EOF
}

# write_spec DIR NAME REGION...: DIR/pipeline.mrp and DIR/template.yaml.
write_spec() {
  local dir=$1 name=$2
  shift 2
  mkdir -p "$dir"
  template_yaml "$name" >"$dir/template.yaml"
  {
    local plural=s
    (($# == 1)) && plural=
    printf '# %s: built once, deployed to %d region%s by CodePipeline.\n' "$name" "$#" "$plural"
    printf 'pipeline %s {\n' "$name"
    case $((RANDOM % 3)) in
      0) printf '  description "%s - release pipeline"\n\n' "$name" ;;
      1) printf '  description "%s: ships \\"main\\" to every region"\n\n' "$name" ;;
    esac
    source_directive "$name"
    printf '\n  # The first region is the primary: the pipeline and its build live there.\n'
    regions_directive "$@"
    if ((RANDOM % 3)); then
      printf '\n'
      artifacts_block
    fi
    printf '\n'
    build_block
    printf '\n  app %s-app {\n    template     template.yaml\n' "$name"
    printf '    capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND\n  }\n}\n'
  } >"$dir/pipeline.mrp"
}

# Sets REPLY to a pipeline name of at most 20 characters: service-kind, then
# -N when it still fits.
pipeline_name() {
  local service
  pick_one "${services[@]}"
  service=$REPLY
  pick_one "${kinds[@]}"
  REPLY="$service-$REPLY"
  if ((${#REPLY} + 1 + ${#1} <= 20)); then REPLY+="-$1"; fi
}

main() {
  if [[ ${1-} == --one ]]; then
    (($# >= 4)) || { echo "usage: $0 --one DIR NAME REGION..." >&2; exit 2; }
    write_spec "${@:2}"
    return
  fi
  (($# >= 2)) || { echo "usage: $0 DIR N [SEED]" >&2; exit 2; }
  local dir=$1 n=$2 i folder
  RANDOM=${3:-1}
  for ((i = 1; i <= n; i++)); do
    pick $((1 + RANDOM % 12)) "${regions_pool[@]}"
    local -a regions=("${picked[@]}")
    pipeline_name "$i"
    printf -v folder '%s/%04d' "$dir" "$i"
    write_spec "$folder" "$REPLY" "${regions[@]}"
  done
}

main "$@"
