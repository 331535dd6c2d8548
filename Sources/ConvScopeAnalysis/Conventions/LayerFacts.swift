import ConvScopeCore
import ConvScopeReport

/// What a convention needs to know about one node, read from its ``LayerRow``: the facts
/// its rule declared (family, bias, parameters), element counts, kernel, and the PyTorch
/// history the exporter left in names.
struct LayerFacts: Sendable {
  let row: LayerRow
  /// The batch size of the whole model (ptflops divides module counts by it).
  let batch: Int
  /// True when the TorchScript exporter folded a BatchNorm into this Conv (see ``ConventionOptions``).
  let hasFoldedBatchNorm: Bool
  /// True when the node was a PyTorch module's forward rather than a functional call.
  let isModuleCall: Bool
  /// Where the node sat in the PyTorch module tree (attention modules, fused layers, SDPA).
  var module = ModuleRole()

  /// The op type, for notes only: conventions decide by ``family``.
  var op: String { row.op }
  /// The family the op's rule declares.
  var family: OpFamily { row.facts.family }
  /// ConvScope's multiply-accumulates for the node.
  var macs: Int { row.cost.macs }
  /// Elements of the first data input (0 when unknown).
  var inputElements: Int { row.inputShapes.first?.shape.elementCount ?? 0 }
  /// Elements of the first output (0 when unknown).
  var outputElements: Int { row.outputs.first?.shape.elementCount ?? 0 }
  /// The first output's sizes (empty when unknown).
  var outputSizes: [Int] { row.outputs.first?.shape.sizes ?? [] }
  /// The first data input's sizes (empty when unknown).
  var inputSizes: [Int] { row.inputShapes.first?.shape.sizes ?? [] }
  /// Channels of the first output (`C` of `N x C x ...`), 0 when unknown.
  var outputChannels: Int { outputSizes.count > 1 ? outputSizes[1] : 0 }
  /// Channels of the first input, 0 when unknown.
  var inputChannels: Int { inputSizes.count > 1 ? inputSizes[1] : 0 }
  /// Whether the node has the bias input its rule declares (a Conv's, ConvTranspose's or Gemm's).
  var hasBias: Bool { row.facts.biasInput != nil }
  /// The stored bias as PyTorch had it: a folded BatchNorm's bias did not exist in the PyTorch Conv.
  var hasTorchBias: Bool { hasBias && !hasFoldedBatchNorm }
  /// Number of data inputs (an elementwise op over `n` inputs does `n - 1` combines).
  var dataInputCount: Int { row.inputShapes.count }
  /// An `LRN`'s window `size`, as its rule read it from the attribute (0 for other ops).
  var channelWindow: Int { row.facts.parameters.channelWindow ?? 0 }

  /// The product of the window's kernel sizes (1 for an op without a window), overflow-checked.
  func kernelVolume() throws(OpError) -> Int { try Checked.product(row.window?.kernel ?? []) }

  /// A matrix product with a stored operand: `nn.Linear` (or `F.linear`) on an input of rank 3 or
  /// more, which TorchScript exports as `MatMul` by the transposed weight, then `Add` of the bias.
  var isWeightProduct: Bool { family == .matrixProduct(.float) && row.params > 0 }
  /// A `Gemm` with an untransposed weight: `torch.addmm(bias, x, W)`, as transformers' `Conv1D`
  /// (GPT-2's projections) computes, not an `nn.Linear` (exported with `transB = 1`).
  var isAddmmProduct: Bool { family == .linear && row.facts.parameters.weightTransposed == false }
  /// The bias elements a `Gemm` adds once per output feature (0 without a bias).
  var outputFeatures: Int { hasBias ? outputSizes.last ?? 0 : 0 }
  /// A matrix product of two activations (`torch.matmul`, `@`, `bmm` on computed tensors).
  var isActivationProduct: Bool { family == .matrixProduct(.float) && row.params == 0 }
  /// The `Erf` of an exact GELU: below opset 20 TorchScript writes `nn.GELU` / `F.gelu` as
  /// `Div(x, sqrt 2) → Erf → Add 1 → Mul x → Mul 0.5`; the Erf node stands for the whole GELU
  /// (its output has the GELU's element count) and the other four count as elementwise ops.
  var isErfGelu: Bool { family == .unaryMath(.erf) }
  /// A bias `Add` (a stored operand) of a weight product's output: the bias of an `F.linear` on an
  /// input of rank 3 or more, exported as `MatMul` + `Add`, wherever it was called.
  var isProductBiasAdd: Bool { family == .elementwise(.add) && row.params > 0 && module.addsProductBias }
  /// A product bias `Add` inside a leaf module: the bias of an `nn.Linear` whose forward ran (its hooks fired).
  var isModuleBiasAdd: Bool { isProductBiasAdd && isModuleCall }
  /// How a GELU exported from PyTorch was called: `nn.GELU` (a child of an `nn.Sequential`, as
  /// torchvision places it) runs a forward hook tools see and calls `F.gelu` at run time; a named
  /// activation module (transformers' `GELUActivation`, `transformers/activations.py:83`) and
  /// PyTorch's transformer layers call the `F.gelu` they stored at construction, which a tool
  /// patching `torch.nn.functional` later never sees; any other functional GELU is `F.gelu`.
  var geluCall: (hooked: Bool, patched: Bool) {
    if isModuleCall { return isSequentialChild ? (true, true) : (false, false) }
    return (false, !module.inTorchTransformerLayer)
  }

  /// True when the node's module is a child of an `nn.Sequential` (its scope's last part is an
  /// index, `/mlp/mlp.1/Erf`): where torchvision puts `nn.GELU`. A GELU in a named scope
  /// (`/intermediate/intermediate_act_fn/Erf`) is a model's own activation module (transformers'
  /// `GELUActivation`), which hook tables do not list.
  var isSequentialChild: Bool {
    let scope = ConventionContext.scope(of: row.name)
    guard let last = scope.split(separator: "/").last, let dot = last.lastIndex(of: ".") else { return false }
    return Int(last[last.index(after: dot)...]) != nil
  }

  /// `a * b` overflow-checked, for the conventions' formulas.
  func times(_ a: Int, _ b: Int) throws(OpError) -> Int { try Checked.multiply(a, b) }

  /// `outputElements * (inputs - 1)`: one combine per extra input per output element.
  func combines() throws(OpError) -> Int { try times(outputElements, max(1, dataInputCount - 1)) }
}
