#!/usr/bin/env bash
# Times reading a 7-billion-parameter GGUF header (Llama-2-7B's tensor table and metadata,
# payload a sparse hole: Benchmarks/make_llama7b_gguf.py) in fresh processes of a release
# build; the target is under 50 ms (issue 15). Run by hand, not a test:
#
#   Benchmarks/gguf-header-bench.sh [RUNS]
#   CONFIG=debug Benchmarks/gguf-header-bench.sh   # the debug build, when a release build is too slow to make
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
config=${CONFIG:-release}
swift build -c "$config" --product convscope >&2
binary=.build/$config/convscope
command=analyze
if "$binary" --help 2>&1 | grep -qE '^ +llm '; then command=llm; fi
echo "file: $(stat -c %s "$model") bytes apparent, $(du -k "$model" | cut -f1) KiB on disk; command: $command"
"$binary" "$command" "$model" 2>&1 | head -n 3 || true
# The same command on a 43 KB fixture first: what process start-up and the rest cost, for comparison.
for file in Tests/Fixtures/llm-headers/gpt2.gguf "$model"; do
  echo "$file:"
  python3 - "$binary" "$command" "$file" "$runs" <<'PY'
import resource, subprocess, sys, time
binary, command, model, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
times, cpu = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([binary, command, model], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
times.sort()
cpu.sort()
print(f"{runs} runs, whole process: wall min {times[0]:.1f} ms, median {times[len(times) // 2]:.1f} ms; "
      f"CPU (user + system) min {cpu[0]:.1f} ms, median {cpu[len(cpu) // 2]:.1f} ms")
PY
done
# Bytes the process read: rchar counts read() calls (a mapping's pages are not counted), so
# the page-ins of the mapping are shown by the major faults.
/usr/bin/time -f "one run: %e s elapsed, %M KB peak memory, %F major page faults, %R minor" \
  "$binary" "$command" "$model" >/dev/null 2>"$work/time.txt" || true
tail -n 1 "$work/time.txt"
