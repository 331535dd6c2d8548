import ConvScopeCore
import ConvScopeReport

/// TensorFlow's profiler `float_ops`, which keras-flops (tokusumi/keras-flops,
/// `keras_flops/flops_calculation.py: get_flops`) reads from a frozen Keras 3 model at batch 1.
/// Per graph op (`RegisterStatistics(op, "flops")` in `tensorflow/python/ops/nn_ops.py` and
/// `tensorflow/python/profiler/internal/flops_registry.py`, plus keras-flops' registrations),
/// for the graph Keras 3's TensorFlow backend builds (`keras/src/backend/tensorflow/nn.py`,
/// `keras/src/ops/nn.py`):
///
/// - Conv2D, DepthwiseConv2dNative: `2 * MACs`; MatMul: `2 * m * n * k`. BiasAdd: 1 per element.
///   A grouped Conv2D (`groups > 1`, not a DepthwiseConv2D) runs in a nested XLA function
///   (`nn.py: conv`, `_conv_xla`), which the profiler does not enter: 0, its bias still 1 per element.
/// - BatchNormalization (`tf.nn.batch_normalization`): `2 * numel + 5 * C`, `+ C` for gamma's multiply.
/// - LayerNormalization (`ops/nn.py: _layer_normalization`): moments `4 * numel` and, per row,
///   `4`; `2 * numel` with gamma (else 1 per row), `numel` with beta, `2 * numel` to apply.
/// - MaxPool, AvgPool: `prod(K) * numel(out)`; Mean (global average pooling): `numel(input)`.
/// - Softmax: `5 * numel`; AddV2, Sub, Mul, RealDiv, Maximum, Minimum: 1 per output element.
/// - swish (`tf.nn.silu`: `x * sigmoid(beta * x)`): 2 per element; hard_sigmoid (`relu6(x + 3) / 6`):
///   2; hard_silu (`x * hard_sigmoid(x)`): 3; gelu (`0.5 * x * erfc(-x / sqrt 2)`): 4, tanh form 7.
/// - Relu, Relu6, Sigmoid, Tanh, Sqrt, Erfc, Pad, ConcatV2, Reshape: 0 (no flops statistic).
/// - Every op of the frozen graph is profiled (no grappler pass), arithmetic on stored values
///   included: a Normalization layer's `max(sqrt(variance), 1e-7)` costs its `Maximum` `C` on
///   every run, though ConvScope folds it (``foldedNodes``).
/// Params: Keras' `count_params`, BatchNorm moving statistics and Normalization's `count` included.
enum KerasCounting: CountingConvention {
  static let configuration = ConventionConfiguration(
    name: "keras", toolName: "Keras (TF profiler)", toolVersion: "TensorFlow 2.21.0", unit: "FLOPs",
    summary:
      "2 x MACs + bias; BatchNorm 2/elt + 5-6/channel; LayerNorm 9/elt + 4/row; pools k/output elt; softmax 5/elt; "
      + "adds 1/elt; swish 2, hard-swish 3, gelu 4/elt; other activations omitted",
    sources: [
      "https://github.com/tokusumi/keras-flops/blob/master/keras_flops/flops_calculation.py",
      "https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/ops/nn_ops.py",
      "https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/profiler/internal/flops_registry.py",
      "https://github.com/keras-team/keras/blob/master/keras/src/backend/tensorflow/nn.py",
    ])

  static var foldedNodes: FoldedNodes { .all }

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    let out = layer.outputElements
    switch layer.family {
    case .convolution where try runsInXLA(layer):
      return LayerCount(figure: layer.hasBias ? out : 0)
    case .convolution, .transposedConvolution, .linear, .matrixProduct(.float):
      return LayerCount(figure: try Checked.add(try layer.times(2, layer.macs), layer.hasBias ? out : 0))
    case .normalization(.batch):
      let channels = layer.outputChannels
      let perChannel = try affineVectors(layer, size: channels) == 2 ? 6 : 5
      return LayerCount(figure: try Checked.add(try layer.times(2, out), try layer.times(perChannel, channels)))
    case .normalization(.layer):
      return LayerCount(figure: try layerNormalization(layer))
    case .pooling(.max), .pooling(.average):
      return LayerCount(figure: try layer.times(try layer.kernelVolume(), out))
    case .pooling(.globalAverage), .reduction(.mean):
      return LayerCount(figure: layer.inputElements)
    case .softmax(.softmax):
      return LayerCount(figure: try layer.times(5, out))
    case .elementwise(.add), .elementwise(.sub), .elementwise(.mul), .elementwise(.div), .elementwise(.max),
      .elementwise(.min):
      return LayerCount(figure: try layer.combines())
    case .activation(.swish), .activation(.hardSigmoid):
      return LayerCount(figure: try layer.times(2, out))
    case .activation(.hardSwish):
      return LayerCount(figure: try layer.times(3, out))
    case .activation(.gelu):
      // The tanh form (`approximate=True`) costs exponentials in its rule; the erf form none.
      return LayerCount(figure: try layer.times(layer.row.cost.exponentials > 0 ? 7 : 4, out))
    // One TF op each with no flops statistic (Relu, Relu6, Sigmoid, Tanh, Elu, Sqrt...; Pad, ConcatV2, Reshape).
    case .activation(.relu), .activation(.clip), .activation(.sigmoid), .activation(.tanh), .activation(.leakyRelu),
      .activation(.elu), .activation(.selu), .activation(.softplus), .activation(.softsign), .unaryMath(.sqrt),
      .dataMovement, .dropout, .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int {
    try Checked.add(layer.row.params, layer.row.nonTrainableParams)
  }

  /// Whether Keras runs the convolution as a nested XLA function: grouped (each output reads
  /// fewer than all input channels: MACs below `out * Cin * K`) and not a DepthwiseConv2D,
  /// whose weight Keras (and the Keras importer) names `depthwise_kernel`.
  private static func runsInXLA(_ layer: LayerFacts) throws(OpError) -> Bool {
    let dense = try Checked.product([layer.outputElements, layer.inputChannels, try layer.kernelVolume()])
    guard layer.macs > 0, layer.macs < dense else { return false }
    return layer.row.facts.weightInput?.hasSuffix("depthwise_kernel") != true
  }

  /// How many of gamma and beta a normalization row stores, from its stored elements
  /// (trainable or not) over `size` per vector, its 2 moving statistics (BatchNorm) set aside.
  /// One vector is taken to be beta (`scale=False`: the usual case; `center=False` alone
  /// would be counted one multiply per channel low).
  private static func affineVectors(_ layer: LayerFacts, size: Int) throws(OpError) -> Int {
    guard size > 0 else { return 2 }
    let stored = try Checked.add(layer.row.params, layer.row.nonTrainableParams) / size
    return layer.family == .normalization(.batch) ? stored - 2 : stored
  }

  /// Keras 3's `_layer_normalization` over the last axis (`C` = its size, `R` = rows):
  /// moments (Mean `N`, SquaredDifference `2N`, Mean `N`), `variance + eps` and Rsqrt (`3R`),
  /// `-mean` (`R`), `inv * gamma` and `-mean * inv` (`2N`; without gamma only the latter, `R`),
  /// `+ beta` (`N`), `x * inv + res` (`2N`).
  private static func layerNormalization(_ layer: LayerFacts) throws(OpError) -> Int {
    let out = layer.outputElements
    let channels = layer.outputSizes.last ?? 0
    let rows = channels > 0 ? out / channels : 0
    let vectors = try affineVectors(layer, size: channels)
    let gamma = vectors >= 1 ? try layer.times(2, out) : rows
    let beta = vectors == 2 ? out : 0
    return try Checked.sum([try layer.times(6, out), try layer.times(4, rows), gamma, beta])
  }
}
