"""Exports the full-weight ONNX files Benchmarks/compare-tools.sh measures.

Random initialisation from each library's own configuration (no weights are downloaded),
eval mode, weights stored inline (raw_data) in one file:
- torchvision (TorchScript exporter, opset 17, input 1x3x224x224): efficientnet_b0,
  resnet50, vgg16, vit_b_16;
- transformers (default GPT2Config / BertConfig, input_ids 1x16): gpt2 (torch.export-based
  exporter, opset 18: its mask code uses aten::diff) and bert_base (TorchScript, opset 17).

`make_compare_models.py OUT_DIR` runs itself once per library (`OUT_DIR vision`, `OUT_DIR
text`). A torchvision wheel built for another torch fails at import, which breaks
transformers' import too; it is imported with its fake-kernel registrations skipped.
Existing files are kept.
"""

import os
import subprocess
import sys

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Scripts")
VISION = ["efficientnet_b0", "resnet50", "vgg16", "vit_b_16"]
TEXT = ["gpt2", "bert_base"]


def export(torch, model, args, path, input_names, dynamo):
    model.eval()
    extra = {"external_data": False} if dynamo else {}
    with torch.no_grad():
        torch.onnx.export(
            model, args, path, input_names=input_names, output_names=["output"],
            opset_version=18 if dynamo else 17, dynamo=dynamo, **extra)


def import_torchvision():
    """torchvision, imported as Scripts/pt2-fixtures does (a wheel built for another torch
    fails at import registering fake kernels; that registration is skipped)."""
    sys.path.insert(0, os.path.join(SCRIPTS, "pt2-fixtures"))
    from make_pt2_fixtures import torchvision

    return torchvision


def vision(out_dir):
    import torch

    torchvision = import_torchvision()
    # ViT's eval-mode fast path (aten::_native_multi_head_attention) has no ONNX export.
    torch.backends.mha.set_fastpath_enabled(False)
    for name in VISION:
        path = os.path.join(out_dir, name + ".onnx")
        if os.path.exists(path):
            continue
        model = getattr(torchvision.models, name)(weights=None)
        export(torch, model, (torch.randn(1, 3, 224, 224),), path, ["input"], dynamo=False)


def text(out_dir):
    """The corpus' GPT-2 and BERT-base builders (Scripts/onnx-corpus/make_corpus.py)."""
    import torch

    import_torchvision()  # transformers imports torchvision; a broken one fails that import
    sys.path.insert(0, os.path.join(SCRIPTS, "onnx-corpus"))
    from make_corpus import Wrapped, bert_base, gpt2

    ids = torch.randint(0, 1000, (1, 16))
    for name, build, dynamo in (("gpt2", gpt2, True), ("bert_base", bert_base, False)):
        path = os.path.join(out_dir, name + ".onnx")
        if not os.path.exists(path):
            export(torch, Wrapped(build()), (ids,), path, ["input_ids"], dynamo=dynamo)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    if len(sys.argv) > 2:
        {"vision": vision, "text": text}[sys.argv[2]](out_dir)
        return
    for part in ("vision", "text"):
        subprocess.run([sys.executable, __file__, out_dir, part], check=True)


if __name__ == "__main__":
    main()
