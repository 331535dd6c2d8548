"""A tiny grouped-query-attention decoder in ONNX Runtime's contrib ops, for the llm view's
shape recovery from a graph (Tests/Fixtures/onnx-contrib/gqa_decoder.onnx).

Built with onnx.helper (random weights): token embedding (vocab 100, hidden 64), two blocks of
SimplifiedLayerNormalization, q/k/v MatMuls, com.microsoft GroupQueryAttention (4 query heads,
2 key/value heads of 16, a past of 8 tokens in `past_key_values.N.key/value` inputs), output
MatMul, SwiGLU feed-forward (gate, up 64x128, down 128x64), a final norm and an untied head.
onnxruntime runs it once to check it is valid; the file is then stripped like the corpus
(initializers over 64 elements point at an absent gqa_decoder.onnx.data). The ref.json holds
the construction constants and the stored parameter count. Usage: make_gqa_decoder.py OUT_DIR
"""

import json
import os
import sys

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

VOCAB, HIDDEN, HEADS, KV_HEADS, HEAD_DIM, FFN, LAYERS, PAST, NEW = 100, 64, 4, 2, 16, 128, 2, 8, 4


def main():
    out_dir = sys.argv[1]
    rng = np.random.default_rng(0)
    inits, nodes = [], []

    def weight(name, *dims):
        inits.append(numpy_helper.from_array((rng.standard_normal(dims) * 0.05).astype(np.float32), name))
        return name

    def node(op, inputs, outputs, domain="", **attrs):
        nodes.append(helper.make_node(op, inputs, outputs, name=outputs[0], domain=domain, **attrs))
        return outputs[0]

    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, NEW])]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, NEW, VOCAB])]
    inits.append(numpy_helper.from_array(np.array([PAST + NEW - 1], dtype=np.int32), "seqlens_k"))
    inits.append(numpy_helper.from_array(np.array(PAST + NEW, dtype=np.int32), "total_sequence_length"))
    x = node("Gather", [weight("embed_tokens", VOCAB, HIDDEN), "input_ids"], ["embedded"])
    for i in range(LAYERS):
        past = [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
        for name in past:
            inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, KV_HEADS, PAST, HEAD_DIM]))
        present = [f"present.{i}.key", f"present.{i}.value"]
        for name in present:
            outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, KV_HEADS, PAST + NEW, HEAD_DIM]))
        h = node("SimplifiedLayerNormalization", [x, weight(f"l{i}.norm1", HIDDEN)], [f"l{i}.n1"], axis=-1)
        q = node("MatMul", [h, weight(f"l{i}.wq", HIDDEN, HEADS * HEAD_DIM)], [f"l{i}.q"])
        k = node("MatMul", [h, weight(f"l{i}.wk", HIDDEN, KV_HEADS * HEAD_DIM)], [f"l{i}.k"])
        v = node("MatMul", [h, weight(f"l{i}.wv", HIDDEN, KV_HEADS * HEAD_DIM)], [f"l{i}.v"])
        a = node(
            "GroupQueryAttention", [q, k, v, *past, "seqlens_k", "total_sequence_length"],
            [f"l{i}.attn", *present], domain="com.microsoft", num_heads=HEADS, kv_num_heads=KV_HEADS)
        o = node("MatMul", [a, weight(f"l{i}.wo", HEADS * HEAD_DIM, HIDDEN)], [f"l{i}.o"])
        x = node("Add", [x, o], [f"l{i}.res1"])
        h = node("SimplifiedLayerNormalization", [x, weight(f"l{i}.norm2", HIDDEN)], [f"l{i}.n2"], axis=-1)
        g = node("MatMul", [h, weight(f"l{i}.w_gate", HIDDEN, FFN)], [f"l{i}.gate"])
        u = node("MatMul", [h, weight(f"l{i}.w_up", HIDDEN, FFN)], [f"l{i}.up"])
        s = node("Sigmoid", [g], [f"l{i}.sig"])
        g = node("Mul", [g, s], [f"l{i}.silu"])
        m = node("Mul", [g, u], [f"l{i}.glu"])
        d = node("MatMul", [m, weight(f"l{i}.w_down", FFN, HIDDEN)], [f"l{i}.down"])
        x = node("Add", [x, d], [f"l{i}.res2"])
    h = node("SimplifiedLayerNormalization", [x, weight("final_norm", HIDDEN)], ["final"], axis=-1)
    node("MatMul", [h, weight("lm_head", HIDDEN, VOCAB)], ["logits"])
    graph = helper.make_graph(nodes, "gqa_decoder", inputs, outputs, inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    feeds = {"input_ids": rng.integers(0, VOCAB, (1, NEW)).astype(np.int64)}
    for i in range(LAYERS):
        for kind in ("key", "value"):
            feeds[f"past_key_values.{i}.{kind}"] = np.zeros((1, KV_HEADS, PAST, HEAD_DIM), np.float32)
    results = session.run(None, feeds)
    shapes = {o.name: list(r.shape) for o, r in zip(session.get_outputs(), results)}
    params = sum(int(np.prod(t.dims)) for t in inits if t.data_type == TensorProto.FLOAT and np.prod(t.dims) > 1)
    path = os.path.join(out_dir, "gqa_decoder.onnx")
    onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
              location="gqa_decoder.onnx.data", size_threshold=64 * 4)
    os.remove(os.path.join(out_dir, "gqa_decoder.onnx.data"))
    reference = {
        "config": dict(vocab=VOCAB, hidden=HIDDEN, heads=HEADS, kv_heads=KV_HEADS, head_dim=HEAD_DIM, ffn=FFN,
                       layers=LAYERS, past=PAST, new_tokens=NEW),
        "stored_params": params,
        "onnxruntime_output_shapes": shapes,
        "versions": {"onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__},
    }
    with open(os.path.join(out_dir, "gqa_decoder.ref.json"), "w") as out:
        json.dump(reference, out, indent=1, sort_keys=True)
        out.write("\n")
    print(params, shapes)


if __name__ == "__main__":
    main()
