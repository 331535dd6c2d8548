#!/usr/bin/env bash
# Rebuilds Tests/Fixtures/pt2 (torch.export archives without payloads, and torch's references).
# Installs torch (CPU), torchvision and fvcore into a virtual environment outside the repo
# (CONVSCOPE_VENV, default ~/venvs/corpus) and reuses it on later runs. torchvision goes in
# without its dependencies: PyPI's would pull a CUDA torch over the CPU one (its compiled ops
# then do not load, which the script tolerates: the models are plain Python).
# Extra arguments go to the script: `--only resnet18`, `--torchvision NAME...` (no names: every
# classification model torchvision lists), or with PT2_FIXTURES=DIR `--keep-payloads` for a full
# archive (the ResNet-50 benchmark in docs/pt2-import.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
source Scripts/torch-venv.sh pillow fvcore
"$VENV/bin/pip" show -q torchvision >/dev/null 2>&1 || "$VENV/bin/pip" install -q --no-deps torchvision
OUT="${PT2_FIXTURES:-Tests/Fixtures/pt2}"
"$VENV/bin/python" Scripts/pt2-fixtures/make_pt2_fixtures.py "$OUT" "$@"
