import ConvScope
import Testing

/// ReverseSequence, TensorScatter, CenterCropPad and Unique against the node tests' dims and
/// the spec's shape rules.
@Suite struct ReorderingTests {
  @Test func reorderingKeepsTheFirstInputsShape() throws {
    // test_reversesequence_batch: 4x4 with 4 lengths → 4x4, copies only.
    let reversed = try OpTesting.infer("ReverseSequence", [[4, 4], [4]], types: [.float32, .int64])
    #expect(reversed.outputs[0].shape == [4, 4])
    #expect(reversed.cost == .zero)
    // test_tensorscatter: cache 2x1x4x5, update 2x1x1x5 along axis -2 → 2x1x4x5.
    let scattered = try OpTesting.infer("TensorScatter", [[2, 1, 4, 5], [2, 1, 1, 5], [2]])
    #expect(scattered.outputs[0].shape == [2, 1, 4, 5])
    // An update longer than the cache, or differing off the axis, does not fit.
    #expect(throws: OpError.self) { try OpTesting.infer("TensorScatter", [[2, 1, 4, 5], [2, 1, 5, 5]]) }
    #expect(throws: OpError.self) { try OpTesting.infer("TensorScatter", [[3, 4, 5], [3, 2, 4]], ["axis": .int(1)]) }
  }

  @Test func centerCropPadSetsTheGivenAxes() throws {
    // test_center_crop_pad_crop_axes_hwc: 20x8x3, shape (10, 9), axes (0, 1) → 10x9x3.
    let hwc = try OpTesting.infer(
      "CenterCropPad", [[20, 8, 3], [2]], ["axes": .ints([0, 1])], constants: [1: .int64s([10, 9])])
    #expect(hwc.outputs[0].shape == [10, 9, 3])
    // test_center_crop_pad_crop_and_pad: all axes, 20x8x3 → 10x10x3.
    let all = try OpTesting.infer("CenterCropPad", [[20, 8, 3], [3]], constants: [1: .int64s([10, 10, 3])])
    #expect(all.outputs[0].shape == [10, 10, 3])
    // test_center_crop_pad_crop_negative_axes_hwc with the shape computed at run time.
    let runtime = try OpTesting.infer("CenterCropPad", [[20, 8, 3], [2]], ["axes": .ints([-3, -2])])
    #expect(runtime.outputs[0].shape == [.unknown, .unknown, 3])
    // A run-time shape input of a billion values (one per dim) is refused, not allocated
    // (found by a hostile-input audit: the process aborted).
    let billion = try #require(throws: OpError.self) {
      try OpTesting.infer("CenterCropPad", [[20, 8, 3], [1_000_000_000]])
    }
    #expect(billion.message == "holds 1000000000 sizes, one per dim: more than 1024, which no shape has")
    #expect(throws: OpError.self) {
      try OpTesting.infer("CenterCropPad", [[20, 8, 3], [2]], constants: [1: .int64s([10, 9])])
    }
  }

  @Test func uniqueLeavesTheDistinctCountUnknown() throws {
    // test_unique_sorted_without_axis: 6 values → Y [?], indices [?], inverse [6], counts [?].
    let flat = try OpTesting.infer("Unique", [[6]])
    #expect(flat.outputs.map(\.shape) == [[.unknown], [.unknown], [6], [.unknown]])
    #expect(flat.outputs.dropFirst().allSatisfy { $0.dataType == .int64 })
    // Sort 6 values: 6 * ceil(log2 6) = 18 compares, then 5 neighbour tests.
    #expect(flat.cost == Cost(compares: 6 * 3 + 5))
    // test_unique_sorted_with_axis_3d: 2x4x2 along axis 1 → 2x?x2; 4 slices of 4 values.
    let slices = try OpTesting.infer("Unique", [[2, 4, 2]], ["axis": .int(1)])
    #expect(slices.outputs.map(\.shape) == [[2, .unknown, 2], [.unknown], [4], [.unknown]])
    #expect(slices.cost == Cost(compares: (4 * 2 + 3) * 4))
    // ceil(log2 n) by bits: 2^40 elements sort in 40 rounds (no loop over doublings that can overflow).
    #expect(try OpTesting.infer("Unique", [Shape([1 << 20, 1 << 20])]).cost.compares == (1 << 40) * 40 + (1 << 40) - 1)
    #expect(throws: OpError.self) { try OpTesting.infer("CenterCropPad", [[4], [1]], constants: [1: .int64s([-1])]) }
    // test_unique_length_1: one element is one distinct value.
    #expect(try OpTesting.infer("Unique", [[1]]).outputs.map(\.shape) == [[1], [1], [1], [1]])
  }
}
