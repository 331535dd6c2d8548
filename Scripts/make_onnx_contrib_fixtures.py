#!/usr/bin/env python3
"""Makes the quantised and ONNX Runtime contrib-op fixtures in Tests/Fixtures/onnx-contrib/.

Each fixture is a tiny, randomly initialised torch model exported to ONNX and then rewritten by
ONNX Runtime's own tools (quantize_static, quantize_dynamic, the transformers optimizer, the
MatMulNBits quantizer). Before its weights are stripped, the model is run once with onnxruntime
(graph optimisations off) with every node output exposed, and the dims onnxruntime observes are
written to NAME.shapes.json with the initializers' dims and dtypes. Then every initializer of
more than 64 elements is stripped: it keeps its dims and dtype and points at an absent
NAME.onnx.data, as the zoo fixtures do. No download: every model is built here.

Run: /root/venvs/corpus/bin/python Scripts/make_onnx_contrib_fixtures.py
(without that venv the script makes one in ~/.cache/convscope-fixture-venv and re-runs itself).
"""

import json
import os
import subprocess
import sys
import tempfile

VENV = os.path.expanduser("~/.cache/convscope-fixture-venv")
PACKAGES = ["torch", "onnx", "onnxruntime", "transformers", "onnxscript"]


def ensure_tools():
    try:
        import onnxruntime  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        python = "/root/venvs/corpus/bin/python"
        if not os.path.exists(python):
            python = os.path.join(VENV, "bin", "python")
            if not os.path.exists(python):
                subprocess.check_call([sys.executable, "-m", "venv", VENV])
                subprocess.check_call([python, "-m", "pip", "install", *PACKAGES])
        if os.path.realpath(python) == os.path.realpath(sys.executable):
            raise
        os.execv(python, [python, *sys.argv])


ensure_tools()

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402
from onnx import helper  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "onnx-contrib")
torch.manual_seed(0)
np.random.seed(0)


def export(module, args, path, names, opset=17, dynamo=False):
    module.eval()
    torch.onnx.export(module, args, path, input_names=names, opset_version=opset, dynamo=dynamo)


def feeds_for(model):
    feeds = {}
    for value in model.graph.input:
        if value.name in {i.name for i in model.graph.initializer}:
            continue
        tensor = value.type.tensor_type
        dims = [d.dim_value if d.dim_value > 0 else 1 for d in tensor.shape.dim]
        dtype = helper.tensor_dtype_to_np_dtype(tensor.elem_type)
        if np.issubdtype(dtype, np.integer):
            feeds[value.name] = np.random.randint(0, 2, size=dims).astype(dtype)
        else:
            feeds[value.name] = np.random.randn(*dims).astype(dtype)
    return feeds


def observed_shapes(model):
    """Runs `model` with every node output exposed; returns {tensor: dims} as onnxruntime saw them."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    declared = {o.name for o in probe.graph.output}
    for node in probe.graph.node:
        for name in node.output:
            if name and name not in declared:
                probe.graph.output.append(onnx.ValueInfoProto(name=name))
                declared.add(name)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    feeds = feeds_for(model)
    names = [o.name for o in session.get_outputs()]
    values = session.run(names, feeds)
    shapes = {name: list(feeds[name].shape) for name in feeds}
    shapes.update({name: list(np.asarray(value).shape) for name, value in zip(names, values)})
    return shapes


def strip(model, name):
    for tensor in model.graph.initializer:
        elements = int(np.prod(tensor.dims)) if tensor.dims else 1
        if elements <= 64:
            continue
        data = onnx.numpy_helper.to_array(tensor)
        tensor.ClearField("raw_data")
        for field in ["float_data", "int32_data", "int64_data", "double_data", "uint64_data"]:
            tensor.ClearField(field)
        tensor.data_location = onnx.TensorProto.EXTERNAL
        del tensor.external_data[:]
        for key, value in [("location", f"{name}.onnx.data"), ("offset", "0"), ("length", str(data.nbytes))]:
            tensor.external_data.append(onnx.StringStringEntryProto(key=key, value=value))
    return model


def save(model, name, how, module):
    domains = {o.domain for o in model.opset_import}
    if any(n.domain == "com.microsoft" for n in model.graph.node) and "com.microsoft" not in domains:
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    shapes = observed_shapes(model)
    initializers = {
        t.name: {"dims": list(t.dims), "dtype": onnx.TensorProto.DataType.Name(t.data_type)}
        for t in model.graph.initializer
    }
    ops = sorted({(n.domain or "ai.onnx") + ":" + n.op_type for n in model.graph.node})
    record = {
        "model": name,
        "how": how,
        "tools": {"torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__},
        "ops": ops,
        "torch_params": sum(p.numel() for p in module.parameters()),
        "tensors": shapes,
        "initializers": initializers,
    }
    with open(os.path.join(OUT, f"{name}.shapes.json"), "w") as f:
        json.dump(record, f, indent=1)
    onnx.save(strip(model, name), os.path.join(OUT, f"{name}.onnx"))
    print(name, ops)


class SmallCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(16, 16, 3, padding=1)
        self.fc = torch.nn.Linear(16, 10)

    def forward(self, x):
        a = torch.relu(self.conv1(x))
        b = torch.relu(self.conv2(a)) + a
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(b, 1), 1))


class Calibration:
    def __init__(self, name):
        self.batches = iter([{name: np.random.randn(1, 3, 8, 8).astype(np.float32)} for _ in range(4)])

    def get_next(self):
        return next(self.batches, None)


def quantized_cnns(tmp):
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static

    source = os.path.join(tmp, "cnn.onnx")
    cnn = SmallCNN()
    export(cnn, (torch.randn(1, 3, 8, 8),), source, ["x"], opset=17)
    for fmt, name in [(QuantFormat.QDQ, "qdq_cnn"), (QuantFormat.QOperator, "qoperator_cnn")]:
        out = os.path.join(tmp, f"{name}.onnx")
        quantize_static(
            source, out, Calibration("x"), quant_format=fmt, per_channel=True,
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        save(onnx.load(out), name, f"torch export (opset 17) of a 2-conv CNN, quantize_static {fmt.name}, per-channel int8 weights", cnn)


class SmallLSTM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(8, 16)
        self.fc = torch.nn.Linear(16, 4)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.fc(y)


def dynamic_lstm(tmp):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    source = os.path.join(tmp, "lstm.onnx")
    lstm = SmallLSTM()
    export(lstm, (torch.randn(5, 1, 8),), source, ["x"], opset=17)
    out = os.path.join(tmp, "dynamic_lstm.onnx")
    quantize_dynamic(source, out, weight_type=QuantType.QInt8)
    save(onnx.load(out), "dynamic_lstm", "torch export (opset 17) of LSTM(8, 16) + Linear(16, 4), quantize_dynamic int8", lstm)


def tiny_bert(tmp):
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import BertConfig, BertModel

    config = BertConfig(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, vocab_size=100,
        attn_implementation="eager")
    bert = BertModel(config).eval()
    with torch.no_grad():  # distinct random values: no two initializers equal, so none is deduplicated
        for parameter in bert.parameters():
            torch.nn.init.normal_(parameter, std=0.02)

    class Wrapper(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state, out.pooler_output

    ids = torch.randint(0, 100, (1, 16))
    source = os.path.join(tmp, "bert.onnx")
    torch.onnx.export(
        Wrapper().eval(), (ids, torch.ones_like(ids), torch.zeros_like(ids)), source,
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["last_hidden_state", "pooler"],
        opset_version=17, dynamo=False)
    optimized = optimize_model(source, model_type="bert", num_heads=2, hidden_size=32, opt_level=0)
    save(optimized.model, "bert_tiny_optimized", "transformers BertModel (hidden 32, 2 layers, 2 heads, random init), torch export opset 17, onnxruntime.transformers optimize_model(model_type='bert')", bert)


class SmallMLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.up = torch.nn.Linear(64, 128)
        self.down = torch.nn.Linear(128, 64)

    def forward(self, x):
        return self.down(torch.nn.functional.gelu(self.up(x)))


def nbits_mlp(tmp):
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    source = os.path.join(tmp, "mlp.onnx")
    mlp = SmallMLP()
    export(mlp, (torch.randn(1, 8, 64),), source, ["x"], opset=17)
    quantizer = MatMulNBitsQuantizer(onnx.load(source), block_size=32, is_symmetric=False)
    quantizer.process()
    save(quantizer.model.model, "matmulnbits_mlp", "torch export (opset 17) of Linear(64,128)-GELU-Linear(128,64), MatMulNBitsQuantizer 4 bits, block 32, asymmetric", mlp)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        quantized_cnns(tmp)
        dynamic_lstm(tmp)
        tiny_bert(tmp)
        nbits_mlp(tmp)
