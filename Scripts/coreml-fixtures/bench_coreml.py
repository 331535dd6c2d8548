"""Benchmark of the Core ML importer (not a test): builds a ~100 MB .mlpackage (an ML Program
whose weight.bin holds a 5120x5120 float32 dense layer and a conv stack) and the same network
as a NeuralNetwork .mlmodel with its ~100 MB of weights inline, then their weight-stripped
copies, and times `convscope analyze --quiet` on each (best of 3, fresh processes) with the
peak resident memory. Usage: bench_coreml.py CONVSCOPE_BINARY [WORKDIR]"""

import os
import shutil
import subprocess
import sys
import time

import numpy as np
import coremltools as ct
from coremltools.converters.mil import Builder as mb
from coremltools.models.neural_network import NeuralNetworkBuilder
from coremltools.models import datatypes

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_coreml_fixtures import strip_weights  # noqa: E402

BINARY = sys.argv[1]
WORK = sys.argv[2] if len(sys.argv) > 2 else "/tmp/coreml-bench"
WIDTH = 5120
rng = np.random.default_rng(0)


def rand(*shape):
    return rng.standard_normal(shape, dtype=np.float32)


def program_package(path):
    @mb.program(input_specs=[mb.TensorSpec(shape=(1, 3, 64, 64))])
    def prog(image):
        x = image
        cin = 3
        for index, cout in enumerate([32, 64, 128, 256]):
            x = mb.conv(x=x, weight=rand(cout, cin, 3, 3), bias=rand(cout), pad_type="same", name=f"conv{index}")
            x = mb.relu(x=x, name=f"relu{index}")
            cin = cout
        x = mb.reduce_mean(x=x, axes=[2, 3], keep_dims=False, name="pool")
        x = mb.linear(x=x, weight=rand(WIDTH, 256), name="expand")
        return mb.linear(x=x, weight=rand(WIDTH, WIDTH), bias=rand(WIDTH), name="wide")

    model = ct.convert(prog, convert_to="mlprogram", compute_precision=ct.precision.FLOAT32, skip_model_load=True)
    shutil.rmtree(path, ignore_errors=True)
    model.save(path)


def network_model(path):
    b = NeuralNetworkBuilder([("image", datatypes.Array(1, 256, 1, 1))], [("out", datatypes.Array(1, WIDTH, 1, 1))],
                             disable_rank5_shape_mapping=True)
    b.add_inner_product("expand", W=rand(WIDTH, 256), b=None, input_channels=256, output_channels=WIDTH,
                        has_bias=False, input_name="image", output_name="wide_in")
    b.add_inner_product("wide", W=rand(WIDTH, WIDTH), b=rand(WIDTH), input_channels=WIDTH, output_channels=WIDTH,
                        has_bias=True, input_name="wide_in", output_name="out")
    ct.utils.save_spec(b.spec, path)
    return b.spec


def size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def measure(path):
    """Best wall time of 3 fresh runs, and the largest peak RSS (kB, from /usr/bin/time)."""
    best, peak = None, 0
    for _ in range(3):
        start = time.perf_counter()
        run = subprocess.run(["/usr/bin/time", "-f", "%M", BINARY, "analyze", path, "--quiet"], check=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, int(run.stderr.strip().splitlines()[-1]))
    return best, peak


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    package = os.path.join(WORK, "wide.mlpackage")
    program_package(package)
    stripped_package = os.path.join(WORK, "wide_stripped.mlpackage")
    shutil.rmtree(stripped_package, ignore_errors=True)
    shutil.copytree(package, stripped_package)
    open(os.path.join(stripped_package, "Data/com.apple.CoreML/weights/weight.bin"), "wb").close()
    network = os.path.join(WORK, "wide.mlmodel")
    spec = network_model(network)
    strip_weights(spec)
    stripped_network = os.path.join(WORK, "wide_stripped.mlmodel")
    ct.utils.save_spec(spec, stripped_network)
    print(f"{'file':<28} {'bytes':>12} {'best of 3':>11} {'peak RSS':>10}")
    for path in [stripped_package, package, stripped_network, network]:
        best, rss = measure(path)
        print(f"{os.path.basename(path):<28} {size(path):>12,} {best * 1000:>8.1f} ms {rss / 1024:>7.1f} MB")
