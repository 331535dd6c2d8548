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
/// kernel = stride is indistinguishable and is counted as adaptive.
enum FvcoreCounting: CountingConvention {
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount {
    switch layer.op {
    case "Conv", "ConvTranspose":
      let batchNorm = layer.hasFoldedBatchNorm ? try layer.times(2, layer.outputElements) : 0
      return LayerCount(figure: try Checked.add(layer.macs, batchNorm))
    case "Gemm", "MatMul", "Einsum":
      return LayerCount(figure: layer.macs)
    case "BatchNormalization":
      return LayerCount(figure: try layer.times(2, layer.outputElements))
    case "LayerNormalization", "GroupNormalization", "InstanceNormalization":
      return LayerCount(figure: try layer.times(5, layer.outputElements))
    case "GlobalAveragePool":
      return LayerCount(figure: layer.inputElements)
    case "AveragePool":
      return LayerCount(figure: isAdaptive(layer.row.window) ? layer.inputElements : 0)
    default:
      return .zero
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
