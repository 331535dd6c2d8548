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
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount {
    let out = layer.outputElements
    switch layer.op {
    case "Conv", "ConvTranspose", "Gemm", "MatMul":
      return LayerCount(figure: try Checked.add(try layer.times(2, layer.macs), layer.hasBias ? out : 0))
    case "BatchNormalization":
      return LayerCount(figure: try Checked.add(try layer.times(2, out), try layer.times(6, layer.outputChannels)))
    case "MaxPool", "AveragePool":
      return LayerCount(figure: try layer.times(layer.kernelVolume, out))
    case "GlobalAveragePool", "ReduceMean":
      return LayerCount(figure: layer.inputElements)
    case "Softmax":
      return LayerCount(figure: try layer.times(5, out))
    case "Add", "Sub", "Mul", "Div":
      return LayerCount(figure: try layer.times(out, max(1, layer.dataInputCount - 1)))
    default:
      return .zero
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int {
    try Checked.add(layer.row.params, layer.row.nonTrainableParams)
  }
}
