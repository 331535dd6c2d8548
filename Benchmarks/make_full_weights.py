"""Makes full-weight ONNX files for benchmarking the ONNX importer.

With torch and torchvision installed it exports torchvision's ResNet-50 and
VGG-16 (random weights, eval mode, batch 1, opset 17, TorchScript exporter), the
way the weight-stripped fixtures in Tests/Fixtures/zoo were made. Without torch
it takes those stripped files and fills every external-data initializer with
zeros stored inline (raw_data), which gives a file of the same structure and
size. Usage: python make_full_weights.py OUT_DIR [--zeros]
"""

import pathlib
import sys

MODELS = ["resnet50", "vgg16"]
ROOT = pathlib.Path(__file__).resolve().parent.parent
STRIPPED = ROOT / "Tests" / "Fixtures" / "zoo"


def export_with_torch(out_dir: pathlib.Path, names=MODELS) -> list:
    """Exports each torchvision model in `names` (random weights) unless its file exists;
    returns the paths. Benchmarks/roofline-check uses it for its reference models."""
    import torch

    # torchvision's models are plain Python; the pt2 fixture script imports them even where
    # torchvision's compiled ops do not match torch.
    sys.path.insert(0, str(ROOT / "Scripts" / "pt2-fixtures"))
    from make_pt2_fixtures import import_torchvision

    torchvision = import_torchvision()

    paths = []
    for name in names:
        path = out_dir / f"{name}.onnx"
        paths.append(path)
        if path.exists():
            continue
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)(weights=None).eval()
        # Not under no_grad: there nn.MultiheadAttention (ViT) takes a fused path with no ONNX export.
        torch.onnx.export(
            model, torch.randn(1, 3, 224, 224), str(path),
            input_names=["input"], output_names=["output"], opset_version=17, dynamo=False)
    return paths


def fill_with_zeros(out_dir: pathlib.Path) -> None:
    import onnx
    from onnx.external_data_helper import uses_external_data

    for name in MODELS:
        model = onnx.load(str(STRIPPED / f"{name}.onnx"), load_external_data=False)
        for tensor in model.graph.initializer:
            if not uses_external_data(tensor):
                continue
            count = 1
            for dim in tensor.dims:
                count *= dim
            width = onnx.helper.tensor_dtype_to_np_dtype(tensor.data_type).itemsize
            del tensor.external_data[:]
            tensor.data_location = onnx.TensorProto.DEFAULT
            tensor.raw_data = bytes(count * width)
        onnx.save(model, str(out_dir / f"{name}.onnx"))


def main() -> None:
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    if "--zeros" not in sys.argv:
        try:
            export_with_torch(out_dir)
            return
        except ImportError:
            print("torch/torchvision not installed: filling the stripped models with zeros", file=sys.stderr)
    fill_with_zeros(out_dir)


if __name__ == "__main__":
    main()
