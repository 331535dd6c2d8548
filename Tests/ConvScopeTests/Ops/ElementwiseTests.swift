import ConvScope
import Testing

@Suite struct ElementwiseTests {
  @Test func addBroadcastsAPerChannelBias() throws {
    let out = try OpTesting.infer("Add", [[1, 64, 56, 56], [64, 1, 1]])
    #expect(out.outputs[0].shape == [1, 64, 56, 56])
    #expect(out.cost == Cost(adds: 64 * 56 * 56))
  }

  @Test func numpyBroadcastingExamples() throws {
    // From the ONNX broadcasting doc: (2,3,4,5) with (5,), (1,1), (3,1,5); (2,1,4,1) with (3,1,5).
    #expect(try OpTesting.shape("Mul", [[2, 3, 4, 5], [5]]) == [2, 3, 4, 5])
    #expect(try OpTesting.shape("Mul", [[2, 3, 4, 5], [1, 1]]) == [2, 3, 4, 5])
    #expect(try OpTesting.shape("Mul", [[2, 3, 4, 5], [3, 1, 5]]) == [2, 3, 4, 5])
    #expect(try OpTesting.shape("Mul", [[2, 1, 4, 1], [3, 1, 5]]) == [2, 3, 4, 5])
    #expect(try OpTesting.shape("Sub", [[], [4, 2]]) == [4, 2])
  }

  @Test func incompatibleShapesNameBothShapes() {
    do {
      _ = try OpTesting.infer("Add", [[2, 3], [4]])
      Issue.record("expected a broadcasting error")
    } catch let error as OpError {
      #expect(error.message.contains("2x3 and 4"), "\(error.message)")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func perElementCostByOp() throws {
    let shape: Shape = [2, 3]  // 6 output elements
    #expect(try OpTesting.infer("Mul", [shape, shape]).cost == Cost(multiplies: 6))
    #expect(try OpTesting.infer("Div", [shape, shape]).cost == Cost(divides: 6))
    #expect(try OpTesting.infer("Pow", [shape, []]).cost == Cost(others: 6))
    #expect(try OpTesting.infer("Greater", [shape, shape]).cost == Cost(compares: 6))
    // Variadic: k inputs combine k-1 times per element; Mean also divides once.
    #expect(try OpTesting.infer("Sum", [shape, shape, shape]).cost == Cost(adds: 2 * 6))
    #expect(try OpTesting.infer("Max", [shape, [3], shape, []]).cost == Cost(compares: 3 * 6))
    #expect(try OpTesting.infer("Mean", [shape, shape, shape]).cost == Cost(adds: 2 * 6, divides: 6))
    #expect(try OpTesting.infer("Min", [shape]).cost == .zero)
    #expect(try OpTesting.infer("Mean", [shape]).cost == .zero)  // the mean of one tensor is a copy
  }

  @Test func arityIsChecked() {
    #expect(throws: OpError.self) { try OpTesting.infer("Add", [[2]]) }
    #expect(throws: OpError.self) { try OpTesting.infer("Mul", [[2], [2], [2]]) }
    #expect(throws: OpError.self) { try OpTesting.infer("Sum", []) }
  }

  @Test func outputTypes() throws {
    let ints: [DataType] = [.int64, .int64]
    #expect(try OpTesting.infer("Equal", [[3], [3]], types: ints).outputs[0].dataType == .bool)
    #expect(try OpTesting.infer("LessOrEqual", [[3], [3]]).outputs[0].dataType == .bool)
    #expect(try OpTesting.infer("And", [[3], [3]], types: [.bool, .bool]).outputs[0].dataType == .bool)
    #expect(try OpTesting.infer("Add", [[3], [3]], types: ints).outputs[0].dataType == .int64)
    #expect(try OpTesting.infer("BitShift", [[3], [3]], types: [.uint8, .uint8]).outputs[0].dataType == .uint8)
  }

  @Test func whereBroadcastsThreeWaysWithXsType() throws {
    // A causal mask: condition 1x1x4x4, X 1x12x4x4, Y scalar.
    let out = try OpTesting.infer("Where", [[1, 1, 4, 4], [1, 12, 4, 4], []], types: [.bool, .float16, .float16])
    #expect(out.outputs[0].shape == [1, 12, 4, 4])
    #expect(out.outputs[0].dataType == .float16)
    #expect(out.cost == Cost(others: 12 * 4 * 4))
    #expect(throws: OpError.self) { try OpTesting.infer("Where", [[3], [4], [1]]) }
  }

  // MARK: Constant folding of shape arithmetic

  @Test func foldsShapeVectorArithmetic() throws {
    // PyTorch's view(-1, C*H*W): Shape[1] * Shape[2].
    let product = try OpTesting.infer("Mul", [[1], [1]], constants: [0: .int64s([64]), 1: .int64s([49])])
    #expect(product.outputs[0].constant?.ints == [64 * 49])
    #expect(product.outputs[0].dataType == .int64)
    #expect(product.cost == .zero)
    let sum = try OpTesting.infer("Add", [[4], []], constants: [0: .int64s([1, 3, 224, 224]), 1: .scalar(-1)])
    #expect(sum.outputs[0].constant?.ints == [0, 2, 223, 223])
  }

  @Test func foldingBroadcasts() throws {
    // (2,1) + (3,) → (2,3): [[1],[2]] + [10,20,30].
    let column = ConstantTensor(dataType: .int64, dims: [2, 1], values: .ints([1, 2]))
    let out = try OpTesting.infer("Add", [[2, 1], [3]], constants: [0: column, 1: .int64s([10, 20, 30])])
    #expect(out.outputs[0].shape == [2, 3])
    #expect(out.outputs[0].constant?.ints == [11, 21, 31, 12, 22, 32])
  }

  @Test func integerDivisionTruncatesLikeC() throws {
    // ONNX integer Div truncates toward zero: -7/2 = -3 (numpy floor division would give -4).
    let out = try OpTesting.infer(
      "Div", [[4], [4]], constants: [0: .int64s([7, -7, 7, -7]), 1: .int64s([2, 2, -2, -2])])
    #expect(out.outputs[0].constant?.ints == [3, -3, -3, 3])
    // Division by zero is not folded.
    let byZero = try OpTesting.infer("Div", [[1], [1]], constants: [0: .int64s([1]), 1: .int64s([0])])
    #expect(byZero.outputs[0].constant == nil)
    #expect(byZero.outputs[0].shape == [1])
  }

  @Test func integerModFollowsFmod() throws {
    let a = ConstantTensor.int64s([-7, 7, -7, 7])
    let b = ConstantTensor.int64s([3, -3, -3, 3])
    // fmod = 0: the result takes the divisor's sign (Python %): -7 % 3 = 2, 7 % -3 = -2.
    let python = try OpTesting.infer("Mod", [[4], [4]], constants: [0: a, 1: b])
    #expect(python.outputs[0].constant?.ints == [2, -2, -1, 1])
    // fmod = 1: the dividend's sign (C fmod).
    let c = try OpTesting.infer("Mod", [[4], [4]], ["fmod": .int(1)], constants: [0: a, 1: b])
    #expect(c.outputs[0].constant?.ints == [-1, 1, -1, 1])
  }

  @Test func comparisonsAndLogicFoldToBool() throws {
    let equal = try OpTesting.infer("Equal", [[3], [3]], constants: [0: .int64s([1, -1, 5]), 1: .int64s([1, 1, 5])])
    #expect(equal.outputs[0].dataType == .bool)
    #expect(equal.outputs[0].constant?.ints == [1, 0, 1])
    let less = try OpTesting.infer("Less", [[3], []], constants: [0: .int64s([1, 2, 3]), 1: .scalar(2)])
    #expect(less.outputs[0].constant?.ints == [1, 0, 0])
    let bools = { (v: [Int]) in ConstantTensor(dataType: .bool, dims: [v.count], values: .ints(v)) }
    let and = try OpTesting.infer("And", [[4], [4]], constants: [0: bools([1, 1, 0, 0]), 1: bools([1, 0, 1, 0])])
    #expect(and.outputs[0].constant?.ints == [1, 0, 0, 0])
  }

  @Test func variadicMaxAndMinFold() throws {
    let max = try OpTesting.infer(
      "Max", [[3], [3], []], constants: [0: .int64s([1, 9, 3]), 1: .int64s([4, 2, 6]), 2: .scalar(5)])
    #expect(max.outputs[0].constant?.ints == [5, 9, 6])
    let min = try OpTesting.infer("Min", [[2], [2]], constants: [0: .int64s([1, 9]), 1: .int64s([4, 2])])
    #expect(min.outputs[0].constant?.ints == [1, 2])
  }

  @Test func whereFoldsSelectingFromBroadcastOperands() throws {
    // Exporters replace -1 in a shape with the real size: Where(Equal(s, -1), real, s).
    let condition = ConstantTensor(dataType: .bool, dims: [3], values: .ints([0, 1, 0]))
    let out = try OpTesting.infer(
      "Where", [[3], [3], [3]], constants: [0: condition, 1: .int64s([7, 8, 9]), 2: .int64s([1, -1, 4])])
    #expect(out.outputs[0].constant?.ints == [1, 8, 4])
  }

  @Test func integerPowFoldsExactly() throws {
    let out = try OpTesting.infer(
      "Pow", [[5], [5]], constants: [0: .int64s([2, -1, -1, 0, 3]), 1: .int64s([10, 65, 64, 0, 4])])
    #expect(out.outputs[0].constant?.ints == [1024, -1, 1, 1, 81])
    let huge = try OpTesting.infer("Pow", [[1], [1]], constants: [0: .int64s([2]), 1: .int64s([64])])
    #expect(huge.outputs[0].constant == nil)
  }

  @Test func overflowIsLeftUnfolded() throws {
    let out = try OpTesting.infer("Mul", [[1], [1]], constants: [0: .int64s([Int.max]), 1: .int64s([2])])
    #expect(out.outputs[0].constant == nil)
  }

  @Test func realsFoldInDouble() throws {
    // Resize's scale arithmetic: 224 / 7 as floats.
    let reals = { (v: [Double]) in ConstantTensor(dataType: .float32, dims: [v.count], values: .floats(v)) }
    let out = try OpTesting.infer("Div", [[2], [1]], constants: [0: reals([224, 3]), 1: reals([8])])
    #expect(out.outputs[0].constant?.floats == [28, 0.375])
    #expect(out.outputs[0].dataType == .float32)
  }

  @Test func unknownValuesDoNotFold() throws {
    let out = try OpTesting.infer("Mul", [[2], [2]], constants: [0: .int64s([1, 2])])
    #expect(out.outputs[0].constant == nil)
    #expect(out.cost == Cost(multiplies: 2))
  }
}
