import ConvScopeCore
import ConvScopeReport

/// fvcore `FlopCountAnalysis` (facebookresearch/fvcore, `fvcore/nn/flop_count.py:
/// _DEFAULT_SUPPORTED_OPS`, handles in `fvcore/nn/jit_handles.py`). One "flop" is one
/// multiply-accumulate; the model is JIT-traced, so costs follow aten ops:
///
/// - `conv_flop_jit`: `N * prod(W) * prod(out spatial)` (input spatial when transposed) = MACs;
///   bias ignored.
/// - `addmm_flop_jit`, `linear_flop_jit`, `matmul_flop_jit`, `bmm_flop_jit`, `einsum_flop_jit`: MACs, bias ignored.
/// - `batchnorm_flop_jit`: `numel * 2` in eval with affine (5 when training: these models are eval).
/// - `norm_flop_counter` (group, layer, instance norm): `numel * 5` with affine.
/// - `adaptive_avg_pool2d`: 1 per input element (`elementwise_flop_counter(1, 0)`).
/// - Everything else (ReLU, max-pool, add, softmax, plain avg_pool2d) is 0: ignored or "unsupported".
///
/// PyTorch exports `AdaptiveAvgPool2d` as `GlobalAveragePool`, or as an `AveragePool` whose
/// kernel equals its stride with no padding; a plain `nn.AvgPool2d` (fvcore: 0) exported with
/// kernel = stride is indistinguishable and is counted as adaptive. A `.pt2` says which it was
/// (``OpParameters/adaptivePool``), and that is followed.
enum FvcoreCounting: CountingConvention {
  static let configuration = ConventionConfiguration(
    name: "fvcore", toolName: "fvcore", toolVersion: "0.1.5.post20221221", unit: "flops (1 per MAC)",
    summary: "MACs of conv/linear/matmul, no bias; BatchNorm 2/elt (eval); ReLU, max-pool and adds omitted",
    sources: [
      "https://github.com/facebookresearch/fvcore/blob/main/fvcore/nn/flop_count.py",
      "https://github.com/facebookresearch/fvcore/blob/main/fvcore/nn/jit_handles.py",
    ])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    switch layer.family {
    case .convolution, .transposedConvolution:
      let batchNorm = layer.hasFoldedBatchNorm ? try layer.times(2, layer.outputElements) : 0
      return LayerCount(figure: try Checked.add(layer.macs, batchNorm))
    case .linear, .matrixProduct(.float), .einsum:
      return LayerCount(figure: layer.macs)
    case .normalization(.batch):
      return LayerCount(figure: try layer.times(2, layer.outputElements))
    case .normalization(.layer), .normalization(.group), .normalization(.instance):
      return LayerCount(figure: try layer.times(5, layer.outputElements))
    case .pooling(.globalAverage):
      return LayerCount(figure: layer.inputElements)
    case .pooling(.average):
      let adaptive = layer.row.facts.parameters.adaptivePool ?? isAdaptive(layer.row.window)
      return LayerCount(figure: adaptive ? layer.inputElements : 0)
    // No handle in `_DEFAULT_SUPPORTED_OPS`: ignored (`_IGNORED_OPS`) or skipped as unsupported.
    case .activation, .unaryMath, .elementwise, .softmax, .pooling(.max), .pooling(.globalMax), .reduction,
      .indexing, .dataMovement, .dropout, .shapeArithmetic, .controlFlow, .attention, .normalization(.localResponse):
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    context.foldedBatchNormNote("each adds batch_norm 2 x output elements (eval mode)")
  }

  /// The `AveragePool` PyTorch writes for `AdaptiveAvgPool2d`: kernel = stride, no padding.
  static func isAdaptive(_ window: Window?) -> Bool {
    guard let window else { return false }
    return window.kernel == window.strides && (window.padsBegin + window.padsEnd).allSatisfy { $0 == 0 }
  }
}
