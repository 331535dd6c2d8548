import ConvScopeCore
import ConvScopeReport
/// `torch.utils.flop_counter.FlopCounterMode` (pytorch/pytorch, `torch/utils/flop_counter.py`):
/// a dispatch mode with formulas for `mm`, `addmm`, `bmm`, `baddbmm` (`mm_flop`: `2 * m * n * k`),
/// `convolution` (`conv_flop_count`: `2 * N * prod(W) * prod(out spatial)`, input spatial when
/// transposed) and scaled-dot-product attention (two batched matmuls). FLOPs = 2 x MACs;
/// bias, norms, activations, pools, softmax and adds are 0 with no warning.
enum TorchFlopCounterCounting: CountingConvention {
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount {
    switch layer.op {
    case "Conv", "ConvTranspose", "Gemm", "MatMul", "Einsum":
      return LayerCount(figure: try layer.times(2, layer.macs))
    case "Attention":
      // sdpa_flop_count: the two batched products Q K^T and A V (ConvScope's Attention MACs); softmax 0.
      return LayerCount(figure: try layer.times(2, layer.macs))
    default:
      return .zero
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    context.foldedBatchNormNote("the bias was not there, and BatchNorm counts 0 anyway: same figure")
  }
}
