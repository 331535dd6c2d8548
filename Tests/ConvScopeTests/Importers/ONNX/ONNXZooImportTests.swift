import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// The importer on real PyTorch exports (weight-stripped: every initializer points
/// at a `.data` file that does not exist), checked against the exporter's own
/// record of each file in `NAME.meta.json` and onnx's shape inference.
@Suite struct ONNXZooImportTests {
  @Test(arguments: ZooReference.models)
  func graphMatchesTheExportRecord(name: String) throws {
    let reference = try ZooReference(name)
    let model = try reference.model()
    let graph = model.graph
    let meta = reference.meta

    #expect(model.irVersion == meta.irVersion)
    #expect(graph.opsetVersion == meta.opset["ai.onnx"])
    #expect(graph.nodes.count == meta.nodeCount)
    #expect(Dictionary(graph.nodes.map { ($0.opType, 1) }, uniquingKeysWith: +) == meta.opTypeHistogram)
    #expect(graph.inputs.map(\.name) == meta.inputs.map(\.name))
    #expect(graph.inputs.map(\.shape) == meta.inputs.map { Shape($0.dims) })
    #expect(graph.outputs.map(\.name) == meta.outputs.map(\.name))
    #expect(graph.outputs.map(\.shape) == meta.outputs.map { Shape($0.dims) })

    #expect(graph.initializers.count == meta.initializerCount)
    #expect(graph.initializers.mapValues(\.dims) == reference.shapes.initializers)
    let elements = graph.initializers.values.reduce(0) { $0 + $1.elementCount }
    #expect(elements == meta.initializerElements)
    #expect(Set(graph.nodes.map(\.name)).count == graph.nodes.count)
  }

  @Test func resNet50LayersCarryTheirModulePath() throws {
    let graph = try ZooReference("resnet50").model().graph
    let modules = Dictionary(graph.nodes.map { ($0.name, $0.sourceLayer) }, uniquingKeysWith: { a, _ in a })
    #expect(modules["/layer1/layer1.0/conv1/Conv"] == "layer1.0.conv1")
    #expect(modules["/layer1/layer1.0/downsample/downsample.0/Conv"] == "layer1.0.downsample.0")
    #expect(modules["/Flatten"] == .some(nil))
  }

  @Test func vgg16ConvsComeFromTheFeaturesModules() throws {
    let graph = try ZooReference("vgg16").model().graph
    let convModules = graph.nodes.filter { $0.opType == "Conv" }.compactMap(\.sourceLayer)
    // torchvision's VGG-16 features: conv at indices 0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28.
    #expect(convModules == [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28].map { "features.\($0)" })
  }

  @Test func mobileNetClipBoundsAreConstantNodes() throws {
    let graph = try ZooReference("mobilenet_v2").model().graph
    let constants = graph.nodes.filter { $0.opType == "Constant" }
    #expect(constants.count == 70)
    // ReLU6 is exported as Clip(x, 0, 6) with scalar float constants.
    let values = Set(
      constants.compactMap { node -> [Double]? in
        if case .tensor(let t)? = node.attributes["value"] { return t.floats }
        return nil
      })
    #expect(values == [[0], [6]])
  }

  @Test func externalWeightsAreNeverRead() throws {
    let graph = try ZooReference("vgg16").model().graph
    // fc1 of VGG-16: 25088 x 4096 floats, stored in the (absent) NAME.onnx.data.
    #expect(graph.initializers["classifier.0.weight"] == ConstantTensor(dataType: .float32, dims: [4096, 25088]))
  }
}

/// The onnx package's "light" models: real architectures with weights made by
/// ConstantOfShape nodes; each comes with its expected output tensor (`*_output_0.pb`).
@Suite struct ONNXLightImportTests {
  static let models = [
    "bvlc_alexnet", "densenet121", "inception_v1", "inception_v2", "resnet50", "shufflenet", "squeezenet", "vgg19",
    "zfnet512",
  ]

  /// The dims of a serialized `TensorProto` file.
  static func outputDims(_ name: String) throws -> [Int] {
    let data = try Fixtures.data("onnx-light/light_\(name)_output_0.pb")
    let result = data.withUnsafeBytes { bytes in
      Result { () throws(ProtobufError) -> ONNXTensor in
        try ONNXDecoder(bytes: bytes).tensor(in: 0..<bytes.count, kind: "output")
      }
    }
    return try result.get().constant.dims
  }

  @Test(arguments: models)
  func declaredOutputMatchesTheExpectedOutputTensor(name: String) throws {
    let path = Fixtures.url("onnx-light/light_\(name).onnx").path
    let (graph, _) = try ModelLoader.standard.load(path: path)
    #expect(graph.outputs.count == 1)
    #expect(graph.outputs.first?.shape == Shape(try Self.outputDims(name)))
    #expect(graph.inputs.count == 1)
    #expect(!graph.nodes.isEmpty)
  }
}
