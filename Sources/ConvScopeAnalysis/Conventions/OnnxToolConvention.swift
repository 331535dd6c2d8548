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
/// - `LayerNormalizationNode`: `numel * (3 MUL + 4 ADD) + rows * (ADD + SQRT + DIV)` = 7 per element
///   + 29 per normalised row; `ErfNode` is a `FusedBase`: 0 (a GELU's Div, Add and Muls still count).
/// - `ReduceL2Node`: `numel(X) * (ADD + SQRT)` = 25 per input element (`onnx_tool/node.py:2087-2089`;
///   Swin V2's `F.normalize`).
/// - `EqualNode`, `LessNode`, `LessOrEqualNode`, `GreaterNode`, `NotNode`: 1 (CMP) per output element.
/// - Shape ops, Flatten, Identity, Dropout, Cast, Where, Gather, Expand: 0.
/// - Element counts are `volume(shape)`, which is 0 for a rank-0 tensor (`onnx_tool/tensor.py:142-148`):
///   the scalar shape arithmetic (a `Mod` of two scalars) costs 0.
/// - Every node is profiled, the scalar shape arithmetic ConvScope folds included (``FoldedNodes/all``), each with the cost it would have had.
/// - `ResizeNode`: nearest 0, linear 4, cubic 8 per output element: the mode is not in the
///   Report, so Resize counts 0 here (noted).
/// Params: every initializer a profiled node reads, BatchNorm running statistics included.
enum OnnxToolCounting: CountingConvention {
  static let configuration = ConventionConfiguration(
    name: "onnx-tool", toolName: "onnx-tool", toolVersion: "1.0.1", unit: "MACs",
    summary: "MACs + bias + weighted elementwise ops (div 4, exp 32; BatchNorm 31/elt), on the graph as stored",
    sources: ["https://github.com/ThanatosShinji/onnx-tool/blob/main/onnx_tool/node.py"])

  static var foldedNodes: FoldedNodes { .all }

  /// Per-output-element weight of the n-ary elementwise ops, per combined input pair.
  static func pairWeight(_ kind: ElementwiseKind) -> Int? {
    switch kind {
    case .add, .sub, .mul, .max, .min, .mod, .sum: 1
    case .div: 4
    default: nil
    }
  }

  /// Per-output-element weight of the one-input ops (and `Pow`, weighed like one).
  static func elementWeight(_ family: OpFamily) -> Int? {
    switch family {
    case .activation(.relu), .unaryMath(.neg), .unaryMath(.abs), .unaryMath(.sign), .unaryMath(.ceil): 1
    case .activation(.clip), .activation(.leakyRelu), .activation(.parametricRelu): 2
    case .activation(.hardSigmoid), .unaryMath(.reciprocal): 4
    case .activation(.hardSwish): 5
    case .unaryMath(.sqrt): 24
    case .activation(.sigmoid), .unaryMath(.exp), .elementwise(.pow): 32
    case .softmax(.softmax): 36
    case .unaryMath(.sin), .unaryMath(.cos): 39
    case .unaryMath(.log): 43
    case .activation(.tanh): 76
    case .normalization(.batch): 31
    case .normalization(.instance): 14
    default: nil
    }
  }

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    // `volume(shape)` is 0 for a rank-0 shape (`onnx_tool/tensor.py:142-148`): a scalar costs nothing.
    if layer.row.outputs.first?.shape.rank == 0 { return .zero }
    switch layer.family {
    case .convolution, .linear:
      return LayerCount(figure: try Checked.add(layer.macs, layer.hasBias ? layer.outputElements : 0))
    case .transposedConvolution:
      guard layer.inputElements > 0 else { return .zero }
      let perOutput = layer.macs / layer.inputElements  // Cout/g * prod(K)
      let weights = try layer.times(perOutput, layer.outputElements)
      return LayerCount(figure: try Checked.add(weights, layer.hasBias ? layer.outputElements : 0))
    case .matrixProduct(.float):
      return LayerCount(figure: layer.macs)
    case .pooling(.max), .pooling(.average):
      let kernel = (layer.row.window?.kernel ?? []).prefix(2)
      return LayerCount(figure: try layer.times(layer.outputElements, try Checked.product(kernel)))
    case .pooling(.globalAverage):
      return LayerCount(figure: try Checked.add(layer.inputElements, try layer.times(4, layer.outputElements)))
    case .normalization(.localResponse):  // LRNNode: numel(Y) * (DIV + EXP + ADD + size * MUL)
      return LayerCount(figure: try layer.times(layer.outputElements, try Checked.add(37, layer.channelWindow)))
    case .normalization(.layer):
      let rows = layer.inputSizes.last.map { $0 > 0 ? layer.inputElements / $0 : 0 } ?? 0
      return LayerCount(figure: try Checked.add(try layer.times(7, layer.inputElements), try layer.times(29, rows)))
    case .unaryMath(.erf):
      return .zero
    case .elementwise(.comparison), .unaryMath(.logicalNot):  // EqualNode, LessNode, NotNode: CMP per element
      return LayerCount(figure: layer.outputElements)
    case .elementwise(.select):  // WhereNode: no `profile`
      return .zero
    case .reduction(.mean), .reduction(.sum):
      return LayerCount(figure: layer.inputElements)
    case .reduction(.l2):  // ReduceL2Node: numel(X) * (ADD + SQRT)
      return LayerCount(figure: try layer.times(25, layer.inputElements))
    case .elementwise(let kind) where pairWeight(kind) != nil:
      return LayerCount(figure: try layer.times(try layer.combines(), pairWeight(kind) ?? 0))
    case let family where elementWeight(family) != nil:
      return LayerCount(figure: try layer.times(layer.outputElements, elementWeight(family) ?? 0))
    // Shape ops, Flatten, Identity, Dropout: no `profile`; Resize: nearest assumed (noted).
    case .dataMovement, .shapeArithmetic, .controlFlow, .dropout, .resize:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int {
    try Checked.add(layer.row.params, layer.row.nonTrainableParams)
  }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    let resizes = context.facts.filter { $0.family == .resize }.count
    return resizes == 0
      ? [] : ["\(resizes) Resize nodes counted 0 (nearest); onnx-tool gives linear 4 and cubic 8 per output element"]
  }
}
