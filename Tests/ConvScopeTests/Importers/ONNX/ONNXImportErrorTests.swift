import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Broken files give one-line errors naming the file and the byte offset (or the
/// node and field), never a crash.
@Suite struct ONNXImportErrorTests {
  private func importError(_ data: Data, fileName: String = "bad.onnx") -> ConvScopeError? {
    do {
      _ = try ONNXImporter().importGraph(from: data, fileName: fileName, directory: nil)
      return nil
    } catch {
      return error
    }
  }

  private func modelWith(initializer: ProtoBytes) -> Data {
    ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [ONNXBytes.node("Relu", ["x"], ["y"])], inputs: [ONNXBytes.valueInfo("x", dims: [1])],
        outputs: [ONNXBytes.valueInfo("y", dims: [1])], initializers: [initializer])
    ).data
  }

  @Test func truncatedFileNamesTheOffset() throws {
    let whole = try Fixtures.data("zoo/lenet5.onnx")
    let error = try #require(importError(whole.prefix(whole.count / 2)))
    #expect(error.file == "bad.onnx")
    #expect(error.byteOffset != nil)
    #expect(error.message.contains("truncated"))
    #expect(!error.description.contains("\n"))
    #expect(error.description.hasPrefix("bad.onnx (byte "))
  }

  @Test func everyPrefixOfARealModelFailsCleanly() throws {
    let whole = try Fixtures.data("zoo/lenet5.onnx")
    for length in stride(from: 1, to: whole.count, by: 7) {
      #expect(importError(whole.prefix(length)) != nil, "prefix of \(length) bytes")
    }
  }

  @Test func wrongWireTypeForOpType() throws {
    var node = ProtoBytes()
    node.string(1, "x")
    node.int(4, 3)  // op_type as a varint
    let data = ONNXBytes.model(ONNXBytes.graph(nodes: [node], inputs: [], outputs: [])).data
    let error = try #require(importError(data))
    #expect(error.field == "NodeProto.op_type")
    #expect(error.message == "expected a length-delimited value (wire type 2), found a varint (wire type 0)")
    #expect(error.byteOffset != nil)
  }

  @Test func lengthPastTheEnd() throws {
    // ir_version 8, then a graph (field 7) claiming 100 bytes of which 2 exist.
    let error = try #require(importError(Data([0x08, 0x08, 0x3a, 0x64, 0x0a, 0x00])))
    #expect(error.byteOffset == 3)
    #expect(error.message.contains("length 100 runs past the end"))
  }

  @Test func invalidUTF8NodeName() throws {
    var node = ProtoBytes()
    node.raw(3, [0x63, 0xff, 0x76])
    node.string(4, "Relu")
    let data = ONNXBytes.model(ONNXBytes.graph(nodes: [node], inputs: [], outputs: [])).data
    let error = try #require(importError(data))
    #expect(error.field == "NodeProto.name")
    #expect(error.message == "the text is not valid UTF-8")
    let offset = try #require(error.byteOffset)
    #expect(Array(data[offset..<(offset + 3)]) == [0x63, 0xff, 0x76])
  }

  @Test func anInitializerDefinedTwiceIsNamedAtItsSecondDefinition() throws {
    let data = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [ONNXBytes.node("Relu", ["x"], ["y"])], inputs: [ONNXBytes.valueInfo("x", dims: [1])],
        outputs: [ONNXBytes.valueInfo("y", dims: [1])],
        initializers: [
          ONNXBytes.tensor("w", dims: [2]), ONNXBytes.tensor("v", dims: [3]), ONNXBytes.tensor("w", dims: [4]),
        ])
    ).data
    let error = try #require(importError(data))
    #expect(error.field == "TensorProto.name")
    #expect(error.message == "initializer 'w' is defined twice")
    // The offset is the second `w`'s field in the graph: its body follows, with dims 4.
    let offset = try #require(error.byteOffset)
    let second = ONNXBytes.tensor("w", dims: [4]).bytes
    #expect(Array(data[offset...].dropFirst(2).prefix(second.count)) == second)
  }

  @Test func anAttributeGivenTwiceIsNamedAtItsSecondOccurrence() throws {
    let node = ONNXBytes.node(
      "Softmax", ["x"], ["y"], name: "soft",
      attributes: [
        ONNXBytes.intAttribute("axis", 1), ONNXBytes.intAttribute("other", 0), ONNXBytes.intAttribute("axis", 2),
      ])
    let data = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [node], inputs: [ONNXBytes.valueInfo("x", dims: [1, 4])],
        outputs: [ONNXBytes.valueInfo("y", dims: [1, 4])])
    ).data
    let error = try #require(importError(data))
    #expect(error.field == "attribute 'axis'")
    #expect(error.layer == "soft")
    #expect(error.message == "the attribute is given twice")
    // The offset is the second `axis`'s field in the node: its body (axis = 2) follows.
    let offset = try #require(error.byteOffset)
    let second = ONNXBytes.intAttribute("axis", 2).bytes
    #expect(Array(data[offset...].dropFirst(2).prefix(second.count)) == second)
  }

  /// The first error in the file's order wins, though twice-defined initializers are found
  /// only once every field is read: here a broken output follows the second `w`.
  @Test func aTwiceDefinedInitializerIsReportedBeforeALaterBrokenField() throws {
    var output = ProtoBytes()
    output.int(1, 3)  // ValueInfoProto.name as a varint
    let data = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [ONNXBytes.node("Relu", ["x"], ["y"])], inputs: [ONNXBytes.valueInfo("x", dims: [1])],
        outputs: [output], initializers: [ONNXBytes.tensor("w", dims: [2]), ONNXBytes.tensor("w", dims: [4])])
    ).data
    let error = try #require(importError(data))
    #expect(error.message == "initializer 'w' is defined twice")
  }

  @Test func negativeDims() throws {
    let error = try #require(importError(modelWith(initializer: ONNXBytes.tensor("w", dims: [4, -3]))))
    #expect(error.field == "TensorProto.dims")
    #expect(error.message == "initializer 'w' has a negative dim in [4, -3]")
  }

  @Test func absurdlyManyElements() throws {
    let error = try #require(importError(modelWith(initializer: ONNXBytes.tensor("w", dims: [1 << 20, 1 << 20, 2]))))
    #expect(error.message == "initializer 'w' has dims [1048576, 1048576, 2]: more than 2^40 elements")
    let overflow = try #require(importError(modelWith(initializer: ONNXBytes.tensor("w", dims: [1 << 62, 4]))))
    #expect(overflow.message.contains("more than 2^40 elements"))
  }

  @Test func absurdDeclaredDim() throws {
    // A negative dim_value is an open dim (ONNXDynamicDimTests); one past 2^40 is no size.
    let data = ONNXBytes.model(
      ONNXBytes.graph(nodes: [], inputs: [ONNXBytes.valueInfo("x", dims: [1, .fixed(1 << 41)])], outputs: [])
    ).data
    let error = try #require(importError(data))
    #expect(error.field == "TensorShapeProto.Dimension.dim_value")
    #expect(error.message == "dim_value 2199023255552 is more than 2^40")
  }

  @Test(arguments: ["/etc/passwd", "../secrets/w.bin", "data/../../w.bin", "C:\\weights.bin"])
  func externalDataOutsideTheModelDirectory(location: String) throws {
    let error = try #require(
      importError(modelWith(initializer: ONNXBytes.externalTensor("conv1.weight", dims: [8], location: location))))
    #expect(error.field == "TensorProto.external_data")
    #expect(error.message.contains("initializer 'conv1.weight' points its data at '\(location)'"))
  }

  @Test func rawDataOfTheWrongSize() throws {
    let tensor = ONNXBytes.tensor("shape", dims: [2], dataType: 7) { t in t.raw(9, [1, 0, 0, 0]) }
    let error = try #require(importError(modelWith(initializer: tensor)))
    #expect(error.message == "initializer 'shape' has 4 bytes of raw_data; its dims need 16 bytes of int64")
  }

  @Test func typedDataOfTheWrongCount() throws {
    let tooMany = ONNXBytes.tensor("axes", dims: [2], dataType: 7) { t in t.packedInts(7, [0, 1, 2]) }
    #expect(
      importError(modelWith(initializer: tooMany))?.message
        == "initializer 'axes' holds more values than its dims need (2)")
    let tooFew = ONNXBytes.tensor("axes", dims: [2], dataType: 7) { t in t.packedInts(7, [0]) }
    #expect(
      importError(modelWith(initializer: tooFew))?.message == "initializer 'axes' holds 1 of the 2 values its dims need"
    )
    let wrongField = ONNXBytes.tensor("axes", dims: [1], dataType: 7) { t in t.packedFloats(4, [1]) }
    #expect(
      importError(modelWith(initializer: wrongField))?.message
        == "initializer 'axes' is int64; TensorProto.float_data cannot hold it")
  }

  @Test func emptyFileAndFileWithoutGraph() throws {
    #expect(importError(Data())?.message == "the file is empty")
    var onlyVersion = ProtoBytes()
    onlyVersion.int(1, 8)
    #expect(importError(onlyVersion.data)?.message == "the file has no graph; it is not an ONNX model")
  }

  @Test func attributeErrorsNameTheNode() throws {
    var attribute = ProtoBytes()
    attribute.string(1, "value")
    attribute.int(20, 4)  // TENSOR, but no t
    let data = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [ONNXBytes.node("Constant", [], ["c"], name: "const0", attributes: [attribute])], inputs: [],
        outputs: [])
    ).data
    let error = try #require(importError(data))
    #expect(error.layer == "const0")
    #expect(error.field == "attribute 'value'")
    #expect(error.message == "the attribute's type is 4 but its value is missing")
  }

  @Test func deeplyNestedSubgraphsAreRefused() throws {
    var graph = ONNXBytes.graph(nodes: [], inputs: [], outputs: [])
    for _ in 0..<40 {
      var attribute = ProtoBytes()
      attribute.string(1, "body")
      attribute.message(6, graph)
      attribute.int(20, 5)
      graph = ONNXBytes.graph(nodes: [ONNXBytes.node("Loop", [], [], attributes: [attribute])], inputs: [], outputs: [])
    }
    let error = try #require(importError(ONNXBytes.model(graph).data))
    #expect(error.message == "subgraphs nested more than 32 deep")
  }

  @Test func undefinedTensorIsReportedByTheAnalyzer() throws {
    let data = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [
          ONNXBytes.node("Relu", ["x"], ["a"], name: "r1"), ONNXBytes.node("Relu", ["missing"], ["y"], name: "r2"),
        ],
        inputs: [ONNXBytes.valueInfo("x", dims: [1, 4])], outputs: [ONNXBytes.valueInfo("y", dims: [1, 4])])
    ).data
    let graph = try ONNXImporter().importGraph(from: data, fileName: "undef.onnx", directory: nil)
    #expect(
      throws: ConvScopeError(
        file: "undef.onnx", layer: "r2", op: "Relu", field: "inputs[0]",
        message: "tensor 'missing' is not defined by any input, initializer or earlier layer")
    ) {
      try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: "undef.onnx"))
    }
  }

  @Test func cyclesAreReportedByTheAnalyzer() throws {
    let data = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [
          ONNXBytes.node("Add", ["x", "b"], ["a"], name: "add"), ONNXBytes.node("Relu", ["a"], ["b"], name: "relu"),
        ],
        inputs: [ONNXBytes.valueInfo("x", dims: [1, 4])], outputs: [ONNXBytes.valueInfo("b", dims: [1, 4])])
    ).data
    let graph = try ONNXImporter().importGraph(from: data, fileName: "cycle.onnx", directory: nil)
    do throws(ConvScopeError) {
      _ = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: "cycle.onnx"))
      Issue.record("a cycle was accepted")
    } catch {
      #expect(error.file == "cycle.onnx")
      #expect(error.message.contains("cycle"))
    }
  }
}

/// Corrupted real files: every single-byte change either imports or throws;
/// nothing traps. A fixed-seed generator keeps the run reproducible.
@Suite struct ONNXCorruptionTests {
  /// SplitMix64 (Steele, Lea and Flood 2014).
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9e37_79b9_7f4a_7c15
      var z = state
      z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
      z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
      return z ^ (z >> 31)
    }
  }

  @Test(arguments: ["lenet5", "mobilenet_v2"])
  func changedBytesNeverTrap(name: String) throws {
    let original = try Fixtures.data("zoo/\(name).onnx")
    var random = SplitMix(state: 42)
    var imported = 0
    for _ in 0..<300 {
      var bytes = [UInt8](original)
      bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
      guard let graph = try? ONNXImporter().importGraph(from: Data(bytes), fileName: "x.onnx", directory: nil) else {
        continue
      }
      imported += 1
      _ = try? Analyzer.analyze(graph)
    }
    #expect(imported > 0)
  }
}
