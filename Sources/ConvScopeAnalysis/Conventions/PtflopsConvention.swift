import ConvScopeCore
import ConvScopeReport

/// ptflops (sovrasov/flops-counter.pytorch 0.7.5), default `pytorch` backend:
/// module forward hooks (`ptflops/pytorch_ops.py: MODULES_MAPPING`) plus patched
/// `torch.nn.functional` calls (`FUNCTIONAL_MAPPING`, `ptflops/pytorch_engine.py:
/// patch_functional`). Everything is MACs:
///
/// - `conv_flops_counter_hook`: `prod(K) * Cin * Cout/g * N * prod(out)` = MACs, + `Cout * N * prod(out)` bias.
/// - `linear_flops_counter_hook`: `(in_features * out_features + out_features) * rows`: MACs + one bias
///   add per output element (on a 3-D input the bias is the `Add` after the `MatMul`).
/// - `bn_flops_counter_hook` (BatchNorm, InstanceNorm, GroupNorm, LayerNorm): `numel * 2` when `affine`
///   (LayerNorm has no `affine` attribute: `numel * 1`).
/// - `relu_flops_counter_hook` (ReLU, PReLU, ELU, LeakyReLU, ReLU6, GELU): `numel(output)`.
/// - `pool_flops_counter_hook` (every max/avg/adaptive pool): `numel(input)`.
/// - `upsample_flops_counter_hook`: `numel(output)`; `F.softmax`: `numel(input)`.
/// - A MatMul with a weight is an `nn.Linear` on a 3-D input (hooked: MACs, and its bias `Add`
///   one add per output element). A MatMul of two activations is attention's product: `torch.matmul`,
///   `Tensor.matmul`, `bmm` and `baddbmm` are patched (`TENSOR_OPS_MAPPING`, `_matmul_tensor_flops_hook`:
///   MACs), the `@` operator is not; transformers and torchvision write `matmul`, so it counts.
/// - GELU (exported as Div, Erf, Add, Mul, Mul): `F.gelu` is patched (numel); `nn.GELU` is also
///   hooked (numel again), transformers' `GELUActivation` is not.
///
/// Two traps, both in the reference numbers: a module whose `forward` calls a patched functional
/// (`nn.ReLU` → `F.relu`, `nn.MaxPool2d` → `F.max_pool2d`, `nn.AdaptiveAvgPool2d`, `nn.ELU`,
/// `nn.PReLU`, `nn.GELU`) is counted twice, by its hook and by the functional collector
/// (`nn.ReLU6` calls `F.hardtanh` and `nn.LeakyReLU` `F.leaky_relu`, not patched: once);
/// and the module total is divided by the batch size (`compute_average_flops_cost`) while the
/// functional share is not. `+` (residual adds), `torch.flatten` and `torch.clamp` (a Clip outside
/// a leaf module: `F.normalize`'s `clamp_min`) are not counted.
enum PtflopsCounting: CountingConvention {
  /// A leaf module whose inputs are all stored still runs on every forward (Swin V2's `cpb_mlp`).
  static var foldedNodes: FoldedNodes { .moduleCalls }

  static let configuration = ConventionConfiguration(
    name: "ptflops", toolName: "ptflops (pytorch backend)", toolVersion: "0.7.5", unit: "Mac",
    summary: "MACs + bias; BatchNorm 2/elt; ReLU and pools counted twice; per sample (÷ batch); adds omitted",
    sources: [
      "https://github.com/sovrasov/flops-counter.pytorch/blob/master/ptflops/pytorch_ops.py",
      "https://github.com/sovrasov/flops-counter.pytorch/blob/master/ptflops/pytorch_engine.py",
    ])

  static var dividesModulesByBatch: Bool { true }

  /// Ops whose module `forward` calls a functional that ptflops also patches.
  static func isPatchedTwice(_ family: OpFamily) -> Bool {
    switch family {
    case .activation(.relu), .activation(.parametricRelu), .activation(.elu), .activation(.gelu), .pooling(.max),
      .pooling(.average), .pooling(.globalAverage), .pooling(.globalMax):
      true
    default: false
    }
  }

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    if layer.module.inMultiheadAttention { return try multiheadAttentionHook(layer) }
    // `F.scaled_dot_product_attention` is not patched; inside window attention `F.linear` is not either.
    if layer.module.inScaledDotProduct || layer.module.isCosineScores { return .zero }
    if layer.module.inAttentionModule && (layer.isWeightProduct || layer.family == .linear || layer.row.params > 0) {
      return .zero
    }
    // A torch transformer layer's activation is the function it stored at construction: unpatched.
    if layer.module.inTorchTransformerLayer, case .activation = layer.family { return .zero }
    let calls = isPatchedTwice(layer.family) && layer.isModuleCall ? 2 : 1
    switch layer.family {
    case .activation(.clip) where !layer.isModuleCall:
      // A functional Clip is `torch.clamp` / `Tensor.clamp_min` (F.normalize's, Swin V2's cosine
      // attention), which is not patched; a functional `F.relu6`, which is, exports the same Clip.
      return .zero
    case .convolution, .transposedConvolution:
      let extra =
        layer.hasFoldedBatchNorm ? try layer.times(2, layer.outputElements) : layer.hasBias ? layer.outputElements : 0
      return LayerCount(figure: try Checked.add(layer.macs, extra))
    case .linear where layer.isAddmmProduct:  // patched `torch.addmm`: MACs + numel(bias), never divided
      let figure = try Checked.add(layer.macs, layer.outputFeatures)
      return LayerCount(figure: figure, functionalShare: figure)
    case .linear:
      return LayerCount(figure: try Checked.add(layer.macs, layer.hasBias ? layer.outputElements : 0))
    case .matrixProduct(.float):  // Linear hook on a 3-D input, or a patched `torch.matmul` / `Tensor.matmul`
      return LayerCount(figure: layer.macs)
    case .elementwise(.add) where layer.isModuleBiasAdd:  // the Linear hook's bias, one per output element
      return LayerCount(figure: layer.outputElements)
    case .activation(.sigmoid) where layer.module.isSiluSigmoid:  // F.silu is patched (nn.SiLU has no hook)
      return LayerCount(figure: layer.outputElements)
    case .unaryMath(.erf) where layer.isErfGelu:  // nn.GELU: hook + F.gelu; see `geluCall`
      let call = layer.geluCall
      return LayerCount(figure: try layer.times((call.hooked ? 1 : 0) + (call.patched ? 1 : 0), layer.outputElements))
    case .normalization(.batch), .normalization(.instance), .normalization(.group):
      return LayerCount(figure: try layer.times(2, layer.inputElements))
    case .normalization(.layer):
      return LayerCount(figure: layer.inputElements)
    case .activation(.relu), .activation(.parametricRelu), .activation(.elu), .activation(.leakyRelu),
      .activation(.gelu), .activation(.clip):
      return LayerCount(figure: try layer.times(calls, layer.outputElements))
    case .pooling(.max), .pooling(.average), .pooling(.globalAverage), .pooling(.globalMax):
      return LayerCount(figure: try layer.times(calls, layer.inputElements))
    case .resize:
      return LayerCount(figure: layer.outputElements)
    case .softmax(.softmax):
      return LayerCount(figure: layer.inputElements)
    // Not in `MODULES_MAPPING` nor patched: `@`, `+`, tensor methods, other activations, shape ops.
    case .einsum, .activation, .unaryMath, .elementwise, .reduction, .indexing,
      .dataMovement, .dropout, .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  /// `multihead_attention_counter_hook` (`pytorch_ops.py`), batch x: `qlen * qdim` (q scaling) +
  /// the three input projections' MACs + `(qlen + klen + vlen) * qdim` (their bias) + per head
  /// `qlen * klen * (2 * head_dim + 1)` (QKᵀ, softmax, AV) + `qlen * vdim * (vdim + 1)` (out_proj).
  /// Node by node: products are their MACs, the in-projection bias `Add` its elements, the
  /// softmax its elements, and the out-projection `Gemm` its MACs + 2 x its elements (its bias and
  /// the q scaling, both `qlen * E`). With `need_weights` (no SDPA) the module also calls
  /// `torch.bmm` and `F.softmax`, which are patched: those count a second time.
  static func multiheadAttentionHook(_ layer: LayerFacts) throws(OpError) -> LayerCount {
    let patched = !layer.module.inScaledDotProduct
    switch layer.family {
    case .linear:
      return LayerCount(figure: try Checked.add(layer.macs, try layer.times(2, layer.outputElements)))
    case .matrixProduct(.float) where layer.isWeightProduct:
      return LayerCount(figure: layer.macs)
    case .matrixProduct(.float):
      return try hookAndFunctional(layer.macs, patched: patched)
    case .elementwise(.add) where layer.row.params > 0:
      return LayerCount(figure: layer.outputElements)
    case .softmax(.softmax):
      return try hookAndFunctional(layer.inputElements, patched: patched)
    default:
      return .zero
    }
  }

  /// `count` from the module hook, and again from a patched functional (not divided by the batch).
  static func hookAndFunctional(_ count: Int, patched: Bool) throws(OpError) -> LayerCount {
    patched ? LayerCount(figure: try Checked.multiply(count, 2), functionalShare: count) : LayerCount(figure: count)
  }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    try context.foldedBatchNormNote("the bias term is dropped and BatchNorm adds 2 x output elements")
      + context.roleNote(
        "nn.MultiheadAttention counted by multihead_attention_counter_hook (scale, projections, bias, QKᵀ, softmax, AV, out_proj)"
      ) {
        $0.module.inMultiheadAttention
      }
      + context.roleNote("window attention's F.linear projections counted 0 (F.linear is not patched)") {
        $0.module.inAttentionModule && !$0.module.inMultiheadAttention && $0.isWeightProduct
      }
      + context.roleNote("F.scaled_dot_product_attention outside nn.MultiheadAttention counted 0 (not patched)") {
        $0.module.inScaledDotProduct && !$0.module.inMultiheadAttention
      }
      + context.functionalNote(isPatchedTwice, "counted once by the patched functional instead of twice")
  }
}

/// ptflops with `backend='aten'` (`ptflops/aten_engine.py`, `ptflops/aten_ops.py: ATEN_OPS_MAPPING`):
/// a `TorchDispatchMode` that counts only `aten.convolution` (`conv_flop_count`: MACs, + one add
/// per output element when the conv has a bias), `aten.addmm` (MACs + bias elements, as the
/// 0.7.5 reference numbers show), `aten.mm`, `aten.matmul` and `aten.bmm` (MACs). No batch division.
enum PtflopsAtenCounting: CountingConvention {
  /// A leaf module whose inputs are all stored still runs on every forward (Swin V2's `cpb_mlp`).
  static var foldedNodes: FoldedNodes { .moduleCalls }

  static let configuration = ConventionConfiguration(
    name: "ptflops-aten", toolName: "ptflops (aten backend)", toolVersion: "0.7.5", unit: "Mac",
    summary: "MACs of convolutions and matrix products + their bias adds; everything else omitted",
    sources: [
      "https://github.com/sovrasov/flops-counter.pytorch/blob/master/ptflops/aten_engine.py",
      "https://github.com/sovrasov/flops-counter.pytorch/blob/master/ptflops/aten_ops.py",
    ])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    switch layer.family {
    case .matrixProduct(.float) where layer.module.inScaledDotProduct:  // CPU SDPA: not in the mapping
      return .zero
    case .elementwise(.add) where layer.isProductBiasAdd:
      // `F.linear` on a contiguous input of rank 3 or more runs as `aten.addmm` on a flattened view:
      // the bias is counted, in a leaf module or not (Swin V2's window attention, a module with a
      // `cpb_mlp` child, calls `F.linear` with its `qkv` and `proj` weights).
      return LayerCount(figure: layer.outputElements)
    case .convolution, .transposedConvolution, .linear:
      return LayerCount(figure: try Checked.add(layer.macs, layer.hasTorchBias ? layer.outputElements : 0))
    case .matrixProduct(.float), .einsum:
      return LayerCount(figure: layer.macs)
    // No entry in `ATEN_OPS_MAPPING`.
    case .normalization, .activation, .unaryMath, .elementwise, .softmax, .pooling, .reduction, .indexing, .resize,
      .dataMovement, .dropout, .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    try context.foldedBatchNormNote("no bias term, and the BatchNorm itself is not counted")
      + context.scaledDotProductNote("CPU SDPA is not in ATEN_OPS_MAPPING")
  }
}
