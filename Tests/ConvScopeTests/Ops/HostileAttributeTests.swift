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

/// Window arithmetic on absurd spatial sizes (a Caffe input dim of INT64_MIN trapped the CLI).
@Suite struct HostileWindowTests {
  @Test func aNegativeSpatialSizeIsAnError() {
    #expect(throws: OpError.self) {
      try OpTesting.infer("Conv", [[1, 1, .fixed(Int.min), 8], [1, 1, 3, 3]])
    }
  }

  @Test func aHugeUnevenWindowFormulaDoesNotTrap() throws {
    // Input height 2^61, kernel 1, stride 3: floor((2^61 - 1) / 3) + 1 rows; 2^61 - 1 is not a
    // multiple of 3, so the formula prints the real quotient (about 7.7e17), which used to be
    // converted to Int hundredths (7.7e19) and trap.
    let out = try OpTesting.infer("Conv", [[1, 1, .fixed(1 << 61), 1], [1, 1, 1, 1]], ["strides": .ints([3, 1])])
    #expect(out.outputs[0].shape == [1, 1, .fixed((1 << 61 - 1) / 3 + 1), 1])
    #expect(out.warnings.contains { $0.contains("floor leaves the last 1 input element unread") })
  }
}

/// Attention with 4-D inputs of zero heads divided by zero (`qHeads % kvHeads`).
@Suite struct HostileAttentionTests {
  @Test func zeroKeyValueHeadsIsAnError() {
    #expect(throws: OpError.self) {
      try OpTesting.infer("Attention", [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    }
  }
}

/// Doubles near or past `Int.max` that used to be converted with `Int(...)` and trap.
@Suite struct HostileDoubleConversionTests {
  @Test func anIntegerRangeEndingNearInt64MaxIsNotFolded() throws {
    // Range(9223372036854775000, INT64_MAX, 700): ceil(807 / 700) = 2 elements. In Double the
    // second, 9223372036854775700, rounds to 2^63, which no Int holds; the values stay unfolded.
    let out = try OpTesting.infer(
      "Range", [[1], [1], [1]],
      constants: [0: .int64s([9_223_372_036_854_775_000]), 1: .int64s([Int.max]), 2: .int64s([700])])
    #expect(out.outputs[0].shape == [2])
    #expect(out.outputs[0].constant == nil)
  }

  @Test func resizeToSizesNearInt64MaxKeepingTheAspectRatioIsAnError() {
    #expect(throws: OpError.self) {
      try OpTesting.infer(
        "Resize", [[1, 3, 8, 8], nil, nil, [2]],
        ["keep_aspect_ratio_policy": .string("not_smaller"), "axes": .ints([2, 3])],
        constants: [3: .int64s([Int.max, Int.max])])
    }
  }
}

/// Error messages must not do unchecked arithmetic on the values they report.
@Suite struct HostileMessageArithmeticTests {
  @Test func convWithAnAbsurdPerGroupWeightChannelCountIsAnError() {
    // W [3, 2^62, 1, 1] with group 3: 2^62 * 3 input channels overflowed while writing the message.
    #expect(throws: OpError.self) {
      try OpTesting.infer("Conv", [[1, 3, 8, 8], [3, .fixed(1 << 62), 1, 1]], ["group": .int(3)])
    }
  }

  @Test func gatherNDWithTheMostNegativeBatchDimsIsAnError() throws {
    // The message used to print rank - batch_dims, which overflows for INT64_MIN.
    let error = try #require(throws: OpError.self) {
      try OpTesting.infer("GatherND", [[2, 2], [1, 1]], ["batch_dims": .int(Int.min)], types: [.float32, .int64])
    }
    #expect(error.field == "batch_dims")
  }
}

/// `Where` with a fourth, higher-rank constant input: the folding indexed past the output's rank.
@Suite struct HostileWhereTests {
  @Test func whereWithFourInputsIsAnError() {
    #expect(throws: OpError.self) {
      try OpTesting.infer(
        "Where", [[3], [3], [3], [2, 2, 2]],
        constants: [
          0: .int64s([1, 0, 1]), 1: .int64s([1, 2, 3]), 2: .int64s([4, 5, 6]),
          3: ConstantTensor(dataType: .float32, dims: [2, 2, 2], values: .floats(Array(repeating: 0, count: 8))),
        ])
    }
  }
}
