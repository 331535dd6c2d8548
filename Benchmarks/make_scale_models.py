#!/usr/bin/env python3
"""Writes one model of N layers in each format ConvScope reads, for Benchmarks/scale.sh.

    python3 Benchmarks/make_scale_models.py OUT_DIR N

Every model is a chain of N nodes, alternating a 3x3 convolution (16 -> 16 channels on an
8x8 map, padding 1) and a ReLU, with names as the exporting tool writes them:

    OUT_DIR/spec-N.yaml    ConvScope spec, block style (`blocks.12.conv`, `blocks.12.relu`)
    OUT_DIR/spec-N.json    the same spec as JSON, one layer a line
    OUT_DIR/onnx-N.onnx    ONNX as torch.onnx.export names it (`/blocks.12/conv/Conv`),
                           weights stripped (dims only), written by a small protobuf writer
    OUT_DIR/keras-N.json   Keras 3 Functional config (`conv2d_12`, `re_lu_12`)
    OUT_DIR/caffe-N.prototxt  deploy prototxt, ReLUs in place (`conv12`, `relu12`)

Only the standard library is used.
"""

import json
import os
import struct
import sys

CHANNELS = 16
SIZE = 8


def spec(n, path_yaml, path_json):
    layers = []
    for i in range(n):
        block = i // 2
        if i % 2 == 0:
            layers.append({"name": f"blocks.{block}.conv", "op": "conv", "filters": CHANNELS,
                           "kernel": 3, "stride": 1, "padding": 1})
        else:
            layers.append({"name": f"blocks.{block}.relu", "op": "relu"})
    with open(path_yaml, "w") as f:
        f.write(f"name: scale-{n}\nlayout: CHW\ndtype: float32\n")
        f.write(f"input: {{name: input, shape: [{CHANNELS}, {SIZE}, {SIZE}]}}\nlayers:\n")
        for layer in layers:
            fields = ", ".join(f"{k}: {v}" for k, v in layer.items())
            f.write(f"  - {{{fields}}}\n")
    with open(path_json, "w") as f:
        head = {"name": f"scale-{n}", "layout": "CHW", "dtype": "float32",
                "input": {"name": "input", "shape": [CHANNELS, SIZE, SIZE]}}
        f.write(json.dumps(head)[:-1] + ', "layers": [\n')
        f.write(",\n".join(json.dumps(layer) for layer in layers))
        f.write("\n]}\n")


# A minimal protobuf writer: enough of onnx.proto for a graph of nodes, stripped
# initializers and typed inputs/outputs.
def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def attribute_ints(name, values):
    # AttributeProto: name=1, type=20 (INTS=7), ints=8
    body = field_bytes(1, name) + field_varint(20, 7)
    for v in values:
        body += field_varint(8, v)
    return body


def value_info(name, dims):
    shape = b"".join(field_bytes(1, field_varint(1, d)) for d in dims)  # Dimension.dim_value=1
    tensor_type = field_varint(1, 1) + field_bytes(2, shape)  # elem_type FLOAT, shape
    return field_bytes(1, name) + field_bytes(2, field_bytes(1, tensor_type))


def onnx(n, path):
    graph = bytearray()
    previous = "input"
    for i in range(n):
        block = i // 2
        if i % 2 == 0:
            weight = f"blocks.{block}.conv.weight"
            bias = f"blocks.{block}.conv.bias"
            # TensorProto: dims=1, data_type=2 (FLOAT=1), name=8; no data (stripped)
            graph += field_bytes(5, b"".join(field_varint(1, d) for d in (CHANNELS, CHANNELS, 3, 3))
                                 + field_varint(2, 1) + field_bytes(8, weight))
            graph += field_bytes(5, field_varint(1, CHANNELS) + field_varint(2, 1) + field_bytes(8, bias))
            node_name = f"/blocks.{block}/conv/Conv"
            output = f"{node_name}_output_0"
            node = (field_bytes(1, previous) + field_bytes(1, weight) + field_bytes(1, bias)
                    + field_bytes(2, output) + field_bytes(3, node_name) + field_bytes(4, "Conv")
                    + field_bytes(5, attribute_ints("dilations", [1, 1]))
                    + field_bytes(5, attribute_ints("kernel_shape", [3, 3]))
                    + field_bytes(5, attribute_ints("pads", [1, 1, 1, 1]))
                    + field_bytes(5, attribute_ints("strides", [1, 1])))
        else:
            node_name = f"/blocks.{block}/relu/Relu"
            output = f"{node_name}_output_0" if i < n - 1 else "output"
            node = field_bytes(1, previous) + field_bytes(2, output) + field_bytes(3, node_name) + field_bytes(4, "Relu")
        graph += field_bytes(1, node)
        previous = output
    graph += field_bytes(2, f"scale-{n}")
    graph += field_bytes(11, value_info("input", [1, CHANNELS, SIZE, SIZE]))
    graph += field_bytes(12, value_info(previous, [1, CHANNELS, SIZE, SIZE]))
    model = (field_varint(1, 8) + field_bytes(2, "pytorch") + field_bytes(7, bytes(graph))
             + field_bytes(8, field_bytes(1, "") + field_varint(2, 17)))
    with open(path, "wb") as f:
        f.write(model)


def keras(n, path):
    dtype = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}

    def tensor(name):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": [None, SIZE, SIZE, CHANNELS], "dtype": "float32", "keras_history": [name, 0, 0]}}

    layers = [{"module": "keras.layers", "class_name": "InputLayer",
               "config": {"batch_shape": [None, SIZE, SIZE, CHANNELS], "dtype": "float32", "sparse": False,
                          "ragged": False, "name": "input_layer", "optional": False},
               "registered_name": None, "name": "input_layer", "inbound_nodes": []}]
    previous = "input_layer"
    for i in range(n):
        block = i // 2
        suffix = "" if block == 0 else f"_{block}"
        if i % 2 == 0:
            name = f"conv2d{suffix}"
            config = {"name": name, "trainable": True, "dtype": dtype, "filters": CHANNELS, "kernel_size": [3, 3],
                      "strides": [1, 1], "padding": "same", "data_format": "channels_last",
                      "dilation_rate": [1, 1], "groups": 1, "activation": "linear", "use_bias": True}
            class_name = "Conv2D"
        else:
            name = f"re_lu{suffix}"
            config = {"name": name, "trainable": True, "dtype": dtype, "max_value": None,
                      "negative_slope": 0.0, "threshold": 0.0}
            class_name = "ReLU"
        layers.append({"module": "keras.layers", "class_name": class_name, "config": config,
                       "registered_name": None, "build_config": {"input_shape": [None, SIZE, SIZE, CHANNELS]},
                       "name": name, "inbound_nodes": [{"args": [tensor(previous)], "kwargs": {}}]})
        previous = name
    model = {"module": "keras.src.models.functional", "class_name": "Functional",
             "config": {"name": f"scale_{n}", "trainable": True, "layers": layers,
                        "input_layers": [["input_layer", 0, 0]], "output_layers": [[previous, 0, 0]]},
             "registered_name": "Functional"}
    with open(path, "w") as f:
        json.dump(model, f)


def caffe(n, path):
    with open(path, "w") as f:
        f.write(f'name: "scale-{n}"\n')
        f.write('layer {\n  name: "data"\n  type: "Input"\n  top: "data"\n'
                f'  input_param {{ shape: {{ dim: 1 dim: {CHANNELS} dim: {SIZE} dim: {SIZE} }} }}\n}}\n')
        previous = "data"
        for i in range(n):
            block = i // 2 + 1
            if i % 2 == 0:
                name = f"conv{block}"
                f.write(f'layer {{\n  name: "{name}"\n  type: "Convolution"\n  bottom: "{previous}"\n'
                        f'  top: "{name}"\n  convolution_param {{\n    num_output: {CHANNELS}\n'
                        '    pad: 1\n    kernel_size: 3\n    stride: 1\n  }\n}\n')
                previous = name
            else:
                f.write(f'layer {{\n  name: "relu{block}"\n  type: "ReLU"\n  bottom: "{previous}"\n'
                        f'  top: "{previous}"\n}}\n')


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    spec(n, os.path.join(out, f"spec-{n}.yaml"), os.path.join(out, f"spec-{n}.json"))
    onnx(n, os.path.join(out, f"onnx-{n}.onnx"))
    keras(n, os.path.join(out, f"keras-{n}.json"))
    caffe(n, os.path.join(out, f"caffe-{n}.prototxt"))


if __name__ == "__main__":
    main()
