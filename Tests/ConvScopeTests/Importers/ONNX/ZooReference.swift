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
      var torchParams: Int
      var onnxInitializerElements: Int
      var bnChannelsKeptAsBatchNormalization: Int
      var nonFloatInitializerElements: Int

      enum CodingKeys: String, CodingKey {
        case torchParams, onnxInitializerElements, nonFloatInitializerElements
        // `bn_channels_kept_as_BatchNormalization`, as convertFromSnakeCase capitalizes it.
        case bnChannelsKeptAsBatchNormalization = "bnChannelsKeptAsBatchnormalization"
      }
    }
    var inputs: [Value]
    var outputs: [Value]
    var opset: [String: Int]
    var irVersion: Int
    var nodeCount: Int
    var initializerCount: Int
    var initializerElements: Int
    var opTypeHistogram: [String: Int]
    var onnxVsTorchParams: ParamReconciliation
  }

  struct Shapes: Decodable {
    var tensors: [String: [Int]]
    var initializers: [String: [Int]]
  }

  /// The reference JSON's snake_case keys, read into camelCase properties.
  static let snakeCase: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }()

  static let models = ["lenet5", "seed_resnet", "alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2"]

  var name: String
  var meta: Meta
  var shapes: Shapes

  init(_ name: String) throws {
    self.name = name
    meta = try Self.snakeCase.decode(Meta.self, from: Fixtures.data("zoo/\(name).meta.json"))
    shapes = try JSONDecoder().decode(Shapes.self, from: Fixtures.data("zoo/\(name).shapes.json"))
  }

  var path: String { Fixtures.url("zoo/\(name).onnx").path }

  func model() throws -> ONNXModel {
    try ONNXImporter().decodeModel(
      from: Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped), fileName: path)
  }
}
