#!/usr/bin/env bash
# Builds the Python package's platform wheel, carrying a release convscope binary
# (docs/python.md).
#
#   Scripts/build-wheel.sh           # dist/convscope-VERSION-py3-none-PLATFORM.whl
#   Scripts/build-wheel.sh --check   # then pip install it into a fresh virtual environment
#                                    # (.build-python/wheel-check) and analyse a committed model
#
# The binary is `swift build -c release` with Scripts/release-flags.sh's flags: the Swift runtime
# linked in statically on Linux (macOS has it in the OS), so the wheel needs no Swift toolchain. It is
# copied to python/convscope/bin/convscope only while the wheel is built: setup.py then tags the
# wheel for this platform (py3-none-linux_x86_64...). The version is ConvScope's own, read from
# Sources/ConvScopeCore/ConvScopeVersion.swift. PYTHON picks the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
check=no
case "${1:-}" in
  "") ;;
  --check) check=yes ;;
  *) echo "usage: Scripts/build-wheel.sh [--check]" >&2; exit 2 ;;
esac

version=$(Scripts/version.sh)

. Scripts/release-flags.sh
swift build "${release_flags[@]}" 2>&1 | tail -n 5
binary="$(swift build "${release_flags[@]}" --show-bin-path)/convscope"
built=$("$binary" --version)
if [ "$built" != "$version" ]; then
  echo "build-wheel: $binary --version says $built, ConvScopeVersion.swift says $version" >&2
  exit 1
fi

bundle=python/convscope/bin
cleanup() { rm -rf "$bundle" python/build python/convscope.egg-info; }
trap cleanup EXIT
cleanup
mkdir -p "$bundle"
install -m 755 "$binary" "$bundle/convscope"
if command -v strip >/dev/null; then strip "$bundle/convscope"; fi
"$bundle/convscope" --version >/dev/null  # still runs once stripped

mkdir -p dist
rm -f dist/convscope-"$version"-*.whl
CONVSCOPE_VERSION=$version "$python" -m pip wheel --quiet --no-deps --wheel-dir dist python/
wheel=$(ls dist/convscope-"$version"-*.whl)
case "$wheel" in
  *-py3-none-any.whl) echo "build-wheel: $wheel is not platform-specific" >&2; exit 1 ;;
esac
echo "built $wheel ($(du -h "$wheel" | cut -f1))"

if [ "$check" = yes ]; then
  venv=.build-python/wheel-check
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet "$wheel"
  # From outside the repository, with no CONVSCOPE_BINARY and no convscope on PATH: the
  # bundled binary must be the one found.
  root=$PWD
  (cd /tmp && env -u CONVSCOPE_BINARY PATH=/usr/bin:/bin "$root/$venv/bin/python" -c \
    "import convscope; print(convscope.find_binary()); print(convscope.analyze('$root/Tests/Fixtures/zoo/resnet18.onnx'))" \
    >"$root/$venv.log")
  echo "installed in $venv; import convscope; print(convscope.analyze('Tests/Fixtures/zoo/resnet18.onnx')):"
  head -n 4 "$venv.log"
  echo "..."
  sed -n '/^Totals/,/^  Peak live/p' "$venv.log"
fi
