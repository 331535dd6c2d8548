import ConvScopeCore
import Foundation

/// Translates one file format into the core ``Graph`` and nothing else: no
/// shapes, no costs. One importer per format.
public protocol ModelImporter: Sendable {
  /// The format this importer reads, as the report names it.
  var format: ModelFormat { get }
  /// A cheap test on the file name and its first bytes.
  func recognizes(fileName: String, prefix: Data) -> Bool
  /// The same test with the whole file at hand, for formats known by more than their first
  /// bytes (a zip's directory sits at its end: a `.pt2` and a `.keras` archive differ by their
  /// entries). Defaults to ``recognizes(fileName:prefix:)``.
  func recognizes(fileName: String, prefix: Data, data: Data) -> Bool
  /// Reads `data` (the file's bytes; possibly memory-mapped) into a graph.
  /// `fileName` is used in errors; `directory` is where sibling files would be.
  func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph
}

extension ModelImporter {
  public func recognizes(fileName: String, prefix: Data, data: Data) -> Bool {
    recognizes(fileName: fileName, prefix: prefix)
  }
}

/// An importer that can hand its graph to the analysis in pieces while it reads the rest
/// (``GraphStream``). It promises that its nodes come in an order the analysis can walk as
/// they arrive: each reads only the inputs, the stored tensors sent so far and earlier nodes'
/// outputs, and no two nodes (nor an input or stored tensor and a node) write the same tensor.
/// The whole graph's topological order is then the order sent.
package protocol StreamingImporter: ModelImporter {
  /// Reads `data` as ``ModelImporter/importGraph(from:fileName:directory:)`` does, sending
  /// `stream` the header and the pieces as it goes; returns what it did not send (the graph's
  /// outputs at least), for the caller to send as the stream's end. Sends no end or failure.
  func importGraph(from data: Data, fileName: String, directory: URL?, stream: GraphStream)
    throws(ConvScopeError) -> Graph
}
