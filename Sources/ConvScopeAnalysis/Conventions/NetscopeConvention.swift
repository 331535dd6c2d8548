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
  static let configuration = ConventionConfiguration(
    name: "netscope", toolName: "Netscope", toolVersion: "8ae36d8", unit: "MACC",
    summary: "MACs without bias (Caffe); comparisons, adds, divides and exps as separate components",
    sources: ["https://github.com/dgschwend/netscope/blob/gh-pages/src/analyzer.coffee"])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    let out = layer.outputElements
    switch layer.family {
    case .convolution, .transposedConvolution, .linear, .matrixProduct(.float):
      return LayerCount(figure: layer.macs, components: ["macc": layer.macs])
    case .normalization(.batch):
      return LayerCount(figure: out, components: ["macc": out, "add": out, "div": out])
    case .elementwise(.mul):
      return LayerCount(figure: out, components: ["macc": out])
    case .activation(.relu), .activation(.parametricRelu), .activation(.elu), .activation(.leakyRelu),
      .activation(.clip), .dropout:
      return LayerCount(figure: 0, components: ["comp": out])
    case .normalization(.localResponse):
      let size = layer.channelWindow
      return LayerCount(
        figure: try layer.times(size, out),
        components: ["macc": try layer.times(size, out), "add": out, "div": try layer.times(2, out), "exp": out])
    case .pooling(.max):
      return LayerCount(figure: 0, components: ["comp": try layer.times(out, try layer.kernelVolume())])
    case .pooling(.average):
      return LayerCount(figure: 0, components: ["add": try layer.times(out, try layer.kernelVolume())])
    case .pooling(.globalAverage):
      return LayerCount(figure: 0, components: ["add": layer.inputElements])
    case .pooling(.globalMax):
      return LayerCount(figure: 0, components: ["comp": layer.inputElements])
    case .elementwise(.add), .elementwise(.sum):
      return LayerCount(figure: 0, components: ["add": try layer.combines()])
    case .elementwise(.max):
      return LayerCount(figure: 0, components: ["comp": try layer.combines()])
    case .softmax(.softmax):
      return LayerCount(figure: 0, components: ["exp": out, "add": out, "div": out])
    // Concat, Flatten, Reshape, Slice, Split: Netscope counts nothing for data layers.
    case .dataMovement, .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int {
    switch layer.family {
    case .normalization(.batch): layer.row.nonTrainableParams
    case .normalization(.localResponse): 2  // Netscope lists alpha and beta as an LRN's two parameters
    default: layer.row.params
    }
  }
}
