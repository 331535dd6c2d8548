import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeImporters

/// A model read once for a request: its bytes (mapped), its format and its graph. A sweep
/// analyses this one graph again and again; it is never re-imported.
struct LoadedModel {
  /// The name shown in the report and in errors.
  let name: String
  /// Absent for a graph given in code.
  let format: ModelFormat?
  /// The graph as imported, with the request's display layout applied. Importers translate
  /// and nothing else: weights sized by the input are completed during analysis, so this one
  /// graph serves every input shape a request or its sweep binds.
  let graph: Graph

  init(_ request: AnalysisRequest) throws(ConvScopeError) {
    name = request.model.name
    let loader = ModelLoader.standard.with(spec: SpecImporter(widthMultiplier: request.widthMultiplier))
    var loaded: (graph: Graph, format: ModelFormat?)
    switch request.model {
    case .file(let path): loaded = try loader.load(path: path)
    case .data(let bytes, let name): loaded = try loader.load(data: bytes, fileName: name, directory: nil)
    case .graph(let graph, _, let format): loaded = (graph, format)
    }
    if let layout = request.layout { loaded.graph.layout = layout }
    (graph, format) = loaded
  }

  /// Refuses request fields that do not apply to this model: the width multiplier scales a
  /// spec while it is imported, so it applies to spec files and bytes, not to other formats
  /// nor to a graph given in code.
  func check(_ request: AnalysisRequest) throws(ConvScopeError) {
    guard request.widthMultiplier != 1 else { return }
    if case .graph = request.model {
      throw ConvScopeError(
        source: name, .widthMultiplier, "applies to ConvScope specs read from a file, not a graph given in code")
    }
    if format != .spec {
      throw ConvScopeError(
        source: name, .widthMultiplier, "applies to ConvScope specs only, not \(format?.rawValue ?? "this format")")
    }
  }
}
