import ConvScopeAnalysis
import ConvScopeReport

/// A report of many layers, for the renderers' large-model paths.
enum LargeReport {
  /// A chain of `blocks` convolutions and ReLUs (`PREFIX.N.conv`, `PREFIX.N.relu`) on a small input.
  static func chain(blocks: Int, prefix: String = "blocks") throws -> Report {
    var spec = "name: chain\nlayout: CHW\ninput: {name: input, shape: [4, 8, 8]}\nlayers:\n"
    for block in 0..<blocks {
      spec += "  - {name: \(prefix).\(block).conv, op: conv, filters: 4, kernel: 3, padding: 1}\n"
      spec += "  - {name: \(prefix).\(block).relu, op: relu}\n"
    }
    return try Analyzer.analyze(try SpecTesting.graph(spec), options: AnalysisOptions(sourceName: "chain.yaml"))
  }
}
