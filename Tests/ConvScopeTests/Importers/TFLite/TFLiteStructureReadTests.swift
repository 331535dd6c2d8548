import Foundation
import Testing

@testable import ConvScopeCore
@testable import ConvScopeImporters

/// Reading a TFLite file's structure with positioned reads (weight buffers left out) gives the
/// graph, or the error at its byte offset, that the mapped file gives, and leaves out only
/// buffer payloads.
@Suite struct TFLiteStructureReadTests {
  static let fixtures: [String] = {
    let root = Fixtures.url("tflite")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.filter { $0.hasSuffix(".tflite") }.sorted().map { root.appendingPathComponent($0).path }
  }()

  @Test func everyFixtureImportsAsTheMappedFileDoes() throws {
    #expect(Self.fixtures.count >= 15)
    var skipped = 0
    for path in Self.fixtures {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      // nil: no payload over 4 KiB, the file is mapped as before.
      guard let structure = TFLiteStructureRead.read(path: path, minimumSize: 0) else { continue }
      skipped += 1
      #expect(structure.count == bytes.count, "\(path)")
      #expect(Self.graph(structure, path) == Self.graph(bytes, path), "\(path)")
    }
    #expect(skipped >= 5)
  }

  @Test func weightPayloadsAreLeftOutAndNothingElse() throws {
    let path = Fixtures.url("tflite/mlp_float32.tflite").path
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let structure = [UInt8](try #require(TFLiteStructureRead.read(path: path, minimumSize: 0)))
    let differing = bytes.indices.filter { bytes[$0] != structure[$0] }
    #expect(differing.allSatisfy { structure[$0] == 0 })  // left out, never changed
    #expect(differing.count > bytes.count / 2)  // the dense layers' float32 weights

    // Every byte left out lies in a buffer's payload, as the importer's own decoding finds them.
    let payloads = try bytes.withUnsafeBytes { raw in
      try TFLiteModel(try FlatBufferReader(bytes: raw).root("Model")).buffers.map { $0.start..<($0.start + $0.count) }
    }
    #expect(differing.allSatisfy { index in payloads.contains { $0.contains(index) } })
  }

  @Test func truncatedFilesGetTheMappedFilesError() throws {
    let bytes = try Fixtures.data("tflite/mlp_float32.tflite")
    for length in [bytes.count - 1, bytes.count - 5_000, bytes.count / 2, 9_000, 100] {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("structure-\(UUID().uuidString).tflite")
      try bytes.prefix(length).write(to: file)
      defer { try? FileManager.default.removeItem(at: file) }
      guard let structure = TFLiteStructureRead.read(path: file.path, minimumSize: 0) else { continue }
      #expect(Self.graph(structure, file.path) == Self.graph(bytes.prefix(length), file.path), "\(length)")
    }
  }

  @Test func smallFilesAreMapped() {
    #expect(TFLiteStructureRead.read(path: Fixtures.url("tflite/mlp_float32.tflite").path) == nil)
    #expect(TFLiteStructureRead.read(path: "/no/such/file.tflite", minimumSize: 0) == nil)
  }

  static func graph(_ data: Data, _ name: String) -> Result<Graph, ConvScopeError> {
    Result { () throws(ConvScopeError) in try TFLiteImporter().importGraph(from: data, fileName: name, directory: nil) }
  }
}
