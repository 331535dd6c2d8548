import ConvScope
import Foundation

/// Helpers for spec-importer tests: import a spec written inline, find nodes.
enum SpecTesting {
  /// Imports `text` as a spec file named `file`.
  static func graph(_ text: String, file: String = "test.yaml") throws -> Graph {
    try SpecImporter().importGraph(from: Data(text.utf8), fileName: file, directory: nil)
  }

  /// The error importing `text` throws, or else the error analysing it throws (sizes are the
  /// analysis' to check: the importer knows none), or nil when it imports and analyses.
  static func error(_ text: String, file: String = "test.yaml") -> ConvScopeError? {
    do throws(ConvScopeError) {
      let graph = try SpecImporter().importGraph(from: Data(text.utf8), fileName: file, directory: nil)
      _ = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: file))
      return nil
    } catch {
      return error
    }
  }
}

extension Graph {
  /// The node called `name` (tests only).
  func node(_ name: String) -> Node? { nodes.first { $0.name == name } }

  /// The dims of the initializer called `name`, with the dims the importer deferred completed
  /// as the analysis completes them at the declared input shapes.
  func dims(_ name: String) throws -> [Int]? {
    guard let constant = initializers[name], !constant.isComplete else { return initializers[name]?.dims }
    return try Analyzer.completingWeights(self).initializers[name]?.dims
  }
}
