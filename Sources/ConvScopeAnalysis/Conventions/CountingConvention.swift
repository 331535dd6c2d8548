import ConvScopeCore
import ConvScopeReport
/// One layer's figure under a convention, with named sub-totals.
struct LayerCount {
  var figure: Int
  var components: [String: Int] = [:]

  static let zero = LayerCount(figure: 0)
}

/// A tool's rules: the figure of one layer, the parameters it prints, and its notes for a model.
protocol CountingConvention {
  /// The tool's figure for one node.
  static func count(_ layer: LayerFacts) throws(OpError) -> LayerCount
  /// The parameters the tool attributes to one node.
  static func params(_ layer: LayerFacts) throws(OpError) -> Int
  /// Remarks on the whole model (folded BatchNorms, functional calls, ops the tool cannot know).
  static func notes(_ context: ConventionContext) throws(OpError) -> [String]
  /// True for ptflops' pytorch backend: module counts are divided by the batch size.
  static var dividesModulesByBatch: Bool { get }
}

extension CountingConvention {
  static var dividesModulesByBatch: Bool { false }
  static func notes(_ context: ConventionContext) throws(OpError) -> [String] { [] }

  /// PyTorch's parameter count: a folded BatchNorm turned its 2C affine parameters into a C bias.
  static func torchParams(_ layer: LayerFacts) throws(OpError) -> Int {
    layer.hasFoldedBatchNorm ? try Checked.add(layer.row.params, layer.outputChannels) : layer.row.params
  }
}

extension LayerCount: ExpressibleByIntegerLiteral {
  init(integerLiteral value: Int) { self.init(figure: value) }
}
