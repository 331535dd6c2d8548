#!/usr/bin/env bash
# Builds Tests/Fixtures/llm/reference.json: for small Hugging Face configs of GPT-2, Llama,
# Mistral, Mixtral (MoE), Qwen2 and Phi-3 (and Tests/Fixtures/llm/encdec-reference.json: a tiny
# T5 encoder-decoder) built with random weights (no download), the
# parameter count torch sees, the KV cache bytes it allocates and FlopCounterMode's totals
# for a prefill and a decode step (docs/llm.md says how the llm view is checked against them).
#
#   Scripts/llm-fixtures/make-llm-fixtures.sh
#
# The virtual environment lives outside the repo, in /root/venvs/llm (CONVSCOPE_VENV): torch
# CPU from /opt/wheels and transformers from PyPI, without torchvision (whose import breaks
# transformers in the corpus venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONVSCOPE_VENV="${CONVSCOPE_VENV:-/root/venvs/llm}"
source Scripts/torch-venv.sh transformers
"$VENV/bin/python" Scripts/llm-fixtures/make_llm_fixtures.py Tests/Fixtures/llm/reference.json
"$VENV/bin/python" Scripts/llm-fixtures/make_encdec_fixture.py Tests/Fixtures/llm/encdec-reference.json Tests/Fixtures/llm-headers/t5
