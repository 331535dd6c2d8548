import ConvScope
import Testing

/// Expected dims come from ONNX's backend node tests (named per case) or are derived in the comment.
@Suite struct IndexingTests {
  @Test func sameShapeOps() throws {
    #expect(try OpTesting.shape("Trilu", [[2, 3, 3], []]) == [2, 3, 3])  // test_triu_square_neg
    #expect(try OpTesting.shape("ScatterND", [[4, 4, 4], [2, 1], [2, 4, 4]]) == [4, 4, 4])  // test_scatternd
    #expect(try OpTesting.shape("ScatterElements", [[1, 5], [1, 2], [1, 2]]) == [1, 5])
    let eye = try OpTesting.infer("EyeLike", [[3, 4]], ["dtype": .int(11)]).outputs[0]
    #expect(eye.shape == [3, 4] && eye.dataType == .float64)  // test_eyelike_with_dtype
  }

  @Test func nonZeroHasAnUnknownCountUnlessTheInputIsKnown() throws {
    #expect(try OpTesting.shape("NonZero", [[2, 2]]) == [2, .unknown])
    // test_nonzero_example: [[1, 0], [1, 1]] → rows [0, 1, 1], columns [0, 0, 1].
    let known = ConstantTensor(dataType: .int64, dims: [2, 2], values: .ints([1, 0, 1, 1]))
    let out = try OpTesting.infer("NonZero", [[2, 2]], constants: [0: known]).outputs[0]
    #expect(out.shape == [2, 3])
    #expect(out.constant?.ints == [0, 1, 1, 0, 0, 1])
  }

  @Test func nonMaxSuppressionSelectsAnUnknownNumberOfTriples() throws {
    #expect(try OpTesting.shape("NonMaxSuppression", [[1, 6, 4], [1, 1, 6], [1], [1], [1]]) == [.unknown, 3])
  }

  @Test func oneHotInsertsTheDepth() throws {
    let depth = ConstantTensor(dataType: .float32, dims: [], values: .floats([10]))
    #expect(try OpTesting.shape("OneHot", [[2, 2], [], [2]], ["axis": .int(1)], constants: [1: depth]) == [2, 10, 2])
    #expect(
      try OpTesting.shape("OneHot", [[2, 2], [], [2]], ["axis": .int(-2)], constants: [1: depth]) == [2, 10, 2])
    #expect(try OpTesting.shape("OneHot", [[3], [], [2]], constants: [1: depth]) == [3, 10])
    #expect(try OpTesting.shape("OneHot", [[3], [], [2]]) == [3, .unknown])
  }

  @Test func compressCountsTrueConditions() throws {
    let condition = ConstantTensor(dataType: .bool, dims: [3], values: .ints([0, 1, 1]))
    // compress_0
    #expect(try OpTesting.shape("Compress", [[3, 2], [3]], ["axis": .int(0)], constants: [1: condition]) == [2, 2])
    let flat = ConstantTensor(dataType: .bool, dims: [5], values: .ints([0, 1, 0, 0, 1]))
    #expect(try OpTesting.shape("Compress", [[3, 2], [5]], constants: [1: flat]) == [2])  // test_compress_default_axis
    #expect(try OpTesting.shape("Compress", [[3, 2], [2]], ["axis": .int(-1)]) == [3, .unknown])
  }
}
