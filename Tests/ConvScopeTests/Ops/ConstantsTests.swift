import ConvScope
import Testing

/// Expected dims come from ONNX's backend node tests (named per case) or are derived in the comment.
@Suite struct ConstantsTests {
  @Test func constantReadsEachValueAttribute() throws {
    #expect(
      try OpTesting.infer("Constant", [], ["value_ints": .ints([1, -1])]).outputs[0].constant == .int64s([1, -1]))
    #expect(try OpTesting.infer("Constant", [], ["value_int": .int(5)]).outputs[0].constant == .scalar(5))
    let real = try OpTesting.infer("Constant", [], ["value_float": .float(0.5)]).outputs[0]
    #expect(real.shape == [] && real.dataType == .float32 && real.constant?.floats == [0.5])
    let weights = ConstantTensor(dataType: .float32, dims: [64, 3, 7, 7])
    #expect(try OpTesting.infer("Constant", [], ["value": .tensor(weights)]).outputs[0].shape == [64, 3, 7, 7])
    #expect(throws: OpError.self) { try OpTesting.infer("Constant", []) }
  }

  @Test func constantOfShapeFillsWithTheValueAttribute() throws {
    let floats = try OpTesting.infer("ConstantOfShape", [[3]], constants: [0: .int64s([4, 3, 2])]).outputs[0]
    #expect(floats.shape == [4, 3, 2] && floats.dataType == .float32)  // test_constantofshape_float_ones dims
    #expect(floats.constant?.floats == Array(repeating: 0, count: 4 * 3 * 2))  // default value: float 0
    let ints = try OpTesting.infer(
      "ConstantOfShape", [[2]], ["value": .tensor(ConstantTensor(dataType: .int32, dims: [1], values: .ints([1])))],
      constants: [0: .int64s([10, 6])]
    ).outputs[0]
    #expect(ints.shape == [10, 6] && ints.dataType == .int32 && ints.constant?.ints == Array(repeating: 1, count: 60))
    let big = try OpTesting.infer("ConstantOfShape", [[2]], constants: [0: .int64s([1024, 1024])]).outputs[0]
    #expect(big.shape == [1024, 1024] && big.constant == nil)  // 1_048_576 elements: shape only, no values
    // A fill is folded up to 4,096 elements (a shape vector or a small mask), not the size of a weight.
    let mask = try OpTesting.infer("ConstantOfShape", [[2]], constants: [0: .int64s([64, 64])]).outputs[0]
    #expect(mask.constant?.floats?.count == 4_096)
    let weight = try OpTesting.infer("ConstantOfShape", [[4]], constants: [0: .int64s([64, 65, 1, 1])]).outputs[0]
    #expect(weight.shape == [64, 65, 1, 1] && weight.constant == nil)
    #expect(try OpTesting.infer("ConstantOfShape", [[1]], constants: [0: .int64s([0])]).outputs[0].shape == [0])
    do {
      _ = try OpTesting.infer("ConstantOfShape", [[2]])
      Issue.record("expected an error")
    } catch let error as OpError {
      #expect(error.isUnknownShape)  // the shape comes from a tensor nobody knows
    }
  }

  @Test func rangeCountsCeilOfTheSpanOverDelta() throws {
    let up = try OpTesting.infer("Range", [[], [], []], constants: [0: .scalar(3), 1: .scalar(9), 2: .scalar(3)])
    #expect(up.outputs[0].constant == ConstantTensor(dataType: .int64, dims: [2], values: .ints([3, 6])))
    let down = try OpTesting.infer("Range", [[], [], []], constants: [0: .scalar(10), 1: .scalar(4), 2: .scalar(-3)])
    #expect(down.outputs[0].constant?.ints == [10, 7])  // ceil((4-10)/-3) = 2
    let reals = try OpTesting.infer(
      "Range", [[], [], []], types: [.float32, .float32, .float32],
      constants: [0: real(1), 1: real(2), 2: real(0.3)])
    #expect(reals.outputs[0].shape == [4])  // ceil(1 / 0.3) = 4: 1.0, 1.3, 1.6, 1.9
    #expect(try OpTesting.infer("Range", [[], [], []]).outputs[0].shape == [.unknown])
  }

  @Test func shapeHonoursStartAndEnd() throws {
    func shapeOf(_ attributes: [String: AttributeValue]) throws -> ConstantTensor? {
      try OpTesting.infer("Shape", [[3, 4, 5]], attributes).outputs[0].constant
    }
    #expect(try shapeOf([:]) == .int64s([3, 4, 5]))  // test_shape
    #expect(try shapeOf(["start": .int(1)]) == .int64s([4, 5]))  // test_shape_start_1
    #expect(try shapeOf(["end": .int(-1)]) == .int64s([3, 4]))  // test_shape_end_negative_1
    #expect(try shapeOf(["start": .int(-10)]) == .int64s([3, 4, 5]))  // test_shape_clip_start
    #expect(try shapeOf(["start": .int(2), "end": .int(1)]) == .int64s([]))  // start_greater_than_end
    let symbolic = try OpTesting.infer("Shape", [["N", 3]]).outputs[0]
    #expect(symbolic.shape == [2] && symbolic.constant == nil)
  }

  @Test func sizeIsTheElementCount() throws {
    #expect(
      try OpTesting.infer("Size", [[3, 4, 5]]).outputs[0].constant
        == ConstantTensor(dataType: .int64, dims: [], values: .ints([60])))
  }

  @Test func castChangesTheTypeAndConvertsKnownValues() throws {
    let toFloat = try OpTesting.infer("Cast", [[2]], ["to": .int(1)], constants: [0: .int64s([2, 3])]).outputs[0]
    #expect(toFloat.dataType == .float32 && toFloat.constant?.values == .floats([2, 3]))
    let toInt = try OpTesting.infer(
      "Cast", [[2]], ["to": .int(7)],
      constants: [0: ConstantTensor(dataType: .float32, dims: [2], values: .floats([2.7, -1.5]))])
    #expect(toInt.outputs[0].constant == .int64s([2, -1]))  // truncation toward zero
    let like = try OpTesting.infer("CastLike", [[1, 3], [1]], types: [.float32, .float16])
    #expect(like.outputs[0].dataType == .float16 && like.outputs[0].shape == [1, 3])
    #expect(throws: OpError.self) { try OpTesting.infer("Cast", [[2]]) }
  }

  @Test func dropoutPassesThroughWithAnOptionalMask() throws {
    let out = try OpTesting.infer("Dropout", [[1, 128], []], constants: [1: real(0.1)])
    #expect(out.outputs.map(\.shape) == [[1, 128], [1, 128]])
    #expect(out.outputs[1].dataType == .bool)
    #expect(out.cost == .zero)
    #expect(try OpTesting.shape("Identity", [["N", 10]]) == ["N", 10])
  }

  private func real(_ v: Double) -> ConstantTensor {
    ConstantTensor(dataType: .float32, dims: [], values: .floats([v]))
  }
}
