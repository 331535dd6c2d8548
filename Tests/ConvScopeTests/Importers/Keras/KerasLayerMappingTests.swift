import ConvScope
import Foundation
import Testing

/// Layer-by-layer mappings on small inline configs; expected weight counts follow Keras'
/// documented weight shapes.
@Suite struct KerasLayerMappingTests {
  typealias K = KerasTesting

  @Test func denseOnASequenceIsMatMulAddOverTheLastKerasAxis() throws {
    // Keras [None, 10, 8] is stored [N, 8, 10]: transpose to Keras order, MatMul, Add, back.
    let json = K.sequential(
      input: "[null, 10, 8]",
      [
        K.layer(
          "Conv1D", "c", #""filters": 8, "kernel_size": 1, "data_format": "channels_last""#, input: "[null, 10, 8]"),
        K.layer("Dense", "d", #""units": 4"#, input: "[null, 10, 8]"),
      ])
    let graph = try K.graph(json)
    #expect(graph.inputs.first?.shape == ["N", 8, 10])
    let dense = graph.nodes.filter { $0.sourceLayer == "d" }
    #expect(dense.map(\.opType) == ["Transpose", "MatMul", "Add", "Transpose"])
    #expect(dense.first?.attributes["perm"] == .ints([0, 2, 1]))
    #expect(try graph.dims("d.kernel") == [8, 4])
    #expect(try K.counts(graph).trainable == (1 * 8 * 8 + 8) + (8 * 4 + 4))
  }

  @Test func sequenceModelWithoutChannelsLastLayersKeepsKerasOrder() throws {
    let json = K.sequential(
      input: "[null, 10, 8]", [K.layer("Dense", "d", #""units": 4, "activation": "softmax""#, input: "[null, 10, 8]")])
    let graph = try K.graph(json)
    #expect(graph.layout == .nchw)
    #expect(graph.inputs.first?.shape == ["N", 10, 8])
    #expect(graph.nodes.map(\.opType) == ["MatMul", "Add", "Softmax"])
    #expect(graph.nodes.last?.attributes["axis"] == .int(2))
  }

  @Test func separableDepthwiseAndTransposedConvolutionWeights() throws {
    let json = K.sequential(
      input: "[null, 16, 16, 3]",
      [
        K.layer(
          "SeparableConv2D", "s", #""filters": 8, "kernel_size": 3, "depth_multiplier": 2, "padding": "same""#,
          input: "[null, 16, 16, 3]"),
        K.layer("DepthwiseConv2D", "d", #""kernel_size": [3, 3], "use_bias": false"#, input: "[null, 16, 16, 8]"),
        K.layer("Conv2DTranspose", "t", #""filters": 4, "kernel_size": 2, "strides": 2"#, input: "[null, 16, 16, 8]"),
      ])
    let graph = try K.graph(json)
    #expect(try graph.dims("s.depthwise_kernel") == [6, 1, 3, 3])  // 3 channels x multiplier 2
    #expect(try graph.dims("s.pointwise_kernel") == [8, 6, 1, 1])
    #expect(try graph.dims("d.depthwise_kernel") == [8, 1, 3, 3])
    #expect(try graph.dims("t.kernel") == [8, 4, 2, 2], "ConvTranspose weights are [Cin, Cout/group, k...]")
    #expect(K.node(graph, "t")?.opType == "ConvTranspose")
    // Keras: 3*3*3*2 + 3*2*8 + 8 = 110; 3*3*8 = 72; 2*2*4*8 + 4 = 132.
    #expect(try K.counts(graph).trainable == 110 + 72 + 132)
  }

  @Test func sharedLayerCountsItsWeightsOnceAndNestedModelsPrefixTheirNodes() throws {
    // tf.keras 2 layout: `shared` is called twice (node indices 0 and 1); `inner` is a nested model.
    let json = #"""
      {"class_name": "Functional", "config": {"name": "outer",
        "layers": [
          {"class_name": "InputLayer", "name": "a", "config": {"name": "a", "batch_input_shape": [null, 6]}, "inbound_nodes": []},
          {"class_name": "InputLayer", "name": "b", "config": {"name": "b", "batch_input_shape": [null, 6]}, "inbound_nodes": []},
          {"class_name": "Dense", "name": "shared", "config": {"name": "shared", "units": 5},
           "build_config": {"input_shape": [null, 6]},
           "inbound_nodes": [[["a", 0, 0, {}]], [["b", 0, 0, {}]]]},
          {"class_name": "Concatenate", "name": "cat", "config": {"name": "cat", "axis": -1},
           "inbound_nodes": [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]},
          {"class_name": "Sequential", "name": "inner", "config": {"name": "inner", "layers": [
              {"class_name": "Dense", "config": {"name": "head", "units": 2}, "build_config": {"input_shape": [null, 10]}}]},
           "inbound_nodes": [[["cat", 0, 0, {}]]]}
        ],
        "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["inner", 0, 0]]}}
      """#
    let graph = try K.graph(json)
    #expect(graph.inputs.map(\.name) == ["a", "b"])
    let shared = graph.nodes.filter { $0.opType == "Gemm" && $0.inputs[1] == "shared.kernel" }
    #expect(shared.map(\.name) == ["shared", "shared#1"])
    #expect(K.node(graph, "inner/head")?.inputs[1] == "inner/head.kernel")
    #expect(try K.counts(graph).trainable == (6 * 5 + 5) + (10 * 2 + 2), "the shared Dense counts once")
    #expect(graph.outputs.map(\.name) == ["inner/head"])
  }

  /// A Keras 3 functional model: MultiHeadAttention(num_heads=2, key_dim=4) on x (query) and
  /// x passed as `value=`, then LayerNormalization.
  static let attentionModel: String = {
    let tensor = { (layer: String) in
      #"{"class_name": "__keras_tensor__", "config": {"shape": [null, 7, 8], "dtype": "float32", "keras_history": ["\#(layer)", 0, 0]}}"#
    }
    return #"""
      {"class_name": "Functional", "config": {"name": "attn", "layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_shape": [null, 7, 8]}, "inbound_nodes": []},
        {"class_name": "MultiHeadAttention", "name": "mha",
         "config": {"name": "mha", "num_heads": 2, "key_dim": 4, "value_dim": null, "use_bias": true, "output_shape": null, "attention_axes": null},
         "inbound_nodes": [{"args": [\#(tensor("x"))], "kwargs": {"value": \#(tensor("x"))}}]},
        {"class_name": "LayerNormalization", "name": "ln", "config": {"name": "ln", "axis": -1, "epsilon": 0.001},
         "inbound_nodes": [{"args": [\#(tensor("mha"))], "kwargs": {}}]}
      ], "input_layers": ["x", 0, 0], "output_layers": ["ln", 0, 0]}}
      """#
  }()

  @Test func keras3CallsWithKeywordTensorsFeedMultiHeadAttention() throws {
    let graph = try K.graph(Self.attentionModel)
    // Keras: query, key and value kernels [8, 2, 4] + biases [2, 4]; output kernel [2, 4, 8] + bias [8].
    let attention = 3 * (8 * 2 * 4 + 2 * 4) + (2 * 4 * 8 + 8)
    #expect(try K.counts(graph).trainable == attention + 2 * 8)
    let ops = graph.nodes.filter { $0.sourceLayer == "mha" }.map(\.opType)
    #expect(ops.filter { $0 == "MatMul" }.count == 6, "3 projections, 2 attention products, 1 output")
    #expect(ops.contains("Softmax"))
    #expect(K.node(graph, "ln")?.attributes["axis"] == .int(2))
  }

  @Test func tfKeras2KeywordTensorsReachAttention() throws {
    // tf.keras 2 writes `mha(q, value=v)` as [[["q", 0, 0, {"value": ["v", 0, 0]}]]].
    let json = #"""
      {"class_name": "Functional", "config": {"name": "attn", "layers": [
        {"class_name": "InputLayer", "name": "q", "config": {"name": "q", "batch_input_shape": [null, 5, 6]}, "inbound_nodes": []},
        {"class_name": "InputLayer", "name": "v", "config": {"name": "v", "batch_input_shape": [null, 9, 10]}, "inbound_nodes": []},
        {"class_name": "MultiHeadAttention", "name": "mha",
         "config": {"name": "mha", "num_heads": 3, "key_dim": 2, "value_dim": 4, "use_bias": false},
         "inbound_nodes": [[["q", 0, 0, {"value": ["v", 0, 0]}]]]}
      ], "input_layers": [["q", 0, 0], ["v", 0, 0]], "output_layers": [["mha", 0, 0]]}}
      """#
    let report = try Analyzer.analyze(try K.graph(json))
    #expect(report.outputs.first?.shape == [1, 5, 6], "the query's length and width")
    // Keras: query [6, 3, 2], key [10, 3, 2], value [10, 3, 4], output [3, 4, 6]; no biases.
    #expect(report.totals.params == 6 * 3 * 2 + 10 * 3 * 2 + 10 * 3 * 4 + 3 * 4 * 6)
  }

  @Test func channelsFirstModelsKeepKerasOrder() throws {
    let json = K.sequential(
      input: "[null, 3, 16, 16]",
      [
        K.layer(
          "Conv2D", "c", #""filters": 8, "kernel_size": 3, "padding": "same", "data_format": "channels_first""#,
          input: "[null, 3, 16, 16]"),
        K.layer("MaxPooling2D", "p", #""pool_size": 2, "data_format": "channels_first""#),
        K.layer("ZeroPadding2D", "z", #""padding": 1, "data_format": "channels_first""#),
      ])
    let graph = try K.graph(json)
    #expect(graph.layout == .nchw)
    #expect(try graph.dims("c.kernel") == [8, 3, 3, 3])
    #expect(graph.initializers["z.pads"]?.ints == [0, 0, 1, 1, 0, 0, 1, 1])
    let report = try Analyzer.analyze(graph)
    #expect(report.outputs.first?.shape == [1, 8, 10, 10])
  }

  @Test func frozenLayersAndMissingGammaAreNotTrainable() throws {
    let json = K.sequential(
      input: "[null, 4, 4, 3]",
      [
        K.layer("Conv2D", "c", #""filters": 2, "kernel_size": 1, "trainable": false"#, input: "[null, 4, 4, 3]"),
        K.layer("BatchNormalization", "bn", #""axis": 3, "scale": false"#, input: "[null, 4, 4, 2]"),
      ])
    let graph = try K.graph(json)
    let counts = try K.counts(graph)
    #expect(counts.trainable == 2, "only beta trains: Keras shows 2 trainable")
    #expect(counts.nonTrainable == (3 * 2 + 2) + 2 * 2, "the frozen conv and the moving statistics")
    // The analysis honours the roles the importer gives: the unit gamma is not counted at all.
    let totals = try Analyzer.analyze(graph).totals
    #expect(totals.params == 2)
    #expect(totals.nonTrainableParams == (3 * 2 + 2) + 2 * 2)
  }

  @Test func reshapePermuteAndPaddingFollowTheGraphOrder() throws {
    let json = K.sequential(
      input: "[null, 4, 6, 3]",
      [
        K.layer("ZeroPadding2D", "p", #""padding": [1, 2], "data_format": "channels_last""#),
        K.layer("Cropping2D", "cr", #""cropping": [[1, 0], [0, 2]], "data_format": "channels_last""#),
        K.layer("Permute", "pe", #""dims": [2, 1, 3]"#),
        K.layer("Reshape", "r", #""target_shape": [-1, 3]"#),
        K.layer("UpSampling1D", "u", #""size": 2"#),
      ])
    let graph = try K.graph(json)
    #expect(graph.initializers["p.pads"]?.ints == [0, 0, 1, 2, 0, 0, 1, 2])
    #expect(graph.initializers["cr.starts"]?.ints == [1, 0])
    #expect(graph.initializers["cr.ends"]?.ints == [Int.max, -2])
    #expect(graph.initializers["cr.axes"]?.ints == [2, 3])
    // Keras Permute((2, 1, 3)) swaps H and W; in [N, C, H, W] that is perm [0, 1, 3, 2].
    #expect(K.node(graph, "pe")?.attributes["perm"] == .ints([0, 1, 3, 2]))
    // Keras target [-1, 3] (channels last) is [0, 3, -1] in graph order.
    #expect(graph.initializers["r.shape"]?.ints == [0, 3, -1])
    #expect(graph.initializers["u.scales"]?.floats == [1, 1, 2])
  }

  @Test func embeddingIsAGatherOfItsTable() throws {
    let json = K.sequential(
      input: "[null, 12]",
      [
        K.layer("Embedding", "e", #""input_dim": 100, "output_dim": 16"#),
        K.layer("GlobalAveragePooling1D", "g", #""data_format": "channels_last""#),
      ])
    let graph = try K.graph(json.replacingOccurrences(of: #""dtype": "float32""#, with: #""dtype": "int32""#))
    #expect(graph.inputs.first?.dataType == .int32)
    #expect(K.node(graph, "e")?.inputs == ["e.embeddings", "in"])
    #expect(try K.counts(graph).trainable == 100 * 16)
  }
}

/// Spatial Keras layers, analysed: output shapes as Keras documents them.
@Suite struct KerasLayerShapeTests {
  @Test func paddingCroppingUpSamplingAndPoolingShapes() throws {
    typealias K = KerasTesting
    let json = K.sequential(
      input: "[null, 10, 12, 3]",
      [
        K.layer("ZeroPadding2D", "pad", #""padding": [[1, 2], [0, 3]], "data_format": "channels_last""#),
        K.layer("Cropping2D", "crop", #""cropping": [[0, 1], [2, 2]], "data_format": "channels_last""#),
        K.layer("UpSampling2D", "up", #""size": [2, 3], "data_format": "channels_last""#),
        K.layer("MaxPooling2D", "pool", #""pool_size": 3, "strides": 2, "padding": "same""#),
        K.layer("GlobalAveragePooling2D", "gap", #""keepdims": true, "data_format": "channels_last""#),
      ])
    let report = try Analyzer.analyze(try K.graph(json))
    let rows = Dictionary(grouping: report.layers) { $0.group ?? $0.name }
    func keras(_ layer: String) -> [Int]? { rows[layer]?.last?.outputs.first?.displayShape.sizes }
    let (paddedH, paddedW) = (10 + 1 + 2, 12 + 0 + 3)
    #expect(keras("pad") == [1, paddedH, paddedW, 3])
    let (croppedH, croppedW) = (paddedH - 1, paddedW - 4)
    #expect(keras("crop") == [1, croppedH, croppedW, 3])
    #expect(keras("up") == [1, croppedH * 2, croppedW * 3, 3])
    #expect(keras("pool") == [1, 12, 17, 3], "same: ceil(24/2), ceil(33/2)")
    #expect(keras("gap") == [1, 1, 1, 3])
  }
}

/// Sequence and preprocessing Keras layers, analysed.
@Suite struct KerasSequenceShapeTests {
  typealias K = KerasTesting

  @Test func attentionBlockKeepsTheSequenceShape() throws {
    let report = try Analyzer.analyze(try K.graph(KerasLayerMappingTests.attentionModel))
    #expect(report.unsupported.isEmpty)
    #expect(report.outputs.first?.shape == [1, 7, 8])
    #expect(report.totals.params == 3 * (8 * 2 * 4 + 2 * 4) + (2 * 4 * 8 + 8) + 2 * 8)
  }

  @Test func preprocessingLayersKeepOrResizeTheImage() throws {
    let json = K.sequential(
      input: "[null, 32, 48, 3]",
      [
        K.layer("Rescaling", "scale", #""scale": 0.00392156862745098, "offset": 0.0"#),
        K.layer("Normalization", "norm", #""axis": -1, "mean": null, "variance": null"#, input: "[null, 32, 48, 3]"),
        K.layer("Resizing", "resize", #""height": 16, "width": 20, "interpolation": "bilinear""#),
        K.layer("Conv2D", "conv", #""filters": 4, "kernel_size": 3"#, input: "[null, 16, 20, 3]"),
        K.layer("LayerNormalization", "ln", #""axis": -1"#, input: "[null, 14, 18, 4]"),
        K.layer("Dense", "dense", #""units": 5"#, input: "[null, 14, 18, 4]"),
      ])
    let report = try Analyzer.analyze(try K.graph(json))
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    #expect(report.outputs.first?.displayShape == [1, 14, 18, 5])
    // Keras: Normalization mean 3 + variance 3 + count 1 non-trainable; conv 3*3*3*4+4;
    // LayerNormalization 4+4; Dense 4*5+5.
    #expect(report.totals.params == (3 * 3 * 3 * 4 + 4) + (4 + 4) + (4 * 5 + 5))
    #expect(report.totals.nonTrainableParams == 3 + 3 + 1)
  }
}

/// Keras GroupNormalization: gamma and beta per channel, as Keras counts them.
@Suite struct KerasGroupNormalizationTests {
  @Test func groupNormalizationOverChannels() throws {
    let json = KerasTesting.sequential(
      input: "[null, 8, 8, 16]",
      [
        KerasTesting.layer(
          "GroupNormalization", "gn", #""groups": 4, "axis": -1, "epsilon": 0.001"#, input: "[null, 8, 8, 16]")
      ])
    let graph = try KerasTesting.graph(json)
    #expect(KerasTesting.node(graph, "gn")?.attributes["num_groups"] == .int(4))
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 16 + 16)
    #expect(report.outputs.first?.displayShape == [1, 8, 8, 16])
  }
}
