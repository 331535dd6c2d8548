import ConvScope
import Testing

/// Expected dims come from ONNX's backend node tests (named per case) or are derived in the comment.
@Suite struct ResizeTests {
  private func floats(_ v: [Double]) -> ConstantTensor {
    ConstantTensor(dataType: .float32, dims: [v.count], values: .floats(v))
  }

  @Test func resizeByScalesFloorsTheProduct() throws {
    // test_resize_upsample_scales_nearest_axes_2_3: 2x2 by (2, 3) on axes 2, 3 → 4x6.
    let axes = try OpTesting.infer(
      "Resize", [[1, 1, 2, 2], nil, [2]], ["axes": .ints([2, 3])], constants: [2: floats([2, 3])], opset: 19)
    #expect(axes.outputs[0].shape == [1, 1, 4, 6])
    // Downsampling 1x1x2x4 by 0.6: floor(2*0.6) = 1, floor(4*0.6) = 2.
    let down = try OpTesting.infer(
      "Resize", [[1, 1, 2, 4], [0], [4]], constants: [2: floats([1, 1, 0.6, 0.6])], opset: 11)
    #expect(down.outputs[0].shape == [1, 1, 1, 2])
    #expect(down.shapeFormulas == ["floor(2*0.6) = 1", "floor(4*0.6) = 2"])
    let opset10 = try OpTesting.infer("Resize", [[1, 3, 5, 5], [4]], constants: [1: floats([1, 1, 2, 2])], opset: 10)
    #expect(opset10.outputs[0].shape == [1, 3, 10, 10])
  }

  @Test func resizeBySizesTakesThemDirectlyOrKeepsTheAspectRatio() throws {
    let sizes = try OpTesting.infer(
      "Resize", [[1, 1, 2, 2], nil, nil, [4]], constants: [3: .int64s([1, 1, 7, 8])], opset: 13)
    #expect(sizes.outputs[0].shape == [1, 1, 7, 8])  // test_resize_upsample_sizes_nearest
    func keeping(_ policy: String, _ input: Shape, _ target: [Int]) throws -> Shape {
      try OpTesting.infer(
        "Resize", [input, nil, nil, [2]], ["axes": .ints([2, 3]), "keep_aspect_ratio_policy": .string(policy)],
        constants: [3: .int64s(target)], opset: 18
      ).outputs[0].shape
    }
    // not_larger: s = min(7/2, 8/2) = 3.5 → 7x7; not_smaller: s = 4 → 8x8.
    #expect(try keeping("not_larger", [1, 1, 2, 2], [7, 8]) == [1, 1, 7, 7])
    #expect(try keeping("not_smaller", [1, 1, 2, 2], [7, 8]) == [1, 1, 8, 8])
    // Downsampling 2x4 to (1, 3): not_larger s = 1/2 → 1x2; not_smaller s = 3/4 → round(1.5)=2 x 3.
    #expect(try keeping("not_larger", [1, 1, 2, 4], [1, 3]) == [1, 1, 1, 2])
    #expect(try keeping("not_smaller", [1, 1, 2, 4], [1, 3]) == [1, 1, 2, 3])
  }

  @Test func cropAndResizeScalesTheRegionOfInterest() throws {
    // roi [0.4, 0.6] (float32, as a file stores them) on axes 2, 3, scale 5: floor(4 * (0.6-0.4) * 5) = 4.
    let out = try OpTesting.infer(
      "Resize", [[1, 1, 4, 4], [4], [2]],
      ["axes": .ints([2, 3]), "coordinate_transformation_mode": .string("tf_crop_and_resize")],
      constants: [1: floats([0.4, 0.4, 0.6, 0.6].map { Double(Float($0)) }), 2: floats([5, 5])], opset: 18)
    #expect(out.outputs[0].shape == [1, 1, 4, 4])
  }

  @Test func resizeCostDependsOnTheMode() throws {
    let scales = floats([1, 1, 2, 2])
    let nearest = try OpTesting.infer("Resize", [[1, 3, 32, 32], [0], [4]], constants: [2: scales], opset: 13)
    #expect(nearest.cost == .zero)
    let linear = try OpTesting.infer(
      "Resize", [[1, 3, 32, 32], [0], [4]], ["mode": .string("linear")], constants: [2: scales], opset: 13)
    // Bilinear: 3 lerps per output element, each 1 multiply and 2 adds.
    #expect(linear.outputs[0].shape == [1, 3, 64, 64])
    #expect(linear.cost == Cost(adds: 1 * 3 * 64 * 64 * 6, multiplies: 1 * 3 * 64 * 64 * 3))
    let cubic = try OpTesting.infer(
      "Resize", [[1, 3, 32, 32], [0], [4]], ["mode": .string("cubic")], constants: [2: scales], opset: 13)
    // Bicubic: 4 row convolutions + 1 column convolution, each 4 multiplies and 3 adds.
    #expect(cubic.cost == Cost(adds: 1 * 3 * 64 * 64 * 5 * 3, multiplies: 1 * 3 * 64 * 64 * 5 * 4))
  }

  @Test func resizeWithUnknownScalesLeavesTheShapeUnknown() {
    do {
      _ = try OpTesting.infer("Resize", [[1, 3, 8, 8], [0], [4]], opset: 13)
      Issue.record("expected an error")
    } catch let error as OpError {
      #expect(error.isUnknownShape)
    } catch { Issue.record("unexpected \(error)") }
  }

  @Test func upsampleReadsScalesAsAttributeThenInput() throws {
    let v7 = try OpTesting.infer("Upsample", [[1, 1, 2, 2]], ["scales": .floats([1, 1, 2, 3])], opset: 7)
    #expect(v7.outputs[0].shape == [1, 1, 4, 6])
    let v9 = try OpTesting.infer("Upsample", [[1, 1, 2, 2], [4]], constants: [1: floats([1, 1, 2, 3])], opset: 9)
    #expect(v9.outputs[0].shape == [1, 1, 4, 6])  // test_upsample_nearest
  }

  @Test func padAddsBeginAndEnd() throws {
    // test_constant_pad: pads [0, 0, 1, 3, 0, 0, 2, 4] → 4+1+2 = 7, 5+3+4 = 12.
    let modern = try OpTesting.infer("Pad", [[1, 3, 4, 5], [8]], constants: [1: .int64s([0, 0, 1, 3, 0, 0, 2, 4])])
    #expect(modern.outputs[0].shape == [1, 3, 7, 12])
    #expect(modern.shapeFormulas == ["4+1+2 = 7", "5+3+4 = 12"])
    #expect(modern.cost == .zero)
    // test_constant_pad_negative_axes: axes [-3, -1], pads [0, 3, 0, 4] → axis 3: 5+3+4 = 12.
    let axes = try OpTesting.infer(
      "Pad", [[1, 3, 4, 5], [4], nil, [2]], constants: [1: .int64s([0, 3, 0, 4]), 3: .int64s([-3, -1])], opset: 18)
    #expect(axes.outputs[0].shape == [1, 3, 4, 12])
    let legacy = try OpTesting.infer("Pad", [[1, 3, 4, 5]], ["pads": .ints([0, 0, 1, 1, 0, 0, 1, 1])], opset: 2)
    #expect(legacy.outputs[0].shape == [1, 3, 6, 7])  // test_edge_pad dims
    let crop = try OpTesting.infer("Pad", [[1, 3, 4, 5]], ["pads": .ints([0, 0, -1, 0, 0, 0, -1, 0])], opset: 2)
    #expect(crop.outputs[0].shape == [1, 3, 2, 5])
    #expect(throws: OpError.self) {
      try OpTesting.infer("Pad", [[1, 3, 4, 5]], ["pads": .ints([0, 0, -3, 0, 0, 0, -3, 0])], opset: 2)
    }
  }

  @Test func tileAndExpand() throws {
    #expect(
      try OpTesting.shape("Tile", [[2, 3, 4, 5], [4]], constants: [1: .int64s([7, 6, 4, 2])]) == [14, 18, 16, 10])
    let folded = try OpTesting.infer("Tile", [[2], [1]], constants: [0: .int64s([1, 2]), 1: .int64s([2])])
    #expect(folded.outputs[0].constant == .int64s([1, 2, 1, 2]))
    // dim_changed
    #expect(try OpTesting.shape("Expand", [[3, 1], [3]], constants: [1: .int64s([2, 1, 6])]) == [2, 3, 6])
    #expect(try OpTesting.shape("Expand", [[3, 1], [2]], constants: [1: .int64s([3, 4])]) == [3, 4])  // dim_unchanged
    let broadcast = try OpTesting.infer(
      "Expand", [[2, 1], [2]], constants: [0: .int64s([5, 7]).reshaped([2, 1]), 1: .int64s([2, 3])])
    #expect(broadcast.outputs[0].constant?.ints == [5, 5, 5, 7, 7, 7])
    #expect(throws: OpError.self) { try OpTesting.infer("Expand", [[3, 2], [1]], constants: [1: .int64s([4])]) }
  }

  @Test func depthToSpaceAndBack() throws {
    #expect(try OpTesting.shape("DepthToSpace", [[1, 8, 2, 3]], ["blocksize": .int(2)]) == [1, 2, 4, 6])
    #expect(try OpTesting.shape("SpaceToDepth", [[2, 2, 6, 6]], ["blocksize": .int(2)]) == [2, 8, 3, 3])
    #expect(throws: OpError.self) { try OpTesting.infer("SpaceToDepth", [[1, 1, 5, 6]], ["blocksize": .int(2)]) }
  }
}

extension ConstantTensor {
  fileprivate func reshaped(_ dims: [Int]) -> ConstantTensor {
    ConstantTensor(dataType: dataType, dims: dims, values: values)
  }
}
