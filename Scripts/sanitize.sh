#!/usr/bin/env bash
# Runs the test suite under a sanitizer (docs/reliability.md):
#
#   Scripts/sanitize.sh address   # AddressSanitizer, built into .build-asan
#   Scripts/sanitize.sh thread    # ThreadSanitizer, built into .build-tsan
#
# Extra arguments go to `swift test` (for example --filter KerasArchiveTests). Each sanitizer
# has its own git-ignored build folder, so neither rebuilds the other's or the plain build.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  address) scratch=.build-asan ;;
  thread) scratch=.build-tsan ;;
  *)
    echo "usage: Scripts/sanitize.sh address|thread [swift test arguments...]" >&2
    exit 2
    ;;
esac
sanitizer=$1
shift
export SWIFT_BACKTRACE=enable=no  # the Swift backtracer and the sanitizers both want the signals
# Leaks that are not ConvScope's, each with its reason (the CLI tests' children inherit this).
export LSAN_OPTIONS="suppressions=$PWD/Scripts/lsan-suppressions.txt:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
swift test --sanitize="$sanitizer" --scratch-path "$scratch" "$@"
