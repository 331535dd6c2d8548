#!/usr/bin/env bash
# Installs convscope under PREFIX (default /usr/local):
#
#   Scripts/install.sh                 # /usr/local/bin/convscope (sudo if /usr/local is not yours)
#   Scripts/install.sh ~/.local        # ~/.local/bin/convscope, no sudo
#
# Installs the release binary (Swift and C++ runtimes linked in on Linux), the man page and the bash,
# zsh and fish completions, built and laid out by Scripts/stage-release.sh. The first build
# fetches the three Swift packages ConvScope uses and takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-/usr/local}
case "$prefix" in
  -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
stage=.build/stage
STAGE=$stage Scripts/stage-release.sh

if ! mkdir -p "$prefix/bin" 2>/dev/null || [ ! -w "$prefix/bin" ]; then
  echo "install: cannot write to $prefix/bin; run it with sudo, or give a prefix you own: Scripts/install.sh ~/.local" >&2
  exit 1
fi
(cd "$stage" && find . -type f | sort) | while read -r file; do
  mode=644
  case "$file" in ./bin/*) mode=755 ;; esac
  install -D -m "$mode" "$stage/$file" "$prefix/${file#./}"
  echo "  $prefix/${file#./}"
done
echo "installed convscope $("$prefix/bin/convscope" --version) in $prefix"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
