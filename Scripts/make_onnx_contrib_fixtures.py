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

import onnx_probe  # noqa: E402  (Scripts/onnx_probe.py, beside this script)

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
    """Every tensor's dims as onnxruntime saw them running `model` on random inputs, inputs included."""
    feeds = feeds_for(model)
    shapes = {name: list(feeds[name].shape) for name in feeds}
    shapes.update(onnx_probe.observed_shapes(model, feeds))
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
        "torch_params": sum(p.numel() for p in module.parameters()) if module is not None else None,
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


F, U8, I8, I32, I64 = (onnx.TensorProto.FLOAT, onnx.TensorProto.UINT8, onnx.TensorProto.INT8,
                       onnx.TensorProto.INT32, onnx.TensorProto.INT64)


def scalar(name, dtype, value):
    return (name, dtype, [], np.array(value, dtype=helper.tensor_dtype_to_np_dtype(dtype)))


def const(name, dtype, dims, value=None):
    np_type = helper.tensor_dtype_to_np_dtype(dtype)
    if value is None:
        value = np.random.randn(*dims) if np.issubdtype(np_type, np.floating) else np.random.randint(0, 3, dims)
    return (name, dtype, dims, np.asarray(value, dtype=np_type).reshape(dims))


# One node per contrib op: (op, domain, attributes, inputs, outputs). An input is
# (name, dtype, dims) for a graph input or (name, dtype, dims, value) for an initializer.
CONTRIB_NODES = [
    ("Attention", "com.microsoft", {"num_heads": 2},
     [("att_x", F, [2, 16, 32]), const("att_w", F, [32, 96]), const("att_b", F, [96])], ["att_y"]),
    ("MultiHeadAttention", "com.microsoft", {"num_heads": 4},
     [("mha_q", F, [2, 10, 64]), ("mha_k", F, [2, 12, 64]), ("mha_v", F, [2, 12, 64])],
     ["mha_y", "mha_present_key", "mha_present_value"]),
    ("GroupQueryAttention", "com.microsoft", {"num_heads": 4, "kv_num_heads": 2},
     [("gqa_q", F, [1, 4, 64]), ("gqa_k", F, [1, 4, 32]), ("gqa_v", F, [1, 4, 32]), ("gqa_past_k", F, [1, 2, 4, 16]),
      ("gqa_past_v", F, [1, 2, 4, 16]), const("gqa_seqlens", I32, [1], [7]), scalar("gqa_total", I32, 8)],
     ["gqa_y", "gqa_present_key", "gqa_present_value"]),
    ("RotaryEmbedding", "com.microsoft", {"num_heads": 4},
     [("rot_x", F, [1, 6, 64]), ("rot_pos", I64, [1, 6]), const("rot_cos", F, [32, 8]), const("rot_sin", F, [32, 8])],
     ["rot_y"]),
    ("SkipLayerNormalization", "com.microsoft", {},
     [("sln_x", F, [2, 8, 32]), ("sln_skip", F, [2, 8, 32]), const("sln_g", F, [32]), const("sln_b", F, [32]),
      const("sln_bias", F, [32])], ["sln_y", "sln_mean", "sln_inv", "sln_sum"]),
    ("SkipSimplifiedLayerNormalization", "com.microsoft", {},
     [("ssln_x", F, [2, 8, 32]), ("ssln_skip", F, [2, 8, 32]), const("ssln_g", F, [32])],
     ["ssln_y", "ssln_mean", "ssln_inv", "ssln_sum"]),
    ("SimplifiedLayerNormalization", "", {"axis": -1}, [("sim_x", F, [1, 4, 16]), const("sim_g", F, [16])],
     ["sim_y", "sim_inv"]),
    ("EmbedLayerNormalization", "com.microsoft", {},
     [("eln_ids", I32, [2, 8]), ("eln_seg", I32, [2, 8]), const("eln_word", F, [100, 32]),
      const("eln_pos", F, [64, 32]), const("eln_segemb", F, [2, 32]), const("eln_g", F, [32]),
      const("eln_b", F, [32]), ("eln_mask", I32, [2, 8])], ["eln_y", "eln_mask_index", "eln_sum"]),
    ("Gelu", "com.microsoft", {}, [("gelu_x", F, [4, 10])], ["gelu_y"]),
    ("BiasGelu", "com.microsoft", {}, [("bgelu_x", F, [4, 10]), const("bgelu_b", F, [10])], ["bgelu_y"]),
    ("FastGelu", "com.microsoft", {}, [("fgelu_x", F, [4, 10]), const("fgelu_b", F, [10])], ["fgelu_y"]),
    ("QuickGelu", "com.microsoft", {"alpha": 1.702}, [("qgelu_x", F, [4, 10])], ["qgelu_y"]),
    ("BiasAdd", "com.microsoft", {}, [("badd_x", F, [2, 4, 10]), const("badd_b", F, [10]), ("badd_s", F, [2, 4, 10])],
     ["badd_y"]),
    ("FusedConv", "com.microsoft", {"activation": "Relu"},
     [("fconv_x", F, [1, 3, 8, 8]), const("fconv_w", F, [4, 3, 3, 3]), const("fconv_b", F, [4])], ["fconv_y"]),
    ("NhwcConv", "com.microsoft", {"strides": [2, 2]}, [("nhwc_x", F, [1, 8, 8, 3]), const("nhwc_w", F, [4, 3, 3, 3])],
     ["nhwc_y"]),
    ("FusedMatMul", "com.microsoft", {"transB": 1, "alpha": 0.5}, [("fmm_a", F, [2, 5, 3]), ("fmm_b", F, [2, 4, 3])],
     ["fmm_y"]),
    ("DynamicQuantizeMatMul", "com.microsoft", {},
     [("dqmm_a", F, [3, 16]), const("dqmm_b", I8, [16, 8]), const("dqmm_s", F, [8], np.full(8, 0.1)),
      const("dqmm_zp", I8, [8], np.zeros(8)), const("dqmm_bias", F, [8])], ["dqmm_y"]),
    ("QGemm", "com.microsoft", {"transB": 1},
     [("qgemm_a", U8, [2, 16]), scalar("qgemm_as", F, 0.1), scalar("qgemm_azp", U8, 128), const("qgemm_b", I8, [10, 16]),
      const("qgemm_bs", F, [10], np.full(10, 0.1)), const("qgemm_bzp", I8, [10], np.zeros(10)),
      const("qgemm_c", I32, [10]), scalar("qgemm_ys", F, 0.2), scalar("qgemm_yzp", U8, 128)], ["qgemm_y"]),
    ("QLinearAdd", "com.microsoft", {},
     [("qadd_a", U8, [1, 8, 4, 4]), scalar("qadd_as", F, 0.1), scalar("qadd_azp", U8, 128), ("qadd_b", U8, [1, 8, 1, 1]),
      scalar("qadd_bs", F, 0.1), scalar("qadd_bzp", U8, 128), scalar("qadd_cs", F, 0.2), scalar("qadd_czp", U8, 128)],
     ["qadd_y"]),
    ("QLinearMul", "com.microsoft", {},
     [("qmul_a", U8, [1, 8, 4, 4]), scalar("qmul_as", F, 0.1), scalar("qmul_azp", U8, 128), ("qmul_b", U8, [4]),
      scalar("qmul_bs", F, 0.1), scalar("qmul_bzp", U8, 128), scalar("qmul_cs", F, 0.2), scalar("qmul_czp", U8, 128)],
     ["qmul_y"]),
    ("QLinearSigmoid", "com.microsoft", {},
     [("qsig_x", U8, [2, 3]), scalar("qsig_xs", F, 0.1), scalar("qsig_xzp", U8, 128), scalar("qsig_ys", F, 0.004),
      scalar("qsig_yzp", U8, 0)], ["qsig_y"]),
    ("QLinearLeakyRelu", "com.microsoft", {"alpha": 0.1},
     [("qlr_x", U8, [2, 3]), scalar("qlr_xs", F, 0.1), scalar("qlr_xzp", U8, 128), scalar("qlr_ys", F, 0.1),
      scalar("qlr_yzp", U8, 128)], ["qlr_y"]),
    ("QLinearConcat", "com.microsoft", {"axis": 1},
     [scalar("qcat_ys", F, 0.1), scalar("qcat_yzp", U8, 128), ("qcat_x1", U8, [1, 2, 4]), scalar("qcat_s1", F, 0.1),
      scalar("qcat_zp1", U8, 128), ("qcat_x2", U8, [1, 3, 4]), scalar("qcat_s2", F, 0.2), scalar("qcat_zp2", U8, 128)],
     ["qcat_y"]),
    ("QLinearAveragePool", "com.microsoft", {"kernel_shape": [2, 2], "strides": [2, 2]},
     [("qap_x", U8, [1, 2, 6, 6]), scalar("qap_xs", F, 0.1), scalar("qap_xzp", U8, 128), scalar("qap_ys", F, 0.1),
      scalar("qap_yzp", U8, 128)], ["qap_y"]),
    ("QLinearGlobalAveragePool", "com.microsoft", {"channels_last": 1},
     [("qgap_x", U8, [1, 7, 7, 16]), scalar("qgap_xs", F, 0.1), scalar("qgap_xzp", U8, 128),
      scalar("qgap_ys", F, 0.1), scalar("qgap_yzp", U8, 128)], ["qgap_y"]),
    ("QLinearConv", "com.microsoft", {"channels_last": 1},
     [("qconv_x", U8, [1, 8, 8, 3]), scalar("qconv_xs", F, 0.1), scalar("qconv_xzp", U8, 128),
      const("qconv_w", I8, [4, 3, 3, 3]), const("qconv_ws", F, [4], np.full(4, 0.1)),
      const("qconv_wzp", I8, [4], np.zeros(4)), scalar("qconv_ys", F, 0.2), scalar("qconv_yzp", U8, 128)],
     ["qconv_y"]),
]


def single_node_model(op, domain, attributes, inputs, outputs):
    graph_inputs, initializers = [], []
    for item in inputs:
        if len(item) == 3:
            graph_inputs.append(helper.make_tensor_value_info(item[0], item[1], item[2]))
        else:
            initializers.append(onnx.numpy_helper.from_array(item[3], item[0]))
    node = helper.make_node(op, [i[0] for i in inputs], outputs, name=op, domain=domain, **attributes)
    graph = helper.make_graph(
        [node], op, graph_inputs, [onnx.ValueInfoProto(name=o) for o in outputs], initializer=initializers)
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 21), helper.make_opsetid("com.microsoft", 1)], ir_version=10)


def contrib_nodes():
    """Every contrib op the CPU build of onnxruntime runs, one node each, in one model."""
    kept, skipped = [], []
    for spec in CONTRIB_NODES:
        try:
            observed_shapes(single_node_model(*spec))
            kept.append(spec)
        except Exception as error:  # an op only a GPU build implements
            skipped.append(f"{spec[0]}: {str(error).splitlines()[0][:120]}")
    model = single_node_model("", "", {}, [], [])
    model.graph.ClearField("node")
    for spec in kept:
        part = single_node_model(*spec).graph
        model.graph.node.extend(part.node)
        model.graph.input.extend(part.input)
        model.graph.initializer.extend(part.initializer)
        model.graph.output.extend(part.output)
    model.graph.name = "contrib_nodes"
    how = "one node per contrib op, built with onnx.helper; ops onnxruntime's CPU build lacks left out: " + "; ".join(skipped)
    save(model, "contrib_nodes", how, None)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        quantized_cnns(tmp)
        dynamic_lstm(tmp)
        tiny_bert(tmp)
        nbits_mlp(tmp)
    contrib_nodes()
