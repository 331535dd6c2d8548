import ConvScopeCore
import Foundation

/// Translates one file format into the core ``Graph`` and nothing else: no
/// shapes, no costs. One importer per format.
public protocol ModelImporter: Sendable {
  /// The format this importer reads, as the report names it.
  var format: ModelFormat { get }
  /// A cheap test on the file name and its first bytes.
  func recognizes(fileName: String, prefix: Data) -> Bool
  /// Reads `data` (the file's bytes; possibly memory-mapped) into a graph.
  /// `fileName` is used in errors; `directory` is where sibling files would be.
  func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph
}
