import ConvScope
import Foundation
import Testing

@Suite("Spec importer: translation to ONNX nodes")
struct SpecImporterTests {
  /// The seed table's first layers, written as the article writes shapes (H x W x C).
  static let seedHead = """
    layout: HWC
    input: {shape: [57, 57, 1]}
    layers:
      - {name: Conv1, op: conv, filters: 16, kernel: [1, 5], stride: 1, padding: same}
      - {name: Conv2, op: conv, filters: 16, kernel: [5, 1], stride: 1, padding: same, note: "article slip"}
      - {name: MaxPool1, op: maxpool, kernel: 2, stride: 2, padding: same}
    """

  @Test func inputShapeIsConvertedFromTheLayoutToNCHW() throws {
    let graph = try SpecTesting.graph(Self.seedHead)
    #expect(graph.inputs.count == 1)
    #expect(graph.inputs[0].name == "input")
    // HWC 57x57x1 without batch → ONNX N x C x H x W with batch 1.
    #expect(graph.inputs[0].shape == [1, 1, 57, 57])
    #expect(graph.layout == .hwc)
  }

  @Test func convBecomesONNXConvWithWeightAndBias() throws {
    let graph = try SpecTesting.graph(Self.seedHead)
    let conv = try #require(graph.node("Conv1"))
    #expect(conv.opType == "Conv")
    #expect(conv.inputs == ["input", "Conv1.weight", "Conv1.bias"])
    #expect(conv.attributes["kernel_shape"] == .ints([1, 5]))
    #expect(conv.attributes["strides"] == .ints([1, 1]))
    #expect(conv.attributes["auto_pad"] == .string("SAME_UPPER"))
    #expect(conv.attributes["pads"] == nil)
    // ONNX weight layout [Cout, Cin/group, kh, kw]; Cin = 1 from the input.
    #expect(try graph.dims("Conv1.weight") == [16, 1, 1, 5])
    #expect(try graph.dims("Conv1.bias") == [16])
  }

  @Test func theChannelCountFollowsTheLayers() throws {
    // Conv2 reads Conv1's 16 channels (the article's 5*1*1*16 is a slip).
    let graph = try SpecTesting.graph(Self.seedHead)
    #expect(graph.node("Conv2")?.inputs.first == "Conv1")
    #expect(try graph.dims("Conv2.weight") == [16, 16, 5, 1])
    #expect(graph.node("Conv2")?.note == "article slip")
  }

  @Test func poolBecomesMaxPoolWithSamePadding() throws {
    let pool = try #require(try SpecTesting.graph(Self.seedHead).node("MaxPool1"))
    #expect(pool.opType == "MaxPool")
    #expect(pool.inputs == ["Conv2"])
    #expect(pool.attributes["kernel_shape"] == .ints([2, 2]))
    #expect(pool.attributes["strides"] == .ints([2, 2]))
    #expect(pool.attributes["auto_pad"] == .string("SAME_UPPER"))
  }

  @Test func poolStrideDefaultsToTheKernel() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 8, 8]}
      layers: [{name: p, op: avgpool, kernel: [2, 4], ceil_mode: true, count_include_pad: false}]
      """)
    let pool = try #require(graph.node("p"))
    #expect(pool.opType == "AveragePool")
    #expect(pool.attributes["strides"] == .ints([2, 4]))
    #expect(pool.attributes["ceil_mode"] == .int(1))
    #expect(pool.attributes["count_include_pad"] == .int(0))
  }

  @Test(arguments: [
    ("1", AttributeValue.ints([1, 1, 1, 1])),
    ("[1, 2]", .ints([1, 2, 1, 2])),  // per axis: H both sides 1, W both sides 2
    ("[0, 1, 2, 3]", .ints([0, 1, 2, 3])),  // [top, left, bottom, right] = ONNX begins then ends
  ])
  func explicitPaddingBecomesPads(written: String, pads: AttributeValue) throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 16, 16]}
      layers: [{name: c, op: conv, filters: 4, kernel: 3, padding: \(written)}]
      """)
    #expect(graph.node("c")?.attributes["pads"] == pads)
    #expect(graph.node("c")?.attributes["auto_pad"] == nil)
  }

  @Test(arguments: [("valid", "VALID"), ("same", "SAME_UPPER"), ("same_lower", "SAME_LOWER")])
  func paddingWordsBecomeAutoPad(written: String, autoPad: String) throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 16, 16]}
      layers: [{name: c, op: conv, filters: 4, kernel: 3, padding: \(written)}]
      """)
    #expect(graph.node("c")?.attributes["auto_pad"] == .string(autoPad))
  }

  @Test func activationAppendsANodeGroupedUnderTheLayer() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 16, 16]}
      layers:
        - {name: c1, op: conv, filters: 4, kernel: 3, activation: relu, bias: false}
        - {name: c2, op: conv, filters: 2, kernel: 1}
      """)
    let conv = try #require(graph.node("c1"))
    let relu = try #require(graph.node("c1/relu"))
    #expect(conv.inputs == ["input", "c1.weight"])  // bias: false
    #expect(graph.initializers["c1.bias"] == nil)
    #expect(relu.opType == "Relu")
    #expect(relu.inputs == ["c1"])
    #expect(conv.sourceLayer == "c1" && relu.sourceLayer == "c1")
    // The next layer reads the activation's output; single-node layers have no group.
    #expect(graph.node("c2")?.inputs.first == "c1/relu")
    #expect(graph.node("c2")?.sourceLayer == nil)
  }

  @Test func denseFlattensARank4InputAndSizesItsWeightFromTheTrackedShape() throws {
    // Seed tail: 8x8x32 → MaxPool4 (same) → 4x4x32 → FC1 512: K = 4*4*32 = 512.
    let graph = try SpecTesting.graph(
      """
      layout: HWC
      input: {shape: [8, 8, 32]}
      layers:
        - {name: MaxPool4, op: maxpool, kernel: 2, stride: 2, padding: same}
        - {name: FC1, op: dense, units: 512}
        - {name: FC2, op: dense, units: 4, bias: false}
      """)
    let flatten = try #require(graph.node("FC1/flatten"))
    #expect(flatten.opType == "Flatten")
    #expect(flatten.attributes["axis"] == .int(1))
    let gemm = try #require(graph.node("FC1"))
    #expect(gemm.opType == "Gemm")
    #expect(gemm.inputs == ["FC1/flatten", "FC1.weight", "FC1.bias"])
    #expect(try graph.dims("FC1.weight") == [4 * 4 * 32, 512])
    // A rank-2 input needs no Flatten.
    #expect(graph.node("FC2/flatten") == nil)
    #expect(graph.node("FC2")?.inputs == ["FC1", "FC2.weight"])
    #expect(try graph.dims("FC2.weight") == [512, 4])
  }

  @Test func validConvolutionsShrinkTheMapsTheDenseLayerSees() throws {
    // LeNet-5: 32 → conv5 valid 28 → pool 14 → conv5 valid 10 → pool 5; K = 5*5*16 = 400.
    let graph = try SpecTesting.graph(
      """
      layout: HWC
      input: {shape: [32, 32, 1]}
      layers:
        - {op: conv, filters: 6, kernel: 5}
        - {op: maxpool, kernel: 2}
        - {op: conv, filters: 16, kernel: 5, padding: valid}
        - {op: maxpool, kernel: 2}
        - {name: F5, op: dense, units: 120}
      """)
    #expect(try graph.dims("conv_2.weight") == [16, 6, 5, 5])
    #expect(try graph.dims("F5.weight") == [5 * 5 * 16, 120])
    #expect(graph.nodes.map(\.name) == ["conv_1", "maxpool_1", "conv_2", "maxpool_2", "F5/flatten", "F5"])
  }

  @Test func depthwiseConvUsesOneGroupPerChannel() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 32, 14, 14]}
      layers: [{name: dw, op: depthwise_conv, kernel: 3, padding: same, depth_multiplier: 2}]
      """)
    #expect(graph.node("dw")?.attributes["group"] == .int(32))
    #expect(try graph.dims("dw.weight") == [64, 1, 3, 3])
  }

  @Test func convTransposeHasWeightCinByCoutPerGroup() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 16, 7, 7]}
      layers:
        - {name: up, op: deconv, filters: 8, kernel: 4, stride: 2, padding: 1}
        - {name: fc, op: dense, units: 1}
      """)
    #expect(graph.node("up")?.opType == "ConvTranspose")
    #expect(try graph.dims("up.weight") == [16, 8, 4, 4])
    // out = 2*(7-1) + 4 - 1 - 1 = 14; K = 8*14*14.
    #expect(try graph.dims("fc.weight") == [8 * 14 * 14, 1])
  }

  @Test func batchNormHasFourPerChannelTensors() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 24, 8, 8]}
      layers: [{name: bn, op: batchnorm, epsilon: 0.001}]
      """)
    let bn = try #require(graph.node("bn"))
    #expect(bn.opType == "BatchNormalization")
    #expect(bn.inputs == ["input", "bn.scale", "bn.bias", "bn.mean", "bn.var"])
    #expect(bn.attributes["epsilon"] == .float(0.001))
    for name in bn.inputs.dropFirst() { #expect(try graph.dims(name) == [24]) }
  }

  @Test func concatAxisIsWrittenInTheLayout() throws {
    let graph = try SpecTesting.graph(
      """
      layout: NHWC
      input: {shape: [1, 8, 8, 4]}
      layers:
        - {name: a, op: conv, filters: 4, kernel: 1}
        - {name: b, op: conv, filters: 6, kernel: 1, inputs: input}
        - {name: channels, op: concat, inputs: [a, b]}
        - {name: last, op: concat, inputs: [a, b], axis: -1}
        - {name: height, op: concat, inputs: [a, a], axis: 1}
        - {name: fc, op: dense, units: 2, inputs: channels}
      """)
    #expect(graph.node("channels")?.attributes["axis"] == .int(1))  // default: channels
    #expect(graph.node("last")?.attributes["axis"] == .int(1))  // NHWC's C is ONNX axis 1
    #expect(graph.node("height")?.attributes["axis"] == .int(2))  // NHWC's H is ONNX axis 2
    #expect(try graph.dims("fc.weight") == [(4 + 6) * 8 * 8, 2])
  }

  @Test func elementwiseAddsAndSumsForMoreThanTwo() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 4, 8, 8]}
      layers:
        - {name: a, op: relu}
        - {name: b, op: sigmoid, inputs: input}
        - {name: two, op: add, inputs: [a, b]}
        - {name: three, op: add, inputs: [a, b, two]}
      """)
    #expect(graph.node("two")?.opType == "Add")
    #expect(graph.node("two")?.inputs == ["a", "b"])
    #expect(graph.node("three")?.opType == "Sum")
  }

  @Test func relu6IsClipWithConstantBounds() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 4, 8, 8]}
      layers: [{name: r, op: relu6}, {name: s, op: swish}, {name: l, op: leaky_relu, alpha: 0.1}]
      """)
    let clip = try #require(graph.node("r"))
    #expect(clip.opType == "Clip")
    #expect(clip.inputs == ["input", "r.min", "r.max"])
    #expect(graph.initializers["r.max"]?.values == .floats([6]))
    #expect(graph.node("s/sigmoid")?.opType == "Sigmoid")
    #expect(graph.node("s")?.opType == "Mul")
    #expect(graph.node("l")?.attributes["alpha"] == .float(0.1))
  }

  @Test func repeatBlocksExpandNamesAndReferences() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 8, 8, 8]}
      layers:
        - repeat: 2
          layers:
            - {name: "c{i}", op: conv, filters: 8, kernel: 3, padding: same}
            - {name: act, op: relu}
            - {name: skip, op: add, inputs: [act, "c{i}"]}
      """)
    #expect(graph.nodes.map(\.name) == ["c1", "act_1", "skip_1", "c2", "act_2", "skip_2"])
    #expect(graph.node("skip_2")?.inputs == ["act_2", "c2"])
    #expect(graph.node("c2")?.inputs.first == "skip_1")
    #expect(graph.outputs.map(\.name) == ["skip_2"])
  }

  @Test func rawONNXOpsKeepTheirAttributesAndWeights() throws {
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - name: c
          op: Conv
          attributes: {kernel_shape: [3, 3], pads: [1, 1, 1, 1], auto_pad: NOTSET}
          weights: [[4, 3, 3, 3], [4]]
        - {name: r, op: Reshape, weights: [{shape: [2], dtype: int64, values: [1, -1]}]}
      """)
    let conv = try #require(graph.node("c"))
    #expect(conv.opType == "Conv")
    #expect(conv.attributes["kernel_shape"] == .ints([3, 3]))
    #expect(conv.attributes["auto_pad"] == .string("NOTSET"))
    #expect(conv.inputs == ["input", "c.input1", "c.input2"])
    #expect(try graph.dims("c.input1") == [4, 3, 3, 3])
    #expect(graph.initializers["r.input1"] == .int64s([1, -1]))
  }

  @Test func reshapeAndTransposeAreWrittenInTheLayout() throws {
    let graph = try SpecTesting.graph(
      """
      layout: HWC
      input: {shape: [4, 6, 8]}
      layers:
        - {name: t, op: transpose, perm: [1, 0, 2]}
        - {name: r, op: reshape, shape: [24, 8]}
      """)
    // HWC written axes are ONNX axes [2, 3, 1]; swapping H and W swaps ONNX 2 and 3.
    #expect(graph.node("t")?.attributes["perm"] == .ints([0, 1, 3, 2]))
    // The target is written as HWC writes shapes, without the batch (0 = copy it):
    // [24, 8] is W x C, so ONNX [N, C, W] = [0, 8, 24].
    #expect(graph.initializers["r.shape"] == .int64s([0, 8, 24]))
  }

  @Test func jsonSpecsReadLikeYAML() throws {
    let graph = try SpecTesting.graph(
      """
      {"name": "tiny", "input": {"shape": [1, 3, 4, 4]},
       "layers": [{"name": "c", "op": "conv", "filters": 2, "kernel": 3, "padding": 1}]}
      """, file: "tiny.json")
    #expect(graph.name == "tiny")
    #expect(try graph.dims("c.weight") == [2, 3, 3, 3])
  }

  @Test func recognizesSpecsButNotKerasModels() {
    let importer = SpecImporter()
    #expect(importer.recognizes(fileName: "net.yaml", prefix: Data("layers: []".utf8)))
    #expect(importer.recognizes(fileName: "net.json", prefix: Data(#"{"layers": []}"#.utf8)))
    #expect(!importer.recognizes(fileName: "model.json", prefix: Data(#"{"class_name": "Sequential"}"#.utf8)))
    #expect(!importer.recognizes(fileName: "model.onnx", prefix: Data([8, 7])))
  }

  @Test func modelLoaderReadsTheExamples() throws {
    let (graph, format) = try ModelLoader.standard.load(path: Fixtures.example("lenet5.yaml").path)
    #expect(format == .spec)
    #expect(graph.name == "lenet5")
  }
}
