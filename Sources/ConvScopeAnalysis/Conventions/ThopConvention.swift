import ConvScopeCore
import ConvScopeReport

/// thop 0.1.1 (Lyken17/pytorch-OpCounter, the last `thop` on PyPI): module forward hooks
/// registered in `thop/profile.py: register_hooks`, formulas in `thop/vision/basic_hooks.py`
/// and `thop/vision/calc_func.py`. MACs, bias never counted; functional calls never seen.
///
/// - `count_convNd` (Conv and ConvTranspose alike): `numel(output) * Cin/g * prod(K)`; for a
///   ConvTranspose that is output-based, `prod(out spatial)/prod(in spatial)` times the true MACs.
/// - `count_linear`: `in_features * numel(output)` = MACs.
/// - `count_normalization` (BatchNorm, InstanceNorm, LayerNorm): `2 * numel`, doubled again when
///   affine: `4 * numel`. GroupNorm is not registered: 0.
/// - `count_adap_avgpool`: `(prod(in/out spatial) + 1) * numel(output)`; `count_avgpool`: `numel(output)`.
/// - `count_softmax`: `rows * (3n - 1)`; `count_prelu`: `numel` in eval; `count_upsample`: nearest 1/out elt.
/// - ReLU, ReLU6, LeakyReLU, MaxPool, Dropout, ZeroPad: `zero_ops`. matmul/bmm, `+`: not hooked, 0.
enum ThopCounting: CountingConvention {
  /// A leaf module whose inputs are all stored still runs on every forward (Swin V2's `cpb_mlp`).
  static var foldedNodes: FoldedNodes { .moduleCalls }

  static let configuration = ConventionConfiguration(
    name: "thop", toolName: "thop", toolVersion: "0.1.1-2209072238", unit: "MACs",
    summary: "MACs without bias; BatchNorm 4/elt; activations, max-pool, adds and functional calls omitted",
    sources: [
      "https://github.com/Lyken17/pytorch-OpCounter/blob/master/thop/profile.py",
      "https://github.com/Lyken17/pytorch-OpCounter/blob/master/thop/vision/basic_hooks.py",
      "https://github.com/Lyken17/pytorch-OpCounter/blob/master/thop/vision/calc_func.py",
    ])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    // No hook for nn.MultiheadAttention or window attention, whose children never run as modules.
    if layer.module.inAttentionModule { return .zero }
    switch layer.family {
    case .convolution:
      let batchNorm = layer.hasFoldedBatchNorm ? try layer.times(4, layer.outputElements) : 0
      return LayerCount(figure: try Checked.add(layer.macs, batchNorm))
    case .transposedConvolution:
      return LayerCount(figure: try outputBasedTransposedMACs(layer))
    case .linear where layer.isAddmmProduct:  // transformers' Conv1D: not in `register_hooks`
      return .zero
    case .linear:
      return LayerCount(figure: layer.macs)
    case .matrixProduct(.float) where layer.row.params > 0:  // nn.Linear on a 3-D input
      return LayerCount(figure: layer.macs)
    case .normalization(.batch), .normalization(.instance), .normalization(.layer):
      return LayerCount(figure: try layer.times(4, layer.inputElements))
    case _ where !layer.isModuleCall:  // functional calls are never hooked
      return .zero
    case .pooling(.globalAverage):
      return LayerCount(figure: try adaptiveAverage(layer))
    case .pooling(.average):
      let adaptive = FvcoreCounting.isAdaptive(layer.row.window)
      return LayerCount(figure: adaptive ? try adaptiveAverage(layer) : layer.outputElements)
    case .softmax(.softmax):
      return LayerCount(figure: try softmax(layer))
    case .activation(.parametricRelu):
      return LayerCount(figure: layer.inputElements)
    case .resize:
      return LayerCount(figure: layer.outputElements)
    // `zero_ops` (ReLU, ReLU6, LeakyReLU, MaxPool, Dropout, ZeroPad), modules `register_hooks` does not
    // list (GroupNorm, LocalResponseNorm, other activations, Flatten: "treat it as zero"), and what is
    // never a module.
    case .activation, .pooling(.max), .pooling(.globalMax), .normalization(.group), .normalization(.localResponse),
      .normalization(.rootMeanSquare), .normalization(.meanVariance), .dropout, .dataMovement, .matrixProduct(.float),
      .einsum, .elementwise, .unaryMath, .reduction, .indexing, .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    try context.foldedBatchNormNote("each adds BatchNorm 4 x output elements (affine)")
      + context.attentionModuleNote("thop has no hook for nn.MultiheadAttention or window attention")
      + context.functionalNote(countsModules, "not hooked, so 0")
  }

  /// The families thop counts only when they run as a module (a functional call is not hooked).
  static func countsModules(_ family: OpFamily) -> Bool {
    switch family {
    case .pooling(.globalAverage), .pooling(.average), .softmax(.softmax), .activation(.parametricRelu), .resize: true
    default: false
    }
  }

  /// `(prod(in spatial / out spatial) + 1) * numel(output)`: one add per window element and one divide.
  static func adaptiveAverage(_ layer: LayerFacts) throws(OpError) -> Int {
    guard layer.outputElements > 0 else { return 0 }
    return try layer.times(layer.inputElements / layer.outputElements + 1, layer.outputElements)
  }

  /// `rows * (n + (n - 1) + n)` over the last axis (the usual softmax axis).
  static func softmax(_ layer: LayerFacts) throws(OpError) -> Int {
    guard let n = layer.inputSizes.last, n > 0 else { return 0 }
    return try layer.times(layer.inputElements / n, 3 * n - 1)
  }

  /// `numel(output) * Cin/g * prod(K)`, from the true MACs `N * Cin * prod(in) * Cout/g * prod(K)`:
  /// `MACs / numel(input)` is `Cout/g * prod(K)`, times `Cin / Cout` is `Cin/g * prod(K)`.
  static func outputBasedTransposedMACs(_ layer: LayerFacts) throws(OpError) -> Int {
    guard layer.inputElements > 0, layer.outputChannels > 0 else { return 0 }
    let perOutput = try layer.times(layer.macs / layer.inputElements, layer.inputChannels) / layer.outputChannels
    return try layer.times(perOutput, layer.outputElements)
  }
}
