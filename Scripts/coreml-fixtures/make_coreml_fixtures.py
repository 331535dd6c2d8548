"""Builds the Core ML fixtures of Tests/Fixtures/coreml (see MANIFEST.md there).

Run through make_coreml_fixtures.sh, which makes the virtual environment (coremltools 9.0,
torch 2.13 CPU, numpy). Every model is written with its weights stripped:
- an .mlpackage keeps an empty weights/weight.bin (the importer never opens it);
- a NeuralNetwork .mlmodel keeps every layer's declared sizes but no WeightParams payload.
Each NAME gets NAME.ref.json: the source model's params (torch's count, or the stored weight
elements for the builder models), the conv/linear MACs counted here from the layer shapes, and
the output shapes the spec declares.
"""

import json
import os
import shutil
import sys

import numpy as np
import coremltools as ct
from coremltools.converters.mil import Builder as mb
from coremltools.converters.mil.mil import get_new_symbol
from coremltools.models.neural_network import NeuralNetworkBuilder
from coremltools.models import datatypes

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/coreml"
rng = np.random.default_rng(0)


def rand(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def strip_weights(spec):
    """Clears every WeightParams payload in a NeuralNetwork spec (sizes stay in the layers)."""
    def visit(message):
        if not hasattr(message, "DESCRIPTOR"):
            return
        if message.DESCRIPTOR.name == "WeightParams":
            for field in ("floatValue", "float16Value", "rawValue", "int8RawValue"):
                message.ClearField(field)
            return
        for descriptor, value in message.ListFields():
            if descriptor.type != descriptor.TYPE_MESSAGE:
                continue
            if hasattr(value, "DESCRIPTOR"):
                visit(value)
            else:
                for item in (value.values() if hasattr(value, "keys") else value):
                    visit(item)
    visit(spec)


def declared_outputs(spec):
    outputs = {}
    for feature in spec.description.output:
        kind = feature.type.WhichOneof("Type")
        if kind == "multiArrayType":
            outputs[feature.name] = list(feature.type.multiArrayType.shape)
    return outputs


def save_package(model, name):
    path = os.path.join(OUT, name + ".mlpackage")
    shutil.rmtree(path, ignore_errors=True)
    model.save(path)
    weights = os.path.join(path, "Data", "com.apple.CoreML", "weights", "weight.bin")
    if os.path.exists(weights):
        open(weights, "wb").close()
    return path


def save_nn(spec, name):
    strip_weights(spec)
    path = os.path.join(OUT, name + ".mlmodel")
    ct.utils.save_spec(spec, path)
    return path


def write_ref(name, source, params, macs, outputs, extra=None):
    ref = {"name": name, "source": source, "params": params, "macs": macs, "outputs": outputs,
           "coremltools": ct.__version__}
    ref.update(extra or {})
    with open(os.path.join(OUT, name + ".ref.json"), "w") as f:
        json.dump(ref, f, indent=1, sort_keys=True)
        f.write("\n")


# The small CNN both builders write: conv 3->8 k3 pad 1 (+bias), batch norm, relu,
# max pool 2, flatten, dense 2048->10 (+bias), softmax. Input 1x3x32x32.
CNN_PARAMS = (8 * 3 * 9 + 8) + (8 + 8) + (2048 * 10 + 10)  # BN mean/var are statistics
CNN_MACS = 8 * 32 * 32 * 3 * 9 + 10 * 2048


def nn_cnn():
    inputs = [("image", datatypes.Array(1, 3, 32, 32))]
    outputs = [("probs", datatypes.Array(1, 10, 1, 1))]
    b = NeuralNetworkBuilder(inputs, outputs, disable_rank5_shape_mapping=True)
    b.add_convolution("conv", kernel_channels=3, output_channels=8, height=3, width=3, stride_height=1,
                      stride_width=1, border_mode="valid", groups=1, W=rand(3, 3, 3, 8), b=rand(8),
                      has_bias=True, input_name="image", output_name="conv_out",
                      padding_top=1, padding_bottom=1, padding_left=1, padding_right=1)
    b.add_batchnorm("bn", channels=8, gamma=rand(8), beta=rand(8), mean=rand(8), variance=np.ones(8, np.float32),
                    input_name="conv_out", output_name="bn_out")
    b.add_activation("relu", "RELU", "bn_out", "relu_out")
    b.add_pooling("pool", height=2, width=2, stride_height=2, stride_width=2, layer_type="MAX",
                  padding_type="VALID", input_name="relu_out", output_name="pool_out")
    b.add_flatten("flatten", mode=0, input_name="pool_out", output_name="flat")
    b.add_inner_product("dense", W=rand(10, 2048), b=rand(10), input_channels=2048, output_channels=10,
                        has_bias=True, input_name="flat", output_name="logits")
    b.add_softmax("softmax", "logits", "probs")
    spec = b.spec
    spec.specificationVersion = 4
    path = save_nn(spec, "cnn_neuralnetwork")
    write_ref("cnn_neuralnetwork", "NeuralNetworkBuilder (this script)", CNN_PARAMS, CNN_MACS, declared_outputs(spec),
              {"non_trainable": 16})
    return path


def nn_layers():
    """More NeuralNetwork layer types on a 1x3x16x16 input: padding, scale, leaky ReLU, average
    pool, upsample, concat, bias, global max pool, flatten, dense, softmax."""
    inputs = [("x", datatypes.Array(1, 3, 16, 16))]
    outputs = [("probs", datatypes.Array(1, 5, 1, 1))]
    b = NeuralNetworkBuilder(inputs, outputs, disable_rank5_shape_mapping=True)
    b.add_padding("pad", left=1, right=1, top=1, bottom=1, value=0, input_name="x", output_name="padded")
    b.add_convolution("conv", kernel_channels=3, output_channels=4, height=3, width=3, stride_height=1,
                      stride_width=1, border_mode="valid", groups=1, W=rand(3, 3, 3, 4), b=None, has_bias=False,
                      input_name="padded", output_name="conv_out")
    b.add_scale("scale", W=rand(4), b=rand(4), has_bias=True, input_name="conv_out", output_name="scaled",
                shape_scale=[4], shape_bias=[4])
    b.add_activation("leaky", "LEAKYRELU", "scaled", "leaky_out", params=[0.1])
    b.add_pooling("avg", height=2, width=2, stride_height=2, stride_width=2, layer_type="AVERAGE",
                  padding_type="VALID", input_name="leaky_out", output_name="avg_out")
    b.add_upsample("up", scaling_factor_h=2, scaling_factor_w=2, input_name="avg_out", output_name="up_out")
    b.add_elementwise("concat", input_names=["up_out", "conv_out"], output_name="cat", mode="CONCAT")
    b.add_bias("bias", b=rand(8), input_name="cat", output_name="biased", shape_bias=[8])
    b.add_pooling("gmax", height=1, width=1, stride_height=1, stride_width=1, layer_type="MAX",
                  padding_type="VALID", input_name="biased", output_name="gmax_out", is_global=True)
    b.add_flatten("flatten", mode=0, input_name="gmax_out", output_name="flat")
    b.add_inner_product("dense", W=rand(5, 8), b=rand(5), input_channels=8, output_channels=5, has_bias=True,
                        input_name="flat", output_name="logits")
    b.add_softmax("softmax", "logits", "probs")
    spec = b.spec
    spec.specificationVersion = 4
    path = save_nn(spec, "layers_neuralnetwork")
    params = 4 * 3 * 9 + (4 + 4) + 8 + (5 * 8 + 5)
    macs = 4 * 16 * 16 * 27 + 5 * 8
    write_ref("layers_neuralnetwork", "NeuralNetworkBuilder (this script)", params, macs, declared_outputs(spec))
    return path


def nn_classifier_enumerated():
    """layers_neuralnetwork's network as a NeuralNetworkClassifier (5 class labels) whose input
    takes two enumerated shapes, 1x3x16x16 and 1x3x32x32 (the network is size-independent)."""
    spec = ct.utils.load_spec(os.path.join(OUT, "layers_neuralnetwork.mlmodel"))
    network = spec.neuralNetwork
    classifier = spec.neuralNetworkClassifier
    classifier.layers.extend(network.layers)
    classifier.arrayInputShapeMapping = network.arrayInputShapeMapping
    classifier.stringClassLabels.vector.extend(["a", "b", "c", "d", "e"])
    classifier.labelProbabilityLayerName = "probs"
    del spec.description.output[:]
    label = spec.description.output.add()
    label.name = "classLabel"
    label.type.stringType.MergeFromString(b"")
    probs = spec.description.output.add()
    probs.name = "classProbs"
    probs.type.dictionaryType.stringKeyType.MergeFromString(b"")
    spec.description.predictedFeatureName = "classLabel"
    spec.description.predictedProbabilitiesName = "classProbs"
    array = spec.description.input[0].type.multiArrayType
    for shape in ([1, 3, 16, 16], [1, 3, 32, 32]):
        array.enumeratedShapes.shapes.add().shape.extend(shape)
    path = os.path.join(OUT, "classifier_enumerated.mlmodel")
    ct.utils.save_spec(spec, path)
    write_ref("classifier_enumerated", "layers_neuralnetwork as a classifier, enumerated input shapes (this script)",
              169, 4 * 32 * 32 * 27 + 5 * 8, declared_outputs(spec), {"macs_at": [1, 3, 32, 32]})
    return path


def mil_cnn():
    @mb.program(input_specs=[mb.TensorSpec(shape=(1, 3, 32, 32))])
    def prog(image):
        x = mb.conv(x=image, weight=rand(8, 3, 3, 3), bias=rand(8), pad_type="custom", pad=[1, 1, 1, 1],
                    name="conv")
        x = mb.batch_norm(x=x, mean=rand(8), variance=np.ones(8, np.float32), gamma=rand(8), beta=rand(8),
                          epsilon=1e-5, name="bn")
        x = mb.relu(x=x, name="relu")
        x = mb.max_pool(x=x, kernel_sizes=[2, 2], strides=[2, 2], pad_type="valid", name="pool")
        x = mb.reshape(x=x, shape=[1, 2048], name="flatten")
        x = mb.linear(x=x, weight=rand(10, 2048), bias=rand(10), name="dense")
        return mb.softmax(x=x, axis=-1, name="probs")

    pipeline = ct.PassPipeline.DEFAULT
    pipeline.remove_passes(["common::fuse_conv_batchnorm", "common::fuse_conv_bias", "common::fuse_conv_scale"])
    model = ct.convert(prog, convert_to="mlprogram", compute_precision=ct.precision.FLOAT32,
                       pass_pipeline=pipeline, skip_model_load=True)
    path = save_package(model, "cnn_mlprogram")
    write_ref("cnn_mlprogram", "MIL Builder (this script)", CNN_PARAMS, CNN_MACS, declared_outputs(model.get_spec()),
              {"non_trainable": 16})
    return path


def torch_models():
    import torch
    import torch.nn as nn

    class LeNet5(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5),
                                          nn.ReLU(), nn.MaxPool2d(2))
            self.classifier = nn.Sequential(nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                            nn.Linear(84, 10))

        def forward(self, x):
            return self.classifier(torch.flatten(self.features(x), 1))

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.relu = nn.ReLU()
            self.downsample = None
            if stride != 1 or cin != cout:
                self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            identity = x if self.downsample is None else self.downsample(x)
            y = self.relu(self.bn1(self.conv1(x)))
            return self.relu(self.bn2(self.conv2(y)) + identity)

    class ResNet18(nn.Module):
        """torchvision.models.resnet18's layers, written out (torchvision is not installed)."""
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU()
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            layers = []
            cin = 64
            for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
                layers.append(nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)))
                cin = cout
            self.layers = nn.Sequential(*layers)
            self.avgpool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(512, 1000)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            return self.fc(torch.flatten(self.avgpool(self.layers(x)), 1))

    def macs_of(model, shape):
        total = 0
        hooks = []

        def conv_hook(module, inputs, output):
            nonlocal total
            total += output.numel() * module.weight[0].numel()

        def linear_hook(module, inputs, output):
            nonlocal total
            total += output.numel() * module.in_features

        for module in model.modules():
            if isinstance(module, nn.Conv2d):
                hooks.append(module.register_forward_hook(conv_hook))
            if isinstance(module, nn.Linear):
                hooks.append(module.register_forward_hook(linear_hook))
        with torch.no_grad():
            model(torch.zeros(shape))
        for hook in hooks:
            hook.remove()
        return total

    pipeline = ct.PassPipeline.DEFAULT
    pipeline.remove_passes(["common::fuse_conv_batchnorm", "common::fuse_conv_bias", "common::fuse_conv_scale"])
    torch.manual_seed(0)
    made = []
    for name, model, shape in [("lenet5", LeNet5(), (1, 1, 32, 32)), ("resnet18", ResNet18(), (1, 3, 224, 224))]:
        model.eval()
        # Fresh BatchNorms all hold ones and zeros, which the converter stores once (identical
        # consts are deduplicated): give each its own values, as a trained model has.
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                with torch.no_grad():
                    module.weight.uniform_(0.5, 1.5)
                    module.bias.normal_()
                    module.running_mean.normal_()
                    module.running_var.uniform_(0.5, 1.5)
        params = sum(p.numel() for p in model.parameters())
        macs = macs_of(model, shape)
        traced = torch.jit.trace(model, torch.zeros(shape))
        program = ct.convert(traced, inputs=[ct.TensorType(name="input", shape=shape)], convert_to="mlprogram",
                             pass_pipeline=pipeline, skip_model_load=True)
        path = save_package(program, name + "_mlprogram")
        write_ref(name + "_mlprogram", f"torch {torch.__version__} {name} (random init), ct.convert mlprogram",
                  params, macs, declared_outputs(program.get_spec()), {"input": list(shape)})
        made.append(path)
        if name == "lenet5":
            network = ct.convert(traced, inputs=[ct.TensorType(name="input", shape=shape)],
                                 convert_to="neuralnetwork", skip_model_load=True)
            spec = network.get_spec()
            path = save_nn(spec, name + "_neuralnetwork")
            write_ref(name + "_neuralnetwork", f"torch {torch.__version__} {name} (random init), ct.convert neuralnetwork",
                      params, macs, declared_outputs(spec), {"input": list(shape)})
            made.append(path)
    return made


def mil_ops():
    """More ML Program operations (iOS 18 opset): an embedding gather, scaled dot-product
    attention, pixel shuffle, a comparison and select, layer norm, gelu, matmul, transpose."""
    @mb.program(input_specs=[mb.TensorSpec(shape=(1, 16), dtype=ct.converters.mil.mil.types.int32),
                             mb.TensorSpec(shape=(1, 4, 8, 8))], opset_version=ct.target.iOS18)
    def prog(ids, image):
        tokens = mb.gather(x=rand(100, 32), indices=ids, axis=0, name="embed")  # [1, 16, 32]
        tokens = mb.layer_norm(x=tokens, axes=[-1], gamma=rand(32), beta=rand(32), name="norm")
        heads = mb.reshape(x=tokens, shape=[1, 16, 2, 16], name="split_heads")
        heads = mb.transpose(x=heads, perm=[0, 2, 1, 3], name="heads")  # [1, 2, 16, 16]
        attended = mb.scaled_dot_product_attention(query=heads, key=heads, value=heads, name="attention")
        merged = mb.reshape(x=mb.transpose(x=attended, perm=[0, 2, 1, 3], name="unheads"), shape=[1, 16, 32],
                            name="merge")
        hidden = mb.gelu(x=mb.matmul(x=merged, y=rand(32, 64), name="up"), mode="TANH_APPROXIMATION", name="gelu")
        shuffled = mb.pixel_shuffle(x=image, upscale_factor=2, name="shuffle")  # [1, 1, 16, 16]
        positive = mb.greater(x=shuffled, y=np.float32(0), name="positive")
        kept = mb.select(cond=positive, a=shuffled, b=np.float32(0), name="kept")
        return hidden, kept

    model = ct.convert(prog, convert_to="mlprogram", compute_precision=ct.precision.FLOAT32,
                       minimum_deployment_target=ct.target.iOS18, skip_model_load=True)
    path = save_package(model, "ops_mlprogram")
    params = 100 * 32 + 32 + 32 + 32 * 64
    macs = 2 * 16 * 16 * 16 * 2 + 16 * 32 * 64  # QK^T and AV per head (2 heads, L = S = 16, E = 16); matmul
    write_ref("ops_mlprogram", "MIL Builder (this script), iOS 18 opset", params, macs,
              declared_outputs(model.get_spec()))
    return path


def flexible():
    """The CNN's convolution part with a flexible input: H and W range over 16...128, then
    enumerated shapes on a NeuralNetwork copy."""
    @mb.program(input_specs=[mb.TensorSpec(shape=(1, 3, get_new_symbol(), get_new_symbol()))])
    def prog(image):
        x = mb.conv(x=image, weight=rand(8, 3, 3, 3), pad_type="same", name="conv")
        x = mb.relu(x=x, name="relu")
        x = mb.reduce_mean(x=x, axes=[2, 3], keep_dims=False, name="pool")
        return mb.linear(x=x, weight=rand(4, 8), bias=rand(4), name="dense")

    model = ct.convert(prog, convert_to="mlprogram", compute_precision=ct.precision.FLOAT32,
                       inputs=[ct.TensorType(name="image", shape=(1, 3, ct.RangeDim(16, 128, 32), ct.RangeDim(16, 128, 32)))],
                       skip_model_load=True)
    path = save_package(model, "flexible_mlprogram")
    write_ref("flexible_mlprogram", "MIL Builder (this script), H and W in 16...128", 8 * 27 + 4 * 8 + 4,
              8 * 64 * 64 * 27 + 4 * 8, declared_outputs(model.get_spec()), {"macs_at": [1, 3, 64, 64]})
    return path


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    which = sys.argv[2:] or ["nn", "layers", "classifier", "mil", "ops", "flexible", "torch"]
    for step, make in [("nn", nn_cnn), ("layers", nn_layers), ("classifier", nn_classifier_enumerated),
                       ("mil", mil_cnn), ("ops", mil_ops), ("flexible", flexible), ("torch", torch_models)]:
        if step in which:
            print(step, make())
