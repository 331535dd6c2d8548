"""Times convscope against the Python ONNX tools on the same full-weight files, as whole
processes, and prints a Markdown table. Run by Benchmarks/compare-tools.sh (which makes the
virtual environment and the models); usage:

    python compare_tools.py CONVSCOPE MODELS_DIR [RUNS]

For each model: `convscope analyze` (table output), the same on the weight-stripped copy
(weights moved to an external file that convscope never opens), `onnx.load`,
`onnx.shape_inference.infer_shapes` (after `onnx.load`) and onnx-tool's `model_profile`,
each the best of RUNS (default 3) fresh processes, with the warm page cache and with the
model file dropped from the page cache before every run ("cold": /proc/sys/vm/drop_caches
when writable, else posix_fadvise(DONTNEED) on the file). Peak RSS is the child's
ru_maxrss (os.wait4) of the fastest run. Output goes to /dev/null.
"""

import os
import subprocess
import sys
import time

MODELS = ["efficientnet_b0", "resnet50", "vgg16", "vit_b_16", "gpt2", "bert_base"]
LOAD = "import onnx, sys; onnx.load(sys.argv[1])"
INFER = "import onnx, sys; onnx.shape_inference.infer_shapes(onnx.load(sys.argv[1]))"
PROFILE = "import onnx_tool, sys; onnx_tool.model_profile(sys.argv[1])"


def drop_cache(path):
    """Evicts `path` from the page cache; says how."""
    try:
        with open("/proc/sys/vm/drop_caches", "w") as control:
            os.sync()
            control.write("3\n")
        return "drop_caches"
    except OSError:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
        return "fadvise"


def warm_cache(path):
    with open(path, "rb") as model:
        while model.read(1 << 24):
            pass


def run(command, path, cold, runs):
    """Best wall time (s) of `runs` processes and that run's peak RSS (MB)."""
    best = None
    for _ in range(runs):
        if cold:
            drop_cache(path)
        start = time.perf_counter()
        with open(os.devnull, "wb") as null:
            process = subprocess.Popen(command, stdout=null, stderr=null)
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed ({status}): {' '.join(command)}")
        if best is None or seconds < best[0]:
            best = (seconds, usage.ru_maxrss / 1024)
    return best


def stripped_copy(path):
    """The model with every initializer over 1 KiB moved to an external file (made once)."""
    import onnx

    out = path[: -len(".onnx")] + ".stripped.onnx"
    if not os.path.exists(out):
        model = onnx.load(path)
        onnx.save(model, out, save_as_external_data=True, all_tensors_to_one_file=True,
                  location=os.path.basename(out) + ".data", size_threshold=1024)
    return out


def main():
    convscope, models_dir = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    python = sys.executable
    probe = os.path.join(models_dir, MODELS[0] + ".onnx")
    print(f"Cold cache by {drop_cache(probe)}; best of {runs} processes; wall time, peak RSS.\n")
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
    for model in MODELS:
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
            ratio = cells[-1][0] / cells[0][0]
            text = " | ".join(f"{s:.3f} s, {mb:.0f} MB" for s, mb in cells)
            print(f"| {model} ({size:.0f} MB) | {'cold' if cold else 'warm'} | {text} | {ratio:.0f}× |")


if __name__ == "__main__":
    main()
