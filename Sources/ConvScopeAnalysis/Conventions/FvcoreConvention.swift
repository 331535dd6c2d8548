import ConvScopeCore
import ConvScopeReport

/// fvcore `FlopCountAnalysis` (facebookresearch/fvcore, `fvcore/nn/flop_count.py:
/// _DEFAULT_SUPPORTED_OPS`, handles in `fvcore/nn/jit_handles.py`). One "flop" is one
/// multiply-accumulate; the model is JIT-traced, so costs follow aten ops:
///
/// - `conv_flop_jit`: `N * prod(W) * prod(out spatial)` (input spatial when transposed) = MACs;
///   bias ignored.
/// - `addmm_flop_jit`, `linear_flop_jit`, `matmul_flop_jit`, `bmm_flop_jit`: MACs, bias ignored.
/// - `einsum_flop_jit`: MACs for `abc,abd->acd` and `abc,adc->adb` (letters renamed in order
///   of appearance); any other equation is read from numpy's `einsum_path` printout, which
///   writes the FLOP count with four significant digits (`%.3e`), halved and floored: MaxViT's
///   `BGHID,BGHJD->BGHIJ` on 1x64x2x49x32 is `19,668,992` FLOPs printed `1.967e+07`, so
///   9,835,000 "flops" for 9,834,496 MACs (``numpyEinsumFigure(macs:equation:)``).
/// - `batchnorm_flop_jit`: `numel * 2` in eval with affine (5 when training: these models are eval).
/// - `norm_flop_counter` (group, layer, instance norm): `numel * 5` with affine.
/// - `adaptive_avg_pool2d`: 1 per input element (`elementwise_flop_counter(1, 0)`).
/// - Everything else (ReLU, max-pool, add, softmax, plain avg_pool2d, GELU, embedding) is 0: ignored or
///   "unsupported"; so is `aten::scaled_dot_product_attention` (both of its products, see ``ModuleRole``).
///
/// PyTorch exports `AdaptiveAvgPool2d` as `GlobalAveragePool`, or as an `AveragePool` whose
/// kernel equals its stride with no padding; a plain `nn.AvgPool2d` (fvcore: 0) exported with
/// kernel = stride is indistinguishable and is counted as adaptive. A `.pt2` says which it was
/// (``OpParameters/adaptivePool``), and that is followed.
enum FvcoreCounting: CountingConvention {
  /// A leaf module whose inputs are all stored still runs on every forward (Swin V2's `cpb_mlp`).
  static var foldedNodes: FoldedNodes { .moduleCalls }

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
    case .matrixProduct(.float) where layer.module.inScaledDotProduct:  // aten::scaled_dot_product_attention
      return .zero
    case .linear, .matrixProduct(.float):
      return LayerCount(figure: layer.macs)
    case .einsum:
      return LayerCount(
        figure: numpyEinsumFigure(macs: layer.macs, equation: layer.row.facts.parameters.einsumEquation))
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
    try context.foldedBatchNormNote("each adds batch_norm 2 x output elements (eval mode)")
      + context.scaledDotProductNote("aten::scaled_dot_product_attention has no fvcore handle")
  }

  /// fvcore's figure for a two-operand einsum of `macs` multiply-accumulates (see the type's
  /// doc): numpy counts `macs * 2` FLOPs when an index is summed (`* 1` when none is), prints
  /// it as `%.3e` (round half to even on the exact decimal), and fvcore halves and floors that.
  static func numpyEinsumFigure(macs: Int, equation: String?) -> Int {
    let sides = equation?.split(separator: ">", omittingEmptySubsequences: false) ?? []
    guard let equation, sides.count == 2, sides[0].hasSuffix("-") else { return macs }
    var renamed: [Character: Character] = [:]
    let letters = "abcdefghijklmnopqrstuvwxyz".map { $0 }
    let normalized = String(
      equation.map { c -> Character in
        guard c.isLetter else { return c }
        if let mapped = renamed[c] { return mapped }
        let mapped = renamed.count < letters.count ? letters[renamed.count] : c
        renamed[c] = mapped
        return mapped
      })
    let operands = sides[0].dropLast().split(separator: ",", omittingEmptySubsequences: false)
    guard normalized != "abc,abd->acd", normalized != "abc,adc->adb", operands.count == 2, macs > 0 else { return macs }
    let output = Set(sides[1])
    let summed = operands.joined().contains { $0.isLetter && !output.contains($0) }
    let flops = Double(macs) * (summed ? 2 : 1)
    guard flops < 1e18 else { return macs }
    var scale = 1.0
    while flops / scale >= 10_000 { scale *= 10 }
    let printed = (flops / scale).rounded(.toNearestOrEven) * scale
    return Int((printed / 2).rounded(.down))
  }

  /// The `AveragePool` PyTorch writes for `AdaptiveAvgPool2d`: kernel = stride, no padding.
  static func isAdaptive(_ window: Window?) -> Bool {
    guard let window else { return false }
    return window.kernel == window.strides && (window.padsBegin + window.padsEnd).allSatisfy { $0 == 0 }
  }
}
