import ConvScope
import Testing

/// Edge cases of the ONNX operator spec (onnx.ai/onnx/operators), each expected value
/// derived by hand from the spec's text in the comment above it.
@Suite struct SpecEdgeCaseTests {
  private let ints = ConstantTensor.int64s

  // Conv, auto_pad: SAME_* gives ceil(in/stride) whatever the dilation; VALID gives
  // ceil((in - ((k-1)*d+1) + 1) / stride).
  @Test func convAutoPadWithDilation() throws {
    let same = try OpTesting.infer(
      "Conv", [[1, 1, 10, 10], [1, 1, 3, 3]],
      ["auto_pad": .string("SAME_UPPER"), "strides": .ints([2, 2]), "dilations": .ints([2, 2])])
    #expect(same.outputs[0].shape == [1, 1, 5, 5])  // ceil(10/2) = 5
    #expect(same.cost.macs == 5 * 5 * 1 * 3 * 3)
    let lower = try OpTesting.shape(
      "Conv", [[1, 1, 10, 10], [1, 1, 3, 3]], ["auto_pad": .string("SAME_LOWER"), "dilations": .ints([3, 3])])
    #expect(lower == [1, 1, 10, 10])
    let valid = try OpTesting.shape(
      "Conv", [[1, 1, 10, 10], [1, 1, 3, 3]],
      ["auto_pad": .string("VALID"), "strides": .ints([2, 2]), "dilations": .ints([2, 2])])
    #expect(valid == [1, 1, 3, 3])  // ceil((10 - 5 + 1) / 2) = 3
  }

  // ConvTranspose: SAME_* gives output = input * stride; otherwise
  // stride*(in-1) + output_padding + ((k-1)*d+1) - pads.
  @Test func convTransposeAutoPadWithDilation() throws {
    let same = try OpTesting.shape(
      "ConvTranspose", [[1, 1, 5, 5], [1, 1, 3, 3]],
      ["auto_pad": .string("SAME_UPPER"), "strides": .ints([2, 2]), "dilations": .ints([2, 2])])
    #expect(same == [1, 1, 10, 10])
    let plain = try OpTesting.shape(
      "ConvTranspose", [[1, 1, 5, 5], [1, 1, 3, 3]], ["strides": .ints([2, 2]), "dilations": .ints([2, 2])])
    #expect(plain == [1, 1, 13, 13])  // 2*4 + 0 + 5 - 0
  }

  // AveragePool ceil_mode: ceil((6 - 3) / 2) + 1 = 3; count_include_pad changes no shape.
  @Test func averagePoolCeilModeAndPadding() throws {
    let ceil = try OpTesting.shape(
      "AveragePool", [[1, 1, 6, 6]], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)])
    #expect(ceil == [1, 1, 3, 3])
    let include = try OpTesting.shape(
      "AveragePool", [[1, 1, 5, 5]],
      ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(1)])
    #expect(include == [1, 1, 5, 5])
    // ConvScope counts every tap, padding included (Pooling.swift), so count_include_pad
    // changes only the divisor's value: 25 windows of 3*3 taps, 8 adds and 1 divide each.
    for flag in [0, 1] {
      let pool = try OpTesting.infer(
        "AveragePool", [[1, 1, 5, 5]],
        ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1]), "count_include_pad": .int(flag)])
      #expect(pool.cost.adds == 25 * (3 * 3 - 1) && pool.cost.divides == 25)
    }
    // ceil((4 + 1 - 2) / 2) + 1 = 3 windows, but the third starts at 4, in the right
    // padding: "sliding windows that would start in the right padded region are ignored".
    let padStart = try OpTesting.shape(
      "MaxPool", [[1, 1, 4, 4]],
      ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([0, 0, 1, 1]), "ceil_mode": .int(1)])
    #expect(padStart == [1, 1, 2, 2])
  }

  // Resize (opset 18) with axes and keep_aspect_ratio_policy: scale = min (not_larger)
  // or max (not_smaller) of sizes[i]/in[i] over the axes, out = round(in * scale).
  @Test func resizeKeepAspectRatio() throws {
    let sizes = ints([50, 50])
    let notLarger = try OpTesting.infer(
      "Resize", [[1, 3, 100, 200], nil, nil, [2]],
      ["axes": .ints([2, 3]), "keep_aspect_ratio_policy": .string("not_larger")], constants: [3: sizes], opset: 18)
    #expect(notLarger.outputs[0].shape == [1, 3, 25, 50])  // scale min(0.5, 0.25)
    let notSmaller = try OpTesting.infer(
      "Resize", [[1, 3, 100, 200], nil, nil, [2]],
      ["axes": .ints([-2, -1]), "keep_aspect_ratio_policy": .string("not_smaller")], constants: [3: sizes], opset: 18)
    #expect(notSmaller.outputs[0].shape == [1, 3, 50, 100])  // scale max(0.5, 0.25)
  }

  // Pad: negative pads remove elements; with axes (opset 18) pads covers those axes only.
  @Test func padNegativeAndAxes() throws {
    let crop = try OpTesting.infer(
      "Pad", [[1, 3, 10, 10], [8]], constants: [1: ints([0, 0, -1, -2, 0, 0, -3, 1])], opset: 13)
    #expect(crop.outputs[0].shape == [1, 3, 6, 9])  // 10-1-3, 10-2+1
    let axes = try OpTesting.infer(
      "Pad", [[1, 3, 10, 10], [2], nil, [1]], constants: [1: ints([1, 2]), 3: ints([-1])], opset: 18)
    #expect(axes.outputs[0].shape == [1, 3, 10, 13])
  }

  // Slice: starts/ends clamp to [0, dim] for positive steps and [-1, dim-1] for
  // negative steps; count = max(0, ceil((end - start) / step)).
  @Test func sliceNegativeStepsAndOutOfRange() throws {
    func slice(_ starts: Int, _ ends: Int, _ step: Int) throws -> Shape {
      try OpTesting.infer(
        "Slice", [[10], [1], [1], [1], [1]],
        constants: [1: ints([starts]), 2: ints([ends]), 3: ints([0]), 4: ints([step])]
      ).outputs[0].shape
    }
    #expect(try slice(-1, Int(Int32.min), -1) == [10])  // reverse all: 9...0
    #expect(try slice(20, 0, -2) == [5])  // start clamps to 9: 9, 7, 5, 3, 1
    #expect(try slice(-100, 100, 1) == [10])
    #expect(try slice(5, 2, 1) == [0])
    #expect(try slice(Int.max, Int.min, -3) == [4])  // 9, 6, 3, 0
  }

  // Split (opset 18) num_outputs: chunks of ceil(n / num_outputs), the last smaller.
  @Test func splitNumOutputsUneven() throws {
    let split = try OpTesting.infer("Split", [[1, 10]], ["axis": .int(1), "num_outputs": .int(3)], opset: 18)
    #expect(split.outputs.map(\.shape) == [[1, 4], [1, 4], [1, 2]])
  }

  // Gemm: C unidirectionally broadcasts to (M, N); transA reads A as (K, M).
  @Test func gemmOneDimensionalBias() throws {
    let gemm = try OpTesting.infer("Gemm", [[8, 4], [8, 16], [16]], ["transA": .int(1)])
    #expect(gemm.outputs[0].shape == [4, 16])
    #expect(gemm.cost.macs == 4 * 16 * 8)
  }

  // MatMul follows numpy.matmul: a 1-D first operand gains then loses a leading 1,
  // a 1-D second operand a trailing 1.
  @Test func matMulOneDimensionalOperands() throws {
    let vm = try OpTesting.infer("MatMul", [[3], [3, 4]])
    #expect(vm.outputs[0].shape == [4])
    #expect(vm.cost.macs == 3 * 4)
    #expect(try OpTesting.shape("MatMul", [[2, 3, 4], [4]]) == [2, 3])
    #expect(try OpTesting.shape("MatMul", [[3], [3]]) == [])
    #expect(try OpTesting.shape("MatMul", [[5, 1, 2, 3], [7, 3, 4]]) == [5, 7, 2, 4])
  }

  // Einsum: the ellipsis dims broadcast like numpy; the implicit output is the
  // ellipsis then the letters seen once, in alphabetical order.
  @Test func einsumBroadcastingEllipsis() throws {
    let explicit = try OpTesting.infer(
      "Einsum", [[2, 1, 3, 4], [5, 4, 6]], ["equation": .string("...ij,...jk->...ik")])
    #expect(explicit.outputs[0].shape == [2, 5, 3, 6])
    #expect(explicit.cost.macs == 2 * 5 * 3 * 6 * 4)
    let implicit = try OpTesting.shape("Einsum", [[2, 1, 3, 4], [5, 4, 6]], ["equation": .string("...ij,...jk")])
    #expect(implicit == [2, 5, 3, 6])
  }

  // Squeeze without axes removes every dim of size 1.
  @Test func squeezeWithoutAxes() throws {
    #expect(try OpTesting.shape("Squeeze", [[1, 3, 1, 5]]) == [3, 5])
  }

  // Flatten: (prod(dims[..<axis]), prod(dims[axis...])); axis 0 gives (1, all).
  @Test func flattenAxisBounds() throws {
    #expect(try OpTesting.shape("Flatten", [[2, 3, 4]], ["axis": .int(0)]) == [1, 24])
    #expect(try OpTesting.shape("Flatten", [[2, 3, 4]], ["axis": .int(3)]) == [24, 1])
    #expect(try OpTesting.shape("Flatten", [[2, 3, 4]], ["axis": .int(-1)]) == [6, 4])
  }

  // DepthToSpace: DCR and CRD differ in element order only: (N, C/b², H*b, W*b).
  @Test func depthToSpaceModes() throws {
    for mode in ["DCR", "CRD"] {
      let out = try OpTesting.shape(
        "DepthToSpace", [[1, 8, 2, 3]], ["blocksize": .int(2), "mode": .string(mode)])
      #expect(out == [1, 2, 4, 6])
    }
  }

  // LayerNormalization axis -2 normalises the last two dims; Mean and InvStdDev keep
  // the leading dims and have 1 for each normalised one.
  @Test func layerNormalizationNegativeAxis() throws {
    let ln = try OpTesting.infer(
      "LayerNormalization", [[2, 3, 4, 5], [4, 5], [4, 5]], ["axis": .int(-2)], opset: 17)
    #expect(ln.outputs[0].shape == [2, 3, 4, 5])
    #expect(ln.outputs.dropFirst().map(\.shape) == [[2, 3, 1, 1], [2, 3, 1, 1]])
  }
}
