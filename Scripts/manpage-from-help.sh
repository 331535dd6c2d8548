#!/usr/bin/env bash
# A plain man page for convscope made from its --help texts, for where swift-argument-parser's
# generate-manual plugin cannot run (Scripts/stage-release.sh uses it only then):
#
#   Scripts/manpage-from-help.sh path/to/convscope [DATE] > convscope.1
#
# Each command's help is one section, kept verbatim (no-fill), with roff's control
# characters escaped.
set -euo pipefail
tool=$1
date=${2:-$(date +%F)}
version=$("$tool" --version)
escape() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
echo ".TH CONVSCOPE 1 \"$date\" \"convscope $version\" \"User Commands\""
echo ".SH NAME"
echo "convscope \\- shapes, parameters, MACs/FLOPs and memory of a neural network, layer by layer"
for command in "" analyze compare devices ops; do
  if [ -z "$command" ]; then echo ".SH DESCRIPTION"; else echo ".SH \"convscope $command\""; fi
  echo ".nf"
  # shellcheck disable=SC2086  # an empty $command is no argument
  "$tool" $command --help | escape
  echo ".fi"
done
