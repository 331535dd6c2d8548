import ConvScope
import Foundation
import Testing

/// The graphs the Keras importer produces, checked against Keras' own numbers
/// (`Tests/Fixtures/keras/*.ref.json`, from `model.count_params()` and friends).
@Suite struct KerasImporterTests {
  static let models = ["lenet5", "seed_resnet", "MobileNetV2", "ResNet50", "VGG16"]

  @Test func lenetBecomesConvReluPoolAndGemmInGraphOrder() throws {
    for file in ["lenet5.json", "lenet5.keras2.json", "lenet5.keras"] {
      let graph = try KerasTesting.fixture(file)
      #expect(graph.layout == .nhwc)
      #expect(graph.inputs.count == 1)
      #expect(graph.inputs.first?.shape == ["N", 1, 32, 32], "Keras [None, 32, 32, 1] in channels-first order")
      #expect(
        graph.nodes.map(\.opType) == [
          "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm",
          "Softmax",
        ])
      let conv = try #require(KerasTesting.node(graph, "conv2d"))
      #expect(conv.attributes["kernel_shape"] == .ints([5, 5]))
      #expect(conv.attributes["strides"] == .ints([1, 1]))
      #expect(conv.attributes["auto_pad"] == nil, "padding='valid'")
      #expect(try graph.dims(conv.inputs[1]) == [6, 1, 5, 5])
      // The folded activation is its own node, grouped under the Keras layer.
      let relu = try #require(graph.nodes.first { $0.opType == "Relu" })
      #expect(relu.sourceLayer == "conv2d")
      #expect(relu.inputs == conv.outputs)
      let dense = try #require(KerasTesting.node(graph, "dense"))
      #expect(try graph.dims(dense.inputs[1]) == [400, 120])  // 5*5*16 flattened features
      #expect(graph.outputs.count == 1)
    }
  }

  @Test(arguments: models) func parameterCountsEqualKeras(model: String) throws {
    let reference = try KerasReference(model)
    for file in ["\(model).json", "\(model).keras2.json"] {
      let counts = try KerasTesting.counts(try KerasTesting.fixture(file))
      #expect(counts.trainable == reference.trainable, "\(file)")
      #expect(counts.nonTrainable == reference.nonTrainable, "\(file)")
    }
  }

  @Test(arguments: models) func everyKerasLayerHasItsNodes(model: String) throws {
    let reference = try KerasReference(model)
    for file in ["\(model).json", "\(model).keras2.json"] {
      let graph = try KerasTesting.fixture(file)
      let names = Set(graph.nodes.map { $0.sourceLayer ?? $0.name })
      let missing = reference.layers.filter { $0.className != "InputLayer" && !names.contains($0.name) }.map(\.name)
      #expect(missing.isEmpty, "\(file): no node for \(missing)")
    }
  }

  @Test func archivesReadTheSameModelAsTheirJSON() throws {
    for model in ["lenet5", "seed_resnet"] {
      let archive = try KerasTesting.fixture("\(model).keras")
      let json = try KerasTesting.fixture("\(model).json")
      #expect(archive.nodes.map(\.opType) == json.nodes.map(\.opType))
      #expect(try KerasTesting.counts(archive).trainable == (try KerasReference(model)).trainable)
    }
  }

  @Test func deflatedArchiveIsInflatedInMemory() throws {
    let graph = try KerasTesting.fixture("lenet5.deflated.keras")
    #expect(try KerasTesting.counts(graph).trainable == 61_706)
  }

  @Test func absurdDeclaredSizeIsRefused() {
    #expect(throws: ConvScopeError.self) { try KerasTesting.fixture("absurd-size.keras") }
    do {
      _ = try KerasTesting.fixture("absurd-size.keras")
    } catch {
      #expect("\(error)".contains("config.json declares 4294967280 bytes uncompressed"))
    }
  }

  @Test func mobileNetPaddingAndCappedRelu() throws {
    let graph = try KerasTesting.fixture("MobileNetV2.keras2.json")
    let conv1 = try #require(KerasTesting.node(graph, "Conv1"))
    #expect(conv1.attributes["auto_pad"] == .string("SAME_UPPER"), "padding='same' pads as TensorFlow does")
    #expect(conv1.inputs.count == 2, "use_bias=False")
    let depthwise = try #require(KerasTesting.node(graph, "expanded_conv_depthwise"))
    #expect(depthwise.attributes["group"] == .int(32))
    #expect(try graph.dims(depthwise.inputs[1]) == [32, 1, 3, 3])
    // ZeroPadding2D(((0, 1), (0, 1))): bottom and right only, in [N, C, H, W] pads order.
    let pad = try #require(KerasTesting.node(graph, "block_1_pad"))
    #expect(pad.opType == "Pad")
    #expect(graph.initializers[pad.inputs[1]]?.ints == [0, 0, 0, 0, 0, 0, 1, 1])
    // ReLU(max_value=6) is Clip(0, 6).
    let relu6 = try #require(KerasTesting.node(graph, "Conv1_relu"))
    #expect(relu6.opType == "Clip")
    #expect(graph.initializers[relu6.inputs[2]]?.floats == [6])
    // BatchNormalization: gamma and beta train, the moving statistics do not.
    let bn = try #require(KerasTesting.node(graph, "bn_Conv1"))
    #expect(bn.opType == "BatchNormalization")
    #expect(bn.inputs.dropFirst().map { graph.initializerRoles[$0] } == [nil, nil, .statistic, .statistic])
    let pool = try #require(KerasTesting.node(graph, "global_average_pooling2d"))
    #expect(pool.opType == "GlobalAveragePool")
    #expect(graph.nodes.first { $0.sourceLayer == "global_average_pooling2d" && $0.opType == "Flatten" } != nil)
  }
}

/// The numbers `NAME.ref.json` records from Keras itself.
struct KerasReference {
  struct Layer {
    var name: String
    var className: String
    var outputShape: [Int?]
    var params: Int
    var trainable: Int
    var nonTrainable: Int
  }

  var trainable: Int
  var nonTrainable: Int
  var layers: [Layer]

  init(_ model: String) throws {
    let object = try JSONSerialization.jsonObject(with: Fixtures.data("keras/\(model).ref.json")) as? [String: Any]
    let json = try #require(object)
    trainable = try #require(json["trainable_params"] as? Int)
    nonTrainable = try #require(json["non_trainable_params"] as? Int)
    let rows = try #require(json["layers"] as? [[String: Any]])
    layers = try rows.map { row in
      Layer(
        name: try #require(row["name"] as? String), className: try #require(row["class"] as? String),
        outputShape: (row["output_shape"] as? [Any] ?? []).map { $0 as? Int },
        params: row["params"] as? Int ?? 0, trainable: row["trainable_params"] as? Int ?? 0,
        nonTrainable: row["non_trainable_params"] as? Int ?? 0)
    }
  }
}
