import ConvScopeCore
import ConvScopeReport

/// ptflops (sovrasov/flops-counter.pytorch 0.7.5), default `pytorch` backend:
/// module forward hooks (`ptflops/pytorch_ops.py: MODULES_MAPPING`) plus patched
/// `torch.nn.functional` calls (`FUNCTIONAL_MAPPING`, `ptflops/pytorch_engine.py:
/// patch_functional`). Everything is MACs:
///
/// - `conv_flops_counter_hook`: `prod(K) * Cin * Cout/g * N * prod(out)` = MACs, + `Cout * N * prod(out)` bias.
/// - `linear_flops_counter_hook`: `numel(input) * out_features + out_features` (bias once, not per row).
/// - `bn_flops_counter_hook` (BatchNorm, InstanceNorm, GroupNorm, LayerNorm): `numel * 2` when `affine`
///   (LayerNorm has no `affine` attribute: `numel * 1`).
/// - `relu_flops_counter_hook` (ReLU, PReLU, ELU, LeakyReLU, ReLU6, GELU): `numel(output)`.
/// - `pool_flops_counter_hook` (every max/avg/adaptive pool): `numel(input)`.
/// - `upsample_flops_counter_hook`: `numel(output)`; `F.softmax`: `numel(input)`.
/// - A MatMul with a weight is an `nn.Linear` on a 3-D input (hooked: MACs). A MatMul of two
///   activations is attention's `q @ k.transpose(...)`: the `@` operator is not patched, 0
///   (`torch.matmul` would be counted, but ONNX does not say which was written).
///
/// Two traps, both in the reference numbers: a module whose `forward` calls a patched functional
/// (`nn.ReLU` → `F.relu`, `nn.MaxPool2d` → `F.max_pool2d`, `nn.AdaptiveAvgPool2d`, `nn.ELU`,
/// `nn.PReLU`, `nn.GELU`) is counted twice, by its hook and by the functional collector
/// (`nn.ReLU6` calls `F.hardtanh` and `nn.LeakyReLU` `F.leaky_relu`, not patched: once);
/// and the module total is divided by the batch size (`compute_average_flops_cost`) while the
/// functional share is not. `+` (residual adds) and `torch.flatten` are not counted.
enum PtflopsCounting: CountingConvention {
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
    let calls = isPatchedTwice(layer.family) && layer.isModuleCall ? 2 : 1
    switch layer.family {
    case .convolution, .transposedConvolution:
      let extra =
        layer.hasFoldedBatchNorm ? try layer.times(2, layer.outputElements) : layer.hasBias ? layer.outputElements : 0
      return LayerCount(figure: try Checked.add(layer.macs, extra))
    case .linear:
      return LayerCount(figure: try Checked.add(layer.macs, layer.hasBias ? layer.outputSizes.last ?? 0 : 0))
    case .matrixProduct(.float) where layer.row.params > 0:
      return LayerCount(figure: layer.macs)
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
    case .matrixProduct(.float), .einsum, .activation, .unaryMath, .elementwise, .reduction, .indexing,
      .dataMovement, .dropout, .shapeArithmetic, .controlFlow:
      return .zero
    default:
      return nil
    }
  }

  static func params(_ layer: LayerFacts) throws(OpError) -> Int { try torchParams(layer) }

  static func notes(_ context: ConventionContext) throws(OpError) -> [String] {
    context.foldedBatchNormNote("the bias term is dropped and BatchNorm adds 2 x output elements")
      + context.functionalNote(isPatchedTwice, "counted once by the patched functional instead of twice")
  }
}

/// ptflops with `backend='aten'` (`ptflops/aten_engine.py`, `ptflops/aten_ops.py: ATEN_OPS_MAPPING`):
/// a `TorchDispatchMode` that counts only `aten.convolution` (`conv_flop_count`: MACs, + one add
/// per output element when the conv has a bias), `aten.addmm` (MACs + bias elements, as the
/// 0.7.5 reference numbers show), `aten.mm`, `aten.matmul` and `aten.bmm` (MACs). No batch division.
enum PtflopsAtenCounting: CountingConvention {
  static let configuration = ConventionConfiguration(
    name: "ptflops-aten", toolName: "ptflops (aten backend)", toolVersion: "0.7.5", unit: "Mac",
    summary: "MACs of convolutions and matrix products + their bias adds; everything else omitted",
    sources: [
      "https://github.com/sovrasov/flops-counter.pytorch/blob/master/ptflops/aten_engine.py",
      "https://github.com/sovrasov/flops-counter.pytorch/blob/master/ptflops/aten_ops.py",
    ])

  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount? {
    switch layer.family {
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
    context.foldedBatchNormNote("no bias term, and the BatchNorm itself is not counted")
  }
}
