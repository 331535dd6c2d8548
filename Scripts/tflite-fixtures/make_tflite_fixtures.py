"""Builds the TFLite fixtures in Tests/Fixtures/tflite/ and their references.

Small Keras models (a MobileNet-like CNN with depthwise convolutions, an MLP, a model with fused
activations, concatenation, padding, resizing and a transposed conv) are converted by
tf.lite.TFLiteConverter as float32, float16 (weights stored as float16 behind DEQUANTIZE),
dynamic-range int8, full int8 (a representative dataset) and sparse (pruned weights with
EXPERIMENTAL_SPARSITY, stored with DENSIFY). NAME.ref.json holds, read from the .tflite file with
TensorFlow's own generated FlatBuffers accessors (independent of ConvScope's reader):

- tensors: every operator output's stored shape (and shape_signature), by tensor name;
- ops: the operator histogram;
- stored_params: elements of the stored tensors the graph reads as weights, biases or other
  substantive constants, each buffer once; a DEQUANTIZE/DENSIFY output is its stored input;
- weight_bytes: their stored bytes at the stored type (sparse weights at their dense size);
- macs: per CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV / FULLY_CONNECTED / BATCH_MATMUL, the
  multiply-accumulates from the stored shapes (conv N*Ho*Wo*Cout*kH*kW*Cin/g, depthwise
  N*Ho*Wo*Cout*kH*kW, transpose-conv N*H*W*Cin*kH*kW*Cout, FC rows*Cin*Cout);
- keras_params: the Keras model's own count_params().

custom_ops.tflite is written by hand with the same generated classes (no converter makes it):
MediaPipe's MaxPoolingWithArgmax2D, MaxUnpooling2D and Convolution2DTransposeBias, whose custom
options are raw TfLitePoolParams / TfLiteTransposeConvParams structs, then an unknown custom op
and a RELU; its expected numbers are derived in the test.

Run through make_tflite_fixtures.sh (a venv outside the repository).
"""

import json
import os
import sys

import struct

import flatbuffers
import numpy as np
import tensorflow as tf
from tensorflow.lite.python import schema_py_generated as schema

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/tflite"
tf.random.set_seed(0)
np.random.seed(0)
keras = tf.keras
layers = keras.layers

BUILTIN = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
TYPE_BYTES = {0: 4, 1: 2, 2: 4, 3: 1, 4: 8, 6: 1, 7: 2, 9: 1, 10: 8, 16: 2, 15: 4, 18: 2}


def mobilenet_like():
    x = inputs = keras.Input((32, 32, 3), batch_size=1, name="image")
    x = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False, name="stem")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.ReLU(6.0, name="stem_relu6")(x)
    x = layers.DepthwiseConv2D(3, padding="same", name="dw1")(x)
    x = layers.ReLU(name="dw1_relu")(x)
    x = layers.Conv2D(16, 1, name="pw1")(x)
    x = layers.DepthwiseConv2D(3, strides=2, padding="valid", depth_multiplier=2, name="dw2")(x)
    x = layers.Activation("hard_swish", name="dw2_hswish")(x) if hasattr(keras.activations, "hard_swish") else x
    x = layers.Conv2D(24, 1, activation="relu", name="pw2")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(10, activation="softmax", name="classifier")(x)
    return keras.Model(inputs, outputs, name="mobilenet_like")


def mlp():
    inputs = keras.Input((64,), batch_size=1, name="features")
    x = layers.Dense(128, activation="relu", name="fc1")(inputs)
    x = layers.Dense(64, activation="tanh", name="fc2")(x)
    outputs = layers.Dense(10, name="logits")(x)
    return keras.Model(inputs, outputs, name="mlp")


def fused_concat(batch=1):
    inputs = keras.Input((16, 16, 8), batch_size=batch, name="image")
    a = layers.Conv2D(8, 3, padding="same", activation="relu", name="branch_a")(inputs)
    b = layers.Conv2D(8, 3, padding="same", activation="relu6", name="branch_b")(inputs)
    s = layers.Add(name="sum")([a, b])
    s = layers.ReLU(name="sum_relu")(s)
    m = layers.Multiply(name="gate")([s, layers.Activation("sigmoid", name="sig")(b)])
    x = layers.Concatenate(name="concat")([a, b, m])
    x = layers.ZeroPadding2D(((1, 0), (0, 1)), name="pad")(x)
    x = layers.MaxPooling2D(2, name="maxpool")(x)
    x = layers.PReLU(shared_axes=[1, 2], name="prelu")(x)
    x = layers.Conv2DTranspose(8, 3, strides=2, padding="same", name="deconv")(x)
    x = layers.LeakyReLU(0.1, name="leaky")(x)
    x = layers.AveragePooling2D(2, name="avgpool")(x)
    x = layers.UpSampling2D(2, interpolation="bilinear", name="upsample")(x)
    x = layers.Reshape((16 * 16, 8), name="tokens")(x)
    x = layers.Dense(12, name="proj")(x)
    x = layers.Lambda(lambda t: tf.reduce_mean(t, axis=1), name="pool_tokens")(x)
    outputs = layers.Softmax(name="probs")(x)
    return keras.Model(inputs, outputs, name="fused_concat")


def custom_ops_model():
    """A hand-built model (no converter makes these) with MediaPipe's three custom ops, whose
    options are raw C structs (TfLitePoolParams, TfLiteTransposeConvParams), then an unknown custom
    op and a RELU after it."""
    m = schema.ModelT()
    m.version = 3
    m.description = b"custom ops fixture"
    def code(custom):
        c = schema.OperatorCodeT(); c.builtinCode = 32 if custom else 19; c.deprecatedBuiltinCode = c.builtinCode
        c.customCode = custom; c.version = 1
        return c
    m.operatorCodes = [code(b"MaxPoolingWithArgmax2D"), code(b"MaxUnpooling2D"), code(b"Convolution2DTransposeBias"),
                       code(b"MyVendorOp"), code(None)]
    buffers = [schema.BufferT()]
    def buffer(nbytes):
        b = schema.BufferT(); b.data = np.arange(nbytes, dtype=np.uint8) % 7; buffers.append(b); return len(buffers) - 1
    tensors = []
    def tensor(name, shape, type_=0, buf=0):
        t = schema.TensorT(); t.name = name; t.shape = shape; t.type = type_; t.buffer = buf
        tensors.append(t); return len(tensors) - 1
    x = tensor(b"image", [1, 8, 8, 4])
    pooled = tensor(b"pooled", [1, 4, 4, 4])
    argmax = tensor(b"argmax", [1, 4, 4, 4], 2)
    unpooled = tensor(b"unpooled", [1, 8, 8, 4])
    kernel = tensor(b"deconv/kernel", [3, 3, 3, 4], 0, buffer(3 * 3 * 3 * 4 * 4))
    bias = tensor(b"deconv/bias", [3], 0, buffer(3 * 4))
    deconv = tensor(b"deconv", [1, 16, 16, 3])
    vendor = tensor(b"vendor", [1, 16, 16, 5])
    relu = tensor(b"relu", [1, 16, 16, 5])
    pool_params = struct.pack("<6i", 1, 2, 2, 2, 2, 0)  # SAME, stride w/h 2, filter w/h 2, no activation
    def op(index, inputs, outputs, options=None):
        o = schema.OperatorT(); o.opcodeIndex = index; o.inputs = inputs; o.outputs = outputs
        if options is not None:
            o.customOptions = list(options)
        return o
    g = schema.SubGraphT()
    g.tensors = tensors
    g.inputs = [x]; g.outputs = [relu]
    g.operators = [
        op(0, [x], [pooled, argmax], pool_params),
        op(1, [pooled, argmax], [unpooled], pool_params),
        op(2, [unpooled, kernel, bias], [deconv], struct.pack("<3i", 1, 2, 2)),
        op(3, [deconv], [vendor], b"\x00"),
        op(4, [vendor], [relu]),
    ]
    g.name = b"main"
    m.subgraphs = [g]
    m.buffers = buffers
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def split_unstack():
    inputs = keras.Input((8, 8, 6), batch_size=1, name="image")
    a, b, c = layers.Lambda(lambda t: tf.split(t, 3, axis=-1), name="split")(inputs)
    d, e = layers.Lambda(lambda t: tf.split(t, [5, 3], axis=1), name="split_v")(inputs)
    rows = layers.Lambda(lambda t: tf.unstack(t, axis=1), name="unstack")(d)
    x = layers.Concatenate(name="concat")([a, b, c])
    x = layers.Conv2D(4, 3, padding="same", name="conv")(x)
    y = layers.Conv2D(4, 1, name="conv_v")(e)
    z = layers.Dense(3, name="row_dense")(rows[2])
    return keras.Model(inputs, [x, y, z], name="split_unstack")


def representative(model):
    shape = (1,) + tuple(model.inputs[0].shape[1:])

    def data():
        for _ in range(8):
            yield [np.random.rand(*shape).astype(np.float32)]

    return data


def randomize(model):
    """Gives every weight a nonzero random value, so that no bias is dropped as all zeros
    (BatchNormalization's variance stays positive)."""
    for weight in model.weights:
        weight.assign(np.random.uniform(0.1, 1.0, size=weight.shape).astype(np.float32))


def prune(model, sparsity=0.8):
    for layer in model.layers:
        weights = layer.get_weights()
        if not weights:
            continue
        kernel = weights[0]
        if kernel.ndim >= 2 and kernel.size >= 64:
            mask = np.random.rand(*kernel.shape) >= sparsity
            weights[0] = kernel * mask
            layer.set_weights(weights)


def convert(model, variant):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if variant == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif variant == "dynamic_int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    elif variant == "int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative(model)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    elif variant == "sparse":
        converter.optimizations = [tf.lite.Optimize.EXPERIMENTAL_SPARSITY]
    elif variant == "sparse_float16":
        converter.optimizations = [tf.lite.Optimize.EXPERIMENTAL_SPARSITY, tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    return converter.convert()


def prod(values):
    result = 1
    for v in values:
        result *= int(v)
    return result


def reference(data, keras_params):
    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(data, 0))
    graph = model.subgraphs[0]
    codes = [max(c.deprecatedBuiltinCode, c.builtinCode) for c in model.operatorCodes]
    stored = lambda t: t.buffer > 0 and model.buffers[t.buffer].data is not None and len(model.buffers[t.buffer].data) > 0
    alias = {}
    for op in graph.operators:
        name = BUILTIN.get(codes[op.opcodeIndex], "CUSTOM")
        if name in ("DEQUANTIZE", "DENSIFY") and stored(graph.tensors[alias.get(op.inputs[0], op.inputs[0])]):
            alias[op.outputs[0]] = alias.get(op.inputs[0], op.inputs[0])
    weight_slots = {"CONV_2D": (1, 2), "DEPTHWISE_CONV_2D": (1, 2), "TRANSPOSE_CONV": (1, 3),
                    "FULLY_CONNECTED": (1, 2), "PRELU": (1,), "CONV_3D": (1, 2)}
    ops, tensors, macs = {}, {}, []
    counted, params, weight_bytes = set(), 0, 0
    for op in graph.operators:
        name = BUILTIN.get(codes[op.opcodeIndex], "CUSTOM")
        ops[name] = ops.get(name, 0) + 1
        if op.outputs[0] in alias:
            continue
        for out in op.outputs:
            t = graph.tensors[out]
            entry = {"shape": [int(v) for v in t.shape]}
            if t.shapeSignature is not None:
                entry["signature"] = [int(v) for v in t.shapeSignature]
            tensors[t.name.decode()] = entry
        for slot, index in enumerate(op.inputs):
            if index < 0:
                continue
            t = graph.tensors[alias.get(index, index)]
            if not stored(t) or t.buffer in counted:
                continue
            elements = prod(t.shape)
            real_or_narrow = t.type in (0, 1, 10, 18) or t.type in (3, 9, 17)
            if slot in weight_slots.get(name, ()) or (real_or_narrow and elements > 1):
                counted.add(t.buffer)
                params += elements
                weight_bytes += elements * TYPE_BYTES.get(t.type, 4)
        shape = lambda i: [int(v) for v in graph.tensors[alias.get(op.inputs[i], op.inputs[i])].shape]
        out = [int(v) for v in graph.tensors[op.outputs[0]].shape]
        if name == "CONV_2D":
            w = shape(1)
            macs.append(prod(out) * w[1] * w[2] * w[3])
        elif name == "DEPTHWISE_CONV_2D":
            w = shape(1)
            macs.append(prod(out) * w[1] * w[2])
        elif name == "TRANSPOSE_CONV":
            w, x = shape(1), shape(2)
            macs.append(prod(x) * w[1] * w[2] * w[0])
        elif name == "FULLY_CONNECTED":
            w = shape(1)
            macs.append(prod(out) // w[0] * w[1] * w[0])
        elif name == "BATCH_MATMUL":
            macs.append(prod(out) * shape(0)[-1])
    return {
        "tools": {"tensorflow": tf.__version__},
        "ops": ops, "tensors": tensors, "stored_params": params, "weight_bytes": weight_bytes,
        "macs": macs, "keras_params": keras_params,
        "inputs": [graph.tensors[i].name.decode() for i in graph.inputs],
        "outputs": [graph.tensors[i].name.decode() for i in graph.outputs],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    plan = {
        "mobilenet_like": (mobilenet_like, ["float32", "float16", "dynamic_int8", "int8"]),
        "mlp": (mlp, ["float32", "float16", "dynamic_int8", "int8", "sparse", "sparse_float16"]),
        "fused_concat": (fused_concat, ["float32", "float16", "int8"]),
        # A dynamic batch: the converter computes reshape targets with SHAPE, GATHER, REDUCE_PROD and
        # PACK, and stores placeholder 1s for dynamic dims (the ref's shapes and MACs then use them).
        "fused_concat_dynamic": (lambda: fused_concat(None), ["float32"]),
        "split_unstack": (split_unstack, ["float32"]),
    }
    with open(os.path.join(OUT, "custom_ops.tflite"), "wb") as f:
        f.write(custom_ops_model())
    for base, (build, variants) in plan.items():
        model = build()
        randomize(model)
        for variant in variants:
            if variant.startswith("sparse"):
                prune(model)
            try:
                data = convert(model, variant)
            except Exception as error:  # a converter that cannot make this variant: say so and go on
                print(f"{base}_{variant}: not converted ({type(error).__name__}: {str(error)[:200]})")
                continue
            name = f"{base}_{variant}"
            with open(os.path.join(OUT, name + ".tflite"), "wb") as f:
                f.write(data)
            ref = reference(data, int(model.count_params()))
            with open(os.path.join(OUT, name + ".ref.json"), "w") as f:
                json.dump(ref, f, indent=1, sort_keys=True)
                f.write("\n")
            print(f"{name}: {len(data)} bytes, ops {ref['ops']}, params {ref['stored_params']}, "
                  f"keras {ref['keras_params']}, macs {sum(ref['macs'])}")


main()
