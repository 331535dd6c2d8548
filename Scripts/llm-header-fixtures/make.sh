#!/usr/bin/env bash
# Builds the GGUF and safetensors header fixtures (Tests/Fixtures/llm-headers/, described in
# Tests/Fixtures/MANIFEST.md) from tiny Hugging Face configs, random init, no weights
# downloaded. The virtual environment lives outside the repository, in /root/venvs/llmh:
# torch (CPU wheel from /opt/wheels), transformers, and the `gguf` and `safetensors` packages.
#
#   Scripts/llm-header-fixtures/make.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=/root/venvs/llmh
if [[ ! -x $venv/bin/python ]]; then
  python3.11 -m venv "$venv"
  "$venv/bin/pip" install --quiet /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl \
    gguf safetensors numpy transformers
fi
"$venv/bin/python" Scripts/llm-header-fixtures/make_fixtures.py Tests/Fixtures/llm-headers
