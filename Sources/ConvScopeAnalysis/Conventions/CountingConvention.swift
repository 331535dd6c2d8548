import ConvScopeCore
import ConvScopeReport

/// One layer's figure under a convention, with named sub-totals.
struct LayerCount {
  var figure: Int
  var components: [String: Int] = [:]
  /// The part of `figure` a patched functional counted inside a module call: never divided by
  /// the batch (ptflops divides only its module hooks' share).
  var functionalShare = 0

  static let zero = LayerCount(figure: 0)
}

/// A tool's rules: the figure of one layer, the parameters it prints, and its notes for a model.
///
/// `count` decides by the layer's ``OpFamily`` (declared by its op rule), never by op name.
/// Each convention lists the families it counts 0 on purpose (the tool ignores them) and
/// returns nil for any other family it has no rule for: the tally counts that layer 0 and
/// names its op in the result's notes, so a new rule is never silently free.
protocol CountingConvention {
  /// The convention's name, tool, version, unit, summary and sources.
  static var configuration: ConventionConfiguration { get }
  /// The tool's figure for one node; nil when the convention has no rule for its family.
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount?
  /// The parameters the tool attributes to one node.
  static func params(_ layer: LayerFacts) throws(OpError) -> Int
  /// Remarks on the whole model (folded BatchNorms, functional calls, ops the tool cannot know).
  static func notes(_ context: ConventionContext) throws(OpError) -> [String]
  /// True for ptflops' pytorch backend: module counts are divided by the batch size.
  static var dividesModulesByBatch: Bool { get }
  /// Which of the nodes ConvScope folded to constants the tool runs (``FoldedNodes``). A folded
  /// row keeps its family, shapes, the cost it would have had and the weights it reads
  /// (``OpFacts/foldedCost``), none of them in ConvScope's own totals.
  static var foldedNodes: FoldedNodes { get }
}

extension CountingConvention {
  static var dividesModulesByBatch: Bool { false }
  static var foldedNodes: FoldedNodes { .none }
  static func notes(_ context: ConventionContext) throws(OpError) -> [String] { [] }

  /// PyTorch's parameter count: a folded BatchNorm turned its 2C affine parameters into a C bias.
  static func torchParams(_ layer: LayerFacts) throws(OpError) -> Int {
    layer.hasFoldedBatchNorm ? try Checked.add(layer.row.params, layer.outputChannels) : layer.row.params
  }
}

extension LayerCount: ExpressibleByIntegerLiteral {
  init(integerLiteral value: Int) { self.init(figure: value) }
}

/// The nodes ConvScope folded to constants (every input stored) that a tool still counts.
enum FoldedNodes {
  /// None: the tool sees what ConvScope counts (ConvScope, Netscope).
  case none
  /// The folded nodes of leaf PyTorch modules (a name `/scope/OpType` whose scope holds no other
  /// scope): a module's forward runs on every call, its hooks fire and its functionals run, even
  /// when all it reads is stored (Swin V2's `cpb_mlp` on its coordinate table). Functional calls
  /// on constants and the exporter's shape arithmetic (Python integers in eager PyTorch) are not counted.
  case moduleCalls
  /// Every node of the file, the scalar shape arithmetic included (onnx-tool profiles each node;
  /// the TF profiler every op of the frozen graph).
  case all
}
