import ConvScope
import Testing

@Suite struct ReductionTests {
  @Test func globalAveragePoolAsReduceMean() throws {
    // axes [2, 3] of 1x64x7x7 (attribute before opset 18): 64 outputs, each 49 inputs.
    let out = try OpTesting.infer("ReduceMean", [[1, 64, 7, 7]], ["axes": .ints([2, 3])], opset: 13)
    #expect(out.outputs[0].shape == [1, 64, 1, 1])
    #expect(out.cost == Cost(adds: 64 * (49 - 1), divides: 64))
  }

  @Test func axesBecomeAnInputAtOpset13ForSumAnd18ForTheRest() throws {
    let axes = ConstantTensor.int64s([1])
    let sum = try OpTesting.infer(
      "ReduceSum", [[2, 3, 4], [1]], ["keepdims": .int(0)], constants: [1: axes], opset: 13)
    #expect(sum.outputs[0].shape == [2, 4])
    #expect(sum.cost == Cost(adds: 2 * 4 * (3 - 1)))
    #expect(sum.inputRoles[1] == .configuration)
    let max = try OpTesting.infer("ReduceMax", [[2, 3, 4], [1]], constants: [1: .int64s([-1])], opset: 18)
    #expect(max.outputs[0].shape == [2, 3, 1])
    #expect(max.cost == Cost(compares: 2 * 3 * (4 - 1)))
    // At opset 17 ReduceMax still reads the attribute.
    let old = try OpTesting.infer("ReduceMax", [[2, 3, 4]], ["axes": .ints([0])], opset: 17)
    #expect(old.outputs[0].shape == [1, 3, 4])
  }

  @Test func runtimeAxesLeaveTheShapeUnknown() {
    do {
      _ = try OpTesting.infer("ReduceSum", [[2, 3], [1]], opset: 13)
      Issue.record("expected an unknown-shape error")
    } catch {
      #expect((error as? OpError)?.isUnknownShape == true)
    }
  }

  @Test func noAxesReducesEverythingUnlessNoop() throws {
    let all = try OpTesting.infer("ReduceMin", [[2, 3, 4]], opset: 18)
    #expect(all.outputs[0].shape == [1, 1, 1])
    #expect(all.cost == Cost(compares: 24 - 1))
    let noop = try OpTesting.infer("ReduceMin", [[2, 3, 4]], ["noop_with_empty_axes": .int(1)], opset: 18)
    #expect(noop.outputs[0].shape == [2, 3, 4])
    #expect(noop.cost == .zero)
  }

  @Test func normReductionsCountTheirSquaresAndRoots() throws {
    // Over all 24 elements of 2x3x4, no keepdims → scalar.
    let attributes: [String: AttributeValue] = ["keepdims": .int(0)]
    let l2 = try OpTesting.infer("ReduceL2", [[2, 3, 4]], attributes, opset: 18)
    #expect(l2.outputs[0].shape == [])
    #expect(l2.cost == Cost(adds: 23, multiplies: 24, others: 1))
    let l1 = try OpTesting.infer("ReduceL1", [[2, 3, 4]], attributes, opset: 18)
    #expect(l1.cost == Cost(adds: 23, compares: 24))
    let logSumExp = try OpTesting.infer("ReduceLogSumExp", [[2, 3, 4]], attributes, opset: 18)
    #expect(logSumExp.cost == Cost(adds: 23, exponentials: 24, others: 1))
    let product = try OpTesting.infer("ReduceProd", [[2, 3, 4]], attributes, opset: 18)
    #expect(product.cost == Cost(multiplies: 23))
  }

  @Test func integerShapeMathFolds() throws {
    // Flatten's size: ReduceProd of shape[1:] = 64*7*7, no keepdims.
    let product = try OpTesting.infer(
      "ReduceProd", [[3]], ["keepdims": .int(0)], constants: [0: .int64s([64, 7, 7])], opset: 13)
    #expect(product.outputs[0].constant?.ints == [64 * 7 * 7])
    #expect(product.outputs[0].shape == [])
    // Row sums of [[1, 2, 3], [4, 5, 6]] over axis 1, keepdims.
    let matrix = ConstantTensor(dataType: .int64, dims: [2, 3], values: .ints([1, 2, 3, 4, 5, 6]))
    let sums = try OpTesting.infer("ReduceSum", [[2, 3], [1]], constants: [0: matrix, 1: .int64s([1])], opset: 13)
    #expect(sums.outputs[0].constant?.ints == [6, 15])
    #expect(sums.outputs[0].shape == [2, 1])
    // Column maxima over axis 0.
    let maxima = try OpTesting.infer("ReduceMax", [[2, 3]], ["axes": .ints([0])], constants: [0: matrix], opset: 13)
    #expect(maxima.outputs[0].constant?.ints == [4, 5, 6])
  }

  @Test func badAxisIsAnError() {
    #expect(throws: OpError.self) { try OpTesting.infer("ReduceMean", [[2, 3]], ["axes": .ints([2])], opset: 13) }
  }

  @Test func argMaxGivesInt64Indices() throws {
    let kept = try OpTesting.infer("ArgMax", [[2, 1000]], ["axis": .int(1)])
    #expect(kept.outputs[0].shape == [2, 1])
    #expect(kept.outputs[0].dataType == .int64)
    #expect(kept.cost == Cost(compares: 2 * 999))
    let dropped = try OpTesting.infer("ArgMin", [[2, 3, 4]], ["axis": .int(-1), "keepdims": .int(0)])
    #expect(dropped.outputs[0].shape == [2, 3])
  }

  @Test func cumSumKeepsTheShape() throws {
    let out = try OpTesting.infer("CumSum", [[2, 5], []], constants: [1: .scalar(1)])
    #expect(out.outputs[0].shape == [2, 5])
    #expect(out.cost == Cost(adds: 2 * 4))
    let unknownAxis = try OpTesting.infer("CumSum", [[2, 5], []])
    #expect(unknownAxis.outputs[0].shape == [2, 5])
    #expect(unknownAxis.warnings.count == 1)
  }

  @Test func topKHasValuesAndIndices() throws {
    // k = 5 over 1000 classes: a heap of 5 costs ceil(log2 6) = 3 compares per later element.
    let out = try OpTesting.infer("TopK", [[1, 1000], [1]], constants: [1: .int64s([5])], opset: 11)
    #expect(out.outputs.map(\.shape) == [[1, 5], [1, 5]])
    #expect(out.outputs.map(\.dataType) == [.float32, .int64])
    #expect(out.cost == Cost(compares: 999 * 3))
    // Opset 1: k is an attribute; k = 1 is an argmax.
    let first = try OpTesting.infer("TopK", [[4, 10]], ["k": .int(1)], opset: 1)
    #expect(first.outputs[0].shape == [4, 1])
    #expect(first.cost == Cost(compares: 4 * 9))
  }

  @Test func topKNeedsAKnownKNoLargerThanTheAxis() {
    do {
      _ = try OpTesting.infer("TopK", [[1, 10], [1]], opset: 11)
      Issue.record("expected an unknown-shape error")
    } catch {
      #expect((error as? OpError)?.isUnknownShape == true)
    }
    #expect(throws: OpError.self) {
      try OpTesting.infer("TopK", [[1, 10], [1]], constants: [1: .int64s([11])], opset: 11)
    }
  }
}
