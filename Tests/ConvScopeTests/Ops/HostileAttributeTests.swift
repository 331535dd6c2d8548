import ConvScope
import Testing

/// Regression tests for op inputs that used to trap (found by feeding hostile ONNX models to the CLI).
/// Each must give a clean result or an `OpError`, never a crash.
@Suite struct HostileAttributeTests {
  @Test func sliceWithTheMostNegativeStepTakesOneElement() throws {
    // Slice of a 4-vector with start INT64_MAX, end INT64_MIN, step INT64_MIN: ONNX clamps the
    // start to 3 and the end to -1; a step of -2^63 reaches only index 3, one element.
    let out = try OpTesting.infer(
      "Slice", [[4], [1], [1], [1], [1]],
      constants: [
        0: .int64s([1, 2, 3, 4]), 1: .int64s([Int.max]), 2: .int64s([Int.min]), 3: .int64s([0]),
        4: .int64s([Int.min]),
      ])
    #expect(out.outputs[0].shape == [1])
    #expect(out.outputs[0].constant == .int64s([4]))
  }

  @Test func splitSizesThatOverflowAreAnError() {
    let huge = 1 << 62
    #expect(throws: OpError.self) {
      try OpTesting.infer("Split", [[2, 8], [2]], ["axis": .int(1)], constants: [1: .int64s([huge, huge])])
    }
  }
}
