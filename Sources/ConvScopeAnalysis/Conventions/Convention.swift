import ConvScopeCore
import ConvScopeReport
/// A counting convention: the rules by which one tool turns a network into the
/// single "FLOPs" or "MACs" figure it prints. ConvScope records each node's
/// elementary operations once (``Cost``); a convention is a pure function from
/// those counts, the op types and the shapes to that tool's figure, so every
/// tool's number can be reproduced, and the differences explained, from one
/// analysis. `docs/conventions.md` gives each rule with its source.
public enum Convention: String, CaseIterable, Sendable, Codable {
  /// ConvScope's own count: FLOPs = 2 x MACs + every other elementary operation.
  case convscope
  /// fvcore `FlopCountAnalysis` (one "flop" per multiply-accumulate).
  case fvcore
  /// ptflops `get_model_complexity_info`, default `pytorch` backend (module hooks + patched functionals).
  case ptflops
  /// ptflops with `backend='aten'` (counts only matrix products and convolutions).
  case ptflopsAten = "ptflops-aten"
  /// thop `profile` (Lyken17/pytorch-OpCounter 0.1.1, the last `thop` on PyPI).
  case thop
  /// torchinfo `summary` "Mult-Adds".
  case torchinfo
  /// onnx-tool `model_profile` "Forward_MACs".
  case onnxTool = "onnx-tool"
  /// `torch.utils.flop_counter.FlopCounterMode` (2 x MACs of matrix products and convolutions).
  case torchFlopCounter = "torch-flop-counter"
  /// calflops `calculate_flops` FLOPs (its MACs are given as a component).
  case calflops
  /// Netscope CNN Analyzer (Caffe): multiply-accumulates, with comparisons, adds, divides and exps as components.
  case netscope
  /// TensorFlow's profiler `float_ops`, as keras-flops reports for a Keras model.
  case keras

  /// The tool's name as users know it.
  public var toolName: String {
    switch self {
    case .convscope: "ConvScope"
    case .fvcore: "fvcore"
    case .ptflops: "ptflops (pytorch backend)"
    case .ptflopsAten: "ptflops (aten backend)"
    case .thop: "thop"
    case .torchinfo: "torchinfo"
    case .onnxTool: "onnx-tool"
    case .torchFlopCounter: "torch.utils.flop_counter"
    case .calflops: "calflops"
    case .netscope: "Netscope"
    case .keras: "Keras (TF profiler)"
    }
  }

  /// The unit the tool prints next to its figure (ptflops prints it with a `G` prefix: `GMac`).
  public var unit: String {
    switch self {
    case .convscope, .torchFlopCounter, .calflops, .keras: "FLOPs"
    case .fvcore: "flops (1 per MAC)"
    case .ptflops, .ptflopsAten: "Mac"
    case .thop, .onnxTool: "MACs"
    case .torchinfo: "Mult-Adds"
    case .netscope: "MACC"
    }
  }

  /// One line: what the tool counts or omits relative to ConvScope.
  public var summary: String {
    switch self {
    case .convscope:
      "2 per MAC + 1 per other op: bias, BatchNorm, activations, pools and residual adds all included"
    case .fvcore:
      "MACs of conv/linear/matmul, no bias; BatchNorm 2/elt (eval); ReLU, max-pool and adds omitted"
    case .ptflops:
      "MACs + bias; BatchNorm 2/elt; ReLU and pools counted twice; per sample (÷ batch); adds omitted"
    case .ptflopsAten:
      "MACs of convolutions and matrix products + their bias adds; everything else omitted"
    case .thop:
      "MACs without bias; BatchNorm 4/elt; activations, max-pool, adds and functional calls omitted"
    case .torchinfo:
      "params x output positions: MACs + bias; BatchNorm only N x 2C; parameter-free ops omitted"
    case .onnxTool:
      "MACs + bias + weighted elementwise ops (div 4, exp 32; BatchNorm 31/elt), on the graph as stored"
    case .torchFlopCounter:
      "2 x MACs of convolutions and matrix products; bias, norms, activations, pools and adds omitted"
    case .calflops:
      "2 x MACs + conv bias (not linear); BatchNorm 2/elt; ReLU and pools 1/elt; ReLU6 and adds omitted"
    case .netscope:
      "MACs without bias (Caffe); comparisons, adds, divides and exps as separate components"
    case .keras:
      "2 x MACs + bias; BatchNorm 2/elt + 6/channel; pools k/output elt; softmax 5/elt; adds 1/elt; activations omitted"
    }
  }

  /// The figure this tool would print for `report`.
  public func apply(to report: Report, options: ConventionOptions = .init()) throws(OpError) -> ConventionResult {
    try apply(to: report.layers, batch: report.batchSize, options: options)
  }

  /// The figure for `layers` at batch size `batch` (what ``apply(to:options:)`` computes for a report).
  func apply(to layers: [LayerRow], batch: Int, options: ConventionOptions) throws(OpError) -> ConventionResult {
    let context = ConventionContext(layers: layers, batch: batch, options: options)
    switch self {
    case .convscope: return try context.tally(self, ConvScopeCounting.self)
    case .fvcore: return try context.tally(self, FvcoreCounting.self)
    case .ptflops: return try context.tally(self, PtflopsCounting.self)
    case .ptflopsAten: return try context.tally(self, PtflopsAtenCounting.self)
    case .thop: return try context.tally(self, ThopCounting.self)
    case .torchinfo: return try context.tally(self, TorchinfoCounting.self)
    case .onnxTool: return try context.tally(self, OnnxToolCounting.self)
    case .torchFlopCounter: return try context.tally(self, TorchFlopCounterCounting.self)
    case .calflops: return try context.tally(self, CalflopsCounting.self)
    case .netscope: return try context.tally(self, NetscopeCounting.self)
    case .keras: return try context.tally(self, KerasCounting.self)
    }
  }
}

/// The figure `convention` gives for `report` (same as `convention.apply(to: report)`).
public func apply(
  _ convention: Convention, to report: Report, options: ConventionOptions = .init()
) throws(OpError) -> ConventionResult {
  try convention.apply(to: report, options: options)
}

extension Convention {
  /// Every convention's figure for `report`, in declaration order (ConvScope's own first):
  /// the rows of a `--reconcile` table.
  public static func reconcile(_ report: Report, options: ConventionOptions = .init()) throws(OpError)
    -> [ConventionResult]
  {
    var results: [ConventionResult] = []
    for convention in allCases { results.append(try convention.apply(to: report, options: options)) }
    return results
  }
}

/// How a convention reads the graph.
public struct ConventionOptions: Sendable, Hashable {
  /// Read the PyTorch history the TorchScript ONNX exporter leaves in names: a Conv whose
  /// weight is named `onnx::Conv_*` had a BatchNorm folded into it (the PyTorch model ran a
  /// bias-free Conv then a BatchNorm, and PyTorch tools counted both), and a node named
  /// `/OpType` at the root scope was a functional call, not a module. Off: the graph is
  /// taken as stored, as if each ONNX node were one PyTorch module.
  public var infersTorchProvenance: Bool

  public init(infersTorchProvenance: Bool = true) {
    self.infersTorchProvenance = infersTorchProvenance
  }
}

extension Report {
  /// The batch size: the first dimension of the first input, 1 when unknown.
  var batchSize: Int {
    guard let first = inputs.first, first.shape.rank > 0, let n = first.shape[0].value, n > 0 else { return 1 }
    return n
  }
}
