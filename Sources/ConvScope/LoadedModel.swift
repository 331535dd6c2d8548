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

  /// How ``start(_:)`` began reading the model.
  enum Start {
    /// The model, read whole.
    case loaded(LoadedModel)
    /// A large file whose graph arrives on `stream` from a thread of its own
    /// (``ModelLoader/start(path:streaming:)``); ``apply(_:to:)`` is for its header.
    case streaming(GraphStream, ModelFormat)
  }

  /// Begins reading the model `request` names: a file of at least ``minimumStreamedBytes``, in a
  /// format read in order (a spec), streams, and so does a large ONNX file the page cache does
  /// not hold (``ModelLoader/StructureStreaming/whenCold``), unless the mode must see the whole
  /// graph before its first node (`inference-fused` folds BatchNorms into the conv before them).
  /// An ONNX file does not stream under a width multiplier, which ``check(_:format:)`` refuses for
  /// it only once the file has imported (an import error comes first).
  static func start(_ request: AnalysisRequest) throws(ConvScopeError) -> Start {
    let loader = ModelLoader.standard.with(spec: SpecImporter(widthMultiplier: request.widthMultiplier))
    var loaded: (graph: Graph, format: ModelFormat?)
    switch request.model {
    case .file(let path):
      let streamed = request.mode != .inferenceFused ? minimumStreamedBytes : nil
      let structure: ModelLoader.StructureStreaming = request.widthMultiplier == 1 ? .whenCold : .never
      switch try loader.start(path: path, streamingFrom: streamed, structure: structure) {
      case .loaded(let graph, let format): loaded = (graph, format)
      case .streaming(let stream, let format): return .streaming(stream, format)
      }
    case .data(let bytes, let name): loaded = try loader.load(data: bytes, fileName: name, directory: nil)
    case .graph(let graph, _, let format): loaded = (graph, format)
    }
    apply(request, to: &loaded.graph)
    return .loaded(LoadedModel(name: request.model.name, format: loaded.format, graph: loaded.graph))
  }

  /// The smallest file that streams: 64 KiB (about 800 spec layers); below, a thread costs more
  /// than the layers it would overlap. A streamed spec's parsed document and translation state
  /// are held beside the analysis: 100,000 layers peak at 256 MB, against 214 MB read whole,
  /// within the 300 MB the layer budget is held to (docs/limits.md), for a quarter off the time
  /// (1.28 s against 1.69 s). (The first streaming spec peaked at 290-330 MB there, and streamed
  /// up to 4 MiB only, until rows and nodes shared their equal values and the allocator's
  /// threshold for mapped blocks was fixed.)
  static let minimumStreamedBytes = 64 << 10

  /// `graph` with what `request` overrides of the file's own: the display layout.
  static func apply(_ request: AnalysisRequest, to graph: inout Graph) {
    if let layout = request.layout { graph.layout = layout }
  }

  /// Refuses request fields that do not apply to a model of `format`: the width multiplier
  /// scales a spec while it is imported, so it applies to spec files and bytes, not to other
  /// formats nor to a graph given in code.
  static func check(_ request: AnalysisRequest, format: ModelFormat?) throws(ConvScopeError) {
    guard request.widthMultiplier != 1 else { return }
    let name = request.model.name
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
