"""Builds the transformer models of issue 14, exports each to ONNX and records every
PyTorch-side counting tool's total on the PyTorch model.

Each model is built from code or a small config (random init, nothing downloaded), put in
eval mode, and every tool is run on it at batch 1 the way its README shows, on a deep copy:
no `torch.no_grad()` is added. That matters: thop and torchinfo run the model under their own
no_grad, which lets `nn.MultiheadAttention` and `nn.TransformerEncoderLayer` take their fused
fast path (`_native_multi_head_attention`, `_transformer_encoder_layer_fwd`), whose insides
they cannot see; fvcore, ptflops, calflops and FlopCounterMode run with grad on, the plain path.
The export is `torch.onnx.export(..., dynamo=False, opset_version=17)` (the TorchScript
exporter, as the CNN corpus), weight-stripped as Scripts/onnx-corpus/make_corpus.py does.

Writes, under OUT (default Tests/Fixtures/transformer-conventions):
  NAME.onnx                 the weight-stripped export (the .data payload is not kept)
  references.json           per model: inputs, torch params, each tool's total as the tool
                            prints it (MACs or FLOPs), errors; the tool versions

Run through Scripts/transformer-conventions/make-references.sh (makes the venv).
Optional arguments: OUT, then model names to (re)build only those.
"""

import contextlib
import copy
import io
import json
import os
import sys
import traceback
import warnings
from importlib import metadata

import torch


def _import_torchvision():
    """PyPI's torchvision 0.28 (the release for torch 2.13) is a CUDA build whose compiled ops
    cannot load next to the CPU torch; the models need none of them (nms, roi_align), so the
    fake-kernel registrations of the missing ops are skipped instead of aborting the import."""
    original = torch.library.register_fake

    def tolerant(op, func=None, /, *args, **kwargs):
        if func is not None:
            return original(op, func, *args, **kwargs)
        decorate = original(op, *args, **kwargs)

        def apply(fn):
            try:
                return decorate(fn)
            except RuntimeError:  # the op's library did not load
                return fn

        return apply

    torch.library.register_fake = tolerant
    try:
        import torchvision
    finally:
        torch.library.register_fake = original
    return torchvision


torchvision = _import_torchvision()

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "onnx-corpus"))
from make_corpus import strip  # noqa: E402  (the corpus' weight stripping)

warnings.filterwarnings("ignore")
OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/transformer-conventions"
ONLY = set(sys.argv[2:])
torch.manual_seed(0)


class Wrapped(torch.nn.Module):
    """A transformers model called with keyword tensors, its first output returned."""

    def __init__(self, inner, names):
        super().__init__()
        self.inner = inner
        self.names = names

    def forward(self, *args):
        return self.inner(**dict(zip(self.names, args)), return_dict=False)[0]


class AttentionBlock(torch.nn.Module):
    """A bare nn.MultiheadAttention (self-attention, need_weights at its default True).
    batch_first=True lets eval + no_grad take the fused `_native_multi_head_attention`;
    batch_first=False runs `F.multi_head_attention_forward` (baddbmm, softmax, bmm)."""

    def __init__(self, batch_first, dim=64, heads=4):
        super().__init__()
        self.attention = torch.nn.MultiheadAttention(dim, heads, batch_first=batch_first)

    def forward(self, x):
        return self.attention(x, x, x)[0]


class Seq2Seq(torch.nn.Module):
    """nn.Transformer (encoder-decoder), small."""

    def __init__(self):
        super().__init__()
        self.transformer = torch.nn.Transformer(
            d_model=64, nhead=4, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=128,
            batch_first=True)

    def forward(self, src, tgt):
        return self.transformer(src, tgt)


class Encoder(torch.nn.Module):
    """nn.TransformerEncoder; batch_first=True lets eval + no_grad take the fused fast path,
    batch_first=False never does."""

    def __init__(self, batch_first):
        super().__init__()
        layer = torch.nn.TransformerEncoderLayer(
            d_model=64, nhead=4, dim_feedforward=128, batch_first=batch_first, activation="gelu")
        self.encoder = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)

    def forward(self, x):
        return self.encoder(x)


def hf(name):
    import transformers as t
    import transformers.masking_utils as masking

    # Causal masks look for packed sequences with torch.diff, which the TorchScript exporter cannot
    # translate; one unpacked sequence has none, so the search is skipped (tools and export alike).
    masking.find_packed_sequence_indices = lambda position_ids: None

    eager = {"attn_implementation": "eager"}
    if name == "bert_small":
        config = t.BertConfig(vocab_size=1000, hidden_size=128, num_hidden_layers=2, num_attention_heads=4,
                              intermediate_size=512, max_position_embeddings=64, **eager)
        # No pooler: its output would be dropped from the export while hook tools still count it.
        return Wrapped(t.BertModel(config, add_pooling_layer=False), ["input_ids"]), [ids(32)]
    if name == "gpt2_small":
        config = t.GPT2Config(vocab_size=1000, n_embd=128, n_layer=2, n_head=4, n_positions=64, use_cache=False,
                              **eager)
        return Wrapped(t.GPT2LMHeadModel(config), ["input_ids"]), [ids(32)]
    if name == "t5_small":
        config = t.T5Config(vocab_size=1000, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_decoder_layers=2,
                            num_heads=4, use_cache=False, **eager)
        return Wrapped(t.T5Model(config), ["input_ids", "decoder_input_ids"]), [ids(16), ids(8)]
    if name == "llama_small":
        config = t.LlamaConfig(vocab_size=1000, hidden_size=64, intermediate_size=176, num_hidden_layers=2,
                               num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                               use_cache=False, **eager)
        return Wrapped(t.LlamaModel(config), ["input_ids"]), [ids(32)]
    if name == "whisper_encoder_small":
        config = t.WhisperConfig(d_model=64, encoder_layers=2, encoder_attention_heads=4, encoder_ffn_dim=128,
                                 num_mel_bins=40, max_source_positions=50, **eager)
        encoder = t.models.whisper.modeling_whisper.WhisperEncoder(config)
        return Wrapped(encoder, ["input_features"]), [torch.randn(1, 40, 100)]
    raise KeyError(name)


def ids(n):
    return torch.randint(0, 1000, (1, n))


def image(size=224):
    return [torch.randn(1, 3, size, size)]


MODELS = {
    "vit_b_16": lambda: (torchvision.models.vit_b_16(), image()),
    "vit_b_32": lambda: (torchvision.models.vit_b_32(), image()),
    "swin_t": lambda: (torchvision.models.swin_t(), image()),
    "swin_v2_t": lambda: (torchvision.models.swin_v2_t(), image(256)),
    "nn_transformer": lambda: (Seq2Seq(), [torch.randn(1, 16, 64), torch.randn(1, 8, 64)]),
    "encoder_fastpath": lambda: (Encoder(batch_first=True), [torch.randn(1, 16, 64)]),
    "encoder_slowpath": lambda: (Encoder(batch_first=False), [torch.randn(16, 1, 64)]),
    "multihead_attention": lambda: (AttentionBlock(batch_first=True), [torch.randn(1, 16, 64)]),
    "multihead_attention_seq_first": lambda: (AttentionBlock(batch_first=False), [torch.randn(16, 1, 64)]),
    "bert_small": lambda: hf("bert_small"),
    "gpt2_small": lambda: hf("gpt2_small"),
    "t5_small": lambda: hf("t5_small"),
    "llama_small": lambda: hf("llama_small"),
    "whisper_encoder_small": lambda: hf("whisper_encoder_small"),
}


# ---------------------------------------------------------------- the tools


def quiet(fn):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return fn()


def run_fvcore(model, inputs):
    from fvcore.nn import FlopCountAnalysis

    analysis = FlopCountAnalysis(model, tuple(inputs))
    analysis.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    return {"total": int(analysis.total()), "by_operator": {k: int(v) for k, v in analysis.by_operator().items()},
            "unsupported": {k: int(v) for k, v in analysis.unsupported_ops().items()}}


def run_ptflops(model, inputs, backend):
    from ptflops import get_model_complexity_info

    names = [f"a{i}" for i in range(len(inputs))]

    class Positional(torch.nn.Module):  # ptflops passes a constructor's dict as keywords
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, **kw):
            return self.inner(*[kw[n] for n in names])

    # One input is passed as the tensor itself, as users do: ptflops then takes its first axis as
    # the batch and divides module counts by it (a seq-first input's sequence length). Several go
    # as keywords to a wrapper with no parameters or hooks of its own (batch 1).
    if len(inputs) == 1:
        model, constructor = model, lambda _: inputs[0]
    else:
        model, constructor = Positional(model), lambda _: dict(zip(names, inputs))
    macs, params = get_model_complexity_info(
        model, (1,), input_constructor=constructor, as_strings=False, print_per_layer_stat=False, verbose=False,
        backend=backend)
    return {"macs": int(macs), "params": int(params)}


def run_thop(model, inputs):
    from thop import profile

    macs, params = profile(model, inputs=tuple(inputs), verbose=False)
    return {"macs": int(macs), "params": int(params)}


def run_torchinfo(model, inputs):
    from torchinfo import summary

    stats = summary(model, input_data=list(inputs), verbose=0, device="cpu")
    return {"total_mult_adds": int(stats.total_mult_adds), "total_params": int(stats.total_params)}


def run_flop_counter(model, inputs):
    from torch.utils.flop_counter import FlopCounterMode

    mode = FlopCounterMode(display=False)
    with mode:
        model(*inputs)
    return {"flops": int(mode.get_total_flops())}


def run_calflops(model, inputs):
    from calflops import calculate_flops

    flops, macs, params = calculate_flops(
        model, args=list(inputs), print_results=False, print_detailed=False, output_as_string=False)
    return {"flops": int(flops), "macs": int(macs), "params": int(params)}


def run_onnx_tool(path, feeds):
    import numpy as np
    import onnx_tool

    model = onnx_tool.Model(path)
    graph = model.graph
    graph.shape_infer({k: np.zeros(v.shape, dtype=v.numpy().dtype) for k, v in feeds.items()})
    graph.profile()
    return {"macs": int(graph.macs[0] if isinstance(graph.macs, (list, tuple)) else graph.macs),
            "params": int(graph.params)}


TOOLS = {
    "fvcore": run_fvcore,
    "ptflops": lambda m, i: run_ptflops(m, i, "pytorch"),
    "ptflops-aten": lambda m, i: run_ptflops(m, i, "aten"),
    "thop": run_thop,
    "torchinfo": run_torchinfo,
    "torch-flop-counter": run_flop_counter,
    "calflops": run_calflops,
}

FIGURE = {"fvcore": "total", "ptflops": "macs", "ptflops-aten": "macs", "thop": "macs",
          "torchinfo": "total_mult_adds", "torch-flop-counter": "flops", "calflops": "flops", "onnx-tool": "macs"}


def versions():
    names = ["torch", "torchvision", "transformers", "fvcore", "ptflops", "thop-0.1.1-2209072238", "thop",
             "torchinfo", "calflops", "onnx-tool", "onnx", "onnxruntime"]
    found = {}
    for n in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[n] = metadata.version(n)
    return found


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "references.json")
    existing = json.load(open(path)) if os.path.exists(path) else {"models": {}}
    models = existing["models"]
    for name, build in MODELS.items():
        if ONLY and name not in ONLY:
            continue
        torch.manual_seed(0)
        model, inputs = build()
        model.eval()
        # Distinct values in every parameter: the exporter stores bit-identical initializers once
        # (LayerNorm's ones, a TransformerEncoder's deep-copied layers), which would hide weights.
        with torch.no_grad():
            for p in model.parameters():
                p.normal_(0.0, 0.02)
        input_names = [f"input{i}" if len(inputs) > 1 else "input" for i in range(len(inputs))]
        entry = {"inputs": {n: list(t.shape) for n, t in zip(input_names, inputs)},
                 "torch_params": sum(p.numel() for p in model.parameters()), "tools": {}, "errors": {}}
        for tool, fn in TOOLS.items():
            try:
                entry["tools"][tool] = quiet(lambda: fn(copy.deepcopy(model), inputs))
            except Exception:  # recorded, not hidden: the test reports a tool with no number
                entry["errors"][tool] = traceback.format_exc(limit=2).strip().splitlines()[-1]
        onnx_path = os.path.join(OUT, name + ".onnx")
        try:  # with grad on: under no_grad the fused fast paths would be traced, and cannot be exported
            torch.onnx.export(model, tuple(inputs), onnx_path, input_names=input_names, output_names=["output"],
                              opset_version=17, dynamo=False)
            try:
                entry["tools"]["onnx-tool"] = quiet(lambda: run_onnx_tool(onnx_path, dict(zip(input_names, inputs))))
            except Exception:
                entry["errors"]["onnx-tool"] = traceback.format_exc(limit=2).strip().splitlines()[-1]
            strip(onnx_path)
        except Exception:
            entry["errors"]["export"] = traceback.format_exc(limit=2).strip().splitlines()[-1]
        entry["totals"] = {t: v[FIGURE[t]] for t, v in entry["tools"].items()}
        models[name] = entry
        print(name, entry["totals"], entry["errors"], flush=True)
    existing["versions"] = versions()
    existing["how"] = ("eval mode, batch 1, every tool run as its README shows (no torch.no_grad() added) on a deep copy; "
                       "ONNX: torch.onnx.export(dynamo=False, opset_version=17), weights stripped")
    with open(path, "w") as f:
        json.dump(existing, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
