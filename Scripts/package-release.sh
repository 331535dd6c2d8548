#!/usr/bin/env bash
# Packs a release: dist/convscope-VERSION-OS-ARCH.tar.gz (linux-x86_64, linux-aarch64...)
# holding the release binary (the Swift and C++ runtimes linked in: it runs where no Swift is
# installed), its man page and shell completions (Scripts/stage-release.sh), LICENSE, README.md,
# CHANGELOG.md and the licences of the packages linked in (licenses/).
#
#   Scripts/package-release.sh           # builds, stages, packs
#   Scripts/package-release.sh --check   # then Scripts/check-release.sh on the tarball
#
# The version is ConvScope's own, read from Sources/ConvScopeCore/ConvScopeVersion.swift.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 1 ] || { [ $# = 1 ] && [ "$1" != --check ]; }; then
  echo "usage: Scripts/package-release.sh [--check]" >&2
  exit 2
fi
version=$(Scripts/version.sh)
os=$(uname -s | tr '[:upper:]' '[:lower:]')
name="convscope-$version-$os-$(uname -m)"
stage=.build/stage
STAGE=$stage Scripts/stage-release.sh
built=$("$stage/bin/convscope" --version)
if [ "$built" != "$version" ]; then
  echo "package-release: the binary says $built, ConvScopeVersion.swift says $version" >&2
  exit 1
fi

root="dist/$name"
rm -rf "$root" "dist/$name.tar.gz"
mkdir -p "$root/licenses"
cp -R "$stage/." "$root/"
cp LICENSE README.md CHANGELOG.md "$root/"
# Yams and ZIPFoundation (MIT) ask for their notice with every copy; swift-argument-parser's
# Apache-2.0 runtime library exception does not, but its licence goes along all the same.
for package in Yams ZIPFoundation swift-argument-parser; do
  licence=$(ls .build/checkouts/"$package"/LICENSE* | head -n 1)
  cp "$licence" "$root/licenses/$package.txt"
done
# Reproducible: sorted names, no owner, the last commit's time.
mtime=$(git log -1 --format=%cI 2>/dev/null || date -u +%FT%TZ)
tar -C dist --sort=name --owner=0 --group=0 --numeric-owner --mtime="$mtime" -czf "dist/$name.tar.gz" "$name"
rm -rf "$root"
echo "packed dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1))"
if [ "${1:-}" = --check ]; then Scripts/check-release.sh "dist/$name.tar.gz"; fi
