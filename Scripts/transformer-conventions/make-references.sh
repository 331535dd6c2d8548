#!/usr/bin/env bash
# Rebuilds Tests/Fixtures/transformer-conventions (issue 14's transformer references):
# makes the venv (make-venv.sh) if it is missing, then builds, measures and exports every model.
# Arguments: model names to rebuild only those (default: all).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${TCONV_VENV:-/root/venvs/tconv}"
[ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import fvcore, calflops, onnx_tool" 2>/dev/null \
  || Scripts/transformer-conventions/make-venv.sh
"$VENV/bin/python" Scripts/transformer-conventions/make_references.py Tests/Fixtures/transformer-conventions "$@"
