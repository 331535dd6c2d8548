import ConvScopeCore
import ConvScopeReport
/// Netscope CNN Analyzer (dgschwend/netscope, `src/analyzer.coffee: Analyzer.analyze`), which
/// reads Caffe prototxts. Operations fall into `macc`, `comp`, `add`, `div` and `exp`; the
/// figure is `macc`, the others are components. Mapped onto ONNX ops:
///
/// - Convolution: `macc = prod(K) * Hout * Wout * Cin * Cout * N / g` = MACs; the bias is not
///   counted. Deconvolution (ConvTranspose): `Cin * Cout * Hout * Wout * prod(K/S) * N`, the
///   input-based MACs. InnerProduct (Gemm, MatMul): `macc` = MACs.
/// - Caffe BatchNorm (`add` + `div` per element) followed by Scale (`macc` per element) is one
///   ONNX BatchNormalization: `add`, `div` and `macc` of one per element each.
/// - ReLU, PReLU, ELU (and Clip), and Dropout (even at inference): `comp` per element.
/// - LRN: `macc = size * numel`, `add = numel`, `div = 2 * numel`, `exp = numel`.
/// - Pooling MAX: `comp = numel(out) * prod(K)`; AVE: `add = numel(out) * prod(K)`; global
///   pooling: one per input element.
/// - Eltwise SUM: `add` per element per extra input; PROD: `macc`; MAX: `comp`.
/// - Softmax: `exp`, `add` and `div` per element. Concat, Flatten, Reshape: nothing.
/// Params: weights and biases; a BatchNorm's running mean and variance (Caffe's BatchNorm blobs)
/// but not the Scale's gamma and beta; 2 for an LRN.
enum NetscopeCounting: CountingConvention {
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount {
    let out = layer.outputElements
    switch layer.op {
    case "Conv", "ConvTranspose", "Gemm", "MatMul":
      return LayerCount(figure: layer.macs, components: ["macc": layer.macs])
    case "BatchNormalization":
      return LayerCount(figure: out, components: ["macc": out, "add": out, "div": out])
    case "Mul":
      return LayerCount(figure: out, components: ["macc": out])
    case "Relu", "PRelu", "Elu", "LeakyRelu", "Clip", "Dropout":
      return LayerCount(figure: 0, components: ["comp": out])
    case "LRN":
      let size = layer.lrnSize
      return LayerCount(
        figure: try layer.times(size, out),
        components: ["macc": try layer.times(size, out), "add": out, "div": try layer.times(2, out), "exp": out])
    case "MaxPool":
      return LayerCount(figure: 0, components: ["comp": try layer.times(out, layer.kernelVolume)])
    case "AveragePool":
      return LayerCount(figure: 0, components: ["add": try layer.times(out, layer.kernelVolume)])
    case "GlobalAveragePool":
      return LayerCount(figure: 0, components: ["add": layer.inputElements])
    case "GlobalMaxPool":
      return LayerCount(figure: 0, components: ["comp": layer.inputElements])
    case "Add", "Sum":
      return LayerCount(figure: 0, components: ["add": try layer.times(out, max(1, layer.dataInputCount - 1))])
    case "Max":
      return LayerCount(figure: 0, components: ["comp": try layer.times(out, max(1, layer.dataInputCount - 1))])
    case "Softmax":
      return LayerCount(figure: 0, components: ["exp": out, "add": out, "div": out])
    default:
      return .zero
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int {
    switch layer.op {
    case "BatchNormalization": layer.row.nonTrainableParams
    case "LRN": 2  // Netscope lists alpha and beta as an LRN's two parameters
    default: layer.row.params
    }
  }
}
