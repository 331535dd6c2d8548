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
#   $MODEL_VENV (default /root/venvs/corpus: torch, torchvision, transformers, onnx, onnxscript,
#   onnxruntime, installed there by Scripts/torch-venv.sh where missing);
# - measures the binary users install: Scripts/stage-release.sh builds it as Scripts/install.sh
#   and the release tarball do (release, Swift runtime linked in on Linux, stripped) into
#   $COMPARE_STAGE (default .build/bench-stage); $CONVSCOPE measures another binary instead;
#   the output's first line names the binary measured;
# - runs Benchmarks/compare_tools.py: best of $COMPARE_RUNS (default 3) processes per cell.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_VENV=${COMPARE_VENV:-/root/venvs/bench}
MODELS=${COMPARE_MODELS:-/root/convscope-bench/models}
MODEL_VENV=${MODEL_VENV:-/root/venvs/corpus}

if [ ! -x "$BENCH_VENV/bin/python" ]; then python3 -m venv "$BENCH_VENV"; fi
for package in onnx onnx-tool; do
  "$BENCH_VENV/bin/pip" show -q "$package" >/dev/null 2>&1 || "$BENCH_VENV/bin/pip" install -q "$package"
done
# The model venv gets what the exports import (make_corpus.py, which the text models reuse,
# imports onnxruntime too); Scripts/torch-venv.sh makes it on the first run.
# shellcheck source=Scripts/torch-venv.sh
CONVSCOPE_VENV="$MODEL_VENV" source "$ROOT/Scripts/torch-venv.sh" torchvision transformers onnx onnxscript onnxruntime >&2
"$MODEL_VENV/bin/python" "$ROOT/Benchmarks/make_compare_models.py" "$MODELS" >&2

if [ -z "${CONVSCOPE:-}" ]; then
  STAGE=${COMPARE_STAGE:-$ROOT/.build/bench-stage}
  STAGE=$STAGE "$ROOT/Scripts/stage-release.sh" >&2
  CONVSCOPE=$STAGE/bin/convscope
  echo "convscope: the installed binary, as Scripts/install.sh builds it (Scripts/stage-release.sh)," \
    "$(du -m "$CONVSCOPE" | cut -f1) MB, version $("$CONVSCOPE" --version)."
else
  echo "convscope: $CONVSCOPE, version $("$CONVSCOPE" --version)."
fi
"$BENCH_VENV/bin/python" "$ROOT/Benchmarks/compare_tools.py" "$CONVSCOPE" "$MODELS" "${COMPARE_RUNS:-3}"
