import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeImporters

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A model read once for a request: its bytes (mapped), its format and its graph. A sweep
/// analyses this one graph again and again; it is never re-imported.
struct LoadedModel {
  /// The name shown in the report and in errors.
  let name: String
  /// Absent for a graph given in code.
  let format: ModelFormat?
  /// The graph as imported, with the request's display layout applied.
  let graph: Graph
  private let data: Data
  private let directory: URL?

  init(_ request: AnalysisRequest) throws(ConvScopeError) {
    name = request.model.name
    switch request.model {
    case .file(let path): (data, directory) = try ModelLoader.read(path: path)
    case .data(let bytes, _): (data, directory) = (bytes, nil)
    case .graph(var graph, _, let format):
      if let layout = request.layout { graph.layout = layout }
      (data, directory, self.format, self.graph) = (Data(), nil, format, graph)
      return
    }
    let loaded = try Self.load(data, name: name, directory: directory, request: request, inputShapes: [:])
    format = loaded.format
    graph = loaded.graph
  }

  private static func load(
    _ data: Data, name: String, directory: URL?, request: AnalysisRequest, inputShapes: [String: Shape]
  ) throws(ConvScopeError) -> (graph: Graph, format: ModelFormat) {
    let spec = SpecImporter(inputOverrides: inputShapes, widthMultiplier: request.widthMultiplier)
    var loaded = try ModelLoader.standard.with(spec: spec).load(data: data, fileName: name, directory: directory)
    if let layout = request.layout { loaded.graph.layout = layout }
    return loaded
  }

  /// Refuses request fields that do not apply to this model's format.
  func check(_ request: AnalysisRequest) throws(ConvScopeError) {
    if request.widthMultiplier != 1 && format != .spec {
      throw ConvScopeError(source: name, .widthMultiplier, "applies to ConvScope specs only, not \(format?.rawValue ?? "a graph")")
    }
  }

  /// The graph to analyse for `request`. A spec's dense weights follow its input size, so a
  /// spec with other input shapes is imported again at those shapes.
  func graph(for request: AnalysisRequest) throws(ConvScopeError) -> Graph {
    guard format == .spec, !request.inputShapes.isEmpty || request.resolution != nil else { return graph }
    var shapes = try InputBinding.onnxShapes(request, graph: graph)
    if let only = shapes.removeValue(forKey: ""), graph.inputs.count == 1, let input = graph.inputs.first {
      shapes[input.name] = only
    }
    return try Self.load(data, name: name, directory: directory, request: request, inputShapes: shapes).graph
  }
}
