import ConvScope
import Foundation
import Testing

/// Every reference prototxt, analysed at batch 1: per-layer output dims equal what the
/// Netscope CNN analyzer computes (`Tests/Fixtures/caffe/NAME.netscope.json`).
@Suite struct CaffeReferenceTests {
  static let withNetscope = ["bvlc_alexnet", "squeezenet_v1.0", "resnet50", "vgg16"]
  static let all = withNetscope + ["bvlc_googlenet", "bvlc_reference_caffenet", "squeezenet_v1.1"]

  static func analyze(_ model: String) throws -> Report {
    let graph = try CaffeImporterTests.fixture("\(model).prototxt")
    return try Analyzer.analyze(graph, options: AnalysisOptions(batch: 1, sourceName: "\(model).prototxt"))
  }

  /// Netscope's batch-1 rows: name, type, parents, and output channels x height x width.
  struct NetscopeLayer {
    var name: String
    var type: String
    var parents: [String]
    var output: [Int]
  }

  static func netscope(_ model: String) throws -> [NetscopeLayer] {
    let object = try JSONSerialization.jsonObject(with: Fixtures.data("caffe/\(model).netscope.json"))
    let json = try #require(object as? [String: Any])
    let run = try #require((json["batch1"] as? [String: Any]) ?? (json["file_batch"] as? [String: Any]))
    let layers = try #require(run["layers"] as? [[String: Any]])
    return try layers.map { layer in
      NetscopeLayer(
        name: try #require(layer["name"] as? String), type: try #require(layer["type"] as? String),
        parents: layer["parents"] as? [String] ?? [],
        output: [
          try #require(layer["ch_out"] as? Int), try #require(layer["h_out"] as? Int),
          try #require(layer["w_out"] as? Int),
        ])
    }
  }

  @Test(arguments: withNetscope) func everyLayerHasNetscopeOutputDims(model: String) throws {
    let report = try Self.analyze(model)
    let rows = Dictionary(grouping: report.layers) { $0.group ?? $0.name }
    var compared = 0
    for layer in try Self.netscope(model) where !["data", "input"].contains(layer.type.lowercased()) {
      // A Scale after a BatchNorm is part of that BatchNorm's node.
      let key = rows[layer.name] == nil && layer.type == "Scale" ? layer.parents.first ?? layer.name : layer.name
      guard let row = rows[key]?.last, let shape = row.outputs.first?.shape.sizes else {
        Issue.record("\(model): no analysed row for \(layer.name) (\(layer.type))")
        continue
      }
      #expect(shape.first == 1, "\(model): \(layer.name) batch")
      let chw = Array(shape.dropFirst()) + Array(repeating: 1, count: max(0, 4 - shape.count))
      #expect(chw == layer.output, "\(model): \(layer.name) (\(layer.type))")
      compared += 1
    }
    #expect(compared > 0)
  }

  @Test(arguments: all) func analysesWithEveryOpKnown(model: String) throws {
    let report = try Self.analyze(model)
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    // 1000 ImageNet class probabilities: [1, 1000] after an InnerProduct, [1, 1000, 1, 1] after
    // SqueezeNet's global pooling.
    #expect(report.outputs.map { $0.shape.elementCount } == [1000])
  }

  @Test func parameterTotals() throws {
    // AlexNet and CaffeNet: 60,965,224 (Krizhevsky et al.; Netscope's 60,965,228 adds 2 per LRN).
    #expect(try Self.analyze("bvlc_alexnet").totals.params == 60_965_224)
    #expect(try Self.analyze("bvlc_reference_caffenet").totals.params == 60_965_224)
    // SqueezeNet v1.0 / v1.1: 1,248,424 / 1,235,496, as torchvision's squeezenet1_0 / 1_1.
    #expect(try Self.analyze("squeezenet_v1.0").totals.params == 1_248_424)
    #expect(try Self.analyze("squeezenet_v1.1").totals.params == 1_235_496)
    // VGG-16: 138,357,544.
    #expect(try Self.analyze("vgg16").totals.params == 138_357_544)
    // ResNet-50: torchvision's 25,557,032 plus this file's conv1 bias (64); statistics non-trainable.
    let resnet = try Self.analyze("resnet50").totals
    #expect(resnet.params == 25_557_032 + 64)
    #expect(resnet.nonTrainableParams == 2 * 26_560)
  }
}

/// The less common Caffe layers, analysed: the shapes follow from the ONNX rules they map to.
@Suite struct CaffeLayerShapeTests {
  @Test func sliceCropDeconvolutionAndReshapeShapes() throws {
    let graph = try CaffeImporterTests.graph(
      """
      input: "data"
      input_shape { dim: 1 dim: 8 dim: 12 dim: 12 }
      input: "aux"
      input_shape { dim: 1 dim: 4 dim: 20 dim: 20 }
      layer { name: "slice" type: "Slice" bottom: "data" top: "s1" top: "s2" slice_param { axis: 1 slice_point: 3 } }
      layer { name: "deconv" type: "Deconvolution" bottom: "s2" top: "up"
        convolution_param { num_output: 4 kernel_size: 4 stride: 2 pad: 1 } }
      layer { name: "crop" type: "Crop" bottom: "up" bottom: "aux" top: "cropped" crop_param { axis: 2 offset: 2 } }
      layer { name: "flat" type: "Flatten" bottom: "s1" top: "f" }
      layer { name: "reshape" type: "Reshape" bottom: "f" top: "r" reshape_param { shape { dim: 0 dim: -1 dim: 4 } } }
      """)
    let report = try Analyzer.analyze(graph)
    let rows = Dictionary(grouping: report.layers) { $0.group ?? $0.name }
    func shape(_ layer: String, output: Int = 0) -> [Int]? { rows[layer]?.last?.outputs[output].shape.sizes }
    #expect(rows["slice"]?.map { $0.outputs[0].shape.sizes } == [[1, 3, 12, 12], [1, 5, 12, 12]])
    let upsampled = (12 - 1) * 2 + 4 - 2 * 1  // (I-1)*s + k - 2p = 24
    #expect(shape("deconv") == [1, 4, upsampled, upsampled])
    #expect(shape("crop") == [1, 4, 20, 20], "cropped to aux's 20x20 from offset 2")
    let rows4 = 3 * 12 * 12 / 4
    #expect(shape("reshape") == [1, rows4, 4])
  }
}

/// Caffe's Bias layer: a learned per-channel bias.
@Suite struct CaffeBiasTests {
  @Test func biasAddsAPerChannelBlob() throws {
    let graph = try CaffeImporterTests.graph(
      """
      input: "data"
      input_shape { dim: 1 dim: 6 dim: 5 dim: 5 }
      layer { name: "bias" type: "Bias" bottom: "data" top: "data" }
      """)
    #expect(try graph.dims("bias.bias") == [6, 1, 1])
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 6)
    #expect(report.outputs.first?.shape == [1, 6, 5, 5])
  }
}
