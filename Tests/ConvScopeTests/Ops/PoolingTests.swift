import ConvScope
import Testing

@Suite struct PoolingTests {
  @Test func resnetStemMaxPool() throws {
    // 3x3 stride 2 pad 1 on 112: (112-3+1+1)/2+1 = 56.5 → 56; each output compares 3*3-1 = 8 times.
    let out = try OpTesting.infer(
      "MaxPool", [[1, 64, 112, 112]],
      ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])])
    #expect(out.outputs[0].shape == [1, 64, 56, 56])
    #expect(out.cost == Cost(compares: 64 * 56 * 56 * (3 * 3 - 1)))
    #expect(out.shapeFormulas[0] == "(112-3+1+1)/2+1 = 56.5 → 56 (floor)")
  }

  @Test func caffeStyleCeilModeRoundsUp() throws {
    // GoogLeNet pool1 (Caffe, ceil): (112-3+0+0)/2+1 = 55.5 → 56.
    let out = try OpTesting.infer(
      "MaxPool", [[1, 64, 112, 112]], ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "ceil_mode": .int(1)])
    #expect(out.outputs[0].shape == [1, 64, 56, 56])
    #expect(out.window?.ceilMode == true)
    #expect(out.shapeFormulas[0] == "(112-3+0+0)/2+1 = 55.5 → 56 (ceil)")
  }

  @Test func maxPoolIndicesAreInt64() throws {
    // ONNX maxpool_with_argmax_2d_precomputed_strides: storage_order 1, two outputs.
    let out = try OpTesting.infer(
      "MaxPool", [[1, 1, 5, 5]], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "storage_order": .int(1)])
    #expect(out.outputs.map(\.shape) == [[1, 1, 2, 2], [1, 1, 2, 2]])
    #expect(out.outputs[1].dataType == .int64)
    #expect(throws: OpError.self) {
      try OpTesting.infer("MaxPool", [[1, 1, 5, 5]], ["kernel_shape": .ints([2, 2]), "storage_order": .int(2)])
    }
  }

  @Test func averagePoolAddsAndDividesOncePerOutput() throws {
    // ONNX averagepool_2d_strides: (32-5)/3+1 = 10; 5*5-1 = 24 adds and 1 divide per output.
    let out = try OpTesting.infer(
      "AveragePool", [[1, 3, 32, 32]], ["kernel_shape": .ints([5, 5]), "strides": .ints([3, 3])])
    #expect(out.outputs[0].shape == [1, 3, 10, 10])
    #expect(out.cost == Cost(adds: 3 * 10 * 10 * 24, divides: 3 * 10 * 10))
  }

  @Test func averagePoolSaysWhetherItIsAdaptiveOnlyWhenTheImporterKnows() throws {
    let window: [String: AttributeValue] = ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])]
    let onnx = try OpTesting.infer("AveragePool", [[1, 8, 4, 4]], window)
    #expect(onnx.parameters.adaptivePool == nil)
    let adaptive = try OpTesting.infer("AveragePool", [[1, 8, 4, 4]], window.merging(["adaptive": .int(1)]) { $1 })
    let plain = try OpTesting.infer("AveragePool", [[1, 8, 4, 4]], window.merging(["adaptive": .int(0)]) { $1 })
    #expect(adaptive.parameters.adaptivePool == true && plain.parameters.adaptivePool == false)
    // The flag changes nothing else.
    #expect(adaptive.cost == onnx.cost && plain.outputs == onnx.outputs)
  }

  @Test func averagePoolDilationsBeforeOpset19AreFlagged() throws {
    let attributes: [String: AttributeValue] = ["kernel_shape": .ints([2, 2]), "dilations": .ints([2, 2])]
    let old = try OpTesting.infer("AveragePool", [[1, 1, 4, 4]], attributes, opset: 18)
    #expect(old.warnings.contains { $0.contains("opset 19") })
    let current = try OpTesting.infer("AveragePool", [[1, 1, 4, 4]], attributes, opset: 19)
    #expect(current.warnings.isEmpty)
    #expect(current.outputs[0].shape == [1, 1, 2, 2])  // k' = 3: (4-3)/1+1 = 2
  }

  @Test func lpPoolCountsPowsAndRoots() throws {
    // ONNX lppool_2d_default: 31x31 windows of 4 taps: 4 pows + 1 root, 3 adds each.
    let out = try OpTesting.infer("LpPool", [[1, 3, 32, 32]], ["kernel_shape": .ints([2, 2]), "p": .int(4)])
    #expect(out.outputs[0].shape == [1, 3, 31, 31])
    #expect(out.cost == Cost(adds: 3 * 31 * 31 * 3, others: 3 * 31 * 31 * 5))
  }

  @Test func globalPoolsReduceTheWholeSpatialExtent() throws {
    // ResNet-50 head: 2048 channels of 7x7.
    let average = try OpTesting.infer("GlobalAveragePool", [[1, 2048, 7, 7]])
    #expect(average.outputs[0].shape == [1, 2048, 1, 1])
    #expect(average.cost == Cost(adds: 2048 * (7 * 7 - 1), divides: 2048))
    let max = try OpTesting.infer("GlobalMaxPool", [[2, 16, 4, 5, 6]])
    #expect(max.outputs[0].shape == [2, 16, 1, 1, 1])
    #expect(max.cost == Cost(compares: 2 * 16 * (4 * 5 * 6 - 1)))
    let lp = try OpTesting.infer("GlobalLpPool", [[1, 8, 3, 3]])
    #expect(lp.cost == Cost(adds: 8 * (9 - 1), others: 8 * (9 + 1)))
  }

  @Test func missingKernelShapeIsAnError() {
    #expect(throws: OpError.self) { try OpTesting.infer("MaxPool", [[1, 1, 5, 5]]) }
    #expect(throws: OpError.self) { try OpTesting.infer("AveragePool", [[1, 5]], ["kernel_shape": .ints([2])]) }
  }
}

@Suite struct RoiPoolTests {
  @Test func oneMapPerBox() throws {
    // Fast R-CNN: 128 boxes pooled to 7x7 over 512 channels.
    let maxRoi = try OpTesting.infer("MaxRoiPool", [[1, 512, 38, 50], [128, 5]], ["pooled_shape": .ints([7, 7])])
    #expect(maxRoi.outputs[0].shape == [128, 512, 7, 7])
    #expect(maxRoi.cost == .zero && !maxRoi.warnings.isEmpty)  // data-dependent: said, not guessed
    // RoiAlign (ONNX roialign_aligned_false): X 1x1x10x10, rois 3x4, output 5x5.
    let align = try OpTesting.infer(
      "RoiAlign", [[1, 1, 10, 10], [3, 4], [3]], ["output_height": .int(5), "output_width": .int(5)],
      types: [.float32, .float32, .int64])
    #expect(align.outputs[0].shape == [3, 1, 5, 5])
    #expect(throws: OpError.self) {
      try OpTesting.infer("MaxRoiPool", [[1, 512, 38, 50], [128, 4]], ["pooled_shape": .ints([7, 7])])
    }
  }
}

/// Caffe pooling layers against the Netscope CNN Analyzer's per-layer numbers at batch 1
/// (/work/shared/reference/caffe/NAME.netscope.json, an independent tool; Caffe rounds pooling
/// output up, so these are `ceil_mode = 1`). Netscope counts one comparison (max) or one add
/// (average) per tap and no divide; ConvScope counts taps - 1 per window, plus one divide for an
/// average, so ConvScope's count + one per output = Netscope's.
@Suite struct CaffePoolingAgainstNetscopeTests {
  struct Layer: CustomTestStringConvertible, Sendable {
    var name: String, op: String, channels: Int, input: Int, kernel: Int, stride: Int
    var output: Int, netscope: Int
    var testDescription: String { name }

    init(_ name: String, _ op: String, c: Int, in input: Int, k: Int, s: Int, out: Int, netscope: Int) {
      (self.name, self.op, channels, self.input, kernel, stride, output, self.netscope) =
        (name, op, c, input, k, s, out, netscope)
    }
  }

  static let layers: [Layer] = [
    Layer("resnet50 pool1", "MaxPool", c: 64, in: 112, k: 3, s: 2, out: 56, netscope: 1_806_336),
    Layer("bvlc_alexnet pool1", "MaxPool", c: 96, in: 55, k: 3, s: 2, out: 27, netscope: 629_856),
    Layer("bvlc_alexnet pool5", "MaxPool", c: 256, in: 13, k: 3, s: 2, out: 6, netscope: 82_944),
    Layer("squeezenet_v1.0 pool1", "MaxPool", c: 96, in: 111, k: 3, s: 2, out: 55, netscope: 2_613_600),
    Layer("resnet50 pool5", "AveragePool", c: 2048, in: 7, k: 7, s: 1, out: 1, netscope: 100_352),
  ]

  @Test(arguments: layers) func shapesAndCountsAgree(_ layer: Layer) throws {
    let out = try OpTesting.infer(
      layer.op, [[1, Dim.fixed(layer.channels), Dim.fixed(layer.input), Dim.fixed(layer.input)]],
      [
        "kernel_shape": .ints([layer.kernel, layer.kernel]), "strides": .ints([layer.stride, layer.stride]),
        "ceil_mode": .int(1),
      ])
    #expect(out.outputs[0].shape == [1, Dim.fixed(layer.channels), Dim.fixed(layer.output), Dim.fixed(layer.output)])
    let windows = layer.channels * layer.output * layer.output
    let perTap = layer.op == "MaxPool" ? out.cost.compares : out.cost.adds
    #expect(perTap + windows == layer.netscope)
  }

  @Test func globalAverageAgrees() throws {
    // squeezenet_v1.0 pool10 (global_pooling: true): 1000 channels of 15x15, Netscope add 225_000.
    let out = try OpTesting.infer("GlobalAveragePool", [[1, 1000, 15, 15]])
    #expect(out.outputs[0].shape == [1, 1000, 1, 1])
    #expect(out.cost.adds + 1000 == 225_000)
    #expect(out.cost.divides == 1000)
  }
}
