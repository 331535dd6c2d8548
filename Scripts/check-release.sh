#!/usr/bin/env bash
# Proves a release tarball (Scripts/package-release.sh) works where no Swift is installed:
# unpacks it in a fresh folder, checks that the binary needs no library but glibc's and zlib
# (ldd lists no libswift*, libFoundation*, libdispatch, libstdc++ or libgcc_s), then runs it there with an empty environment and
# PATH=/usr/bin:/bin (no toolchain on it) on a model copied beside it.
#
#   Scripts/check-release.sh [dist/convscope-VERSION-linux-ARCH.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
tarball=${1:-$(ls -t dist/convscope-*-*-*.tar.gz 2>/dev/null | head -n 1)}
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "check-release: no tarball; run Scripts/package-release.sh first" >&2
  exit 1
fi
clean=$(mktemp -d)
trap 'rm -rf "$clean"' EXIT
tar -xzf "$tarball" -C "$clean"
folder=$(ls -d "$clean"/convscope-*)
binary="$folder/bin/convscope"
for file in bin/convscope LICENSE README.md share/man/man1/convscope.1 \
  share/bash-completion/completions/convscope share/zsh/site-functions/_convscope \
  share/fish/vendor_completions.d/convscope.fish; do
  [ -s "$folder/$file" ] || { echo "check-release: $file missing from $tarball" >&2; exit 1; }
done

if command -v ldd >/dev/null; then
  # Only glibc's libraries and zlib, which every Linux has (Scripts/release-flags.sh).
  if ldd "$binary" | grep -Ev 'linux-vdso|ld-linux|lib(c|m|z|pthread|dl|rt)\.so'; then
    echo "check-release: the binary needs the libraries above" >&2
    exit 1
  fi
  echo "ldd: $(ldd "$binary" | awk '{print $1}' | tr '\n' ' ')"
fi

cp Examples/seed-resnet.yaml "$clean/model.yaml"
run() { (cd "$clean" && env -i PATH=/usr/bin:/bin HOME="$clean" "$@"); }
if run sh -c 'command -v swift' >/dev/null; then
  echo "check-release: swift is on PATH=/usr/bin:/bin here, so this check cannot show the binary runs without it" >&2
  exit 1
fi
version=$(run "$binary" --version)
report=$(run "$binary" analyze model.yaml --format csv --quiet)
grep -q '^params,326260$' <<<"$report" || { echo "check-release: unexpected report:" >&2; echo "$report" >&2; exit 1; }
run "$binary" analyze model.yaml >/dev/null
echo "ok: $(basename "$tarball") runs from a clean folder without Swift (convscope $version, seed params 326,260)"
