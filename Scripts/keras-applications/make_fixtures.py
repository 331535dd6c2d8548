"""Builds every keras.applications model without weights and records what Keras and
TensorFlow's profiler say about it: the fixtures of Tests/Fixtures/keras-applications.

Three steps, each its own process (run.sh runs them in order):

  keras3 STAGE [NAME...]  (/root/venvs/tflite: keras 3.15.1, tensorflow-cpu 2.21.0)
      NAME.json          model.to_json() (the Keras 3 layout)
      NAME.config.json   the config.json a .keras archive holds (serialize_keras_object)
      NAME.k3.json       count_params (total, trainable, non-trainable), the TF profiler's
                         float_ops at batch 1 (total, per op type, per layer), versions
  keras2 STAGE [NAME...]  (/root/venvs/keras: the same plus tf_keras 2.21.0)
      NAME.keras2.json   tf_keras.applications.NAME(weights=None).to_json() (the tf.keras 2 layout)
      NAME.k2.json       tf_keras' count_params (total, trainable, non-trainable)
  pack STAGE OUT          (any python3)
      OUT/NAME.keras     a weight-free .keras archive: config.json, metadata.json (DEFLATE)
                         (its config.json is model.to_json()'s text: the Keras 3 layout)
      OUT/NAME.keras2.json.zip   the tf.keras 2 layout (model.to_json()), DEFLATE-zipped as config.json
      OUT/NAME.ref.json  the counts and profiler figures of both steps

The profiler figure is computed the way ../shared/reference/keras/*.ref.json records it
(keras-flops' method: tokusumi/keras-flops keras_flops/flops_calculation.py get_flops):
tf.function(model) traced at batch 1, frozen with convert_variables_to_constants_v2_as_graph,
then tf.compat.v1.profiler.profile(cmd="scope", float_operation()).total_float_ops, with
keras-flops' two extra registrations (FusedBatchNormV3, Max). Per op type and per layer
come from ops.get_stats_for_node_def on the same frozen graphs.

The freezing writes each float variable as a one-value constant of its shape (TensorProto's
splat form, `float_val: [0]`) instead of its bytes (`splat_frozen_constants`): the graph, its
ops and every shape are the same, the profiler's flops statistics read shapes only, and the
frozen graph of a 350 M-parameter model (ConvNeXtXLarge) stays a few MB instead of 1.4 GB.
The records made this way say `"frozen": "splat"`; ConvNeXtTiny and EfficientNetB0 give the
same figures, per op type too, both ways (checked when the splat form was added).
"""

import json
import os
import platform
import sys
import time
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# The smallest model of each family first, so that a partial run covers every family.
FIRST = ["MobileNetV3Small", "EfficientNetB0", "EfficientNetV2B0", "ConvNeXtTiny", "NASNetMobile", "MobileNet",
         "MobileNetV3Large", "DenseNet121", "ResNet50V2", "Xception", "InceptionV3", "InceptionResNetV2", "VGG19"]


def model_names(module):
    names = sorted(n for n in dir(module) if n[0].isupper() and callable(getattr(module, n)))
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def build(module, name):
    """`name(weights=None)`; at 224x224 when its default input size is open (MobileNetV3)."""
    model = getattr(module, name)(weights=None)
    if any(d is None for d in model.inputs[0].shape[1:]):
        return getattr(module, name)(weights=None, input_shape=(224, 224, 3)), \
            f"{module.__name__}.{name}(weights=None, input_shape=(224, 224, 3))"
    return model, f"{module.__name__}.{name}(weights=None)"


def write(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=None, separators=(",", ":"), sort_keys=False)


def counts(model):
    trainable = sum(int(w.shape.num_elements() if hasattr(w.shape, "num_elements") else _numel(w.shape))
                    for w in model.trainable_weights)
    non_trainable = sum(int(w.shape.num_elements() if hasattr(w.shape, "num_elements") else _numel(w.shape))
                        for w in model.non_trainable_weights)
    total = int(model.count_params())
    assert total == trainable + non_trainable, (total, trainable, non_trainable)
    return {"count_params": total, "trainable_params": trainable, "non_trainable_params": non_trainable}


def _numel(shape):
    n = 1
    for d in shape:
        n *= int(d)
    return n


def register_keras_flops_statistics():
    """keras-flops' registrations for ops TensorFlow's registry lacks (FusedBatchNormV3, Max)."""
    from tensorflow.python.framework import graph_util, ops
    from tensorflow.python.profiler.internal.flops_registry import _reduction_op_flops

    @ops.RegisterStatistics("FusedBatchNormV3", "flops")
    def _fused_batch_norm_v3(graph, node):
        x = graph_util.tensor_shape_from_node_def_name(graph, node.input[0])
        mean = graph_util.tensor_shape_from_node_def_name(graph, node.input[3])
        variance = graph_util.tensor_shape_from_node_def_name(graph, node.input[4])
        return ops.OpStats("flops", 2 * x.num_elements() + 5 * variance.num_elements() + mean.num_elements())

    @ops.RegisterStatistics("Max", "flops")
    def _max(graph, node):
        return _reduction_op_flops(graph, node, reduce_flops=1, finalize_flops=0)


def splat_frozen_constants():
    """Makes convert_variables_to_constants write float variables of more than one element as
    splat constants (one value and the shape) rather than their bytes."""
    import numpy as np
    from tensorflow.python.framework import convert_to_constants, tensor_util

    class SplatTensorUtil:
        def __getattr__(self, name):
            return getattr(tensor_util, name)

        @staticmethod
        def make_tensor_proto(values, dtype=None, shape=None, **kwargs):
            if isinstance(values, np.ndarray) and values.size > 1 and values.dtype.kind == "f":
                return tensor_util.make_tensor_proto(0.0, dtype, values.shape)
            return tensor_util.make_tensor_proto(values, dtype, shape, **kwargs)

    convert_to_constants.tensor_util = SplatTensorUtil()


def frozen_flops(fn, specs):
    """(profiler total_float_ops, {op type: flops}) of `fn` traced at `specs`, frozen."""
    import tensorflow as tf
    from tensorflow.python.framework import ops
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2_as_graph

    concrete = tf.function(fn).get_concrete_function(*specs)
    _, graph_def = convert_variables_to_constants_v2_as_graph(concrete)
    with tf.Graph().as_default() as graph:
        tf.graph_util.import_graph_def(graph_def, name="")
        options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
        options["output"] = "none"
        profile = tf.compat.v1.profiler.profile(
            graph=graph, run_meta=tf.compat.v1.RunMetadata(), cmd="scope", options=options)
        by_op = {}
        for node in graph.as_graph_def().node:
            try:
                value = ops.get_stats_for_node_def(graph, node, "flops").value
            except (ValueError, KeyError):
                value = None
            if value:
                by_op[node.op] = by_op.get(node.op, 0) + int(value)
        return int(profile.total_float_ops), dict(sorted(by_op.items(), key=lambda kv: -kv[1]))


def layer_flops(layer):
    import tensorflow as tf
    inputs = layer.input
    many = isinstance(inputs, (list, tuple))
    tensors = list(inputs) if many else [inputs]
    specs = [tf.TensorSpec([1] + list(t.shape[1:]), t.dtype) for t in tensors]
    fn = (lambda *xs: layer(list(xs))) if many else (lambda x: layer(x))
    return frozen_flops(fn, specs)


def keras3(stage, names):
    import keras
    import numpy as np
    import tensorflow as tf

    register_keras_flops_statistics()
    splat_frozen_constants()
    versions = {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__,
                "python": platform.python_version(), "backend": keras.backend.backend()}
    for name in names or model_names(keras.applications):
        if os.path.exists(f"{stage}/{name}.k3.json"):
            continue
        started = time.time()
        model, how = build(keras.applications, name)
        write(f"{stage}/{name}.json", json.loads(model.to_json()))
        write(f"{stage}/{name}.config.json", keras.saving.serialize_keras_object(model))
        specs = [tf.TensorSpec([1] + list(t.shape[1:]), t.dtype) for t in model.inputs]
        total, by_op = frozen_flops(model, specs)
        assert sum(by_op.values()) == total, (name, total, by_op)
        # Per layer (to find what a total misses) for the first model of each family only.
        layers = {}
        for layer in model.layers if name in FIRST + ["MobileNetV2"] else []:
            if layer.__class__.__name__ == "InputLayer":
                continue
            flops, ops_ = layer_flops(layer)
            if flops:
                layers[layer.name] = {"class": layer.__class__.__name__, "flops": flops, "by_op": ops_}
        record = {"name": name, "how": how, "model_name": model.name, "frozen": "splat",
                  "versions": versions, "input_shapes": [list(t.shape) for t in model.inputs],
                  **counts(model),
                  "flops": {"total_float_ops": total, "by_op_type": by_op,
                            "per_layer_sum": sum(v["flops"] for v in layers.values()), "layers": layers},
                  "seconds": round(time.time() - started, 1)}
        write(f"{stage}/{name}.k3.json", record)
        print(name, record["count_params"], total, record["seconds"], flush=True)
        keras.backend.clear_session()


def keras2(stage, names):
    import tf_keras

    for name in names or model_names(tf_keras.applications):
        if os.path.exists(f"{stage}/{name}.k2.json") or not hasattr(tf_keras.applications, name):
            continue
        model, _ = build(tf_keras.applications, name)
        write(f"{stage}/{name}.keras2.json", json.loads(model.to_json()))
        write(f"{stage}/{name}.k2.json", {"tf_keras": tf_keras.__version__, **counts(model)})
        print(name, model.count_params(), flush=True)
        tf_keras.backend.clear_session()


def deflated(path, entries):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for entry, text in entries:
            info = zipfile.ZipInfo(entry, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)


def pack(stage, out):
    os.makedirs(out, exist_ok=True)
    for file in sorted(os.listdir(stage)):
        if not file.endswith(".k3.json"):
            continue
        name = file[: -len(".k3.json")]
        record = json.load(open(f"{stage}/{file}"))
        record["keras2"] = json.load(open(f"{stage}/{name}.k2.json")) if os.path.exists(
            f"{stage}/{name}.k2.json") else None
        metadata = json.dumps({"keras_version": record["versions"]["keras"], "date_saved": "2026-01-01@00:00:00"})
        deflated(f"{out}/{name}.keras", [("metadata.json", metadata),
                                         ("config.json", open(f"{stage}/{name}.config.json").read())])
        # model.to_json() is the very text of the archive's config.json: the archive is the Keras 3 layout.
        assert open(f"{stage}/{name}.json").read() == open(f"{stage}/{name}.config.json").read(), name
        if record["keras2"]:
            deflated(f"{out}/{name}.keras2.json.zip",
                     [("config.json", open(f"{stage}/{name}.keras2.json").read())])
        with open(f"{out}/{name}.ref.json", "w") as f:
            json.dump(record, f, indent=1)


if __name__ == "__main__":
    step, stage = sys.argv[1], sys.argv[2]
    os.makedirs(stage, exist_ok=True)
    if step == "keras3":
        keras3(stage, sys.argv[3:])
    elif step == "keras2":
        keras2(stage, sys.argv[3:])
    elif step == "pack":
        pack(stage, sys.argv[3])
