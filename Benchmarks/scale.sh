#!/usr/bin/env bash
# Measures how ConvScope scales with layer count in every format it reads. Run by hand,
# not by the tests:
#
#   Benchmarks/scale.sh                     # 10,000 and 100,000 layers
#   SCALE_SIZES="1000 100000" Benchmarks/scale.sh
#
# It writes chains of Conv/ReLU nodes in each format (spec YAML and JSON, ONNX, Keras JSON,
# Caffe prototxt) with Benchmarks/make_scale_models.py (standard library only) into
# $SCALE_DIR (default: a temporary folder), builds convscope in release mode into
# .build-release, and prints a Markdown table of the best of $SCALE_RUNS (default 3) runs'
# wall time and that run's peak resident memory (`/usr/bin/time -v`, fresh processes) of
# `convscope analyze FILE` with the default table output and with `--format json`, output
# to /dev/null. The last column is the ratio of the largest size's time to the smallest's,
# divided by the ratio of their layer counts: 1.0 is linear.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${SCALE_RUNS:-3}
SIZES=${SCALE_SIZES:-"10000 100000"}
WORK=${SCALE_DIR:-$(mktemp -d)}
mkdir -p "$WORK"

for size in $SIZES; do
  [ -f "$WORK/caffe-$size.prototxt" ] || python3 "$ROOT/Benchmarks/make_scale_models.py" "$WORK" "$size"
done

if [ "${SCALE_BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && swift build -c release --scratch-path .build-release --product convscope >/dev/null)
fi
CONVSCOPE=${CONVSCOPE:-$ROOT/.build-release/release/convscope}

# shellcheck source=Benchmarks/measure.sh
source "$ROOT/Benchmarks/measure.sh"

read -r -a sizes <<<"$SIZES"
first=${sizes[0]}
last=${sizes[${#sizes[@]} - 1]}
header="| format | output |"
rule="| --- | --- |"
for size in "${sizes[@]}"; do
  header+=" $size layers: time | RSS |"
  rule+=" ---: | ---: |"
done
[ "$first" != "$last" ] && header+=" time ratio / layer ratio |" && rule+=" ---: |"
echo "$header"
echo "$rule"
for format in spec-yaml spec-json onnx keras caffe; do
  case $format in
    spec-yaml) file=spec-%s.yaml ;;
    spec-json) file=spec-%s.json ;;
    onnx) file=onnx-%s.onnx ;;
    keras) file=keras-%s.json ;;
    caffe) file=caffe-%s.prototxt ;;
  esac
  for output in table json; do
    args=()
    [ "$output" = json ] && args=(--format json)
    line="| $format | $output |"
    declare -A times=()
    for size in "${sizes[@]}"; do
      # shellcheck disable=SC2059
      path=$WORK/$(printf "$file" "$size")
      read -r seconds mb < <(measure "$CONVSCOPE" analyze "$path" "${args[@]}")
      times[$size]=$seconds
      if [ "$seconds" = - ]; then
        line+=" failed | |"
      else
        line+=" $(printf '%.2f s' "$seconds") | $mb MB |"
      fi
    done
    if [ "$first" != "$last" ]; then
      if [ "${times[$first]}" = - ] || [ "${times[$last]}" = - ]; then
        line+=" |"
      else
        line+=" $(awk "BEGIN { printf \"%.2f\", (${times[$last]} / ${times[$first]}) / ($last / $first) }") |"
      fi
    fi
    unset times
    echo "$line"
  done
done
