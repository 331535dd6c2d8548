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
# - measures the binary users install: Scripts/stage-release.sh builds it as Scripts/install.sh
#   and the release tarball do (release, Swift runtime linked in on Linux, stripped) into
#   $COMPARE_STAGE (default .build/bench-stage); $CONVSCOPE measures another binary instead;
#   the output's first line names the binary measured;
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
  STAGE=${COMPARE_STAGE:-$ROOT/.build/bench-stage}
  STAGE=$STAGE "$ROOT/Scripts/stage-release.sh" >&2
  CONVSCOPE=$STAGE/bin/convscope
  echo "convscope: the installed binary, as Scripts/install.sh builds it (Scripts/stage-release.sh)," \
    "$(du -m "$CONVSCOPE" | cut -f1) MB, version $("$CONVSCOPE" --version)."
else
  echo "convscope: $CONVSCOPE, version $("$CONVSCOPE" --version)."
fi
"$VENV/bin/python" "$ROOT/Benchmarks/compare_tools.py" "$CONVSCOPE" "$MODELS" "${COMPARE_RUNS:-3}"
