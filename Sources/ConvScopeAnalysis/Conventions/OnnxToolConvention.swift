import ConvScopeCore
import ConvScopeReport
/// onnx-tool 1.0.1 (ThanatosShinji/onnx-tool, `onnx_tool/node.py`, each `XNode.profile`): the
/// ONNX graph as stored, "MACs" as an instruction count with per-op weights
/// `MUL = ADD = CMP = 1, DIV = 4, EXP = 32, LOG = 43, SQRT = 24, POW = 32` (its FLOPs column
/// is simply 2 x this for every op).
///
/// - `ConvNode`: `numel(Y) * prod(W.shape[1:])` (+ `numel(Y)` with a bias) = MACs + bias adds.
///   `ConvTransposeNode` applies the same formula to a weight laid out `(Cin, Cout/g, K)`, giving
///   `numel(Y) * Cout/g * prod(K)`: wrong unless `Cin = Cout * stride^2` (issue #32).
/// - `GemmNode`: `numel(Y) * K` (+ `numel(Y)` with C); `MatMulNode`: `numel(Y) * K`.
/// - `PWNode`/`NpMathBase` elementwise: `numel(Y) * (inputs - 1) * op weight`: Add, Sub, Mul, Max 1,
///   Div 4; one-input: Relu 1, Clip 2, LeakyRelu 2, PRelu 2, Sigmoid and Exp 32, Tanh 2 x 38,
///   HardSigmoid 4, HardSwish 5, Sqrt 24, Log 43, Pow 32, Reciprocal 4, Softmax 36.
/// - `PoolBase` (MaxPool, AveragePool): `numel(Y) * k0 * k1` (only the first two kernel axes);
///   `GlobalAveragePoolNode`: `numel(X) + 4 * numel(Y)`; `ReduceMeanNode`: `numel(X)`.
/// - `BatchNormalizationNode`: `numel(Y) * (ADD + SQRT + DIV + ADD + MUL)` = 31 per element.
/// - `InstanceNormalizationNode`: `numel(Y) * 2 * 7`; `LRNNode`: `numel(Y) * (4 + 32 + 1 + size)`.
/// - Shape ops, Flatten, Identity, Dropout: 0.
/// - `ResizeNode`: nearest 0, linear 4, cubic 8 per output element: the mode is not in the
///   Report, so Resize counts 0 here (noted).
/// Params: every initializer a profiled node reads, BatchNorm running statistics included.
enum OnnxToolCounting: CountingConvention {
  /// Per-output-element weights of elementwise ops, per combined input pair for the n-ary ones.
  static let elementwise: [String: Int] = [
    "Add": 1, "Sub": 1, "Mul": 1, "Max": 1, "Min": 1, "Mod": 1, "Sum": 1, "Div": 4,
  ]
  static let unary: [String: Int] = [
    "Relu": 1, "Clip": 2, "LeakyRelu": 2, "PRelu": 2, "Sigmoid": 32, "Exp": 32, "Tanh": 76,
    "HardSigmoid": 4, "HardSwish": 5, "Sqrt": 24, "Log": 43, "Pow": 32, "Reciprocal": 4,
    "Softmax": 36, "Neg": 1, "Abs": 1, "Sign": 1, "Ceil": 1, "Sin": 39, "Cos": 39,
    "BatchNormalization": 31, "InstanceNormalization": 14,
  ]

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount {
    switch layer.op {
    case "Conv", "Gemm":
      return LayerCount(figure: try Checked.add(layer.macs, layer.hasBias ? layer.outputElements : 0))
    case "ConvTranspose":
      guard layer.inputElements > 0 else { return .zero }
      let perOutput = layer.macs / layer.inputElements  // Cout/g * prod(K)
      let weights = try layer.times(perOutput, layer.outputElements)
      return LayerCount(figure: try Checked.add(weights, layer.hasBias ? layer.outputElements : 0))
    case "MatMul":
      return LayerCount(figure: layer.macs)
    case "MaxPool", "AveragePool":
      let kernel = (layer.row.window?.kernel ?? []).prefix(2)
      return LayerCount(figure: try layer.times(layer.outputElements, try Checked.product(kernel)))
    case "GlobalAveragePool":
      return LayerCount(figure: try Checked.add(layer.inputElements, try layer.times(4, layer.outputElements)))
    case "LRN":  // LRNNode: numel(Y) * (DIV + EXP + ADD + size * MUL)
      return LayerCount(figure: try layer.times(layer.outputElements, try Checked.add(37, layer.lrnSize)))
    case "ReduceMean", "ReduceSum":
      return LayerCount(figure: layer.inputElements)
    default:
      if let weight = elementwise[layer.op] {
        let pairs = max(1, layer.dataInputCount - 1)
        return LayerCount(figure: try layer.times(try layer.times(layer.outputElements, pairs), weight))
      }
      if let weight = unary[layer.op] { return LayerCount(figure: try layer.times(layer.outputElements, weight)) }
      return .zero
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int {
    try Checked.add(layer.row.params, layer.row.nonTrainableParams)
  }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    let resizes = context.facts.filter { ["Resize", "Upsample"].contains($0.op) }.count
    return resizes == 0
      ? [] : ["\(resizes) Resize nodes counted 0 (nearest); onnx-tool gives linear 4 and cubic 8 per output element"]
  }
}
