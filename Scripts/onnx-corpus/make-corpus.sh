#!/usr/bin/env bash
# Rebuilds Tests/Fixtures/corpus (issue 11's real-model corpus) from code and configs.
# Installs torch (CPU), onnx, onnxruntime and transformers into a virtual environment outside
# the repo (CONVSCOPE_VENV, default ~/venvs/corpus) and reuses it on later runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Scripts/torch-venv.sh onnx onnxruntime onnxscript transformers
"$VENV/bin/python" Scripts/onnx-corpus/make_corpus.py Tests/Fixtures/corpus
