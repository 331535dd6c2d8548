"""Times convscope against the Python ONNX tools on the same full-weight files, as whole
processes, and prints a Markdown table. Run by Benchmarks/compare-tools.sh (which makes the
virtual environment and the models); usage:

    python compare_tools.py CONVSCOPE MODELS_DIR [RUNS [MODEL...]]

For each model: `convscope analyze` (table output), the same on the weight-stripped copy
(weights moved to an external file that convscope never opens), `onnx.load`,
`onnx.shape_inference.infer_shapes` (after `onnx.load`) and onnx-tool's `model_profile`,
each the best of RUNS (default 3) fresh processes, with the model file in the page cache
("warm") and evicted from it before every run ("cold": posix_fadvise(DONTNEED) on the file;
COMPARE_COLD=drop writes 3 to /proc/sys/vm/drop_caches instead, which also evicts the tools'
own binaries and libraries). Wall time is measured around the process; CPU time (user +
system) and peak RSS are /usr/bin/time's %U + %S and %M of the fastest run. Output goes to /dev/null.
"""

import os
import subprocess
import sys
import tempfile
import time

MODELS = ["efficientnet_b0", "resnet50", "vgg16", "vit_b_16", "gpt2", "bert_base"]
LOAD = "import onnx, sys; onnx.load(sys.argv[1])"
INFER = "import onnx, sys; onnx.shape_inference.infer_shapes(onnx.load(sys.argv[1]))"
PROFILE = "import onnx_tool, sys; onnx_tool.model_profile(sys.argv[1])"


def drop_cache(path):
    """Evicts `path` from the page cache (everything, with COMPARE_COLD=drop); says how."""
    if os.environ.get("COMPARE_COLD") == "drop":
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as control:
            control.write("3\n")
        return "writing 3 to /proc/sys/vm/drop_caches"
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return "posix_fadvise(DONTNEED) on the model file"


def warm_cache(path):
    with open(path, "rb") as model:
        while model.read(1 << 24):
            pass


def run(command, path, cold, runs):
    """Best wall time (s) of `runs` processes, that run's CPU time (user + system, s) and
    the peak RSS (MB) of one more. The timed processes are started and reaped here
    (`os.wait4`), so no timing program's start-up is counted; the peak RSS comes from
    /usr/bin/time, because a child's `ru_maxrss` also counts this Python's pages it shared
    before `exec`."""
    best = None
    for _ in range(runs):
        if cold:
            drop_cache(path)
        with open(os.devnull, "wb") as null:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=null, stderr=null)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            return None  # the tool refused the model (onnx-tool cannot profile every op)
        if best is None or seconds < best[0]:
            best = (seconds, usage.ru_utime + usage.ru_stime)
    if cold:
        drop_cache(path)
    with tempfile.NamedTemporaryFile("r") as report, open(os.devnull, "wb") as null:
        subprocess.call(["/usr/bin/time", "-f", "%M", "-o", report.name] + command, stdout=null, stderr=null)
        kilobytes = report.read().split()[-1]
    return best + (int(kilobytes) / 1024,)


def duration(seconds):
    """Milliseconds under a second (convscope's), seconds above."""
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


STRIP = """import onnx, os, sys
model = onnx.load(sys.argv[1])
onnx.save(model, sys.argv[2], save_as_external_data=True, all_tensors_to_one_file=True,
          location=os.path.basename(sys.argv[2]) + ".data", size_threshold=1024)"""


def stripped_copy(path):
    """The model with every initializer over 1 KiB moved to an external file (made once, in
    another process, so that this one stays small)."""
    out = path[: -len(".onnx")] + ".stripped.onnx"
    if not os.path.exists(out):
        subprocess.run([sys.executable, "-c", STRIP, path, out], check=True)
    return out


def main():
    convscope, models_dir = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    models = sys.argv[4:] or MODELS
    python = sys.executable
    probe = os.path.join(models_dir, MODELS[0] + ".onnx")
    print(f"Cold: {drop_cache(probe)}; best of {runs} processes; wall time (CPU time), peak RSS.\n")
    columns = [
        ("convscope", lambda p: [convscope, "analyze", p]),
        ("convscope, weights stripped", lambda p: [convscope, "analyze", stripped_copy(p)]),
        ("`onnx.load`", lambda p: [python, "-c", LOAD, p]),
        ("onnx shape inference", lambda p: [python, "-c", INFER, p]),
        ("onnx-tool profile", lambda p: [python, "-c", PROFILE, p]),
    ]
    header = "| model (file) | cache | " + " | ".join(name for name, _ in columns)
    print(header + " | onnx-tool ÷ convscope |")
    print("|---|---|" + "---:|" * (len(columns) + 1))
    for model in models:
        path = os.path.join(models_dir, model + ".onnx")
        if not os.path.exists(path):
            continue
        size = os.path.getsize(path) / 1e6
        for cold in (False, True):
            cells = []
            for name, command in columns:
                target = path if "stripped" not in name else stripped_copy(path)
                if not cold:
                    warm_cache(target)
                cells.append(run(command(path), target, cold, runs))
            ratio = f"{cells[-1][0] / cells[0][0]:.0f}×" if cells[-1] and cells[0] else "–"
            text = " | ".join(
                f"{duration(c[0])} ({duration(c[1])}), {c[2]:.0f} MB" if c else "failed" for c in cells)
            print(f"| {model} ({size:.0f} MB) | {'cold' if cold else 'warm'} | {text} | {ratio} |")


if __name__ == "__main__":
    main()
