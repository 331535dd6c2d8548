import ConvScope

/// One imported graph analysed at several input shapes, as `--input-shape` and resolution
/// sweeps do: no re-import.
enum ReboundAnalysis {
  /// The params of `layers` (by row name) and the total, analysing `graph` once per entry of
  /// `shapes` (input name → shape; an empty entry keeps the declared shapes).
  static func params(of layers: [String], in graph: Graph, at shapes: [[String: Shape]]) throws -> [[Int?]] {
    try shapes.map { bound in
      let report = try Analyzer.analyze(graph, options: AnalysisOptions(inputShapes: bound))
      return layers.map { layer in report.layers.first { $0.name == layer }?.params } + [report.totals.params]
    }
  }

  /// Whether two imports of one model at different input sizes differ only in their inputs.
  static func differOnlyInInputs(_ first: Graph, _ second: Graph) -> Bool {
    var rebound = second
    rebound.inputs = first.inputs
    return first.inputs != second.inputs && rebound == first
  }
}
