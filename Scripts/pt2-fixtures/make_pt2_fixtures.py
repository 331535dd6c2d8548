"""Exports small PyTorch models to torch.export archives (.pt2) for ConvScope's tests.

Each NAME.pt2 is saved with torch.export.save, then rewritten without its payloads (every
entry under data/: weights, constants, sample inputs), so the reader is shown never to need
them. Beside it, NAME.ref.json holds torch's own figures for the same module and input:
parameters (sum of p.numel()), buffers, FlopCounterMode's total, fvcore's FlopCountAnalysis
total, and every node's output shape as the exported program records it.

Usage: python make_pt2_fixtures.py OUTPUT_DIR [--only NAME...] [--keep-payloads]
"""

import argparse
import json
import os
import sys
import tempfile
import zipfile

import torch
import torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode, flop_registry


def import_torchvision():
    """torchvision's models are plain Python; a wheel whose compiled ops do not match the
    installed torch (PyPI's CUDA build beside a CPU torch) fails at import registering fake
    kernels for ops it never loaded, so that registration is skipped when it fails."""
    try:
        import torchvision
    except RuntimeError:
        import torch.library

        register = torch.library.register_fake
        torch.library.register_fake = lambda *args, **kwargs: (lambda function: function)
        try:
            import torchvision
        finally:
            torch.library.register_fake = register
    return torchvision


torchvision = import_torchvision()


class SmallCNN(nn.Module):
    """Conv, BatchNorm, max-pool, adaptive pool and a classifier: the dynamic-batch model."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, stride=2), nn.BatchNorm2d(32), nn.Hardswish())
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(torch.flatten(self.pool(self.features(x)), 1))


class Encoder(nn.Module):
    """A two-layer nn.TransformerEncoder (batch first) with a token embedding."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(100, 64)
        layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(64, 100)

    def forward(self, tokens):
        return self.head(self.encoder(self.embed(tokens)))


class LSTMTagger(nn.Module):
    """A two-layer LSTM over a sequence and a linear head."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(16, 32, num_layers=2, batch_first=True)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out)


def models():
    """(name, module factory, example inputs, dynamic_shapes, decompose) for every fixture;
    modules are made one at a time, as they are exported."""
    batch = torch.export.Dim("batch", min=1, max=256)
    image = (torch.randn(1, 3, 224, 224),)
    return [
        ("resnet18", torchvision.models.resnet18, image, None, False),
        ("resnet18_core", torchvision.models.resnet18, image, None, True),
        ("mobilenet_v2", torchvision.models.mobilenet_v2, image, None, False),
        ("transformer_encoder", Encoder, (torch.randint(0, 100, (2, 12)),), None, False),
        ("lstm", LSTMTagger, (torch.randn(2, 7, 16),), None, False),
        ("dynamic_batch_cnn", SmallCNN, (torch.randn(4, 3, 32, 32),), {"x": {0: batch}}, False),
    ]


def classification_models(names):
    """torchvision classification models by name, at their usual input (299 for Inception v3)."""
    result = []
    for name in names:
        side = 299 if name == "inception_v3" else 224
        kwargs = {"aux_logits": False, "init_weights": False} if name in ("inception_v3", "googlenet") else {}
        factory = lambda name=name, kwargs=kwargs: torchvision.models.get_model(name, weights=None, **kwargs)
        result.append((name, factory, (torch.randn(1, 3, side, side),), None, False))
    return result


def size(value):
    """An int, or the symbol's name (`s77`) for a symbolic size."""
    return int(value) if isinstance(value, int) or str(value).isdigit() else str(value)


def shapes(program):
    """Every node's output shape, as the program's metadata records it (not the inputs')."""
    result = {}
    for node in program.graph.nodes:
        if node.op != "call_function":
            continue
        value = node.meta.get("val")
        values = value if isinstance(value, (list, tuple)) else [value]
        for index, item in enumerate(values):
            if isinstance(item, torch.Tensor):
                key = node.name if len(values) == 1 else f"{node.name}[{index}]"
                result[key] = [size(d) for d in item.shape]
    return result


def cpu_attention_formula():
    """FlopCounterMode has a formula for the CUDA attention kernels (flash, efficient, cuDNN) but
    none for the CPU one (`_scaled_dot_product_flash_attention_for_cpu`, torch 2.13), so on a
    CPU it counts scaled-dot-product attention as 0. This gives the CPU kernel torch's own
    CUDA formula (`sdpa_flop`), so the figure is the one FlopCounterMode gives on a GPU."""
    aten = torch.ops.aten
    formula = flop_registry[aten._scaled_dot_product_flash_attention]

    def counted(*args, **kwargs):
        return formula(*args, **kwargs)

    counted._get_raw = True
    return {aten._scaled_dot_product_flash_attention_for_cpu: counted}


def fvcore_total(module, args):
    try:
        from fvcore.nn import FlopCountAnalysis
    except ImportError:
        return None
    analysis = FlopCountAnalysis(module, args)
    analysis.unsupported_ops_warnings(False)
    analysis.uncalled_modules_warnings(False)
    return int(analysis.total())


def strip(source, target):
    """Rewrites the archive without its payloads: every entry under a `data/` folder."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if "/data/" in "/" + info.filename:
                continue
            zout.writestr(info.filename, zin.read(info.filename))


def export(name, module, args, dynamic, decompose, out_dir, keep):
    module.eval()
    program = torch.export.export(module, args, dynamic_shapes=dynamic)
    if decompose:
        program = program.run_decompositions()
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, f"{name}.pt2")
        torch.export.save(program, full)
        target = os.path.join(out_dir, f"{name}.pt2")
        if keep:
            os.replace(full, target)
        else:
            strip(full, target)
    # FlopCounterMode counts the ATen calls that run: on the exported program's module they
    # are the archive's own. Eager under no_grad may take other kernels (the fused
    # TransformerEncoderLayer fast path, which FlopCounterMode does not count), so that
    # figure is kept beside it when it differs.
    with FlopCounterMode(display=False, custom_mapping=cpu_attention_formula()) as counter:
        program.module()(*args)
    with FlopCounterMode(display=False) as cpu:
        program.module()(*args)
    with torch.no_grad(), FlopCounterMode(display=False) as eager:
        module(*args)
    buffers = {n: b.numel() for n, b in module.named_buffers()}
    reference = {
        "model": name,
        "torch_version": torch.__version__,
        "input_shapes": [list(a.shape) for a in args],
        "params": sum(p.numel() for p in module.parameters()),
        "buffers": sum(buffers.values()),
        "integer_buffers": sum(b.numel() for b in module.buffers() if not b.is_floating_point()),
        "torch_flop_counter": int(counter.get_total_flops()),
        "torch_flop_counter_cpu": int(cpu.get_total_flops()),
        "torch_flop_counter_eager_no_grad": int(eager.get_total_flops()),
        "fvcore": fvcore_total(module, args),
        "decomposed": decompose,
        "range_constraints": {str(k): [int(v.lower), int(v.upper)] for k, v in program.range_constraints.items()},
        "shapes": shapes(program),
    }
    with open(os.path.join(out_dir, f"{name}.ref.json"), "w") as handle:
        json.dump(reference, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print(f"{name}: params {reference['params']:,} flop_counter {reference['torch_flop_counter']:,} "
          f"fvcore {reference['fvcore']}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--keep-payloads", action="store_true")
    parser.add_argument(
        "--torchvision", nargs="*", metavar="MODEL",
        help="also export these torchvision classification models (no names: every one torchvision lists)")
    options = parser.parse_args()
    os.makedirs(options.out_dir, exist_ok=True)
    torch.manual_seed(0)
    chosen = models()
    if options.torchvision is not None:
        names = options.torchvision or torchvision.models.list_models(module=torchvision.models)
        chosen = [] if options.only is None else chosen
        chosen += classification_models(names)
    for name, factory, args, dynamic, decompose in chosen:
        if options.only and name not in options.only:
            continue
        try:
            export(name, factory(), args, dynamic, decompose, options.out_dir, options.keep_payloads)
        except Exception as error:  # a model torch.export cannot take is reported, not fatal
            print(f"{name}: not exported: {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)


if __name__ == "__main__":
    main()
