import ConvScopeCore
import ConvScopeReport

/// TensorFlow's profiler `float_ops`, which keras-flops (tokusumi/keras-flops,
/// `keras_flops/flops_calculation.py: get_flops`) reads from a frozen Keras model at batch 1.
/// Per graph op (`tensorflow/python/ops/nn_ops.py`, `tensorflow/python/profiler/internal/
/// flops_registry.py`, plus keras-flops' registrations):
///
/// - Conv2D, DepthwiseConv2dNative: `2 * MACs`; MatMul: `2 * m * n * k`. BiasAdd: 1 per element.
/// - BatchNormalization in inference is decomposed (Rsqrt, Mul, Sub, AddV2): `2 * numel + 6 * C`.
/// - MaxPool, AvgPool: `prod(K) * numel(out)`; Mean (global average pooling): `numel(input)`.
/// - Softmax: `5 * numel`; AddV2, Sub, Mul, RealDiv: 1 per output element. Relu, Relu6,
///   Sigmoid, Pad, ConcatV2, Reshape: 0.
/// Params: Keras' `count_params`, BatchNorm moving statistics included.
enum KerasCounting: CountingConvention {
  static let configuration = ConventionConfiguration(
    name: "keras", toolName: "Keras (TF profiler)", toolVersion: "TensorFlow 2.21.0", unit: "FLOPs",
    summary:
      "2 x MACs + bias; BatchNorm 2/elt + 6/channel; pools k/output elt; softmax 5/elt; adds 1/elt; activations omitted",
    sources: [
      "https://github.com/tokusumi/keras-flops/blob/master/keras_flops/flops_calculation.py",
      "https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/ops/nn_ops.py",
      "https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/profiler/internal/flops_registry.py",
    ])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    let out = layer.outputElements
    switch layer.family {
    case .convolution, .transposedConvolution, .linear, .matrixProduct(.float):
      return LayerCount(figure: try Checked.add(try layer.times(2, layer.macs), layer.hasBias ? out : 0))
    case .normalization(.batch):
      return LayerCount(figure: try Checked.add(try layer.times(2, out), try layer.times(6, layer.outputChannels)))
    case .pooling(.max), .pooling(.average):
      return LayerCount(figure: try layer.times(try layer.kernelVolume(), out))
    case .pooling(.globalAverage), .reduction(.mean):
      return LayerCount(figure: layer.inputElements)
    case .softmax(.softmax):
      return LayerCount(figure: try layer.times(5, out))
    case .elementwise(.add), .elementwise(.sub), .elementwise(.mul), .elementwise(.div):
      return LayerCount(figure: try layer.combines())
    // One TF op each with no flops statistic (Relu, Relu6, Sigmoid, Tanh, Elu...; Pad, ConcatV2, Reshape).
    case .activation(.relu), .activation(.clip), .activation(.sigmoid), .activation(.tanh), .activation(.leakyRelu),
      .activation(.elu), .activation(.selu), .activation(.softplus), .activation(.softsign), .dataMovement, .dropout,
      .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int {
    try Checked.add(layer.row.params, layer.row.nonTrainableParams)
  }
}
