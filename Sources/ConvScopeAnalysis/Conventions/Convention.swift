import ConvScopeCore
import ConvScopeReport

/// A counting convention: the rules by which one tool turns a network into the
/// single "FLOPs" or "MACs" figure it prints. ConvScope records each node's
/// elementary operations once (``Cost``); a convention is a pure function from
/// those counts, the op families the rules declare (``OpFacts``) and the shapes to
/// that tool's figure, so every tool's number can be reproduced, and the differences
/// explained, from one analysis. `docs/conventions.md` gives each rule with its source.
///
/// This enum selects a convention (`--convention`); each case's rules and metadata
/// (``ConventionConfiguration``) live on its own type, one file per tool.
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

  /// The type that holds this convention's rules and metadata.
  var counting: any CountingConvention.Type {
    switch self {
    case .convscope: ConvScopeCounting.self
    case .fvcore: FvcoreCounting.self
    case .ptflops: PtflopsCounting.self
    case .ptflopsAten: PtflopsAtenCounting.self
    case .thop: ThopCounting.self
    case .torchinfo: TorchinfoCounting.self
    case .onnxTool: OnnxToolCounting.self
    case .torchFlopCounter: TorchFlopCounterCounting.self
    case .calflops: CalflopsCounting.self
    case .netscope: NetscopeCounting.self
    case .keras: KerasCounting.self
    }
  }

  /// The convention's name, tool, version, unit, summary and sources, from its type.
  public var configuration: ConventionConfiguration { counting.configuration }

  /// The tool's name as users know it.
  public var toolName: String { configuration.toolName }

  /// The unit the tool prints next to its figure (ptflops prints it with a `G` prefix: `GMac`).
  public var unit: String { configuration.unit }

  /// One line: what the tool counts or omits relative to ConvScope.
  public var summary: String { configuration.summary }

  /// The figure this tool would print for `report`.
  public func apply(to report: Report, options: ConventionOptions = .init()) throws(OpError) -> ConventionResult {
    try apply(to: report.layers, batch: report.batchSize, options: options)
  }

  /// The figure for `layers` at batch size `batch` (what ``apply(to:options:)`` computes for a report).
  func apply(to layers: [LayerRow], batch: Int, options: ConventionOptions) throws(OpError) -> ConventionResult {
    try ConventionContext(layers: layers, batch: batch, options: options).tally(counting)
  }
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
