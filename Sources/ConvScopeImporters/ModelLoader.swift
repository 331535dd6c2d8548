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
    ONNXImporter(),
    KerasImporter(),
    CaffeImporter(),
    SpecImporter(),
  ])

  /// This loader with `spec` in place of the standard spec importer (for its width multiplier,
  /// an import option; input shapes are bound by the analysis, never by re-importing).
  public func with(spec: SpecImporter) -> ModelLoader {
    ModelLoader(importers: importers.map { $0 is SpecImporter ? spec : $0 })
  }

  /// Loads the file at `path` (`-` reads standard input); files are memory-mapped.
  public func load(path: String) throws(ConvScopeError) -> (graph: Graph, format: ModelFormat) {
    let (data, directory) = try Self.read(path: path)
    return try load(data: data, fileName: path, directory: directory)
  }

  /// The bytes at `path` (memory-mapped; `-` reads standard input) and the folder beside them.
  public static func read(path: String) throws(ConvScopeError) -> (data: Data, directory: URL?) {
    if path == "-" { return (FileHandle.standardInput.readDataToEndOfFile(), nil) }
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ConvScopeError(file: path, message: "no such file")
    }
    guard !isDirectory.boolValue else {
      throw ConvScopeError(file: path, message: "is a directory, not a model file")
    }
    do {
      return (try Data(contentsOf: url, options: .alwaysMapped), url.deletingLastPathComponent())
    } catch {
      throw ConvScopeError(file: path, message: "cannot read the file (\(error.localizedDescription))")
    }
  }

  /// Imports `data`, choosing the importer by file name and content.
  public func load(data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> (
    graph: Graph, format: ModelFormat
  ) {
    let prefix = data.prefix(8192)  // enough for a long header comment before `layers:`
    guard let importer = importers.first(where: { $0.recognizes(fileName: fileName, prefix: prefix) }) else {
      throw ConvScopeError(
        file: fileName,
        message: "unrecognised model format; ConvScope reads \(importers.map(\.format.rawValue).joined(separator: ", "))")
    }
    return (try importer.importGraph(from: data, fileName: fileName, directory: directory), importer.format)
  }
}
