#!/usr/bin/env bash
# Prints ConvScope's version, read from its one place, Sources/ConvScopeCore/ConvScopeVersion.swift
# (Scripts/build-wheel.sh and Scripts/package-release.sh name their files with it).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' Sources/ConvScopeCore/ConvScopeVersion.swift)
if [ -z "$version" ]; then
  echo "no version string in Sources/ConvScopeCore/ConvScopeVersion.swift" >&2
  exit 1
fi
echo "$version"
