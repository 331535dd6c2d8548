import Foundation
import Testing

@testable import ConvScopeCore
@testable import ConvScopeImporters

/// Reading a Core ML file's structure with positioned reads (large payloads left out) gives the
/// graph, or the error at its byte offset, that the mapped file gives.
@Suite struct CoreMLStructureReadTests {
  /// 50,000 bytes that never parse as a message (field number 0) and hold no zero byte.
  static let payload = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }

  @Test(arguments: ["lenet5_neuralnetwork", "cnn_neuralnetwork", "layers_neuralnetwork", "classifier_enumerated"])
  func aLargePayloadIsLeftOutAndTheGraphIsTheSame(fixture: String) throws {
    // An unknown field 900 of the network message holding the payload, as a weight would be.
    var extra = ProtoBytes()
    extra.raw(900, Self.payload)
    let bytes = try Self.network(of: Fixtures.data("coreml/\(fixture).mlmodel"), appending: extra.bytes)
    let file = try Self.write(bytes)
    defer { try? FileManager.default.removeItem(at: file) }

    let structure = [UInt8](try #require(CoreMLStructureRead.read(path: file.path, minimumSize: 0)))
    #expect(structure.count == bytes.count)
    let differing = bytes.indices.filter { bytes[$0] != structure[$0] }
    #expect(differing.allSatisfy { structure[$0] == 0 })
    #expect(differing.count > Self.payload.count - 4096 - 20)  // all but the lookahead after its key
    let mapped = Self.graph(Data(bytes), file.path)
    #expect((try? mapped.get()) != nil)
    #expect(Self.graph(Data(structure), file.path) == mapped)
  }

  @Test func aBrokenMessageAfterAPayloadGetsTheMappedFilesError() throws {
    var extra = ProtoBytes()
    extra.raw(900, Self.payload)
    // Field 1 with wire type 7: the network message cannot be read past this byte.
    let bytes = try Self.network(
      of: Fixtures.data("coreml/lenet5_neuralnetwork.mlmodel"), appending: extra.bytes + [0x0f, 1, 2, 3])
    let file = try Self.write(bytes)
    defer { try? FileManager.default.removeItem(at: file) }
    let structure = try #require(CoreMLStructureRead.read(path: file.path, minimumSize: 0))
    let mapped = Self.graph(Data(bytes), file.path)
    guard case .failure(let error) = mapped else {
      Issue.record("the broken file imported")
      return
    }
    #expect(error.description.contains("wire type 7"))
    #expect(Self.graph(structure, file.path) == mapped)
  }

  @Test func smallFilesAndPackagesAreMapped() {
    #expect(CoreMLStructureRead.read(path: Fixtures.url("coreml/lenet5_neuralnetwork.mlmodel").path) == nil)
    #expect(CoreMLStructureRead.read(path: Fixtures.url("coreml/cnn_mlprogram.mlpackage").path, minimumSize: 0) == nil)
  }

  // MARK: Helpers

  /// The model `data` with `extra` appended to its network message (field 303, 403 or 500).
  static func network(of data: Data, appending extra: [UInt8]) throws -> [UInt8] {
    let bytes = [UInt8](data)
    return try bytes.withUnsafeBytes { raw in
      var reader = ProtobufReader(bytes: raw)
      var out = ProtoBytes()
      while let field = try reader.nextField() {
        if field.wireType == .lengthDelimited, CoreMLModelReader.neuralNetworkFields.contains(field.number) {
          let body = try reader.readLengthDelimited()
          out.raw(field.number, Array(bytes[body]) + extra)
        } else {
          try reader.skip(field)
          out.bytes += bytes[field.offset..<reader.offset]
        }
      }
      return out.bytes
    }
  }

  static func graph(_ data: Data, _ name: String) -> Result<Graph, ConvScopeError> {
    Result { () throws(ConvScopeError) in try CoreMLImporter().importGraph(from: data, fileName: name, directory: nil) }
  }

  static func write(_ bytes: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("structure-\(UUID().uuidString).mlmodel")
    try Data(bytes).write(to: url)
    return url
  }
}
