import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Keras and Netscope figures for whole models, through the Keras and Caffe importers, against
/// the tools' own numbers (the importers' fixtures `Tests/Fixtures/keras/NAME.ref.json`, from
/// TensorFlow's profiler, and `Tests/Fixtures/caffe/NAME.netscope.json`, from Netscope run
/// headless). A model that fails to load or has an unsupported op fails the test.
@Suite struct ConventionImporterTests {
  static func report(_ path: String) throws -> Report {
    let report = try Analyzer.analyze(try ModelLoader.standard.load(path: Fixtures.url(path).path).graph)
    #expect(report.unsupported.isEmpty, "\(path): \(report.unsupported)")
    return report
  }

  static func json(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Fixtures.data(path)) as? [String: Any] ?? [:]
  }

  static let kerasModels = ["lenet5", "seed_resnet", "ResNet50", "MobileNetV2", "VGG16"]
  static let caffeModels = ["bvlc_alexnet", "resnet50", "vgg16", "squeezenet_v1.0"]

  @Test(arguments: kerasModels)
  func kerasMatchesTheTensorFlowProfiler(model: String) throws {
    let result = try Convention.keras.apply(to: try Self.report("keras/\(model).json"))
    let reference = try Self.json("keras/\(model).ref.json")
    let flops = try #require(reference["flops"] as? [String: Any])
    #expect(result.figure == flops["total_float_ops"] as? Int)
    #expect(result.params == reference["count_params"] as? Int)
  }

  @Test(arguments: caffeModels)
  func netscopeMatchesItsTotals(model: String) throws {
    let result = try Convention.netscope.apply(to: try Self.report("caffe/\(model).prototxt"))
    let batch = try #require(try Self.json("caffe/\(model).netscope.json")["file_batch"] as? [String: Any])
    let total = try #require(batch["total"] as? [String: Any])
    let ops = try #require(total["ops"] as? [String: Int])
    #expect(result.figure == ops["macc"])
    for key in ["comp", "add", "div", "exp"] {
      #expect((result.components[key] ?? 0) == ops[key], "\(model) \(key)")
    }
    #expect(result.params == (total["mem"] as? [String: Int])?["param"])
  }
}
