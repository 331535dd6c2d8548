#!/usr/bin/env bash
# Builds the Core ML fixtures (Tests/Fixtures/coreml) from PyPI packages in a virtual
# environment outside the repository: coremltools 9.0, numpy, and torch (a CPU wheel; set
# TORCH_WHEEL to a local wheel file, else pip's torch). Usage: make_coreml_fixtures.sh [OUT]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${CONVSCOPE_COREML_VENV:-/root/venvs/coreml}"
out="${1:-$repo/Tests/Fixtures/coreml}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q coremltools==9.0 numpy
  "$venv/bin/pip" install -q "${TORCH_WHEEL:-torch}"
fi
"$venv/bin/python" "$here/make_coreml_fixtures.py" "$out"
