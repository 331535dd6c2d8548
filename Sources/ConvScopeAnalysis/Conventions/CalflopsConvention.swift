import ConvScopeCore
import ConvScopeReport

/// calflops 0.3 (MrYxJ/calculate-flops.pytorch, `calflops/pytorch_ops.py`, taken from DeepSpeed's
/// profiler): patched `torch.nn.functional` and some `torch` functions. It prints FLOPs and MACs.
///
/// - `_conv_flops_compute`: FLOPs `2 * MACs + Cout * N * prod(out)` (bias 1 per output element).
/// - `_linear_flops_compute`: FLOPs `2 * numel(input) * out_features`: the bias is ignored.
/// - `_relu_flops_compute` etc. (`F.relu`, `F.prelu`, `F.elu`, `F.leaky_relu`, `F.relu6`, `F.silu`,
///   `F.gelu`): `numel`. `nn.ReLU6` calls `F.hardtanh`, which is not patched: a ReLU6 (`Clip`) is 0.
/// - `_pool_flops_compute` (all pools): `numel(input)`; `_softmax_flops_compute`: `numel`.
/// - `_batch_norm_flops_compute`: `numel * 2` in eval with affine; layer/group/instance norm `numel * 5`.
/// - `_upsample_flops_compute`: its scale product is never assigned, so `numel(input)`.
/// - `torch.matmul` and `Tensor.matmul` are patched (`_matmul_flops_compute`: `2 * MACs`): a MatMul
///   with a weight (a linear layer) and attention's products as transformers and torchvision write
///   them (`matmul`); `@` and `bmm` are not. `+` is not counted. `F.gelu` (an exported GELU's Erf): numel.
/// MACs (a component) are the matrix-product and convolution MACs only.
enum CalflopsCounting: CountingConvention {
  /// A leaf module whose inputs are all stored still runs on every forward (Swin V2's `cpb_mlp`).
  static var foldedNodes: FoldedNodes { .moduleCalls }

  static let configuration = ConventionConfiguration(
    name: "calflops", toolName: "calflops", toolVersion: "0.3", unit: "FLOPs",
    summary: "2 x MACs + conv bias (not linear); BatchNorm 2/elt; ReLU and pools 1/elt; ReLU6 and adds omitted",
    sources: ["https://github.com/MrYxJ/calculate-flops.pytorch/blob/main/calflops/pytorch_ops.py"])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    // Not patched: `F.scaled_dot_product_attention` (its products and softmax), and `torch.bmm`, which
    // nn.MultiheadAttention calls for `need_weights` (its products outside SDPA).
    if layer.module.inScaledDotProduct || layer.module.isCosineScores
      || (layer.module.inMultiheadAttention && layer.isActivationProduct)
    {
      return .zero
    }
    // A torch transformer layer's activation is the function it stored at construction: unpatched.
    if layer.module.inTorchTransformerLayer, case .activation = layer.family { return .zero }
    switch layer.family {
    case .convolution, .transposedConvolution:
      let extra =
        layer.hasFoldedBatchNorm ? try layer.times(2, layer.outputElements) : layer.hasBias ? layer.outputElements : 0
      return LayerCount(
        figure: try Checked.add(try layer.times(2, layer.macs), extra), components: ["MACs": layer.macs])
    case .linear where layer.isAddmmProduct:  // `_addmm_flops_compute`: 2 x MACs + numel(bias)
      let figure = try Checked.add(try layer.times(2, layer.macs), layer.outputFeatures)
      return LayerCount(figure: figure, components: ["MACs": layer.macs])
    case .linear:
      return LayerCount(figure: try layer.times(2, layer.macs), components: ["MACs": layer.macs])
    case .matrixProduct(.float):  // F.linear, or a patched `torch.matmul` / `Tensor.matmul`
      return LayerCount(figure: try layer.times(2, layer.macs), components: ["MACs": layer.macs])
    case .activation(.sigmoid) where layer.module.isSiluSigmoid:  // `_silu_flops_compute`: numel
      return LayerCount(figure: layer.outputElements)
    case .unaryMath(.erf) where layer.isErfGelu:  // `_gelu_flops_compute`: numel, when the patched F.gelu runs
      return LayerCount(figure: layer.geluCall.patched ? layer.outputElements : 0)
    case .activation(.relu), .activation(.parametricRelu), .activation(.elu), .activation(.leakyRelu),
      .activation(.gelu):
      return LayerCount(figure: layer.outputElements)
    case .pooling(.max), .pooling(.average), .pooling(.globalAverage), .pooling(.globalMax), .softmax(.softmax),
      .resize:
      return LayerCount(figure: layer.inputElements)
    case .normalization(.batch):
      return LayerCount(figure: try layer.times(2, layer.inputElements))
    case .normalization(.layer), .normalization(.group), .normalization(.instance):
      return LayerCount(figure: try layer.times(5, layer.inputElements))
    // Not patched: `F.hardtanh` (nn.ReLU6), `F.dropout`, `@` between activations, the `+` operator,
    // shape methods.
    case .activation(.clip), .dropout, .elementwise, .dataMovement, .shapeArithmetic,
      .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    try context.foldedBatchNormNote("the bias term is dropped and BatchNorm adds 2 x output elements")
      + context.scaledDotProductNote("F.scaled_dot_product_attention is not patched")
  }
}
