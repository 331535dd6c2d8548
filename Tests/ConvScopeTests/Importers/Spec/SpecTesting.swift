import ConvScope
import Foundation

/// Helpers for spec-importer tests: import a spec written inline, find nodes.
enum SpecTesting {
  /// Imports `text` as a spec file named `file`.
  static func graph(_ text: String, file: String = "test.yaml") throws -> Graph {
    try SpecImporter().importGraph(from: Data(text.utf8), fileName: file, directory: nil)
  }

  /// The error importing `text` throws, or nil when it imports.
  static func error(_ text: String, file: String = "test.yaml") -> ConvScopeError? {
    do throws(ConvScopeError) {
      _ = try SpecImporter().importGraph(from: Data(text.utf8), fileName: file, directory: nil)
      return nil
    } catch {
      return error
    }
  }
}

extension Graph {
  /// The node called `name` (tests only).
  func node(_ name: String) -> Node? { nodes.first { $0.name == name } }

  /// The dims of the initializer called `name`.
  func dims(_ name: String) -> [Int]? { initializers[name]?.dims }
}
