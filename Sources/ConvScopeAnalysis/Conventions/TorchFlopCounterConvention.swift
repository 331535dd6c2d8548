import ConvScopeCore
import ConvScopeReport

/// `torch.utils.flop_counter.FlopCounterMode` (pytorch/pytorch, `torch/utils/flop_counter.py`):
/// a dispatch mode with formulas for `mm`, `addmm`, `bmm`, `baddbmm` (`mm_flop`: `2 * m * n * k`),
/// `convolution` (`conv_flop_count`: `2 * N * prod(W) * prod(out spatial)`, input spatial when
/// transposed) and scaled-dot-product attention (two batched matmuls). FLOPs = 2 x MACs;
/// bias, norms, activations, pools, softmax and adds are 0 with no warning.
enum TorchFlopCounterCounting: CountingConvention {
  /// A leaf module whose inputs are all stored still runs on every forward (Swin V2's `cpb_mlp`).
  static var foldedNodes: FoldedNodes { .moduleCalls }

  static let configuration = ConventionConfiguration(
    name: "torch-flop-counter", toolName: "torch.utils.flop_counter", toolVersion: "torch 2.15.0", unit: "FLOPs",
    summary: "2 x MACs of convolutions and matrix products; bias, norms, activations, pools and adds omitted",
    sources: ["https://github.com/pytorch/pytorch/blob/main/torch/utils/flop_counter.py"])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    switch layer.family {
    case .matrixProduct(.float) where layer.module.inScaledDotProduct:
      // On CPU SDPA runs `_scaled_dot_product_flash_attention_for_cpu`, which `flop_registry` lacks.
      return .zero
    case .convolution, .transposedConvolution, .linear, .matrixProduct(.float), .einsum:
      return LayerCount(figure: try layer.times(2, layer.macs))
    case .attention:
      // sdpa_flop_count: the two batched products Q K^T and A V (ConvScope's Attention MACs); softmax 0.
      return LayerCount(figure: try layer.times(2, layer.macs))
    // No formula in `flop_registry`: 0, with no warning.
    case .normalization, .activation, .unaryMath, .elementwise, .softmax, .pooling, .reduction, .indexing, .resize,
      .dataMovement, .dropout, .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    try context.foldedBatchNormNote("the bias was not there, and BatchNorm counts 0 anyway: same figure")
      + context.scaledDotProductNote("on CPU it runs _scaled_dot_product_flash_attention_for_cpu, which has no formula")
  }
}
