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
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount {
    switch layer.op {
    case "Conv":
      let batchNorm = layer.hasFoldedBatchNorm ? try layer.times(4, layer.outputElements) : 0
      return LayerCount(figure: try Checked.add(layer.macs, batchNorm))
    case "ConvTranspose":
      return LayerCount(figure: try outputBasedTransposedMACs(layer))
    case "Gemm":
      return LayerCount(figure: layer.macs)
    case "MatMul" where layer.row.params > 0:  // nn.Linear on a 3-D input
      return LayerCount(figure: layer.macs)
    case "BatchNormalization", "InstanceNormalization", "LayerNormalization":
      return LayerCount(figure: try layer.times(4, layer.inputElements))
    case _ where !layer.isModuleCall:
      return .zero
    case "GlobalAveragePool":
      return LayerCount(figure: try adaptiveAverage(layer))
    case "AveragePool":
      return LayerCount(
        figure: FvcoreCounting.isAdaptive(layer.row.window) ? try adaptiveAverage(layer) : layer.outputElements)
    case "Softmax":
      return LayerCount(figure: try softmax(layer))
    case "PRelu":
      return LayerCount(figure: layer.inputElements)
    case "Resize", "Upsample":
      return LayerCount(figure: layer.outputElements)
    default:
      return .zero
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    context.foldedBatchNormNote("each adds BatchNorm 4 x output elements (affine)")
      + context.functionalNote(["GlobalAveragePool", "AveragePool", "Softmax", "PRelu", "Resize"], "not hooked, so 0")
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
