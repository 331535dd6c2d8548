import ConvScope
import Foundation
import Testing

@testable import ConvScopeImporters

/// Damaged and foreign `.pt2` archives: each is one error line naming the archive (and, for the
/// program, the entry and the JSON path), never a trap; and the zip formats do not collide.
@Suite struct PT2ArchiveErrorTests {
  /// The program JSON of a fixture.
  static func program(_ model: String) throws -> String {
    let data = try Fixtures.data("pt2/\(model).pt2")
    let zip = try ZipDirectory(data)
    let entry = try #require(zip.entries.first { $0.name.hasSuffix("models/model.json") })
    return String(decoding: try ZipEntryReader.contents(of: entry, in: zip, fileName: model), as: UTF8.self)
  }

  /// What loading `bytes` as `m.pt2` says: the error line, or the format it was read as.
  static func load(_ bytes: [UInt8]) -> String {
    do throws(ConvScopeError) {
      return try ModelLoader.standard.load(data: Data(bytes), fileName: "m.pt2", directory: nil).format.rawValue
    } catch {
      return error.description
    }
  }

  static func archive(program: String) -> [UInt8] {
    StoredZip.bytes([("m/models/model.json", Array(program.utf8)), ("m/archive_format", Array("pt2".utf8))])
  }

  @Test func aStrippedFixtureIsReadAsPT2() throws {
    #expect(Self.load(Self.archive(program: try Self.program("resnet18"))) == "pt2")
  }

  @Test func aKerasArchiveIsStillKeras() {
    let keras = StoredZip.bytes([("config.json", Array(#"{"a": 1}"#.utf8)), ("metadata.json", Array("{}".utf8))])
    // Read by the Keras importer, which finds its config.json and says what is wrong in it.
    #expect(Self.load(keras) == "m.pt2: field 'model': expected a layer object with 'class_name' and 'config'")
  }

  @Test func anArchiveWithoutAProgramSaysSo() {
    let empty = StoredZip.bytes([("m/archive_format", Array("pt2".utf8)), ("m/data/weights/w0", [1, 2, 3])])
    #expect(Self.load(empty).hasPrefix("m.pt2: a PyTorch archive without an exported program (no models/*.json)"))
    let compiled = StoredZip.bytes([
      ("m/archive_format", Array("pt2".utf8)), ("m/data/aotinductor/model/model.so", [0x7F, 0x45]),
    ])
    #expect(Self.load(compiled).hasPrefix("m.pt2: an AOTInductor package (compiled kernels, no ExportedProgram)"))
  }

  @Test func aTruncatedArchiveIsAnError() throws {
    let bytes = Array(try Fixtures.data("pt2/dynamic_batch_cnn.pt2"))
    for length in stride(from: 4, to: bytes.count, by: 97) {
      let line = Self.load(Array(bytes.prefix(length)))
      #expect(line.hasPrefix("m.pt2: "), "\(length): \(line)")
      #expect(!line.contains("\n"))
    }
  }

  @Test func jsonThatDoesNotFollowTheSchemaNamesTheEntryAndThePath() {
    let line = Self.load(Self.archive(program: #"{"graph_module": {"graph": {"nodes": 5, "tensor_values": {}}}}"#))
    #expect(line == "m.pt2: field 'm/models/model.json: graph_module.graph.nodes': expected a list, found a number")
    let union = Self.load(
      Self.archive(
        program:
          #"{"graph_module": {"graph": {"tensor_values": {"x": {"dtype": 7, "sizes": [{"as_int": 1, "as_expr": {}}]}}}}}"#
      ))
    #expect(
      union.hasPrefix(
        "m.pt2: field 'm/models/model.json: graph_module.graph.tensor_values.x.sizes[0]': expected a union with one member"
      ))
  }

  /// The error line of the small CNN's program with `argument`'s value renamed to `value`.
  static func loadReading(_ value: String, as argument: String, instead original: String) throws -> String {
    let program = try Self.program("dynamic_batch_cnn").replacingOccurrences(
      of: #"{"name": "\#(argument)", "arg": {"as_tensor": {"name": "\#(original)"}}"#,
      with: #"{"name": "\#(argument)", "arg": {"as_tensor": {"name": "\#(value)"}}"#)
    return Self.load(Self.archive(program: program))
  }

  @Test func aNodeNamingAnUnknownValueIsAnError() throws {
    let line = try Self.loadReading("nowhere", as: "self", instead: "relu")
    #expect(line.contains("reads the value 'nowhere', which no earlier node produces"), "\(line)")
    #expect(line.contains("m/models/model.json: graph_module.graph.nodes["))
  }

  @Test func aCycleIsAnError() throws {
    // The first conv reads the last node's output: produced later, so the graph is not acyclic as written.
    let line = try Self.loadReading("linear", as: "input", instead: "x")
    #expect(line.contains("reads the value 'linear', which no earlier node produces (node 10"), "\(line)")
    #expect(line.contains("a cycle or is out of order"))
  }

  @Test func absurdSizesAndRangesAreErrors() throws {
    let program = try Self.program("dynamic_batch_cnn")
    let huge = program.replacingOccurrences(of: #"{"as_int": 32}"#, with: #"{"as_int": 4611686018427387904}"#)
    #expect(Self.load(Self.archive(program: huge)).contains("a size of 4611686018427387904 is out of range"))
    let negative = program.replacingOccurrences(of: #"{"as_int": 32}"#, with: #"{"as_int": -3}"#)
    #expect(Self.load(Self.archive(program: negative)).contains("a size of -3 is out of range"))
    let range = try #require(program.range(of: #""min_val": 1"#))
    let inverted = program.replacingCharacters(in: range, with: #""min_val": 100000"#)
    #expect(Self.load(Self.archive(program: inverted)).contains("has the range [100000, 256]"))
  }

  @Test func aDeclaredShapeThatDisagreesWithInferenceIsAWarning() throws {
    var program = try Self.program("dynamic_batch_cnn")
    let entry = try #require(program.range(of: #""conv2d": {"dtype": 7, "sizes": ["#))
    let size = try #require(program.range(of: #"{"as_int": 16}"#, range: entry.upperBound..<program.endIndex))
    program.replaceSubrange(size, with: #"{"as_int": 17}"#)
    let (graph, _) = try ModelLoader.standard.load(
      data: Data(Self.archive(program: program)), fileName: "m.pt2", directory: nil)
    let report = try Analyzer.analyze(graph, options: AnalysisOptions(batch: 4))
    let conv = try #require(report.layers.first { $0.name == "conv2d" })
    #expect(conv.warnings == ["conv2d: the file declares s77x17x32x32, inference gives 4x16x32x32"])
    // With a fixed size replaced, the declared shapes are another input's: no check.
    let resized = try Analyzer.analyze(graph, options: AnalysisOptions(inputShapes: ["x": [4, 3, 64, 64]]))
    #expect(resized.layers.allSatisfy { $0.warnings.allSatisfy { !$0.contains("the file declares") } })
  }

  @Test func anUnmappedOperatorIsReportedByItsATenName() throws {
    let program = try Self.program("resnet18").replacingOccurrences(
      of: "torch.ops.aten.adaptive_avg_pool2d.default", with: "torch.ops.aten.my_pool.default")
    let (graph, _) = try ModelLoader.standard.load(
      data: Data(Self.archive(program: program)), fileName: "m.pt2", directory: nil)
    let report = try Analyzer.analyze(graph)
    #expect(report.unsupported.map(\.op) == ["aten.my_pool.default"])
    // Its output takes the declared shape [1, 512, 1, 1], so the classifier after it keeps its cost.
    #expect(report.layers.last?.macs == 512 * 1000)
  }
}

/// Builds stored (uncompressed) zip archives of several entries.
enum StoredZip {
  static func bytes(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
    var local: [UInt8] = []
    var central: [UInt8] = []
    for (name, data) in entries {
      let nameBytes = Array(name.utf8)
      let fields =
        ZipBytes.le(0, 2) + ZipBytes.le(0, 4) + ZipBytes.le(Int(crc32(data)), 4) + ZipBytes.le(data.count, 4)
        + ZipBytes.le(data.count, 4) + ZipBytes.le(nameBytes.count, 2)
      central +=
        [0x50, 0x4B, 0x01, 0x02] + ZipBytes.le(20, 2) + ZipBytes.le(20, 2) + ZipBytes.le(0, 2) + fields
        + ZipBytes.le(0, 2) + ZipBytes.le(0, 2) + ZipBytes.le(0, 2) + ZipBytes.le(0, 2) + ZipBytes.le(0, 4)
        + ZipBytes.le(local.count, 4) + nameBytes
      local +=
        [0x50, 0x4B, 0x03, 0x04] + ZipBytes.le(20, 2) + ZipBytes.le(0, 2) + fields + ZipBytes.le(0, 2) + nameBytes
        + data
    }
    let end =
      [0x50, 0x4B, 0x05, 0x06] + ZipBytes.le(0, 4) + ZipBytes.le(entries.count, 2) + ZipBytes.le(entries.count, 2)
      + ZipBytes.le(central.count, 4) + ZipBytes.le(local.count, 4) + ZipBytes.le(0, 2)
    return local + central + end
  }

  /// The zip CRC-32 (polynomial 0xEDB88320), bit by bit.
  static func crc32(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }
}
