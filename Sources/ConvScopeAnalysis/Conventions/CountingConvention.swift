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
  /// True for a tool that profiles every node of the file, the ones ConvScope folds to constants
  /// included (onnx-tool: a Sqrt of a head size costs it 24). A folded row keeps its family and
  /// shapes but no cost, so only a tool that counts by shape can read it.
  static var readsFoldedNodes: Bool { get }
}

extension CountingConvention {
  static var dividesModulesByBatch: Bool { false }
  static var readsFoldedNodes: Bool { false }
  static func notes(_ context: ConventionContext) throws(OpError) -> [String] { [] }

  /// PyTorch's parameter count: a folded BatchNorm turned its 2C affine parameters into a C bias.
  static func torchParams(_ layer: LayerFacts) throws(OpError) -> Int {
    layer.hasFoldedBatchNorm ? try Checked.add(layer.row.params, layer.outputChannels) : layer.row.params
  }
}

extension LayerCount: ExpressibleByIntegerLiteral {
  init(integerLiteral value: Int) { self.init(figure: value) }
}
