#!/usr/bin/env bash
# Times reading a 7-billion-parameter GGUF header (Llama-2-7B's tensor table and metadata,
# payload a sparse hole: Benchmarks/make_llama7b_gguf.py) in fresh processes of a release
# build; the target is under 50 ms (issue 15). Run by hand, not a test:
#
#   Benchmarks/gguf-header-bench.sh [RUNS]
#
# It times `convscope llm` when the binary has that command, else `convscope analyze`, which
# reads the same header and then says the file is for `convscope llm` (exit status 1). The
# file's blocks on disk and the bytes the process read (/proc's rchar and read_bytes) show
# that no tensor data is read.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
work=${TMPDIR:-/tmp}/convscope-gguf-bench
mkdir -p "$work"
model=$work/llama-2-7b.Q4_K_M.gguf
[[ -f $model ]] || /root/venvs/llmh/bin/python Benchmarks/make_llama7b_gguf.py "$model"
swift build -c release --product convscope >&2
binary=.build/release/convscope
command=analyze
if "$binary" llm --help >/dev/null 2>&1; then command=llm; fi
echo "file: $(stat -c %s "$model") bytes apparent, $(du -k "$model" | cut -f1) KiB on disk; command: $command"
"$binary" "$command" "$model" 2>&1 | head -n 3 || true
python3 - "$binary" "$command" "$model" "$runs" <<'PY'
import subprocess, sys, time
binary, command, model, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run([binary, command, model], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"{runs} runs, whole process: min {times[0]:.1f} ms, median {times[len(times) // 2]:.1f} ms, max {times[-1]:.1f} ms")
PY
# Bytes the process read: rchar counts read() calls (a mapping's pages are not counted), so
# the page-ins of the mapping are shown by the major faults.
/usr/bin/time -f "one run: %e s elapsed, %M KB peak memory, %F major page faults, %R minor" \
  "$binary" "$command" "$model" >/dev/null 2>"$work/time.txt" || true
tail -n 1 "$work/time.txt"
