import ConvScope
import Testing

/// More ONNX spec shape rules, each expected shape worked out from the operator page
/// (onnx.ai/onnx/operators) in the comment above it.
@Suite struct SpecShapeEdgeCaseTests {
  private let ints = ConstantTensor.int64s

  @Test func convTransposeOutputShape() throws {
    // ConvTranspose output_shape: pads derived; SAME_UPPER with output_padding.
    #expect(
      try OpTesting.shape(
        "ConvTranspose", [[1, 1, 3, 3], [1, 2, 3, 3]], ["strides": .ints([3, 2]), "output_shape": .ints([10, 8])]) == [
          1, 2, 10, 8,
        ])
    #expect(
      try OpTesting.shape(
        "ConvTranspose", [[1, 1, 3, 3], [1, 2, 3, 3]], ["strides": .ints([3, 2]), "output_padding": .ints([1, 1])]) == [
          1, 2, 10, 8,
        ])
    #expect(try OpTesting.shape("ConvTranspose", [[1, 4, 3, 3], [4, 1, 3, 3]], ["group": .int(2)]) == [1, 2, 5, 5])
  }

  @Test func einsumDiagonalReductionAndOuterProduct() throws {
    // Einsum diagonal, full reduction, ellipsis in the middle, outer product.
    #expect(try OpTesting.shape("Einsum", [[4, 4]], ["equation": .string("ii->i")]) == [4])
    #expect(try OpTesting.shape("Einsum", [[4, 5]], ["equation": .string("ij->")]) == [])
    #expect(try OpTesting.shape("Einsum", [[2, 3, 4, 5]], ["equation": .string("i...j->j...i")]) == [5, 3, 4, 2])
    #expect(try OpTesting.shape("Einsum", [[3], [4]], ["equation": .string("i,j->ij")]) == [3, 4])
    #expect(try OpTesting.shape("Einsum", [[2, 3, 4]], ["equation": .string("b i j -> b j i")]) == [2, 4, 3])
  }

  @Test func gemmColumnAndScalarC() throws {
    // Gemm with C [M, 1] and scalar C.
    #expect(try OpTesting.shape("Gemm", [[4, 8], [16, 8], [4, 1]], ["transB": .int(1)]) == [4, 16])
    #expect(try OpTesting.shape("Gemm", [[4, 8], [8, 16], []]) == [4, 16])
  }

  @Test func sliceWithNegativeAxes() throws {
    // Slice with negative axes and an empty slice at the end.
    #expect(
      try OpTesting.infer(
        "Slice", [[2, 10, 6], [1], [1], [1]], constants: [1: ints([-3]), 2: ints([Int.max]), 3: ints([-1])]
      ).outputs[0].shape == [2, 10, 3])
    #expect(
      try OpTesting.infer(
        "Slice", [[2, 10, 6], [2], [2], [2], [2]],
        constants: [1: ints([0, 1]), 2: ints([-1, 100]), 3: ints([2, 0]), 4: ints([2, 3])]
      ).outputs[0].shape == [1, 10, 3])
  }

  @Test func splitByInputAndNumOutputs() throws {
    // Split opset 13 with a split input; opset 18 num_outputs 4 of 10 -> 3,3,3,1.
    #expect(
      try OpTesting.infer("Split", [[6, 2], [2]], constants: [1: ints([2, 4])], opset: 13).outputs.map(\.shape) == [
        [2, 2], [4, 2],
      ])
    #expect(
      try OpTesting.infer("Split", [[10]], ["num_outputs": .int(4)], opset: 18, outputs: 4).outputs.map(\.shape) == [
        [3], [3], [3], [1],
      ])
  }

  @Test func splitEquallyOverOutputs() throws {
    // Split without split or num_outputs (opset 13): equal parts over the node's outputs (3 in OpTesting).
    #expect(try OpTesting.infer("Split", [[9]], opset: 13).outputs.map(\.shape) == [[3], [3], [3]])
  }

  @Test func padAttributeBeforeOpset11() throws {
    // Pad before opset 11: pads is an attribute.
    #expect(
      try OpTesting.infer("Pad", [[1, 3, 4, 4]], ["pads": .ints([0, 0, 1, 1, 0, 0, 1, 1])], opset: 2).outputs[0].shape
        == [1, 3, 6, 6])
  }

  @Test func squeezeAndUnsqueezeNegativeAxes() throws {
    // Squeeze with negative axes, Unsqueeze with unsorted negative axes.
    #expect(
      try OpTesting.infer("Squeeze", [[1, 3, 1, 5], [1]], constants: [1: ints([-2])], opset: 13).outputs[0].shape == [
        1, 3, 5,
      ])
    #expect(
      try OpTesting.infer("Unsqueeze", [[3, 4], [2]], constants: [1: ints([-1, 0])], opset: 13).outputs[0].shape == [
        1, 3, 4, 1,
      ])
  }

  @Test func spaceToDepthAndDefaultTranspose() throws {
    // SpaceToDepth, Transpose default perm.
    #expect(try OpTesting.shape("SpaceToDepth", [[1, 2, 4, 6]], ["blocksize": .int(2)]) == [1, 8, 2, 3])
    #expect(try OpTesting.shape("Transpose", [[2, 3, 4]]) == [4, 3, 2])
  }

  @Test func reshapeZeroCopiesAndAllowZero() throws {
    // Reshape with 0 (copy) and allowzero.
    #expect(
      try OpTesting.infer("Reshape", [[2, 3, 4], [3]], constants: [1: ints([0, -1, 2])]).outputs[0].shape == [2, 6, 2])
    #expect(
      try OpTesting.infer("Reshape", [[0, 3], [2]], ["allowzero": .int(1)], constants: [1: ints([3, 0])]).outputs[0]
        .shape == [3, 0])
  }

  @Test func resizeNotLargerRounds() throws {
    // Resize with sizes and axes, not_larger rounding: 7x9 into 4x4 -> scale 4/9, round(7*4/9)=round(3.11)=3.
    #expect(
      try OpTesting.infer(
        "Resize", [[1, 1, 7, 9], nil, nil, [2]],
        ["axes": .ints([2, 3]), "keep_aspect_ratio_policy": .string("not_larger")], constants: [3: ints([4, 4])],
        opset: 18
      ).outputs[0].shape == [1, 1, 3, 4])
  }

  @Test func layerNormalizationDefaultAxis() throws {
    // LayerNormalization: axis defaults to -1.
    #expect(
      try OpTesting.infer("LayerNormalization", [[2, 3, 4], [4], [4]], opset: 17).outputs.dropFirst().map(\.shape) == [
        [2, 3, 1], [2, 3, 1],
      ])
  }

  @Test func flattenRankOne() throws {
    // Flatten rank 1 axis 0/1.
    #expect(try OpTesting.shape("Flatten", [[5]], ["axis": .int(0)]) == [1, 5])
    #expect(try OpTesting.shape("Flatten", [[5]]) == [5, 1])
  }

  @Test func matMulOneDimensionalLeftBroadcasts() throws {
    // MatMul batch broadcast with 1-D left.
    #expect(try OpTesting.shape("MatMul", [[3], [2, 3, 4]]) == [2, 4])
  }

  @Test func reduceAxesAndEmptyAxes() throws {
    // ReduceMean keepdims=0 with negative axes; noop_with_empty_axes.
    #expect(
      try OpTesting.infer(
        "ReduceMean", [[2, 3, 4], [1]], ["keepdims": .int(0)], constants: [1: ints([-1])], opset: 18
      ).outputs[0].shape == [2, 3])
    #expect(
      try OpTesting.infer("ReduceSum", [[2, 3, 4]], ["noop_with_empty_axes": .int(1)], opset: 13).outputs[0].shape == [
        2, 3, 4,
      ])
    #expect(try OpTesting.infer("ReduceSum", [[2, 3, 4]], opset: 13).outputs[0].shape == [1, 1, 1])
  }

  @Test func convOneAndThreeDimensional() throws {
    // Conv 1-D and 3-D.
    #expect(try OpTesting.shape("Conv", [[1, 2, 10], [4, 2, 3]], ["pads": .ints([1, 1])]) == [1, 4, 10])
    #expect(
      try OpTesting.shape(
        "Conv", [[1, 2, 8, 8, 8], [4, 1, 3, 3, 3]], ["group": .int(2), "strides": .ints([2, 2, 2])]) == [1, 4, 3, 3, 3])
  }

  @Test func gatherWithNegativeAxis() throws {
    // Gather with negative axis, scalar index.
    #expect(
      try OpTesting.infer("Gather", [[5, 6, 7], []], ["axis": .int(-2)], constants: [1: .scalar(2)]).outputs[0].shape
        == [5, 7])
  }

  @Test func concatNegativeAxis() throws {
    // Concat negative axis.
    #expect(try OpTesting.shape("Concat", [[2, 3], [2, 5]], ["axis": .int(-1)]) == [2, 8])
  }

  @Test func expandBroadcastsBothWays() throws {
    // Expand with broadcasting both ways.
    #expect(
      try OpTesting.infer("Expand", [[3, 1], [3]], constants: [1: ints([2, 1, 6])]).outputs[0].shape == [2, 3, 6])
  }

  @Test func tile() throws {
    // Tile.
    #expect(try OpTesting.infer("Tile", [[2, 3], [2]], constants: [1: ints([2, 3])]).outputs[0].shape == [4, 9])
  }

  @Test func topK() throws {
    // TopK.
    #expect(
      try OpTesting.infer("TopK", [[3, 10], [1]], ["axis": .int(-1)], constants: [1: ints([4])]).outputs.prefix(2).map(
        \.shape) == [[3, 4], [3, 4]])
  }

  @Test func argMaxWithoutKeepdims() throws {
    // ArgMax keepdims=0, select_last_index.
    #expect(try OpTesting.shape("ArgMax", [[3, 10]], ["axis": .int(1), "keepdims": .int(0)]) == [3])
  }

  @Test func maxPoolDilations() throws {
    // MaxPool with dilations: (10 - ((3-1)*2+1)) / 1 + 1 = 6.
    #expect(
      try OpTesting.shape("MaxPool", [[1, 1, 10, 10]], ["kernel_shape": .ints([3, 3]), "dilations": .ints([2, 2])]) == [
        1, 1, 6, 6,
      ])
  }

  @Test func averagePoolSameUpperStride() throws {
    // AveragePool SAME_UPPER with stride.
    #expect(
      try OpTesting.shape(
        "AveragePool", [[1, 1, 7, 7]],
        ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "auto_pad": .string("SAME_UPPER")]) == [1, 1, 4, 4])
  }
}
