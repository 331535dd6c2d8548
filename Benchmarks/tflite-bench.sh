#!/usr/bin/env bash
# Benchmarks ConvScope's TFLite path on a ~34 MB file (two 2048x2048 float32 dense layers)
# against the 70 KB MLP fixture: the time and memory should not grow with the weights, which
# are never read. Run by hand, not by the tests:
#
#   Benchmarks/tflite-bench.sh
#
# Makes the large file with tensorflow-cpu in the venv of Scripts/tflite-fixtures (VENV, default
# /root/venvs/tflite), builds convscope in release mode, and prints the best of $BENCH_RUNS runs
# (default 3) of each file's wall time and peak resident memory (/usr/bin/time, fresh processes).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$ROOT/.build-bench}
RUNS=${BENCH_RUNS:-3}
VENV=${VENV:-/root/venvs/tflite}
mkdir -p "$WORK"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet tensorflow-cpu
fi
BIG=$WORK/dense2048.tflite
if [ ! -f "$BIG" ]; then
  TF_CPP_MIN_LOG_LEVEL=3 "$VENV/bin/python" - "$BIG" <<'PY' >/dev/null 2>&1
import sys
import numpy as np
import tensorflow as tf
keras, layers = tf.keras, tf.keras.layers
inputs = keras.Input((2048,), batch_size=1)
x = layers.Dense(2048, activation="relu")(inputs)
model = keras.Model(inputs, layers.Dense(2048)(x))
for weight in model.weights:
    weight.assign(np.random.rand(*weight.shape).astype(np.float32))
open(sys.argv[1], "wb").write(tf.lite.TFLiteConverter.from_keras_model(model).convert())
PY
fi

(cd "$ROOT" && swift build -c release --product convscope >/dev/null)
CONVSCOPE=$ROOT/.build/release/convscope
for file in "$ROOT/Tests/Fixtures/tflite/mlp_float32.tflite" "$BIG"; do
  best=""
  for _ in $(seq "$RUNS"); do
    line=$( { /usr/bin/time -f "%e s %M KB" "$CONVSCOPE" analyze "$file" --format json >/dev/null; } 2>&1 | tail -1)
    if [ -z "$best" ] || [ "${line%% *}" \< "${best%% *}" ]; then best=$line; fi
  done
  printf '%-40s %10s bytes  %s\n' "$(basename "$file")" "$(stat -c %s "$file")" "$best"
done
