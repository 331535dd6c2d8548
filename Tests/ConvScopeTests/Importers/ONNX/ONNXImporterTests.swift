import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// The importer on hand-made models: each test writes the bytes onnx.proto
/// defines and checks the core graph the spec says they mean.
@Suite struct ONNXImporterTests {
  private func load(_ model: ProtoBytes, fileName: String = "hand.onnx") throws -> ONNXModel {
    try ONNXImporter().decodeModel(from: model.data, fileName: fileName)
  }

  private func graph(nodes: [ProtoBytes] = [], initializers: [ProtoBytes]) throws -> Graph {
    try load(
      ONNXBytes.model(
        ONNXBytes.graph(
          nodes: nodes, inputs: [ONNXBytes.valueInfo("x", dims: [1])], outputs: [], initializers: initializers))
    ).graph
  }

  @Test func inputsOutputsOpsetAndModuleOfAOneNodeModel() throws {
    let model = try load(ONNXBytes.reluModel(dims: ["N", 3, .unknown, 8]))
    #expect(model.irVersion == 8)
    #expect(model.producerName == "hand")
    #expect(model.opsetImports == ["": 17])
    let graph = model.graph
    #expect(graph.opsetVersion == 17)
    // An input's open dim is named after it (ONNXDynamicDimTests); other values keep it unknown.
    #expect(graph.inputs == [TensorInfo(name: "x", dataType: .float32, shape: ["N", 3, "x_dim2", 8])])
    #expect(graph.outputs.map(\.name) == ["y"])
    #expect(graph.valueInfo["y"]?.shape == ["N", 3, .unknown, 8])
    #expect(graph.nodes.count == 1)
    #expect(graph.nodes[0].opType == "Relu")
    #expect(graph.nodes[0].inputs == ["x"])
    #expect(graph.nodes[0].sourceLayer == "act")
  }

  @Test func initializersAreNotModelInputs() throws {
    let g = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Conv", ["x", "w"], ["y"], attributes: [ONNXBytes.intsAttribute("pads", [1, 1, 1, 1])])],
      inputs: [ONNXBytes.valueInfo("x", dims: [1, 3, 8, 8]), ONNXBytes.valueInfo("w", dims: [4, 3, 3, 3])],
      outputs: [ONNXBytes.valueInfo("y", dims: nil)],
      initializers: [ONNXBytes.externalTensor("w", dims: [4, 3, 3, 3], location: "weights.bin")])
    let graph = try load(ONNXBytes.model(g)).graph
    #expect(graph.inputs.map(\.name) == ["x"])
    #expect(graph.initializers["w"] == ConstantTensor(dataType: .float32, dims: [4, 3, 3, 3]))
    #expect(graph.nodes[0].attributes["pads"] == .ints([1, 1, 1, 1]))
    // An output with no declared shape is not a declared shape.
    #expect(graph.valueInfo["y"] == nil)
  }

  @Test func smallTensorValuesFromRawDataAndTypedFields() throws {
    let shape = ONNXBytes.tensor("shape", dims: [2], dataType: 7) { t in
      // raw_data 9: int64 little-endian [1, -1].
      t.raw(9, [1, 0, 0, 0, 0, 0, 0, 0] + Array(repeating: 0xff, count: 8))
    }
    let axes = ONNXBytes.tensor("axes", dims: [3], dataType: 7) { t in t.packedInts(7, [0, -2, 3]) }
    let small = ONNXBytes.tensor("small", dims: [2], dataType: 6) { t in
      t.int(5, -5)
      t.int(5, 7)
    }
    let scales = ONNXBytes.tensor("scales", dims: [4], dataType: 1) { t in t.packedFloats(4, [1, 1, 2, 0.5]) }
    // float16 raw: 0x3c00 = 1.0, 0xc000 = -2.0, 0x0001 = 2^-24 (smallest subnormal).
    let half = ONNXBytes.tensor("half", dims: [3], dataType: 10) { t in t.raw(9, [0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00]) }
    let flags = ONNXBytes.tensor("flags", dims: [2], dataType: 9) { t in t.raw(9, [1, 0]) }
    let empty = ONNXBytes.tensor("empty", dims: [0], dataType: 1)
    let graph = try graph(initializers: [shape, axes, small, scales, half, flags, empty])
    #expect(graph.initializers["shape"]?.values == .ints([1, -1]))
    #expect(graph.initializers["axes"]?.values == .ints([0, -2, 3]))
    #expect(graph.initializers["small"]?.values == .ints([-5, 7]))
    #expect(graph.initializers["scales"]?.values == .floats([1, 1, 2, 0.5]))
    #expect(graph.initializers["half"]?.values == .floats([1, -2, 0x1p-24]))
    #expect(graph.initializers["flags"]?.values == .ints([1, 0]))
    #expect(graph.initializers["empty"]?.values == .floats([]))
  }

  @Test func weightsAndLargeTensorsKeepDimsButNoValues() throws {
    // 300 x 300 float32 = 90,000 elements: skipped by length, never decoded.
    let big = ONNXBytes.tensor("big", dims: [300, 300]) { t in t.raw(9, Array(repeating: 0, count: 300 * 300 * 4)) }
    // A 2,000-element float tensor is a weight, not a shape: not decoded either.
    let bias = ONNXBytes.tensor("bias", dims: [2000]) { t in t.raw(9, Array(repeating: 0, count: 2000 * 4)) }
    // A 2,000-element int64 tensor may be indices or a shape: decoded.
    let indices = ONNXBytes.tensor("indices", dims: [2000], dataType: 7) { t in
      t.raw(9, Array(repeating: 0, count: 2000 * 8))
    }
    let graph = try graph(initializers: [big, bias, indices])
    #expect(graph.initializers["big"] == ConstantTensor(dataType: .float32, dims: [300, 300]))
    #expect(graph.initializers["bias"] == ConstantTensor(dataType: .float32, dims: [2000]))
    #expect(graph.initializers["indices"]?.values == .ints(Array(repeating: 0, count: 2000)))
  }

  @Test func constantNodesStayNodesWithTheirTensor() throws {
    var value = ProtoBytes()
    value.string(1, "value")
    value.message(5, ONNXBytes.tensor("", dims: [2], dataType: 7) { t in t.packedInts(7, [-1, 400]) })
    value.int(20, 4)
    let graph = try graph(
      nodes: [
        ONNXBytes.node("Constant", [], ["c"], attributes: [value]), ONNXBytes.node("Reshape", ["x", "c"], ["y"]),
      ],
      initializers: [])
    #expect(graph.nodes.map(\.opType) == ["Constant", "Reshape"])
    #expect(graph.nodes[0].attributes["value"] == .tensor(.int64s([-1, 400])))
  }

  @Test func unnamedAndRepeatedNodesGetUniqueNames() throws {
    let graph = try graph(
      nodes: [
        ONNXBytes.node("Relu", ["x"], ["a"]),
        ONNXBytes.node("Relu", ["a"], ["b"], name: "act"),
        ONNXBytes.node("Relu", ["b"], ["c"], name: "act"),
        ONNXBytes.node("Relu", ["c"], ["d"], name: "Relu_3"),
        ONNXBytes.node("Sigmoid", ["d"], ["e"]),
      ], initializers: [])
    #expect(graph.nodes.map(\.name) == ["Relu_0", "act", "act_2", "Relu_3", "Sigmoid_4"])
  }

  @Test(
    arguments: [
      ("/layer1/layer1.0/conv1/Conv", "layer1.0.conv1"),
      ("/features/features.0/Conv", "features.0"),
      ("/layer1/layer1.0/downsample/downsample.0/Conv", "layer1.0.downsample.0"),
      ("/conv1/Conv", "conv1"),
      ("/Flatten", nil),
      ("Conv_12", nil),
      ("", nil),
    ] as [(String, String?)])
  func sourceLayerIsThePyTorchModulePath(name: String, module: String?) {
    #expect(ONNXNodeNames.sourceLayer(of: name) == module)
  }

  @Test func subgraphsBecomeGraphAttributes() throws {
    let thenBranch = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Relu", ["x"], ["t"])], inputs: [], outputs: [ONNXBytes.valueInfo("t", dims: [1])])
    var attribute = ProtoBytes()
    attribute.string(1, "then_branch")
    attribute.message(6, thenBranch)
    attribute.int(20, 5)
    let graph = try graph(nodes: [ONNXBytes.node("If", ["x"], ["y"], attributes: [attribute])], initializers: [])
    guard case .graph(let body)? = graph.nodes[0].attributes["then_branch"] else {
      Issue.record("then_branch is not a graph: \(String(describing: graph.nodes[0].attributes["then_branch"]))")
      return
    }
    #expect(body.nodes.map(\.opType) == ["Relu"])
    #expect(body.outputs.map(\.name) == ["t"])
    #expect(body.opsetVersion == 17)
  }

  @Test func modelLocalFunctionsAreListedAndExpanded() throws {
    var function = ProtoBytes()
    function.string(1, "Swish")
    function.string(4, "X")
    function.string(5, "Y")
    function.message(7, ONNXBytes.node("Sigmoid", ["X"], ["s"]))
    function.message(7, ONNXBytes.node("Mul", ["X", "s"], ["Y"]))
    function.string(10, "custom")
    var model = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [ONNXBytes.node("Swish", ["x"], ["y"], domain: "custom")], inputs: [ONNXBytes.valueInfo("x", dims: [2])],
        outputs: [ONNXBytes.valueInfo("y", dims: [2])]))
    model.message(25, function)
    let decoded = try load(model)
    #expect(decoded.functions.map(\.name) == ["Swish"])
    #expect(decoded.functions[0].domain == "custom")
    #expect(decoded.functions[0].nodes.map(\.opType) == ["Sigmoid", "Mul"])
    // The call is replaced by the body (ONNXFunctionTests).
    #expect(decoded.graph.nodes.map(\.name) == ["Swish_0/Sigmoid_0", "Swish_0/Mul_1"])
    #expect(decoded.graph.nodes.map(\.inputs) == [["x"], ["x", "Swish_0/s"]])
  }

  @Test func attributesWithoutATypeFieldAreTypedByTheirValue() throws {
    // IR version 1 files have no AttributeProto.type: the field present says the kind.
    var alpha = ProtoBytes()
    alpha.string(1, "alpha")
    alpha.float(2, 0.25)
    var mode = ProtoBytes()
    mode.string(1, "mode")
    mode.string(4, "constant")
    var pads = ProtoBytes()
    pads.string(1, "pads")
    pads.packedInts(8, [0, 1, 0, 1])
    var tensors = ProtoBytes()  // TENSORS (9): no core kind, dropped
    tensors.string(1, "tensors")
    tensors.message(10, ONNXBytes.tensor("", dims: [1]))
    tensors.int(20, 9)
    let graph = try graph(
      nodes: [ONNXBytes.node("Custom", ["x"], ["y"], attributes: [alpha, mode, pads, tensors])], initializers: [])
    #expect(
      graph.nodes[0].attributes == ["alpha": .float(0.25), "mode": .string("constant"), "pads": .ints([0, 1, 0, 1])])
  }

  @Test func sparseInitializersKeepTheirDenseDims() throws {
    var sparse = ProtoBytes()
    sparse.message(1, ONNXBytes.tensor("emb", dims: [3]) { t in t.packedFloats(4, [1, 2, 3]) })
    sparse.message(2, ONNXBytes.tensor("", dims: [3], dataType: 7) { t in t.packedInts(7, [0, 5, 9]) })
    sparse.packedInts(3, [10, 4])
    var g = ONNXBytes.graph(nodes: [], inputs: [ONNXBytes.valueInfo("x", dims: [1])], outputs: [])
    g.message(15, sparse)
    let graph = try load(ONNXBytes.model(g)).graph
    #expect(graph.initializers["emb"] == ConstantTensor(dataType: .float32, dims: [10, 4]))
  }

  @Test func optionalTensorsKeepTheirShapeAndSequencesHaveNone() throws {
    // TypeProto.optional_type (9) around a tensor_type; TypeProto.sequence_type (4).
    var tensorType = ProtoBytes()
    tensorType.int(1, 7)
    var shape = ProtoBytes()
    var dim = ProtoBytes()
    dim.int(1, 5)
    shape.message(1, dim)
    tensorType.message(2, shape)
    var inner = ProtoBytes()
    inner.message(1, tensorType)
    var optional = ProtoBytes()
    optional.message(1, inner)
    var optionalType = ProtoBytes()
    optionalType.message(9, optional)
    var sequenceType = ProtoBytes()
    sequenceType.message(4, ProtoBytes())
    var a = ProtoBytes()
    a.string(1, "a")
    a.message(2, optionalType)
    var b = ProtoBytes()
    b.string(1, "b")
    b.message(2, sequenceType)
    let graph = try load(ONNXBytes.model(ONNXBytes.graph(nodes: [], inputs: [a, b], outputs: []))).graph
    #expect(
      graph.inputs == [
        TensorInfo(name: "a", dataType: .int64, shape: [5], kind: .optional),
        TensorInfo(name: "b", dataType: .undefined, shape: [], kind: .sequence),
      ])
  }

  @Test func recognizesByExtensionOrModelProtoPrefix() {
    let importer = ONNXImporter()
    let bytes = ONNXBytes.reluModel().data
    #expect(importer.recognizes(fileName: "model.ONNX", prefix: Data()))
    #expect(importer.recognizes(fileName: "model.bin", prefix: bytes.prefix(512)))
    #expect(!importer.recognizes(fileName: "net.yaml", prefix: Data("layers:\n".utf8)))
    #expect(!importer.recognizes(fileName: "net.json", prefix: Data("{\"a\": 1}".utf8)))
  }

  @Test func standardInputIsRecognizedByItsBytes() throws {
    // A module named "layers" puts that word in the first bytes; the bytes still say ONNX.
    let model = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [ONNXBytes.node("Relu", ["x"], ["y"], name: "/layers/layers.0/Relu")],
        inputs: [ONNXBytes.valueInfo("x", dims: [1])], outputs: [ONNXBytes.valueInfo("y", dims: [1])]))
    let (graph, format) = try ModelLoader.standard.load(data: model.data, fileName: "-", directory: nil)
    #expect(format == .onnx)
    #expect(graph.nodes.map(\.sourceLayer) == ["layers.0"])
  }

  @Test func theStandardLoaderReadsONNXFiles() throws {
    let (graph, format) = try ModelLoader.standard.load(path: Fixtures.url("zoo/lenet5.onnx").path)
    #expect(format == .onnx)
    #expect(graph.inputs.map(\.name) == ["input"])
  }
}
