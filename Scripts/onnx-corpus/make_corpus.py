"""Builds ConvScope's real-model ONNX corpus (issue 11) and its references.

Each model is built in torch from code or a config (random init, nothing downloaded),
exported to ONNX, run once by onnxruntime with every intermediate value added as a graph
output, and written weight-stripped to Tests/Fixtures/corpus/:

  NAME.onnx         the export; every initializer above 64 elements points at an absent
                    NAME.onnx.data (dims and dtype kept, payload dropped)
  NAME.shapes.json  every value onnxruntime produced: its dims (the shape reference)
  NAME.ref.json     stored weights by dtype (elements and bytes), torch's parameter count,
                    MACs of the matrix products from the observed shapes, tool versions

Run through Scripts/onnx-corpus/make-corpus.sh, which makes the virtual environment.
"""

import json
import math
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import onnx_probe  # noqa: E402  (Scripts/onnx_probe.py)

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/corpus"
torch.manual_seed(0)


# ---------------------------------------------------------------- models


class Tagger(torch.nn.Module):
    """A bidirectional two-layer LSTM tagger, as an OCR recogniser's head is built."""

    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(100, 32)
        self.lstm = torch.nn.LSTM(32, 48, num_layers=2, bidirectional=True, batch_first=True)
        self.head = torch.nn.Linear(96, 20)

    def forward(self, ids):
        y, _ = self.lstm(self.embed(ids))
        return self.head(y)


class GRUClassifier(torch.nn.Module):
    """A GRU over features, the last state classified (a voice-activity detector's shape)."""

    def __init__(self):
        super().__init__()
        self.gru = torch.nn.GRU(40, 64, num_layers=1)
        self.head = torch.nn.Linear(64, 2)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


class TanhRNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.RNN(16, 24, num_layers=1, nonlinearity="tanh")

    def forward(self, x):
        y, _ = self.rnn(x)
        return y


class Branchy(torch.nn.Module):
    """Data-dependent control flow: a branch per sign of the mean, a weight used in one only."""

    def __init__(self):
        super().__init__()
        self.then_fc = torch.nn.Linear(16, 8)
        self.else_fc = torch.nn.Linear(16, 8)
        self.out = torch.nn.Linear(8, 4)

    def forward(self, x):
        if bool(x.mean() > 0):
            h = self.then_fc(x)
        else:
            h = torch.relu(self.else_fc(x))
        return self.out(h)


class Looped(torch.nn.Module):
    """A loop whose trip count is the input's first dim: the same layer applied that often."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(12, 12)

    def forward(self, x):
        for _ in range(x.size(0)):
            x = torch.tanh(self.fc(x))
        return x


class Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = torch.nn.Conv2d(c, c, 3, padding=1)
        self.norm = torch.nn.BatchNorm2d(c)

    def forward(self, x):
        return torch.relu(self.norm(self.conv(x))) + x


class Functions(torch.nn.Module):
    """Two residual blocks exported as model-local functions."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.b1 = Block(8)
        self.b2 = Block(8)

    def forward(self, x):
        return self.b2(self.b1(self.stem(x)))


def bert_base():
    from transformers import BertConfig, BertModel

    model = BertModel(BertConfig())  # bert-base-uncased's configuration, random weights
    model.eval()
    return model


def gpt2():
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config()  # the 124 M model's configuration
    config.use_cache = False
    model = GPT2LMHeadModel(config)
    model.eval()
    return model


class Wrapped(torch.nn.Module):
    """Returns the first output of a transformers model as a plain tensor."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, ids):
        return self.inner(input_ids=ids, return_dict=False)[0]


# ---------------------------------------------------------------- export and references


def export(name, model, args, input_names, dynamo=False, **kwargs):
    """torch.onnx.export at opset 17 (TorchScript exporter) or 18 (`dynamo`: torch.export)."""
    path = os.path.join(OUT, name + ".onnx")
    model.eval()
    with torch.no_grad():
        torch.onnx.export(
            model, args, path, input_names=input_names, output_names=["output"],
            opset_version=18 if dynamo else 17, dynamo=dynamo, **kwargs)
    return path


def subgraph_initializers(graph):
    for init in graph.initializer:
        yield init
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                yield from subgraph_initializers(attr.g)
            for g in attr.graphs:
                yield from subgraph_initializers(g)


def stored_params(model):
    """ConvScope's documented parameter rule applied to the stored tensors: every initializer
    (subgraphs included) of a real type, or an integer type of 8 bits or fewer, with more
    than one element (scalars and shape vectors are configuration, not parameters)."""
    total = 0
    for init in subgraph_initializers(model.graph):
        dtype = np.dtype(onnx.helper.tensor_dtype_to_np_dtype(init.data_type))
        substantive = dtype.kind == "f" or (dtype.kind in "iu" and dtype.itemsize == 1)
        if substantive and math.prod(init.dims) > 1:
            total += math.prod(init.dims)
    return total


def stored_weights(model):
    """Elements and bytes of every stored tensor (initializers, in subgraphs too), by dtype."""
    by_type = {}
    for init in subgraph_initializers(model.graph):
        dtype = onnx.helper.tensor_dtype_to_np_dtype(init.data_type)
        count = math.prod(init.dims)
        entry = by_type.setdefault(str(np.dtype(dtype)), {"tensors": 0, "elements": 0, "bytes": 0})
        entry["tensors"] += 1
        entry["elements"] += count
        entry["bytes"] += count * np.dtype(dtype).itemsize
    return by_type


def product_macs(model, shapes, feeds):
    """Multiply-accumulates of MatMul and Gemm from the observed shapes: numel(Y) * K."""
    macs = 0
    shapes = dict(shapes, **{k: list(v.shape) for k, v in feeds.items()})
    inits = {i.name: list(i.dims) for i in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type not in ("MatMul", "Gemm"):
            continue
        a = shapes.get(node.input[0]) or inits.get(node.input[0])
        y = shapes.get(node.output[0])
        if a is None or y is None:
            continue
        trans_a = any(at.name == "transA" and at.i == 1 for at in node.attribute)
        k = a[-2] if trans_a else a[-1]
        macs += math.prod(y) * k
    return macs


def strip(path):
    """Points every initializer over 64 elements at an absent external file, dims and dtype kept
    (small ones, shape vectors and scalars, stay inline: the analysis reads their values)."""
    model = onnx.load(path)
    data = os.path.basename(path) + ".data"
    offset = 0
    for init in subgraph_initializers(model.graph):
        if math.prod(init.dims) <= 64:
            continue
        nbytes = numpy_helper.to_array(init).nbytes
        for field in ("raw_data", "float_data", "int32_data", "int64_data", "double_data", "uint64_data"):
            init.ClearField(field)
        del init.external_data[:]
        for key, value in (("location", data), ("offset", str(offset)), ("length", str(nbytes))):
            entry = init.external_data.add()
            entry.key, entry.value = key, value
        init.data_location = onnx.TensorProto.EXTERNAL
        offset += nbytes
    for node in all_nodes(model.graph):  # exporter stack traces name this machine's paths
        del node.metadata_props[:]
        node.ClearField("doc_string")
    onnx.save(model, path)
    payload = os.path.join(os.path.dirname(path), data)
    if os.path.exists(payload):  # the torch.export-based exporter writes one itself
        os.remove(payload)


def all_nodes(graph):
    for node in graph.node:
        yield node
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                yield from all_nodes(attr.g)
            for g in attr.graphs:
                yield from all_nodes(g)


def record(name, path, feeds, torch_params, notes):
    full = onnx.load(path)
    shapes = onnx_probe.observed_shapes(full, feeds)
    reference = {
        "model": name,
        "inputs": {k: list(v.shape) for k, v in feeds.items()},
        "stored": stored_weights(full),
        "stored_params": stored_params(full),
        "torch_params": torch_params,
        "matmul_gemm_macs": product_macs(full, shapes, feeds),
        "op_types": sorted({n.op_type for n in full.graph.node}),
        "local_functions": [f.name for f in full.functions],
        "notes": notes,
        "versions": {
            "torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__,
            "transformers": __import__("transformers").__version__,
            "opset": next(o.version for o in full.opset_import if o.domain in ("", "ai.onnx")),
        },
    }
    strip(path)
    with open(os.path.join(OUT, name + ".shapes.json"), "w") as f:
        json.dump(shapes, f, indent=0, sort_keys=True)
    with open(os.path.join(OUT, name + ".ref.json"), "w") as f:
        json.dump(reference, f, indent=1, sort_keys=True)
    print(f"{name}: {len(shapes)} values, {os.path.getsize(path)} bytes stripped")


def params(model):
    return sum(p.numel() for p in model.parameters())


def main():
    os.makedirs(OUT, exist_ok=True)
    ids = torch.randint(0, 100, (2, 7))
    m = Tagger()
    p = export("lstm_tagger", m, (ids,), ["ids"])
    record("lstm_tagger", p, {"ids": ids.numpy()}, params(m), "bidirectional 2-layer LSTM, batch_first")

    x = torch.randn(10, 3, 40)
    m = GRUClassifier()
    p = export("gru_classifier", m, (x,), ["x"])
    record("gru_classifier", p, {"x": x.numpy()}, params(m), "GRU (linear_before_reset=1 as torch exports it)")

    x = torch.randn(5, 2, 16)
    m = TanhRNN()
    p = export("rnn_tanh", m, (x,), ["x"])
    record("rnn_tanh", p, {"x": x.numpy()}, params(m), "RNN with tanh")

    x = torch.randn(2, 16)
    m = torch.jit.script(Branchy())
    p = export("if_branches", m, (x,), ["x"])
    record("if_branches", p, {"x": x.numpy()}, params(Branchy()), "torch.jit.script: If with a weight in each branch")

    x = torch.randn(2, 12)
    m = torch.jit.script(Looped())
    p = export("loop_three", m, (x,), ["x"])
    record("loop_three", p, {"x": x.numpy()}, params(Looped()), "torch.jit.script: Loop, trip count x.size(0) = 2")

    x = torch.randn(1, 3, 16, 16)
    m = Functions()
    p = export("local_functions", m, (x,), ["x"], export_modules_as_functions={Block})
    record("local_functions", p, {"x": x.numpy()}, params(m), "Block exported as a model-local function")

    ids = torch.randint(0, 1000, (1, 16))
    # GPT-2's mask code uses aten::diff, which only the torch.export-based exporter translates.
    for name, build, dynamo in (("bert_base", bert_base, False), ("gpt2", gpt2, True)):
        inner = build()
        p = export(name, Wrapped(inner), (ids,), ["input_ids"], dynamo=dynamo)
        record(
            name, p, {"input_ids": ids.numpy()}, params(inner),
            "transformers model from its default config, random init; torch_params counts tied weights once")


if __name__ == "__main__":
    main()
