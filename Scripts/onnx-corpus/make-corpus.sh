#!/usr/bin/env bash
# Rebuilds Tests/Fixtures/corpus (issue 11's real-model corpus) from code and configs.
# Installs torch (CPU), onnx, onnxruntime and transformers into a virtual environment outside
# the repo (CONVSCOPE_VENV, default ~/venvs/corpus) and reuses it on later runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${CONVSCOPE_VENV:-$HOME/venvs/corpus}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  TORCH=torch
  # A CPU-only wheel saves several GB of GPU libraries where one is at hand.
  for wheel in /opt/wheels/torch-*+cpu-*.whl; do [ -e "$wheel" ] && TORCH="$wheel"; done
  "$VENV/bin/pip" install -q "$TORCH" onnx onnxruntime onnxscript transformers
fi
"$VENV/bin/python" Scripts/onnx-corpus/make_corpus.py Tests/Fixtures/corpus
