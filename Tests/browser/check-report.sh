#!/usr/bin/env bash
# Loads ConvScope's HTML reports in a real (headless) browser and checks the
# page after its scripts ran: one table row per layer, every chart an SVG
# with drawn marks, sorting works (the page's own `?selftest`), no script
# errors and nothing on the console. Also renders the DOT export with
# Graphviz, and measures the size and load time of a 1,000-node model's report.
#
# Needs chromium and graphviz; installs them with apt-get when absent. Where
# they cannot be installed, prints SKIPPED and exits 0. Exits non-zero only
# when the browser or Graphviz ran and a check failed.
#
# Usage: Tests/browser/check-report.sh   (after `swift build`; run by .ci/run)
set -uo pipefail
cd "$(dirname "$0")/../.."

skip() { echo "SKIPPED browser checks: $*"; exit 0; }
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
pass() { echo "ok   $*"; }

find_browser() {
  for name in chromium chromium-browser google-chrome; do
    command -v "$name" >/dev/null 2>&1 && { command -v "$name"; return; }
  done
}

if [ -z "$(find_browser)" ] || ! command -v dot >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      skip "chromium or graphviz is missing and packages cannot be installed (not root)"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || skip "chromium or graphviz is missing and there is no apt-get"
  echo "installing chromium and graphviz (apt-get)..."
  if ! { timeout 300 $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 $sudo apt-get install -y -qq chromium graphviz; } >/tmp/convscope-apt.log 2>&1; then
    skip "apt-get could not install chromium and graphviz (no package mirror?); see /tmp/convscope-apt.log"
  fi
fi
browser="$(find_browser)"
[ -n "$browser" ] || skip "no chromium after installing"
command -v dot >/dev/null 2>&1 || skip "no graphviz 'dot' after installing"

bin="$(swift build --show-bin-path 2>/dev/null)/convscope"
if [ ! -x "$bin" ]; then swift build --product convscope >/dev/null 2>&1 || { fail "swift build"; exit 1; }; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Prints the DOM after scripts ran; the browser's own log goes to $2.
load() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
    --dump-dom "file://$1?selftest" 2>"$2"
}

check_report() {
  local model="$1" name="$2"
  local html="$work/$name.html" dom="$work/$name.dom" log="$work/$name.log"
  "$bin" analyze "$model" -f html -o "$html" || { fail "$name: convscope could not write the HTML report"; return; }
  local layers
  layers=$("$bin" analyze "$model" -f csv | tail -n +2 | wc -l | tr -d ' ')
  if ! load "$html" "$log" >"$dom"; then fail "$name: the browser did not load the page"; return; fi
  local rows charts verdict
  rows=$(grep -o '<tr class="layer[^"]*"' "$dom" | wc -l | tr -d ' ')
  [ "$rows" = "$layers" ] && pass "$name: $rows table rows for $layers layers" || fail "$name: $rows table rows for $layers layers"
  charts=$(grep -o '<svg id="chart-[a-z-]*"' "$dom" | wc -l | tr -d ' ')
  [ "$charts" = 6 ] && pass "$name: 6 chart SVGs" || fail "$name: $charts chart SVGs, expected 6"
  verdict=$(grep -o 'data-verdict="[a-z]*"' "$dom" | head -n 1)
  sed -n '/<pre id="selftest"/,/<\/pre>/p' "$dom" | sed -e 's/<[^>]*>//g' -e '/^$/d' -e 's/^/     /'
  [ "$verdict" = 'data-verdict="pass"' ] && pass "$name: in-page self-test passed" || fail "$name: in-page self-test: ${verdict:-no verdict}"
  if grep -q '<pre id="errors" hidden=""></pre>' "$dom" && ! grep -q ':CONSOLE' "$log"; then
    pass "$name: no script errors, nothing on the console"
  else
    fail "$name: script errors:"; sed -n '/<pre id="errors"/,/<\/pre>/p' "$dom"; grep 'CONSOLE' "$log" | head -n 5
  fi
  "$bin" analyze "$model" -f dot -o "$work/$name.dot" || { fail "$name: convscope could not write DOT"; return; }
  if timeout 120 dot -Tsvg "$work/$name.dot" -o "$work/$name.svg" 2>"$work/$name.dot.log" && grep -q '<svg' "$work/$name.svg"; then
    pass "$name: dot -Tsvg rendered the graph ($(wc -c <"$work/$name.svg" | tr -d ' ') bytes)"
  else
    fail "$name: dot -Tsvg failed:"; head -n 5 "$work/$name.dot.log"
  fi
}

check_report Examples/seed-resnet.yaml seed-resnet
check_report Tests/Fixtures/zoo/resnet50.onnx resnet50

# A synthetic 1,000-node model: 250 blocks of conv, relu, conv, add.
big="$work/synthetic-1000.yaml"
cat >"$big" <<'YAML'
name: synthetic-1000
layout: HWC
input: {name: input, shape: [32, 32, 16]}
layers:
  - repeat: 250
    layers:
      - {name: "conv_a{i}", op: conv, filters: 16, kernel: 3, padding: same}
      - {name: "relu{i}", op: relu}
      - {name: "conv_b{i}", op: conv, filters: 16, kernel: 3, padding: same}
      - {name: "add{i}", op: add, inputs: ["conv_b{i}", "conv_a{i}"]}
YAML
if "$bin" analyze "$big" -f html -o "$work/big.html"; then
  bytes=$(wc -c <"$work/big.html" | tr -d ' ')
  start=$(date +%s%N)
  load "$work/big.html" "$work/big.log" >"$work/big.dom"
  wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  page_ms=$(grep -o 'data-load-ms="[0-9]*"' "$work/big.dom" | grep -o '[0-9]*')
  rows=$(grep -o '<tr class="layer[^"]*"' "$work/big.dom" | wc -l | tr -d ' ')
  echo "1,000-node model: $rows rows, report $((bytes / 1024)) KiB, loaded and scripted in ${page_ms:-?} ms (browser run ${wall_ms} ms with start-up)"
  [ "$bytes" -lt $((2 * 1024 * 1024)) ] || echo "note: over the 2 MiB target"
  [ "${page_ms:-99999}" -lt 2000 ] || echo "note: over the 2 s target"
  [ "$bytes" -lt $((10 * 1024 * 1024)) ] || fail "1,000-node report is grossly large ($bytes bytes)"
  [ "${page_ms:-99999}" -lt 20000 ] || fail "1,000-node report grossly slow (${page_ms:-no} ms)"
  grep -q 'data-verdict="pass"' "$work/big.dom" && pass "1,000-node model: in-page self-test passed" || fail "1,000-node model: in-page self-test"
  "$bin" analyze "$big" -f dot -o "$work/big.dot"
  start=$(date +%s%N)
  if timeout 300 dot -Tsvg "$work/big.dot" -o "$work/big.svg"; then
    echo "1,000-node model: dot -Tsvg took $(( ($(date +%s%N) - start) / 1000000 )) ms"
  else
    fail "1,000-node model: dot -Tsvg failed"
  fi
else
  fail "convscope could not write the 1,000-node report"
fi

if [ "$failures" -gt 0 ]; then echo "browser checks: $failures failed"; exit 1; fi
echo "browser checks: all passed"
