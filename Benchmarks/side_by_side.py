"""Times two or more convscope binaries on the same models, warm and cold page cache,
interleaved run by run, so that a change is measured against its base while the machine's
speed wanders (it moves by up to a fifth from hour to hour on a shared VM). Run by hand:

    python3 Benchmarks/side_by_side.py OLD,NEW MODEL... [--runs N]

Each round runs every binary on every model, warm then cold (the model file evicted with
posix_fadvise(DONTNEED) before the run, as compare_tools.py does); the table gives the best and
the median wall time of N rounds (default 9) per binary, model and cache state. Compare
binaries copied the same way (`cp` of a stripped build): how a binary's file was written
changes its start-up by up to a quarter (README, Speed).
"""

import os
import subprocess
import sys
import time

from compare_tools import drop_cache


def main(arguments):
    runs = 9
    if "--runs" in arguments:
        at = arguments.index("--runs")
        runs = int(arguments[at + 1])
        del arguments[at : at + 2]
    if len(arguments) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    binaries = arguments[0].split(",")
    models = arguments[1:]
    times = {}
    for _ in range(runs):
        for model in models:
            for binary in binaries:
                for cold in (False, True):
                    if cold:
                        drop_cache(model)
                    start = time.perf_counter()
                    with open(os.devnull, "wb") as null:
                        subprocess.run([binary, "analyze", model], stdout=null, check=True)
                    times.setdefault((model, binary, cold), []).append(time.perf_counter() - start)
    print("| model | binary | cache | best | median |")
    print("|---|---|---|---:|---:|")
    for (model, binary, cold), seconds in times.items():
        seconds.sort()
        print(
            f"| {os.path.basename(model)} | {binary} | {'cold' if cold else 'warm'} "
            f"| {seconds[0] * 1000:.2f} ms | {seconds[len(seconds) // 2] * 1000:.2f} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
