import ConvScopeCore
import ConvScopeReport

extension Analyzer {
  /// Analyses the graph `stream` hands over while its importer is still reading it
  /// (``GraphStream``): each piece's nodes are walked as they arrive, on this thread, while the
  /// importer translates the next on its own. `prepare` sets the graph-wide fields the caller
  /// overrides (the display layout) on the graph's header (its inputs, layout and graph-wide
  /// fields; no nodes yet) and makes the analysis options from it.
  ///
  /// The importer sends the nodes in an order the walk can follow (``StreamingImporter``):
  /// each reads only the inputs, the stored tensors sent so far and earlier nodes' outputs, and
  /// no two write the same tensor; the whole graph's topological order is then the file's.
  /// The report and the error are those of ``analyze(_:options:)`` on the whole graph: an
  /// import error comes before any other, and after any other error the rest of the graph is
  /// received and the whole graph walked as usual, to report what it reports. `prepare` is
  /// then applied to the whole graph too (so it must give the same on the header and on it).
  /// A replacement (``GraphStream/Message/replacement(_:)``) voids what was received before it:
  /// the whole graph it holds is analysed as a graph read whole is.
  /// Returns the report and the whole graph.
  package static func analyze(
    _ stream: GraphStream, prepare: (inout Graph) throws(ConvScopeError) -> AnalysisOptions
  ) throws(ConvScopeError) -> (report: Report, graph: Graph) {
    var header: Graph
    let expectedNodes: Int
    switch stream.receive() {
    case .header(let graph, let count): (header, expectedNodes) = (graph, count)
    case .piece(let graph): return try analyzeWhole(graph, isEnd: false, rest: stream, prepare: prepare)
    case .end(let graph), .replacement(let graph):
      return try analyzeWhole(graph, isEnd: true, rest: stream, prepare: prepare)
    case .failure(let error): throw error
    }
    guard let options = try? prepare(&header),
      var walk = try? AnalysisWalk(graph: header, options: options, expectedNodes: expectedNodes)
    else {
      return try analyzeWhole(header, isEnd: false, rest: stream, prepare: prepare)
    }
    while true {
      let (piece, isEnd, replaces) = try stream.receiveGraph()
      if replaces { return try analyzeWhole(piece, isEnd: true, rest: stream, prepare: prepare) }
      walk.append(piece, isEnd: isEnd)
      for node in piece.nodes {
        assert(walk.canFollow(node), "\(node.name) breaks StreamingImporter's order")
        guard (try? walk.analyze(node)) != nil else {
          return try analyzeWhole(walk.builder.graph, isEnd: isEnd, rest: stream, prepare: prepare)
        }
      }
      if isEnd {
        return (try walk.report(), walk.builder.graph)
      }
    }
  }

  /// `graph` completed with what `stream` still holds (nothing when `isEnd`), prepared and
  /// analysed whole.
  private static func analyzeWhole(
    _ graph: Graph, isEnd: Bool, rest stream: GraphStream,
    prepare: (inout Graph) throws(ConvScopeError) -> AnalysisOptions
  ) throws(ConvScopeError) -> (report: Report, graph: Graph) {
    var graph = graph
    var isEnd = isEnd
    while !isEnd {
      let (piece, end, replaces) = try stream.receiveGraph()
      if replaces { graph = piece } else { graph.append(piece, isEnd: end) }
      isEnd = end
    }
    let options = try prepare(&graph)
    return (try analyze(graph, options: options), graph)
  }
}
