import ConvScopeCore
import Foundation

/// Reads a model file of any supported format: picks the importer that
/// recognizes it and returns its graph.
///
/// ```swift
/// let (graph, format) = try ModelLoader.standard.load(path: "Examples/seed-resnet.yaml")
/// ```
public struct ModelLoader: Sendable {
  /// The importers, tried in order.
  public var importers: [any ModelImporter]

  public init(importers: [any ModelImporter]) { self.importers = importers }

  /// Every format ConvScope reads.
  public static let standard = ModelLoader(importers: [
    TFLiteImporter(),
    CoreMLImporter(),
    ONNXImporter(),
    PT2Importer(),
    KerasImporter(),
    CaffeImporter(),
    SpecImporter(),
  ])

  /// This loader with `spec` in place of the standard spec importer (for its width multiplier,
  /// an import option; input shapes are bound by the analysis, never by re-importing).
  public func with(spec: SpecImporter) -> ModelLoader {
    ModelLoader(importers: importers.map { $0 is SpecImporter ? spec : $0 })
  }

  /// Loads the file at `path` (`-` reads standard input); files are memory-mapped, except a
  /// large ONNX, TFLite or Core ML file, whose structure is read without its weights
  /// (``ONNXStructureRead``, ``TFLiteStructureRead``, ``CoreMLStructureRead``).
  public func load(path: String) throws(ConvScopeError) -> (graph: Graph, format: ModelFormat) {
    switch try start(path: path, streamingFrom: nil) {
    case .loaded(let graph, let format): return (graph, format)
    case .streaming: throw ConvScopeError(file: path, message: "internal error: streamed when asked not to")
    }
  }

  /// When a large ONNX file's structure read (``ONNXStructureRead``) hands the graph over
  /// while it reads (``ONNXStreamingRead``).
  package enum StructureStreaming: Sendable {
    case never
    /// When reading the file's first bytes waited for the disk: the structure read then waits
    /// for it again and again, and the analysis can go on meanwhile. From the page cache the
    /// read is quicker than a thread's start.
    case whenCold
    /// Always, and for ONNX files of any size (for tests).
    case always
  }

  /// How ``start(path:streaming:)`` began a model's import.
  package enum Start {
    /// The whole graph, read on the calling thread.
    case loaded(Graph, ModelFormat)
    /// The graph arriving on `stream` from a thread of its own (``GraphStream``).
    case streaming(GraphStream, ModelFormat)
  }

  /// Begins importing the file at `path` as ``load(path:)`` does. A file of at least
  /// `minimumStreamedBytes` whose importer can stream (``StreamingImporter``) is imported on a thread
  /// of its own and handed over in pieces; any other is imported here, whole. Errors in
  /// reading the file or telling its format are thrown here; errors in importing a streamed
  /// graph arrive on its stream.
  package func start(
    path: String, streamingFrom minimumStreamedBytes: Int?, structure: StructureStreaming = .whenCold
  ) throws(ConvScopeError) -> Start {
    if path != "-",
      let start = try startONNXStructure(path: path, streaming: minimumStreamedBytes == nil ? .never : structure)
    {
      return start
    }
    let (data, directory) = try Self.read(path: path)
    let importer = try self.importer(for: data, fileName: path)
    if path != "-", let structure = Self.structure(of: path, for: importer) {
      return .loaded(try importGraph(structure, importer, fileName: path, directory: directory), importer.format)
    }
    if let minimumStreamedBytes, data.count >= minimumStreamedBytes, let streaming = importer as? any StreamingImporter,
      let stream = Self.stream(data, streaming, fileName: path, directory: directory)
    {
      return .streaming(stream, importer.format)
    }
    return .loaded(try importGraph(data, importer, fileName: path, directory: directory), importer.format)
  }

  /// The stream `importer` fills from `data` on a new thread, ended by the rest of the graph
  /// or by the import's error (the layer budget's included, as ``importGraph(_:_:fileName:directory:)``
  /// checks it); nil when the system gives no thread (the caller then imports on its own).
  private static func stream(
    _ data: Data, _ importer: any StreamingImporter, fileName: String, directory: URL?
  ) -> GraphStream? {
    guard let budget = try? ResourceLimits.layers else { return nil }  // a bad budget: read whole, which says so
    let stream = GraphStream(nodeLimit: budget)
    let started = ImportThread.start {
      do throws(ConvScopeError) {
        let rest = try importer.importGraph(from: data, fileName: fileName, directory: directory, stream: stream)
        try checkBudget(nodes: stream.nodesSent + rest.nodes.count, fileName: fileName)
        stream.send(.end(rest))
      } catch {
        stream.send(.failure(error))
      }
    }
    return started ? stream : nil
  }

  /// A large ONNX file read by its structure alone, its format told from its first bytes read
  /// with `pread` (as ``importer(for:fileName:)`` tells it from the mapped file: those bytes
  /// decide for every format but a zip's and a weights file's, which are left to the mapped
  /// file); nil when the file is not one (it is then read as usual). Mapping the whole file
  /// only to look at its head cost a `Data` of the file and an unmapping per run.
  private func startONNXStructure(path: String, streaming: StructureStreaming) throws(ConvScopeError) -> Start? {
    let minimumSize = streaming == .always ? 0 : ONNXStructureRead.minimumSize
    guard let (head, waited) = Self.head(of: path, minimumSize: minimumSize),
      !ZipEntryReader.looksLikeZip(head), LanguageModelHeaderReader.format(prefix: head) == nil
    else { return nil }
    let importer = try importer(for: head, fileName: path)
    guard importer is ONNXImporter else { return nil }
    if streaming == .always || (streaming == .whenCold && waited), let budget = try? ResourceLimits.layers,
      let stream = ONNXStreamingRead.start(path: path, minimumSize: minimumSize, nodeLimit: budget)
    {
      return .streaming(stream, importer.format)
    }
    guard let structure = ONNXStructureRead.read(path: path, minimumSize: minimumSize) else { return nil }
    return .loaded(
      try importGraph(structure, importer, fileName: path, directory: FileReading.folder(of: path)), importer.format)
  }

  /// The first 8 KiB of the regular file at `path` when it has at least `minimumSize` bytes,
  /// and whether reading them waited for the disk (``SparseFileCopy/waited(since:reading:)``).
  private static func head(of path: String, minimumSize: Int) -> (head: Data, waited: Bool)? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) >= max(1, minimumSize) else {
      return nil
    }
    var head = Data(count: min(8192, Int(info.st_size)))
    let started = SparseFileCopy.nanoseconds()
    let count = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
    let waited = SparseFileCopy.waited(since: started, reading: head.count)
    return count == head.count ? (head, waited) : nil
  }

  /// The file's structure without its weights, for the formats read that way (nil otherwise,
  /// or when the file cannot be read so: it is mapped instead).
  private static func structure(of path: String, for importer: any ModelImporter) -> Data? {
    switch importer {
    case is ONNXImporter: ONNXStructureRead.read(path: path)
    case is TFLiteImporter: TFLiteStructureRead.read(path: path)
    case is CoreMLImporter: CoreMLStructureRead.read(path: path)
    default: nil
    }
  }

  /// The bytes at `path` (memory-mapped; `-` reads standard input, up to
  /// ``ResourceLimits/standardInputBytes``) and the folder beside them. For a Core ML
  /// `.mlpackage` directory, the bytes of the model specification its manifest names.
  public static func read(path: String) throws(ConvScopeError) -> (data: Data, directory: URL?) {
    if path == "-" { return (try FileReading.read(path: "/dev/stdin", name: "-"), nil) }
    if CoreMLPackage.isPackage(path) {
      let specification = try CoreMLPackage.specificationPath(package: path)
      return (try FileReading.read(path: specification), FileReading.folder(of: specification))
    }
    guard FileReading.fileType(path) != nil else {
      throw ConvScopeError(file: path, message: "no such file")
    }
    return (try FileReading.read(path: path), FileReading.folder(of: path))
  }

  /// Imports `data`, choosing the importer by file name and content.
  public func load(data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> (
    graph: Graph, format: ModelFormat
  ) {
    let importer = try importer(for: data, fileName: fileName)
    return (try importGraph(data, importer, fileName: fileName, directory: directory), importer.format)
  }

  /// The first importer that recognizes `data`.
  private func importer(for data: Data, fileName: String) throws(ConvScopeError) -> any ModelImporter {
    guard !data.isEmpty else {
      throw ConvScopeError(file: fileName, message: "is empty; expected a model file")
    }
    let prefix = data.prefix(8192)  // enough for a long header comment before `layers:`
    if LanguageModelHeaderReader.format(prefix: prefix) != nil {
      throw Self.weightsFileError(
        try LanguageModelHeaderReader.read(data: data, fileName: fileName, directory: nil), fileName)
    }
    guard let importer = importers.first(where: { $0.recognizes(fileName: fileName, prefix: prefix, data: data) })
    else {
      throw ConvScopeError(
        file: fileName,
        message:
          "unrecognised model format; ConvScope reads \(importers.map(\.format.rawValue).joined(separator: ", "))")
    }
    try checkContent(of: data, prefix: prefix, fileName: fileName, chosen: importer)
    return importer
  }

  /// `importer`'s graph of `data`, within the layer budget.
  private func importGraph(
    _ data: Data, _ importer: any ModelImporter, fileName: String, directory: URL?
  ) throws(ConvScopeError) -> Graph {
    let graph = try importer.importGraph(from: data, fileName: fileName, directory: directory)
    try Self.checkBudget(nodes: graph.nodes.count, fileName: fileName)
    return graph
  }

  /// Refuses a model of more nodes than the layer budget (``ResourceLimits/layers``).
  static func checkBudget(nodes: Int, fileName: String) throws(ConvScopeError) {
    let limit = try ResourceLimits.layers
    guard nodes <= limit else {
      throw ConvScopeError(
        file: fileName, message: ResourceLimits.overLayerBudget(nodes, "nodes", verb: "has", limit: limit))
    }
  }

  /// What `analyze` says of a GGUF or safetensors file, whose header it has read: what the
  /// header holds (architecture, tensors, parameters), and that `convscope llm` is the report.
  static func weightsFileError(_ header: LanguageModelHeader, _ fileName: String) -> ConvScopeError {
    let parameters = header.tensors.reduce(0) { total, tensor in
      // Each tensor's product was checked when read; the sum saturates rather than wraps.
      let (sum, overflow) = total.addingReportingOverflow(tensor.shape.reduce(1, *))
      return overflow ? Int.max : sum
    }
    let architecture = header.metadata.first { $0.key == "general.architecture" }?.value
    let format = header.format == .gguf ? "GGUF" : "safetensors"
    return ConvScopeError(
      file: fileName,
      message:
        "a \(format) weights file (\(architecture.map { "\($0), " } ?? "")\(header.tensors.count) \(header.tensors.count == 1 ? "tensor" : "tensors"), "
        + "\(NumberFormatting.grouped(parameters)) parameters) holds tensors, not a graph; "
        + "`convscope llm \(fileName)` reports its parameters, weight bytes, KV cache and decode cost")
  }

  /// Refuses a file whose name chose `chosen` while its content is another format's (a YAML
  /// spec named `.onnx`), naming what the content looks like: the content decides, and the
  /// chosen reader's error would describe bytes it was never meant to read.
  private func checkContent(of data: Data, prefix: Data, fileName: String, chosen: any ModelImporter)
    throws(ConvScopeError)
  {
    // Asked as for standard input ("-"), an importer judges by content alone.
    guard !chosen.recognizes(fileName: "-", prefix: prefix, data: data),
      let actual = importers.first(where: { $0.recognizes(fileName: "-", prefix: prefix, data: data) }),
      actual.format != chosen.format
    else { return }
    throw ConvScopeError(
      file: fileName,
      message: "looks like \(actual.format.contentDescription), not \(chosen.format.contentDescription); "
        + "the content decides the format: give the file a name that says so")
  }
}

extension ModelFormat {
  /// What a file of this format is, in words: `a ConvScope spec (YAML or JSON)`, `ONNX protobuf`.
  var contentDescription: String {
    switch self {
    case .onnx: "ONNX protobuf"
    case .keras: "a Keras model (JSON, .keras zip or HDF5)"
    case .pt2: "a torch.export archive (.pt2)"
    case .caffe: "a Caffe prototxt"
    case .spec: "a ConvScope spec (YAML or JSON)"
    case .coreml: "a Core ML model"
    case .tflite: "a TFLite flatbuffer"
    }
  }
}
