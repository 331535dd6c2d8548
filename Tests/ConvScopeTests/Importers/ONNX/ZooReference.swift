import Foundation

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// The reference files of a weight-stripped PyTorch export in `Tests/Fixtures/zoo/`
/// (from /work/shared/reference/zoo/public: `NAME.meta.json` written by the
/// exporter script, `NAME.shapes.json` by onnx shape inference and onnxruntime).
struct ZooReference {
  struct Meta: Decodable {
    struct Value: Decodable {
      var name: String
      var dims: [Int]
    }
    struct ParamReconciliation: Decodable {
      var torch_params: Int
      var onnx_initializer_elements: Int
      var bn_channels_kept_as_BatchNormalization: Int
      var non_float_initializer_elements: Int
    }
    var inputs: [Value]
    var outputs: [Value]
    var opset: [String: Int]
    var ir_version: Int
    var node_count: Int
    var initializer_count: Int
    var initializer_elements: Int
    var op_type_histogram: [String: Int]
    var onnx_vs_torch_params: ParamReconciliation
  }

  struct Shapes: Decodable {
    var tensors: [String: [Int]]
    var initializers: [String: [Int]]
  }

  static let models = ["lenet5", "seed_resnet", "alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2"]

  var name: String
  var meta: Meta
  var shapes: Shapes

  init(_ name: String) throws {
    self.name = name
    meta = try JSONDecoder().decode(Meta.self, from: Fixtures.data("zoo/\(name).meta.json"))
    shapes = try JSONDecoder().decode(Shapes.self, from: Fixtures.data("zoo/\(name).shapes.json"))
  }

  var path: String { Fixtures.url("zoo/\(name).onnx").path }

  func model() throws -> ONNXModel {
    try ONNXImporter().decodeModel(
      from: Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped), fileName: path)
  }
}
