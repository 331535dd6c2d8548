import ConvScope
import Testing

/// GridSample, AffineGrid, Col2Im, MaxUnpool and DeformConv against the ONNX spec's shape
/// formulas (the node tests' dims) and loops that count the reference implementations' work.
@Suite struct SamplingTests {
  /// GridSample counted location by location: un-normalise r coordinates (1 multiply, 1 add
  /// each; nearest also rounds each), then per channel a weighted sum over the taps a sample reads.
  static func gridSampleCount(batch: Int, channels: Int, locations: Int, rank: Int, mode: String) -> Cost {
    var cost = Cost()
    for _ in 0..<(batch * locations) {
      for _ in 0..<rank {
        cost.multiplies += 1
        cost.adds += 1
        if mode == "nearest" { cost.others += 1 }
      }
      for _ in 0..<channels {
        // neighbours per axis: linear reads 2 (floor, floor + 1), cubic 4 (floor - 1 ... floor + 2).
        let perAxis = mode == "linear" ? 2 : mode == "cubic" ? 4 : 0
        var taps = perAxis == 0 ? 0 : 1
        for _ in 0..<rank { taps *= perAxis }
        cost.macs += taps
      }
    }
    return cost
  }

  @Test func gridSampleTakesTheGridsSpatialDims() throws {
    // test_gridsample_bilinear: X 1x1x3x2, grid 1x2x4x2 → 1x1x2x4.
    for mode in ["linear", "cubic", "nearest"] {
      let out = try OpTesting.infer("GridSample", [[1, 1, 3, 2], [1, 2, 4, 2]], ["mode": .string(mode)], opset: 22)
      #expect(out.outputs[0].shape == [1, 1, 2, 4])
      #expect(out.cost == Self.gridSampleCount(batch: 1, channels: 1, locations: 8, rank: 2, mode: mode))
    }
    // test_gridsample_volumetric_bilinear_align_corners_0: X 1x1x3x2x2, grid 1x2x4x2x3 → 1x1x2x4x2.
    let volume = try OpTesting.infer("GridSample", [[1, 3, 3, 2, 2], [1, 2, 4, 2, 3]], opset: 22)
    #expect(volume.outputs[0].shape == [1, 3, 2, 4, 2])
    #expect(volume.cost == Self.gridSampleCount(batch: 1, channels: 3, locations: 16, rank: 3, mode: "linear"))
    // Opset 16 spells the modes bilinear and bicubic.
    let old = try OpTesting.infer(
      "GridSample", [[1, 1, 3, 2], [1, 2, 4, 2]], ["mode": .string("bicubic")], opset: 16)
    #expect(old.cost == Self.gridSampleCount(batch: 1, channels: 1, locations: 8, rank: 2, mode: "cubic"))
    #expect(throws: OpError.self) { try OpTesting.infer("GridSample", [[1, 1, 3, 2], [1, 2, 4, 3]]) }
  }

  @Test func affineGridReadsTheSizeTensor() throws {
    // test_affine_grid_2d: theta 2x2x3, size (2, 3, 5, 6) → grid 2x5x6x2.
    let out = try OpTesting.infer(
      "AffineGrid", [[2, 2, 3], [4]], constants: [1: .int64s([2, 3, 5, 6])], opset: 20)
    #expect(out.outputs[0].shape == [2, 5, 6, 2])
    var expected = Cost()
    for _ in 0..<(2 * 5 * 6) {
      for _ in 0..<2 {  // each output coordinate: theta row · [x, y] + t
        expected.macs += 2
        expected.adds += 1
      }
    }
    #expect(out.cost == expected)
    // A size computed at run time leaves the spatial dims unknown, the rest known.
    let runtime = try OpTesting.infer("AffineGrid", [[2, 3, 4], [5]], opset: 20)
    #expect(runtime.outputs[0].shape == [2, .unknown, .unknown, .unknown, 3])
  }

  @Test func col2ImDividesTheChannelsByTheBlock() throws {
    // test_col2im_5d: input 1x10x12, image (3, 4, 5), block (1, 1, 5) → C = 10 / 5 = 2.
    let out = try OpTesting.infer(
      "Col2Im", [[1, 10, 12], [3], [3]], constants: [1: .int64s([3, 4, 5]), 2: .int64s([1, 1, 5])])
    #expect(out.outputs[0].shape == [1, 2, 3, 4, 5])
    #expect(out.cost == Cost(adds: 1 * 10 * 12))
    let runtime = try OpTesting.infer("Col2Im", [[1, 5, 5], [2], [2]])
    #expect(runtime.outputs[0].shape == [1, .unknown, .unknown, .unknown])
    #expect(throws: OpError.self) {
      try OpTesting.infer("Col2Im", [[1, 5, 5], [2], [2]], constants: [1: .int64s([5, 5]), 2: .int64s([2, 2])])
    }
  }

  @Test func maxUnpoolInvertsThePoolWindow() throws {
    // test_maxunpool_export_without_output_shape: 2x2, kernel 2, stride 2 → (2-1)*2 - 0 + 2 = 4.
    let out = try OpTesting.infer(
      "MaxUnpool", [[1, 1, 2, 2], [1, 1, 2, 2]], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])],
      types: [.float32, .int64])
    #expect(out.outputs[0].shape == [1, 1, 4, 4])
    #expect(out.cost == .zero)
    let padded = try OpTesting.infer(
      "MaxUnpool", [[1, 1, 3, 3], [1, 1, 3, 3]],
      ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])])
    #expect(padded.outputs[0].shape == Shape([1, 1, (3 - 1) * 2 - 2 + 3, (3 - 1) * 2 - 2 + 3]))
    let given = try OpTesting.infer(
      "MaxUnpool", [[1, 1, 2, 2], [1, 1, 2, 2], [4]], ["kernel_shape": .ints([2, 2])],
      constants: [2: .int64s([1, 1, 5, 5])])
    #expect(given.outputs[0].shape == [1, 1, 5, 5])
    #expect(throws: OpError.self) {
      try OpTesting.infer(
        "MaxUnpool", [[1, 1, 2, 2], [1, 1, 2, 2]], ["kernel_shape": .ints([2, 2]), "pads": .ints([0, 0, Int.min, 0])])
    }
  }

  @Test func deformConvIsAConvPlusBilinearSampling() throws {
    // test_basic_deform_conv_with_padding: X 1x1x3x3, W 1x1x2x2, offset 1x8x4x4, pads 1 → 1x1x4x4.
    let out = try OpTesting.infer(
      "DeformConv", [[1, 1, 3, 3], [1, 1, 2, 2], [1, 8, 4, 4]], ["pads": .ints([1, 1, 1, 1])], opset: 22)
    #expect(out.outputs[0].shape == Shape([1, 1, (3 + 2 - 2) / 1 + 1, 4]))
    #expect(out.inputRoles == [1: .weight, 2: .configuration, 3: .bias, 4: .configuration])
    // Grouped, with a bias and a mask (test_deform_conv_with_mask_bias grown to 2 groups of each kind).
    let masked = try OpTesting.infer(
      "DeformConv", [[1, 2, 3, 3], [4, 1, 2, 2], [1, 16, 2, 2], [4], [1, 8, 2, 2]],
      ["group": .int(2), "offset_group": .int(2)], opset: 22)
    #expect(masked.outputs[0].shape == [1, 4, 2, 2])
    var expected = Cost()
    let (batch, channels, outChannels, group, offsetGroups, taps, positions) = (1, 2, 4, 2, 2, 4, 4)
    for _ in 0..<batch {
      for _ in 0..<positions {
        for _ in 0..<outChannels {
          for _ in 0..<(channels / group) { for _ in 0..<taps { expected.macs += 1 } }
          expected.adds += 1  // bias
        }
        for _ in 0..<channels {
          for _ in 0..<taps {
            expected.macs += 4  // bilinear: four corners
            expected.multiplies += 1  // mask
          }
        }
        for _ in 0..<(offsetGroups * taps) { expected.adds += 2 }  // tap position + (dy, dx)
      }
    }
    #expect(masked.cost == expected)
    #expect(masked.paramFormula == "2*2*1*4+4 = 20")
    #expect(throws: OpError.self) {
      try OpTesting.infer("DeformConv", [[1, 1, 3, 3], [1, 1, 2, 2], [1, 6, 2, 2]])
    }
  }

  @Test func deformConvTrainsLikeAConvAndCountsItsWeight() throws {
    // Behind a Relu (so it does not read the model input): forward + dW + dX = 3 forwards.
    // The stored offset is a fixed sampling pattern: only W is a parameter.
    var b = GraphBuilder(input: [1, 1, 3, 3])
    b.add("Relu", "relu")
    b.add("DeformConv", "deform", weights: [[1, 1, 2, 2], [1, 8, 2, 2]])
    b.output()
    let inference = try Analyzer.analyze(b.graph)
    let forward = try #require(inference.layers.first { $0.name == "deform" })
    #expect(forward.params == 1 * 1 * 2 * 2)
    let training = try TrainingCost.apply(to: inference)
    #expect(training.layers.first { $0.name == "deform" }?.macs == 3 * forward.macs)
  }
}
