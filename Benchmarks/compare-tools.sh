#!/usr/bin/env bash
# Compares convscope with the Python ONNX tools on the same full-weight files, warm and cold
# page cache (cold: the model file evicted before each run; COMPARE_COLD=drop drops every
# cache), as whole processes (issue 17). Run by hand, not by the tests:
#
#   Benchmarks/compare-tools.sh              # prints a Markdown table
#   COMPARE_RUNS=5 Benchmarks/compare-tools.sh > table.md
#
# - installs onnx and onnx-tool into $COMPARE_VENV (default /root/venvs/bench, outside the repo);
# - exports EfficientNet-B0, ResNet-50, VGG-16, ViT-B/16 (torchvision), GPT-2 and BERT-base
#   (transformers), random init, weights inline, into $COMPARE_MODELS (default
#   /root/convscope-bench/models) with Benchmarks/make_compare_models.py, using the Python of
#   $MODEL_VENV (default /root/venvs/corpus: torch, torchvision, transformers, onnx);
# - builds convscope in release mode into .build-release ($CONVSCOPE skips the build);
# - runs Benchmarks/compare_tools.py: best of $COMPARE_RUNS (default 3) processes per cell.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${COMPARE_VENV:-/root/venvs/bench}
MODELS=${COMPARE_MODELS:-/root/convscope-bench/models}
MODEL_VENV=${MODEL_VENV:-/root/venvs/corpus}

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
for package in onnx onnx-tool; do
  "$VENV/bin/pip" show -q "$package" >/dev/null 2>&1 || "$VENV/bin/pip" install -q "$package"
done
"$MODEL_VENV/bin/python" "$ROOT/Benchmarks/make_compare_models.py" "$MODELS" >&2

if [ -z "${CONVSCOPE:-}" ]; then
  (cd "$ROOT" && swift build -c release --scratch-path .build-release --product convscope >/dev/null)
  CONVSCOPE=$ROOT/.build-release/release/convscope
fi
"$VENV/bin/python" "$ROOT/Benchmarks/compare_tools.py" "$CONVSCOPE" "$MODELS" "${COMPARE_RUNS:-3}"
