import ConvScope
import Testing

/// Expected dims come from ONNX's backend node tests (named per case) or are derived in the comment.
@Suite struct ReshapingTests {
  private func reshape(_ input: Shape, _ target: [Int], allowZero: Bool = false) throws -> Shape {
    try OpTesting.shape(
      "Reshape", [input, [.fixed(target.count)]], allowZero ? ["allowzero": .int(1)] : [:],
      constants: [1: .int64s(target)])
  }

  @Test func reshapeCopiesZerosAndInfersMinusOne() throws {
    #expect(try reshape([2, 3, 4], [2, 0, 4, 1]) == [2, 3, 4, 1])  // test_reshape_zero_dim
    #expect(try reshape([2, 3, 4], [2, 0, 1, -1]) == [2, 3, 1, 4])  // test_reshape_zero_and_negative_dim
    #expect(try reshape([2, 3, 4], [2, -1, 2]) == [2, 6, 2])  // 24 / (2*2) = 6: test_reshape_negative_dim
    #expect(try reshape([2, 3, 4], [-1]) == [24])
    #expect(try reshape([0, 3, 4], [3, 4, 0], allowZero: true) == [3, 4, 0])  // test_reshape_allowzero_reordered
  }

  @Test func reshapeShowsHowItInferredMinusOne() throws {
    let out = try OpTesting.infer("Reshape", [[2, 3, 4], [3]], constants: [1: .int64s([2, -1, 2])])
    #expect(out.shapeFormulas == ["-1 = 24/4 = 6"])
    let flatten = try OpTesting.infer("Flatten", [[2, 3, 4, 5]], ["axis": .int(2)])
    #expect(flatten.shapeFormulas == ["2*3 = 6", "4*5 = 20"])
  }

  @Test func reshapeKeepsTheBatchSymbolThroughZeroAndMinusOne() throws {
    #expect(try reshape(["N", 3, 7, 7], [0, -1]) == ["N", 147])  // 3*7*7 = 147
    #expect(try reshape(["N", 3], [2, -1]) == [2, .unknown])  // N*3/2: not known, and not an error
    #expect(throws: OpError.self) { try reshape([5, 3], [2, -1]) }  // 15 is not a multiple of 2
  }

  @Test func reshapeWithABadCountNamesBothCounts() {
    do {
      _ = try reshape([2, 3, 4], [5, 5])
      Issue.record("expected an error")
    } catch let error as OpError {
      #expect(error.message.contains("24") && error.message.contains("25"))
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func reshapeWithAnUnknownTargetLeavesTheShapeUnknown() {
    do {
      _ = try OpTesting.shape("Reshape", [[2, 3, 4], [2]])
      Issue.record("expected an error")
    } catch let error as OpError {
      #expect(error.isUnknownShape)
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func reshapeFoldsKnownValues() throws {
    let out = try OpTesting.infer(
      "Reshape", [[2, 2], [1]],
      constants: [0: ConstantTensor(dataType: .int64, dims: [2, 2], values: .ints([1, 2, 3, 4])), 1: .int64s([-1])])
    #expect(out.outputs[0].constant?.values == .ints([1, 2, 3, 4]))
    #expect(out.outputs[0].shape == [4])
  }

  @Test func flattenMultipliesEachSideOfTheAxis() throws {
    #expect(try OpTesting.shape("Flatten", [[2, 3, 4, 5]], ["axis": .int(0)]) == [1, 120])  // test_flatten_axis0
    #expect(try OpTesting.shape("Flatten", [[2, 3, 4, 5]], ["axis": .int(2)]) == [6, 20])  // test_flatten_axis2
    #expect(try OpTesting.shape("Flatten", [[5, 4, 3, 2]]) == [5, 24])  // test_flatten_default_axis
    // test_flatten_negative_axis1
    #expect(try OpTesting.shape("Flatten", [[2, 3, 4, 5]], ["axis": .int(-1)]) == [24, 5])
    // test_flatten_negative_axis4
    #expect(try OpTesting.shape("Flatten", [[2, 3, 4, 5]], ["axis": .int(-4)]) == [1, 120])
    #expect(try OpTesting.shape("Flatten", [["N", 512, 7, 7]]) == ["N", 25088])  // 512*7*7
  }

  @Test func squeezeTakesAxesAsAttributeBeforeOpset13AndAsInputSince() throws {
    let legacy = try OpTesting.infer("Squeeze", [[1, 3, 1, 5]], ["axes": .ints([0, -2])], opset: 11)
    #expect(legacy.outputs[0].shape == [3, 5])
    let modern = try OpTesting.infer("Squeeze", [[1, 3, 1, 5], [1]], constants: [1: .int64s([-2])], opset: 13)
    #expect(modern.outputs[0].shape == [1, 3, 5])  // test_squeeze_negative_axes
    #expect(try OpTesting.shape("Squeeze", [[1, 3, 1, 5]]) == [3, 5])  // no axes: every 1 goes
    #expect(throws: OpError.self) { try OpTesting.infer("Squeeze", [[1, 3, 4]], ["axes": .ints([1])], opset: 11) }
  }

  @Test func unsqueezeCountsAxesInTheOutputRank() throws {
    let legacy = try OpTesting.infer("Unsqueeze", [[3, 4, 5]], ["axes": .ints([0])], opset: 11)
    #expect(legacy.outputs[0].shape == [1, 3, 4, 5])  // test_unsqueeze_axis_0
    let unsorted = try OpTesting.infer("Unsqueeze", [[3, 4, 5], [3]], constants: [1: .int64s([5, 4, 2])], opset: 13)
    #expect(unsorted.outputs[0].shape == [3, 4, 1, 5, 1, 1])  // test_unsqueeze_unsorted_axes
    let negative = try OpTesting.infer("Unsqueeze", [[1, 3, 1, 5], [1]], constants: [1: .int64s([-2])], opset: 13)
    #expect(negative.outputs[0].shape == [1, 3, 1, 1, 5])  // test_unsqueeze_negative_axes
    let scalar = try OpTesting.infer("Unsqueeze", [[], [1]], constants: [0: .scalar(7), 1: .int64s([0])], opset: 13)
    #expect(scalar.outputs[0].constant == .int64s([7]))
  }

  @Test func transposeDefaultsToReversedAxes() throws {
    #expect(try OpTesting.shape("Transpose", [[2, 3, 4]]) == [4, 3, 2])  // test_transpose_default
    // all_permutations_3
    #expect(try OpTesting.shape("Transpose", [[2, 3, 4]], ["perm": .ints([1, 2, 0])]) == [3, 4, 2])
    #expect(throws: OpError.self) { try OpTesting.infer("Transpose", [[2, 3, 4]], ["perm": .ints([0, 0, 1])]) }
  }

  @Test func transposeFoldsAMatrix() throws {
    // [[1, 2, 3], [4, 5, 6]] transposed is [[1, 4], [2, 5], [3, 6]].
    let out = try OpTesting.infer(
      "Transpose", [[2, 3]],
      constants: [0: ConstantTensor(dataType: .int64, dims: [2, 3], values: .ints([1, 2, 3, 4, 5, 6]))])
    #expect(out.outputs[0].constant?.values == .ints([1, 4, 2, 5, 3, 6]))
  }

  @Test func concatSumsTheAxisAndAcceptsNegativeAxes() throws {
    // 3d_axis_negative_2
    #expect(try OpTesting.shape("Concat", [[2, 2, 2], [2, 2, 2]], ["axis": .int(-2)]) == [2, 4, 2])
    #expect(try OpTesting.shape("Concat", [["N", 64, 8, 8], ["N", 32, 8, 8]], ["axis": .int(1)]) == ["N", 96, 8, 8])
  }

  @Test func concatMismatchNamesBothShapes() {
    do {
      _ = try OpTesting.infer("Concat", [[1, 64, 8, 8], [1, 32, 4, 4]], ["axis": .int(1)])
      Issue.record("expected an error")
    } catch let error as OpError {
      #expect(error.message.contains("1x64x8x8") && error.message.contains("1x32x4x4"))
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func concatFoldsAlongAnInnerAxis() throws {
    // [[1, 2], [3, 4]] ++ [[5], [6]] on axis 1 = [[1, 2, 5], [3, 4, 6]].
    let a = ConstantTensor(dataType: .int64, dims: [2, 2], values: .ints([1, 2, 3, 4]))
    let b = ConstantTensor(dataType: .int64, dims: [2, 1], values: .ints([5, 6]))
    let out = try OpTesting.infer("Concat", [[2, 2], [2, 1]], ["axis": .int(1)], constants: [0: a, 1: b])
    #expect(out.outputs[0].constant?.values == .ints([1, 2, 5, 3, 4, 6]))
  }
}
