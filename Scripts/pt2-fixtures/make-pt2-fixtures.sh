#!/usr/bin/env bash
# Rebuilds Tests/Fixtures/pt2 (torch.export archives without payloads, and torch's references).
# Installs torch (CPU), torchvision and fvcore into a virtual environment outside the repo
# (CONVSCOPE_VENV, default ~/venvs/corpus) and reuses it on later runs.
# Extra arguments go to the script: `--only resnet18`, or another output folder with
# `--keep-payloads` for a full archive (the ResNet-50 benchmark in docs/pt2-import.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${CONVSCOPE_VENV:-$HOME/venvs/corpus}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  TORCH=torch
  for wheel in /opt/wheels/torch-*+cpu-*.whl; do [ -e "$wheel" ] && TORCH="$wheel"; done
  "$VENV/bin/pip" install -q "$TORCH"
fi
"$VENV/bin/python" -c "import torchvision, fvcore" 2>/dev/null || "$VENV/bin/pip" install -q torchvision fvcore
OUT="${PT2_FIXTURES:-Tests/Fixtures/pt2}"
"$VENV/bin/python" Scripts/pt2-fixtures/make_pt2_fixtures.py "$OUT" "$@"
