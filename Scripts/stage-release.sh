#!/usr/bin/env bash
# Builds the release binary and lays out what Scripts/install.sh installs and
# Scripts/package-release.sh packs, under .build/stage (STAGE overrides):
#
#   bin/convscope                                   swift build -c release, Swift and C++ runtimes linked in
#   share/man/man1/convscope.1                      swift-argument-parser's generate-manual
#   share/bash-completion/completions/convscope     convscope --generate-completion-script bash
#   share/zsh/site-functions/_convscope             ... zsh
#   share/fish/vendor_completions.d/convscope.fish  ... fish
#
# The flags are Scripts/release-flags.sh's (on Linux the Swift and C++ runtimes linked in,
# not position-independent), shared with Scripts/build-wheel.sh, so either script reuses the
# other's build. The first build fetches
# the three Swift packages (Package.resolved) unless .build/checkouts has them already.
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${STAGE:-.build/stage}

. Scripts/release-flags.sh
swift build "${release_flags[@]}" 2>&1 | tail -n 3
binary="$(swift build "${release_flags[@]}" --show-bin-path)/convscope"

rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/share/man/man1" "$stage/share/bash-completion/completions" \
  "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d"
install -m 755 "$binary" "$stage/bin/convscope"
if command -v strip >/dev/null; then strip "$stage/bin/convscope"; fi
tool="$stage/bin/convscope"
"$tool" --version >/dev/null  # still runs once stripped

"$tool" --generate-completion-script bash >"$stage/share/bash-completion/completions/convscope"
"$tool" --generate-completion-script zsh >"$stage/share/zsh/site-functions/_convscope"
"$tool" --generate-completion-script fish >"$stage/share/fish/vendor_completions.d/convscope.fish"

# The man page: swift-argument-parser's GenerateManual plugin builds its generate-manual tool
# from the checked-out package (no network); the tool reads the binary's
# --experimental-dump-help. The plugin itself would rebuild convscope without the static
# runtime, so the tool is run directly on the binary staged above. Dated by the last commit,
# so the page is the same on every machine. Where the plugin cannot run, the page is made
# from the --help texts (Scripts/manpage-from-help.sh) and the script says so.
man_dir="$stage/share/man/man1"
date=$(git log -1 --format=%cs 2>/dev/null || date +%F)
generator=""
if swift package generate-manual --help >/dev/null 2>&1; then
  generator=$(find .build -type f -name generate-manual-tool -perm -u+x 2>/dev/null | head -n 1)
fi
if [ -n "$generator" ] && "$generator" "$tool" --date "$date" --output-directory "$man_dir" >/dev/null 2>&1 \
  && [ -s "$man_dir/convscope.1" ]; then
  echo "man page: swift-argument-parser generate-manual"
else
  Scripts/manpage-from-help.sh "$tool" "$date" >"$man_dir/convscope.1"
  echo "man page: the generate-manual plugin is unavailable; made from --help by Scripts/manpage-from-help.sh"
fi
echo "staged in $stage: $(du -sh "$stage" | cut -f1), convscope $("$tool" --version)"
