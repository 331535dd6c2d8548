import ConvScope
import Testing

/// Expected dims come from ONNX's backend node tests (named per case) or are derived in the comment.
@Suite struct GatheringTests {
  @Test func gatherReplacesTheAxisWithTheIndicesShape() throws {
    #expect(try OpTesting.shape("Gather", [[5, 4, 3, 2], [3]]) == [3, 4, 3, 2])  // test_gather_0
    #expect(try OpTesting.shape("Gather", [[5, 4, 3, 2], [3]], ["axis": .int(1)]) == [5, 3, 3, 2])  // test_gather_1
    #expect(try OpTesting.shape("Gather", [[3, 3], [1, 2]], ["axis": .int(1)]) == [3, 1, 2])  // test_gather_2d_indices
    #expect(try OpTesting.shape("Gather", [[50257, 768], ["N", 128]]) == ["N", 128, 768])  // an embedding lookup
  }

  @Test func gatherWithAScalarIndexFoldsAndRemovesTheAxis() throws {
    let shape = ConstantTensor.int64s([8, 3, 224, 224])
    let out = try OpTesting.infer("Gather", [[4], []], constants: [0: shape, 1: .scalar(-1)])
    #expect(out.outputs[0].constant == .scalar(224))
    let pair = try OpTesting.infer("Gather", [[4], [2]], constants: [0: shape, 1: .int64s([2, 0])])
    #expect(pair.outputs[0].constant == .int64s([224, 8]))
    #expect(throws: OpError.self) { try OpTesting.infer("Gather", [[4], []], constants: [0: shape, 1: .scalar(4)]) }
  }

  @Test func gatherFoldsRowsOfAMatrix() throws {
    // rows 2 and 0 of [[1, 2], [3, 4], [5, 6]].
    let data = ConstantTensor(dataType: .int64, dims: [3, 2], values: .ints([1, 2, 3, 4, 5, 6]))
    let out = try OpTesting.infer("Gather", [[3, 2], [2]], constants: [0: data, 1: .int64s([2, 0])])
    #expect(out.outputs[0].constant?.values == .ints([5, 6, 1, 2]))
  }

  @Test func gatherElementsAndGatherNDFollowTheIndices() throws {
    #expect(try OpTesting.shape("GatherElements", [[3, 3], [2, 3]]) == [2, 3])  // test_gather_elements_1
    #expect(try OpTesting.shape("GatherND", [[2, 2, 2], [2, 1, 2]]) == [2, 1, 2])  // test_gathernd_example_float32
    #expect(try OpTesting.shape("GatherND", [[2, 2], [2, 2]]) == [2])  // test_gathernd_example_int32
    #expect(try OpTesting.shape("GatherND", [[2, 2, 2], [2, 1]], ["batch_dims": .int(1)]) == [2, 2])  // batch_dim1
  }

  private func slice(_ input: Shape, _ starts: [Int], _ ends: [Int], axes: [Int]? = nil, steps: [Int]? = nil) throws
    -> Shape
  {
    var shapes: [Shape?] = [input, [.fixed(starts.count)], [.fixed(ends.count)]]
    var constants: [Int: ConstantTensor] = [1: .int64s(starts), 2: .int64s(ends)]
    if let axes {
      shapes.append([.fixed(axes.count)])
      constants[3] = .int64s(axes)
    }
    if let steps {
      if axes == nil { shapes.append(nil) }
      shapes.append([.fixed(steps.count)])
      constants[4] = .int64s(steps)
    }
    return try OpTesting.infer("Slice", shapes, constants: constants).outputs[0].shape
  }

  @Test func sliceClampsOutOfRangeBounds() throws {
    #expect(try slice([20, 10, 5], [0, 0], [3, 10], axes: [0, 1], steps: [1, 1]) == [3, 10, 5])  // test_slice
    #expect(try slice([20, 10, 5], [1], [1000], axes: [1], steps: [1]) == [20, 9, 5])  // end_out_of_bounds
    #expect(try slice([20, 10, 5], [1000], [1000], axes: [1], steps: [1]) == [20, 0, 5])  // start_out_of_bounds
    #expect(try slice([20, 10, 5], [0], [-1], axes: [1], steps: [1]) == [20, 9, 5])  // test_slice_neg
    #expect(try slice([20, 10, 5], [0, 0, 3], [20, 10, 4]) == [20, 10, 1])  // test_slice_default_axes
    #expect(try slice([20, 10, 5], [1], [Int.max], axes: [0]) == [19, 10, 5])  // INT64_MAX means "to the end"
  }

  @Test func sliceWithNegativeSteps() throws {
    // test_slice_neg_steps: axis 0: 19 (19..1), axis 1: ceil((0-9)/-3) = 3 (9, 6, 3), axis 2: ceil((1-4)/-2) = 2 (4, 2).
    #expect(try slice([20, 10, 5], [20, 10, 4], [0, 0, 1], axes: [0, 1, 2], steps: [-1, -3, -2]) == [19, 3, 2])
    let formulas = try OpTesting.infer(
      "Slice", [[20, 10, 5], [3], [3], [3], [3]],
      constants: [1: .int64s([20, 10, 4]), 2: .int64s([0, 0, 1]), 3: .int64s([0, 1, 2]), 4: .int64s([-1, -3, -2])]
    ).shapeFormulas
    #expect(formulas == ["ceil((0-19)/-1) = 19", "ceil((0-9)/-3) = 3", "ceil((1-4)/-2) = 2"])
    // Reversal with INT64_MIN as end: the whole axis, backwards.
    #expect(try slice([7], [-1], [Int.min], axes: [0], steps: [-1]) == [7])
  }

  @Test func sliceOfASymbolicAxisKeepsItOnlyWhenWhole() throws {
    #expect(try slice(["N", 10], [0], [Int.max], axes: [0]) == ["N", 10])
    #expect(try slice(["N", 10], [1], [Int.max], axes: [0]) == [.unknown, 10])
    #expect(try slice(["N", 10], [2], [5], axes: [1]) == ["N", 3])
  }

  @Test func sliceOpset1ReadsAttributes() throws {
    let out = try OpTesting.infer(
      "Slice", [[20, 10, 5]], ["starts": .ints([0, 0]), "ends": .ints([3, 10]), "axes": .ints([0, 1])], opset: 9)
    #expect(out.outputs[0].shape == [3, 10, 5])
  }

  @Test func sliceFoldsAReversedVector() throws {
    let out = try OpTesting.infer(
      "Slice", [[4], [1], [1], [1], [1]],
      constants: [
        0: .int64s([1, 2, 3, 4]), 1: .int64s([-1]), 2: .int64s([Int.min]), 3: .int64s([0]), 4: .int64s([-2]),
      ])
    #expect(out.outputs[0].constant == .int64s([4, 2]))
  }

  @Test func splitEqualUnevenAndExplicit() throws {
    let uneven = try OpTesting.infer("Split", [[7]], ["num_outputs": .int(4)], opset: 18, outputs: 4)
    #expect(uneven.outputs.map(\.shape) == [[2], [2], [2], [1]])  // test_split_1d_uneven_split_opset18
    // num_outputs is the node's output count: another count is an error, and a hostile one
    // (2^63 - 1) sized an array of that many parts (found by a hostile-input audit).
    for count in [4, Int.max] {
      #expect(throws: OpError.self) { try OpTesting.infer("Split", [[7]], ["num_outputs": .int(count)], opset: 18) }
    }
    let uneven2d = try OpTesting.infer("Split", [[2, 8]], ["axis": .int(1), "num_outputs": .int(3)], opset: 18)
    #expect(uneven2d.outputs.map(\.shape) == [[2, 3], [2, 3], [2, 2]])  // test_split_2d_uneven_split_opset18
    let equal = try OpTesting.infer("Split", [[2, 6]], ["axis": .int(1)], opset: 13)
    #expect(equal.outputs.map(\.shape) == [[2, 2], [2, 2], [2, 2]])  // one part per node output (3 in OpTesting)
    let explicit = try OpTesting.infer(
      "Split", [[2, 6], [2]], ["axis": .int(1)], constants: [1: .int64s([2, 4])], opset: 13)
    #expect(explicit.outputs.map(\.shape) == [[2, 2], [2, 4]])  // test_split_variable_parts_2d_opset13
    let legacy = try OpTesting.infer("Split", [[6]], ["split": .ints([2, 4])], opset: 11)
    #expect(legacy.outputs.map(\.shape) == [[2], [4]])
    #expect(throws: OpError.self) { try OpTesting.infer("Split", [[6]], ["split": .ints([2, 3])], opset: 11) }
  }

  @Test func splitFoldsParts() throws {
    let out = try OpTesting.infer("Split", [[5], [2]], constants: [0: .int64s([1, 2, 3, 4, 5]), 1: .int64s([3, 2])])
    #expect(out.outputs.map(\.constant) == [.int64s([1, 2, 3]), .int64s([4, 5])])
  }
}
