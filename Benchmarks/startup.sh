#!/usr/bin/env bash
# Measures convscope's fixed cost per process: CPU time (task-clock) and page faults of
# `--version` and of one model's table, mean of $STARTUP_RUNS (default 20) processes each, with
# `perf stat` (CPU time and faults do not depend on the machine's load the way wall time does).
# Several binaries are measured side by side in one run, to compare builds. Run by hand:
#
#   Benchmarks/startup.sh BINARY... [-- MODEL]
#   Benchmarks/startup.sh /tmp/old/convscope .build/stage/bin/convscope -- model.onnx
#
# MODEL defaults to the EfficientNet-B0 export of Benchmarks/compare-tools.sh.
set -euo pipefail
binaries=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  binaries+=("$1")
  shift
done
[ $# -gt 0 ] && shift
model=${1:-${COMPARE_MODELS:-/root/convscope-bench/models}/efficientnet_b0.onnx}
runs=${STARTUP_RUNS:-20}
if [ ${#binaries[@]} -eq 0 ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 64
fi

echo "| binary | MB | command | CPU time (ms) | page faults |"
echo "|---|---:|---|---:|---:|"
for binary in "${binaries[@]}"; do
  for command in "--version" "analyze $model"; do
    # shellcheck disable=SC2086
    read -r ms faults < <(perf stat -r "$runs" -x, -e task-clock,page-faults "$binary" $command 2>&1 >/dev/null \
      | awk -F, '$3 == "task-clock" { ms = $1 } $3 == "page-faults" { faults = $1 } END { print ms, faults }')
    printf "| %s | %d | %s | %.2f | %s |\n" "$binary" "$(($(stat -c %s "$binary") >> 20))" \
      "${command/$model/$(basename "$model")}" "$ms" "$faults"
  done
done
