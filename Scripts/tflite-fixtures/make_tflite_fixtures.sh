#!/usr/bin/env bash
# Makes Tests/Fixtures/tflite/*.tflite and *.ref.json (see make_tflite_fixtures.py) in a virtual
# environment outside the repository (VENV, default /root/venvs/tflite) with tensorflow-cpu from PyPI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${VENV:-/root/venvs/tflite}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet tensorflow-cpu
fi
cd "$repo"
TF_CPP_MIN_LOG_LEVEL=3 "$venv/bin/python" "$here/make_tflite_fixtures.py" Tests/Fixtures/tflite
