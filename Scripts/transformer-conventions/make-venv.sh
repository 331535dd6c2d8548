#!/usr/bin/env bash
# Makes the virtual environment the transformer references come from, outside the repo
# (TCONV_VENV, default /root/venvs/tconv): torch 2.13 CPU from /opt/wheels (PyPI's torch
# otherwise), torchvision built for that torch, and the counting tools from PyPI at the
# versions pinned in requirements.txt. Run: Scripts/transformer-conventions/make-venv.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${TCONV_VENV:-/root/venvs/tconv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
TORCH=torch==2.13.0
for wheel in /opt/wheels/torch-2.13.0+cpu-*.whl; do [ -e "$wheel" ] && TORCH="$wheel"; done
"$VENV/bin/pip" install -q "$TORCH"
# torchvision 0.28 is the release built against torch 2.13; --no-deps keeps pip from
# replacing the CPU torch with a CUDA one.
"$VENV/bin/pip" install -q --no-deps -r "$HERE/requirements-nodeps.txt"
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
"$VENV/bin/pip" freeze > "$HERE/pip-freeze.txt"
