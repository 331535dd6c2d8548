#!/usr/bin/env bash
# Benchmarks ConvScope's ONNX path against the Python tools on full-weight
# ResNet-50 (~102 MB) and VGG-16 (~553 MB). Run by hand, not by the tests:
#
#   Benchmarks/onnx-bench.sh            # fill the stripped fixtures with zeros
#   BENCH_TORCH=1 Benchmarks/onnx-bench.sh   # export with torch/torchvision instead
#
# It builds convscope in release mode, makes the full-weight files with
# Benchmarks/make_full_weights.py in a virtual environment under .build-bench/,
# and prints the best of $BENCH_RUNS runs (default 3) of each command's wall time
# and peak resident memory, measured by /usr/bin/time -v in fresh processes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$ROOT/.build-bench}
RUNS=${BENCH_RUNS:-3}
VENV=$WORK/venv
MODELS=$WORK/models
mkdir -p "$MODELS"

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q onnx onnx-tool
ZEROS=--zeros
if [ "${BENCH_TORCH:-0}" = 1 ]; then
  "$VENV/bin/pip" install -q torch torchvision && ZEROS=
fi
for model in resnet50 vgg16; do
  if [ ! -f "$MODELS/$model.onnx" ]; then
    "$VENV/bin/python" "$ROOT/Benchmarks/make_full_weights.py" "$MODELS" $ZEROS
    break
  fi
done

(cd "$ROOT" && swift build -c release --product convscope >/dev/null)
CONVSCOPE=$ROOT/.build/release/convscope
if "$CONVSCOPE" --help 2>&1 | grep -q analyze; then
  CONVSCOPE_CMD=("$CONVSCOPE" analyze)
  CONVSCOPE_ARGS=(--format json)
else
  CONVSCOPE_CMD=("$CONVSCOPE")
  CONVSCOPE_ARGS=()
fi
PY=$VENV/bin/python

# shellcheck source=Benchmarks/measure.sh
source "$ROOT/Benchmarks/measure.sh"

printf "| tool | model | file MB | wall s | peak RSS MB |\n|---|---|---:|---:|---:|\n"
for model in resnet50 vgg16; do
  file=$MODELS/$model.onnx
  size=$(awk "BEGIN{printf \"%.0f\", $(stat -c %s "$file")/1048576}")
  row() { read -r s mb < <(measure "${@:2}"); printf "| %s | %s | %s | %s | %s |\n" "$1" "$model" "$size" "$s" "$mb"; }
  row "convscope ${CONVSCOPE_CMD[*]:1}" "${CONVSCOPE_CMD[@]}" "$file" "${CONVSCOPE_ARGS[@]}"
  stripped=$ROOT/Tests/Fixtures/zoo/$model.onnx
  read -r s mb < <(measure "${CONVSCOPE_CMD[@]}" "$stripped" "${CONVSCOPE_ARGS[@]}")
  printf "| convscope, weight-stripped fixture | %s | %s | %s | %s |\n" "$model" \
    "$(awk "BEGIN{printf \"%.2f\", $(stat -c %s "$stripped")/1048576}")" "$s" "$mb"
  row "python: import onnx" "$PY" -c "import onnx"
  row "python: onnx.load" "$PY" -c "import onnx, sys; onnx.load(sys.argv[1])" "$file"
  row "python: onnx shape inference" "$PY" -c \
    "import onnx, sys; onnx.shape_inference.infer_shapes(onnx.load(sys.argv[1]), data_prop=True)" "$file"
  row "onnx-tool profile" "$PY" -c \
    "import onnx_tool, sys; onnx_tool.model_profile(sys.argv[1])" "$file"
done
