import ConvScope
import Foundation
import Testing

/// The graphs the Caffe importer produces from deploy prototxts.
@Suite struct CaffeImporterTests {
  static func fixture(_ name: String) throws -> Graph {
    try CaffeImporter().importGraph(from: Fixtures.data("caffe/\(name)"), fileName: name, directory: nil)
  }

  static func graph(_ text: String) throws -> Graph {
    try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "deploy.prototxt", directory: nil)
  }

  static func node(_ graph: Graph, _ name: String) -> Node? { graph.nodes.first { $0.name == name } }

  @Test func alexNetLayersBecomeOnnxOpsWithCaffeRounding() throws {
    let graph = try Self.fixture("bvlc_alexnet.prototxt")
    #expect(graph.name == "AlexNet")
    #expect(graph.inputs.map(\.shape) == [[10, 3, 227, 227]])
    let conv1 = try #require(Self.node(graph, "conv1"))
    #expect(conv1.opType == "Conv")
    #expect(conv1.attributes["kernel_shape"] == .ints([11, 11]))
    #expect(conv1.attributes["strides"] == .ints([4, 4]))
    #expect(try graph.dims("conv1.weight") == [96, 3, 11, 11])
    let conv2 = try #require(Self.node(graph, "conv2"))
    #expect(conv2.attributes["group"] == .int(2))
    #expect(conv2.attributes["pads"] == .ints([2, 2, 2, 2]))
    #expect(try graph.dims("conv2.weight") == [256, 48, 5, 5])
    let pool1 = try #require(Self.node(graph, "pool1"))
    #expect(pool1.opType == "MaxPool")
    #expect(pool1.attributes["ceil_mode"] == .int(1), "Caffe rounds pooling output up")
    let norm1 = try #require(Self.node(graph, "norm1"))
    #expect(norm1.opType == "LRN")
    #expect(norm1.attributes["size"] == .int(5))
    // fc6 flattens 256x6x6 and multiplies by a [4096, 9216] weight (transB).
    let fc6 = try #require(Self.node(graph, "fc6"))
    #expect(fc6.opType == "Gemm")
    #expect(fc6.attributes["transB"] == .int(1))
    #expect(try graph.dims("fc6.weight") == [4096, 256 * 6 * 6])
    #expect(graph.nodes.first { $0.sourceLayer == "fc6" && $0.opType == "Flatten" } != nil)
    #expect(try graph.dims(try #require(Self.node(graph, "fc7")).inputs[1]) == [4096, 4096])
  }

  @Test func inPlaceLayersGetTheirOwnTensors() throws {
    let graph = try Self.fixture("bvlc_alexnet.prototxt")
    // relu1 reads and writes blob "conv1": in the graph it reads tensor conv1 and writes relu1.
    let relu1 = try #require(Self.node(graph, "relu1"))
    #expect(relu1.inputs == ["conv1"])
    #expect(relu1.outputs == ["relu1"])
    #expect(Self.node(graph, "norm1")?.inputs == ["relu1"])
    var producers: Set<String> = []
    for output in graph.nodes.flatMap(\.outputs) {
      #expect(producers.insert(output).inserted, "\(output) written twice")
    }
    #expect(graph.outputs.map(\.name) == ["prob"])
  }

  @Test func batchNormAndScaleBecomeOneBatchNormalization() throws {
    let graph = try Self.fixture("resnet50.prototxt")
    #expect(graph.inputs.map(\.shape) == [[1, 3, 224, 224]], "old-style input: / input_dim: header")
    let bn = try #require(Self.node(graph, "bn_conv1"))
    #expect(bn.opType == "BatchNormalization")
    #expect(bn.inputs == ["conv1", "scale_conv1.gamma", "scale_conv1.beta", "bn_conv1.mean", "bn_conv1.variance"])
    #expect(bn.inputs.map { graph.initializerRoles[$0] } == [nil, nil, nil, .statistic, .statistic])
    #expect(Self.node(graph, "scale_conv1") == nil)
    #expect(Self.node(graph, "res2a_branch1")?.inputs.count == 2, "bias_term: false")
    // torchvision's ResNet-50 has 25,557,032 parameters; this file's conv1 also has a bias (64),
    // which torchvision's lacks. The statistics are 2 per BN channel. The channel counts are
    // the op rules' to complete (Caffe does not write them).
    let completed = try Analyzer.completingWeights(graph)
    let trainable = completed.initializers.filter { graph.initializerRoles[$0.key] == nil }.map(\.value.elementCount)
    #expect(trainable.reduce(0, +) == 25_557_032 + 64)
    let statistics = completed.initializers.filter { graph.initializerRoles[$0.key] == .statistic }.map(
      \.value.elementCount)
    #expect(statistics.reduce(0, +) == 2 * 26_560)  // 26,560 BN channels, as Keras' ResNet50 has
  }

  @Test func v1LayersAndLowerCaseDataLayerAreRead() throws {
    let graph = try Self.fixture("vgg16.prototxt")
    #expect(graph.inputs.map(\.shape) == [[10, 3, 224, 224]])
    #expect(Self.node(graph, "conv1_1")?.opType == "Conv")
    #expect(Self.node(graph, "relu1_1")?.opType == "Relu")
    #expect(Self.node(graph, "fc8")?.opType == "Gemm")
    #expect(Self.node(graph, "prob")?.opType == "Softmax")
    // VGG-16: 138,357,544 parameters (Simonyan & Zisserman; Netscope's total too).
    let completed = try Analyzer.completingWeights(graph)
    #expect(completed.initializers.values.map(\.elementCount).reduce(0, +) == 138_357_544)
  }

  @Test func squeezeNetConcatAndGlobalAveragePool() throws {
    let graph = try Self.fixture("squeezenet_v1.0.prototxt")
    #expect(graph.inputs.map(\.shape) == [[10, 3, 227, 227]], "input: with input_shape { dim }")
    #expect(Self.node(graph, "fire2/concat")?.opType == "Concat")
    #expect(
      Self.node(graph, "fire2/concat")?.attributes["axis"] == nil
        || Self.node(graph, "fire2/concat")?.attributes["axis"] == .int(1))
    #expect(Self.node(graph, "pool10")?.opType == "GlobalAveragePool")
    #expect(Self.node(graph, "drop9")?.opType == "Dropout")
  }

  @Test func rectangularDilatedWindowsAndV1Enums() throws {
    let graph = try Self.graph(
      """
      input: "data"
      input_dim: 1 input_dim: 4 input_dim: 32 input_dim: 24
      layers { name: "conv" type: CONVOLUTION bottom: "data" top: "conv"
        convolution_param { num_output: 8 kernel_h: 3 kernel_w: 5 pad_h: 1 pad_w: 2 stride_h: 2 stride_w: 1 dilation: 2 group: 2 } }
      layers { name: "pool" type: POOLING bottom: "conv" top: "pool" pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }
      layers { name: "act" type: TANH bottom: "pool" top: "pool" }
      layers { name: "ip" type: INNER_PRODUCT bottom: "pool" top: "ip" inner_product_param { num_output: 10 bias_term: false } }
      """)
    let conv = try #require(Self.node(graph, "conv"))
    #expect(conv.attributes["kernel_shape"] == .ints([3, 5]))
    #expect(conv.attributes["pads"] == .ints([1, 2, 1, 2]))
    #expect(conv.attributes["strides"] == .ints([2, 1]))
    #expect(conv.attributes["dilations"] == .ints([2, 2]))
    #expect(try graph.dims("conv.weight") == [8, 2, 3, 5])
    let pool = try #require(Self.node(graph, "pool"))
    #expect(pool.opType == "AveragePool")
    #expect(pool.attributes["count_include_pad"] == .int(1), "Caffe's average counts the padding")
    #expect(Self.node(graph, "act")?.opType == "Tanh")
    #expect(Self.node(graph, "ip")?.inputs.count == 2)
  }

  @Test func smallNetWithEveryOtherLayerKind() throws {
    let graph = try Self.graph(
      """
      name: "kinds"
      layer { name: "data" type: "Input" top: "data" top: "aux" input_param { shape { dim: 1 dim: 8 dim: 12 dim: 12 } shape { dim: 1 dim: 4 dim: 6 dim: 6 } } }
      layer { name: "split" type: "Split" bottom: "data" top: "a" top: "b" }
      layer { name: "slice" type: "Slice" bottom: "a" top: "s1" top: "s2" slice_param { axis: 1 slice_point: 3 } }
      layer { name: "prod" type: "Eltwise" bottom: "b" bottom: "b" top: "p" eltwise_param { operation: PROD } }
      layer { name: "deconv" type: "Deconvolution" bottom: "p" top: "up" convolution_param { num_output: 4 kernel_size: 2 stride: 2 bias_term: false } }
      layer { name: "crop" type: "Crop" bottom: "up" bottom: "aux" top: "cropped" crop_param { axis: 2 offset: 1 } }
      layer { name: "prelu" type: "PReLU" bottom: "s1" top: "s1" }
      layer { name: "power" type: "Power" bottom: "s2" top: "pw" power_param { power: 2 scale: 0.5 } }
      layer { name: "scale" type: "Scale" bottom: "pw" top: "sc" scale_param { bias_term: true } }
      layer { name: "flat" type: "Flatten" bottom: "sc" top: "f" }
      layer { name: "reshape" type: "Reshape" bottom: "f" top: "r" reshape_param { shape { dim: 0 dim: -1 dim: 5 } } }
      """)
    #expect(graph.inputs.map(\.name) == ["data", "aux"])
    // Slice points become one Slice per top: [0, 3) and [3, end), the end being the analysis' to know.
    let pieces = graph.nodes.filter { $0.sourceLayer == "slice" }
    #expect(pieces.map(\.opType) == ["Slice", "Slice"])
    #expect(pieces.map { graph.initializers[$0.inputs[1]]?.ints } == [[0], [3]])
    #expect(pieces.map { graph.initializers[$0.inputs[2]]?.ints } == [[3], [Int.max]])
    #expect(Self.node(graph, "prod")?.inputs == ["data", "data"], "Split's tops are its bottom")
    #expect(try graph.dims("deconv.weight") == [8, 4, 2, 2])
    #expect(graph.nodes.filter { $0.sourceLayer == "crop" }.map(\.opType) == ["Shape", "Slice", "Add", "Slice"])
    #expect(try graph.dims("prelu.slope") == [3, 1, 1])
    #expect(graph.nodes.filter { $0.sourceLayer == "power" }.map(\.opType) == ["Mul", "Pow"])
    #expect(try graph.dims("scale.gamma") == [5, 1, 1])
    #expect(Self.node(graph, "reshape")?.opType == "Reshape")
  }
}
