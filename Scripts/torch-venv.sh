# Sourced by the fixture scripts: sets VENV to a virtual environment outside the repo
# (CONVSCOPE_VENV, default ~/venvs/corpus) with torch (CPU) and the packages named in "$@",
# making it on the first run and adding missing packages later.
VENV="${CONVSCOPE_VENV:-$HOME/venvs/corpus}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  TORCH=torch
  # A CPU-only wheel saves several GB of GPU libraries where one is at hand.
  for wheel in /opt/wheels/torch-*+cpu-*.whl; do [ -e "$wheel" ] && TORCH="$wheel"; done
  "$VENV/bin/pip" install -q "$TORCH"
fi
for package in "$@"; do
  "$VENV/bin/pip" show -q "$package" >/dev/null 2>&1 || "$VENV/bin/pip" install -q "$package"
done
