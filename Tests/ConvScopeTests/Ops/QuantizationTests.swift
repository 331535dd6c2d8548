import ConvScope
import Testing

@testable import ConvScopeAnalysis

@Suite struct QuantizationTests {
  /// A QDQ model as `quantize_static` writes it: the int8 weight is stored and dequantised by a
  /// node that folds; the Conv reading the float weight counts the int8 tensor (one byte each)
  /// as its weight and the scale and zero point as bytes only. The activation's
  /// QuantizeLinear→DequantizeLinear pair adds no parameter.
  @Test func aQDQConvCountsTheInt8WeightAndItsScalesAsBytes() throws {
    var graph = Graph(name: "qdq", inputs: [TensorInfo(name: "x", shape: [1, 3, 8, 8])], outputs: [], nodes: [])
    graph.initializers["W"] = ConstantTensor(dataType: .int8, dims: [16, 3, 3, 3])
    graph.initializers["W_scale"] = ConstantTensor(dataType: .float32, dims: [16])
    graph.initializers["W_zero_point"] = ConstantTensor(dataType: .int8, dims: [16])
    graph.initializers["x_scale"] = ConstantTensor(dataType: .float32, dims: [])
    graph.initializers["x_zero_point"] = ConstantTensor(dataType: .uint8, dims: [])
    graph.nodes = [
      Node(name: "q", opType: "QuantizeLinear", inputs: ["x", "x_scale", "x_zero_point"], outputs: ["xq"]),
      Node(name: "dq", opType: "DequantizeLinear", inputs: ["xq", "x_scale", "x_zero_point"], outputs: ["xd"]),
      Node(
        name: "dqw", opType: "DequantizeLinear", inputs: ["W", "W_scale", "W_zero_point"], outputs: ["Wf"],
        attributes: ["axis": .int(0)]),
      Node(
        name: "conv", opType: "Conv", inputs: ["xd", "Wf"], outputs: ["y"], attributes: ["pads": .ints([1, 1, 1, 1])]),
    ]
    graph.outputs = [TensorInfo(name: "y", shape: [])]
    let report = try Analyzer.analyze(graph)
    let conv = try #require(report.layers.first { $0.name == "conv" })
    #expect(conv.params == 16 * 3 * 3 * 3)
    #expect(conv.weightBytes == 432 + 16 * 4 + 16)
    #expect(conv.outputs.first?.shape == [1, 16, 8, 8])
    #expect(report.totals.params == 432)
    for name in ["q", "dq"] {
      #expect(report.layers.first { $0.name == name }?.params == 0, "\(name)")
    }
    // The activation's scale (float32) and zero point (uint8) are stored bytes, not parameters.
    #expect(report.totals.weightBytes == 432 + 16 * 4 + 16 + 4 + 1)
  }

  @Test func quantizeLinearTypeComesFromZeroPointThenOutputDtypeThenUInt8() throws {
    let int8 = try OpTesting.infer("QuantizeLinear", [[2, 3], [], []], types: [.float32, .float32, .int8])
    #expect(int8.outputs[0].dataType == .int8)
    #expect(int8.outputs[0].shape == [2, 3])
    let declared = try OpTesting.infer("QuantizeLinear", [[2, 3], []], ["output_dtype": .int(5)])
    #expect(declared.outputs[0].dataType == .int16)  // ONNX code 5
    #expect(try OpTesting.infer("QuantizeLinear", [[2, 3], []]).outputs[0].dataType == .uint8)
    #expect(int8.inputRoles[1] == .quantization && int8.inputRoles[2] == .quantization)
    // saturate(round(x / scale) + zero_point) on 6 elements.
    #expect(int8.cost == Cost(adds: 6, divides: 6, compares: 12, others: 6))
  }

  @Test func dequantizeLinearTypeIsTheScales() throws {
    let out = try OpTesting.infer("DequantizeLinear", [[4], [], []], types: [.uint8, .float16, .uint8])
    #expect(out.outputs[0].dataType == .float16)
    #expect(out.cost == Cost(adds: 4, multiplies: 4))  // (x - zero_point) * scale
    let noZeroPoint = try OpTesting.infer("DequantizeLinear", [[4], []], types: [.int8, .float32])
    #expect(noZeroPoint.cost == Cost(multiplies: 4))
  }

  @Test func scalesArePerTensorPerAxisOrPerBlock() throws {
    // Per axis: [X[axis]]; blocked: X with ceil(X[axis] / block_size) at axis.
    _ = try OpTesting.infer("DequantizeLinear", [[1, 3, 3, 2], [3]], types: [.uint8, .float32])
    _ = try OpTesting.infer(
      "DequantizeLinear", [[1, 5, 3, 2], [1, 3, 3, 2]], ["block_size": .int(2)], types: [.uint8, .float32])
    #expect(throws: OpError.self) {
      try OpTesting.infer("DequantizeLinear", [[1, 3, 3, 2], [2]], types: [.uint8, .float32])
    }
    #expect(throws: OpError.self) {
      try OpTesting.infer(
        "QuantizeLinear", [[3, 4], [3, 3]], ["axis": .int(1), "block_size": .int(2)])
    }
  }

  @Test func dynamicQuantizeLinearGivesThreeOutputs() throws {
    let out = try OpTesting.infer("DynamicQuantizeLinear", [[3, 4]])
    #expect(out.outputs.map(\.shape) == [[3, 4], Shape([Int]()), Shape([Int]())])
    #expect(out.outputs.map(\.dataType) == [.uint8, .float32, .uint8])
    // min and max over 12 values, scale and zero point, then 12 quantisations.
    #expect(out.cost.compares == 2 * 12 + 2 + 2 * 12)
    #expect(out.cost.divides == 2 + 12)
  }

  @Test func convIntegerIsAConvGivingInt32() throws {
    // ONNX test convinteger_with_padding: x 1x1x3x3, w 2x1x2x2, pads 1 → (3-2+2)/1+1 = 4.
    let out = try OpTesting.infer(
      "ConvInteger", [[1, 1, 3, 3], [2, 1, 2, 2], [], [2]], ["pads": .ints([1, 1, 1, 1])],
      types: [.uint8, .uint8, .uint8, .uint8])
    #expect(out.outputs[0].shape == [1, 2, 4, 4])
    #expect(out.outputs[0].dataType == .int32)
    #expect(out.cost.macs == 2 * 4 * 4 * (1 * 2 * 2))
    #expect(out.inputRoles[1] == .weight)
    #expect(out.inputRoles[2] == .quantization && out.inputRoles[3] == .quantization)
  }

  @Test func qLinearConvReadsItsOperandsBetweenScales() throws {
    // x 1x4x5x5, w 6x4x3x3, bias [6] int32 at input 8; output uint8 from y_zero_point.
    let shapes: [Shape?] = [[1, 4, 5, 5], [], [], [6, 4, 3, 3], [6], [6], [], [], [6]]
    let types: [DataType] = [.uint8, .float32, .uint8, .int8, .float32, .int8, .float32, .uint8, .int32]
    let out = try OpTesting.infer("QLinearConv", shapes, types: types)
    #expect(out.outputs[0].shape == [1, 6, 3, 3])
    #expect(out.outputs[0].dataType == .uint8)
    let outputs = 6 * 3 * 3
    #expect(out.cost.macs == outputs * 4 * 3 * 3)
    // bias add plus requantisation (1 add) per output.
    #expect(out.cost.adds == 2 * outputs)
    #expect(out.inputRoles[3] == .weight && out.inputRoles[8] == .bias)
    for index in [1, 2, 4, 5, 6, 7] { #expect(out.inputRoles[index] == .quantization) }
  }

  @Test func integerMatMulsMarkScalesAndZeroPointsAsQuantization() throws {
    let integer = try OpTesting.infer(
      "MatMulInteger", [[4, 3], [3, 2], [1], [1]], types: [.uint8, .uint8, .uint8, .uint8])
    #expect(integer.inputRoles[2] == .quantization && integer.inputRoles[3] == .quantization)
    let shapes: [Shape?] = [[2, 4], [1], [1], [4, 3], [1], [1], [1], [1]]
    let linear = try OpTesting.infer(
      "QLinearMatMul", shapes, types: [.int8, .float32, .int8, .int8, .float32, .int8, .float32, .int8])
    #expect(linear.cost.macs == 2 * 3 * 4)
    for index in [1, 2, 4, 5, 6, 7] { #expect(linear.inputRoles[index] == .quantization) }
  }
}
