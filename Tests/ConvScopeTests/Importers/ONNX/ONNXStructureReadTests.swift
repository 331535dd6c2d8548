import Foundation
import Testing

@testable import ConvScopeCore
@testable import ConvScopeImporters

/// Reading an ONNX file's structure with positioned reads (weights left out) gives the model
/// the mapped file gives, and leaves out only payloads the decoder never reads.
@Suite struct ONNXStructureReadTests {
  /// Every ONNX fixture: the zoo's exports, the corpus, the hand-made files and the node tests.
  static let fixtures: [String] = {
    let folders = ["zoo", "corpus", "onnx-hand", "onnx-light", "onnx-contrib", "onnx-node-tests/models"]
    var paths: [String] = []
    for folder in folders {
      let root = Fixtures.url(folder)
      guard let walk = FileManager.default.enumerator(atPath: root.path) else { continue }
      for case let relative as String in walk where relative.hasSuffix(".onnx") {
        paths.append(root.appendingPathComponent(relative).path)
      }
    }
    return paths.sorted()
  }()

  @Test func everyFixtureDecodesAsTheMappedFileDoes() throws {
    #expect(Self.fixtures.count > 1_900)
    for path in Self.fixtures {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      let mapped = Self.decode(bytes, path)
      let structure = try #require(ONNXStructureRead.read(path: path, minimumSize: 0))
      // Read ahead as on a cold cache: the same bytes (RecordPrefetch only asks the kernel).
      #expect(ONNXStructureRead.read(path: path, minimumSize: 0, readAhead: true) == structure, "\(path)")
      if Self.decode(bytes, path) == mapped {
        #expect(Self.decode(structure, path) == mapped, "\(path)")
      } else {  // a NaN value: no decode equals another; a file that small is copied whole
        #expect(structure == bytes, "\(path)")
      }
    }
  }

  @Test func largeWeightPayloadsAreLeftOutAndSmallValuesRead() throws {
    let weight = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }  // 10,000 floats, never zero
    let shape = (0..<4).flatMap { withUnsafeBytes(of: Int64([2, 3, 4, 5][$0]).littleEndian, Array.init) }
    let file = try Self.write(Self.model(weight: weight, shape: shape).bytes)
    defer { try? FileManager.default.removeItem(atPath: file.path) }
    let bytes = try Data(contentsOf: file)
    let structure = try #require(ONNXStructureRead.read(path: file.path, minimumSize: 0))
    #expect(structure.count == bytes.count)

    let start = try #require(Self.range(of: weight, in: bytes))
    // Copied: the file's first bytes and at most one read-ahead; the weight has no zero byte.
    let left = structure[start..<(start + weight.count)].filter { $0 == 0 }.count
    #expect(left >= weight.count - ONNXStructureRead.prefix - ONNXStructureRead.Walk.lookahead)
    #expect(left > weight.count / 2)
    var outside = structure
    outside.replaceSubrange(start..<(start + weight.count), with: weight)
    #expect(outside == bytes)  // only the weight's payload differs
    #expect(Self.decode(structure, file.path) == Self.decode(bytes, file.path))
    let graph = try ONNXImporter().importGraph(from: structure, fileName: file.path, directory: nil)
    #expect(graph.initializers["shape"]?.values == .ints([2, 3, 4, 5]))
    #expect(graph.initializers["w"]?.dims == [100, 100])
  }

  @Test func aPayloadRunningPastItsMessageGetsTheMappedFilesError() throws {
    let weight = [UInt8](repeating: 7, count: 20_000)
    var bytes = Self.model(weight: weight, shape: []).bytes
    bytes.removeLast(10_000)  // the graph's length now runs past the end of the file
    let file = try Self.write(bytes)
    defer { try? FileManager.default.removeItem(atPath: file.path) }
    let structure = try #require(ONNXStructureRead.read(path: file.path, minimumSize: 0))
    let mapped = Self.decode(Data(bytes), file.path)
    guard case .failure = mapped else {
      Issue.record("the truncated file decoded")
      return
    }
    #expect(Self.decode(structure, file.path) == mapped)
  }

  @Test func subgraphsNestedThousandsDeepGetTheDecodersError() throws {
    // A hostile file: an If node whose branch holds an If node, 3,000 deep. The walk once
    // descended into every level and overflowed its thread's stack (a crash, found in review:
    // 2,000 levels in a debug build, 10,000 in a release one); it now leaves the levels the
    // decoder refuses unread, and the decoder's error stands.
    let bytes = Self.nestedIfs(3_000)
    let file = try Self.write(bytes)
    defer { try? FileManager.default.removeItem(atPath: file.path) }
    let structure = try #require(ONNXStructureRead.read(path: file.path, minimumSize: 0, readAhead: true))
    let mapped = Self.decode(Data(bytes), file.path)
    guard case .failure(let error) = mapped else {
      Issue.record("the nested file decoded")
      return
    }
    #expect(error.message == "subgraphs nested more than 32 deep")
    #expect(Self.decode(structure, file.path) == mapped)
    // Levels past the decoder's limit were not copied: they are zeros in the structure.
    #expect(structure.filter { $0 != 0 }.count < bytes.filter { $0 != 0 }.count / 2)
  }

  @Test func readingAheadChangesNothingRead() throws {
    // Twelve "layers" of a 30,000-byte weight and a small bias: initializer records that
    // repeat with period 2, which the read-ahead predicts (RecordPrefetch).
    var initializers: [ProtoBytes] = []
    for layer in 0..<12 {
      var weight = ProtoBytes()
      weight.packedInts(1, [75, 100])
      weight.int(2, 1)
      weight.string(8, "layer\(layer).weight")
      weight.raw(9, (0..<30_000).map { UInt8(truncatingIfNeeded: $0 % 253 + layer + 1) })
      var bias = ProtoBytes()
      bias.packedInts(1, [2])
      bias.int(2, 7)
      bias.string(8, "layer\(layer).shape")
      bias.raw(9, (0..<16).map { UInt8($0) })
      initializers += [weight, bias]
    }
    let graph = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Relu", ["x"], ["y"], name: "relu")],
      inputs: [ONNXBytes.valueInfo("x", dims: [.fixed(1), .fixed(100)])],
      outputs: [ONNXBytes.valueInfo("y", dims: nil)], initializers: initializers)
    let file = try Self.write(ONNXBytes.model(graph).bytes)
    defer { try? FileManager.default.removeItem(atPath: file.path) }
    let plain = try #require(ONNXStructureRead.read(path: file.path, minimumSize: 0))
    let ahead = try #require(ONNXStructureRead.read(path: file.path, minimumSize: 0, readAhead: true))
    #expect(ahead == plain)
    let model = try Self.decode(ahead, file.path).get()
    #expect(model.graph.initializers.count == 24)
    #expect(model.graph.initializers["layer11.weight"]?.dims == [75, 100])
    #expect(
      model.graph.initializers["layer11.shape"]?.values == .ints([Int(0x0706_0504_0302_0100), 0x0F0E_0D0C_0B0A_0908]))
  }

  // MARK: Helpers

  /// A Gemm with a 100x100 float weight (raw_data `weight`) and, when `shape` is given,
  /// a small int64 initializer "shape" whose values the decoder reads.
  static func model(weight: [UInt8], shape: [UInt8]) -> ProtoBytes {
    var w = ProtoBytes()
    w.packedInts(1, [100, 100])
    w.int(2, 1)
    w.string(8, "w")
    w.raw(9, weight)
    var initializers = [w]
    if !shape.isEmpty {
      var s = ProtoBytes()
      s.packedInts(1, [4])
      s.int(2, 7)
      s.string(8, "shape")
      s.raw(9, shape)
      initializers.append(s)
    }
    let graph = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Gemm", ["x", "w"], ["y"], name: "fc")],
      inputs: [ONNXBytes.valueInfo("x", dims: [.fixed(1), .fixed(100)])],
      outputs: [ONNXBytes.valueInfo("y", dims: nil)], initializers: initializers)
    return ONNXBytes.model(graph)
  }

  /// A model whose graph holds an If node whose branch holds an If node, `depth` deep.
  static func nestedIfs(_ depth: Int) -> [UInt8] {
    var graph = ONNXBytes.graph(nodes: [], inputs: [], outputs: [])
    for _ in 0..<depth {
      var attribute = ProtoBytes()
      attribute.string(1, "then_branch")
      attribute.message(6, graph)
      attribute.int(20, 5)
      graph = ONNXBytes.graph(
        nodes: [ONNXBytes.node("If", ["c"], [], attributes: [attribute])], inputs: [], outputs: [])
    }
    return ONNXBytes.model(graph).bytes
  }

  static func decode(_ data: Data, _ name: String) -> Result<ONNXModel, ConvScopeError> {
    Result { () throws(ConvScopeError) in try ONNXImporter().decodeModel(from: data, fileName: name) }
  }

  static func write(_ bytes: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("structure-\(UUID().uuidString).onnx")
    try Data(bytes).write(to: url)
    return url
  }

  static func range(of needle: [UInt8], in haystack: Data) -> Int? {
    let bytes = [UInt8](haystack)
    guard bytes.count >= needle.count else { return nil }
    return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
  }
}
