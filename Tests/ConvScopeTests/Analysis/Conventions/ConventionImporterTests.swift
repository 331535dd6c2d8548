import Foundation
import Testing

@testable import ConvScope

/// Keras and Netscope figures for whole models, through the Keras and Caffe importers, against
/// the tools' own numbers (the importers' fixtures `Tests/Fixtures/keras/NAME.ref.json`, from
/// TensorFlow's profiler, and `Tests/Fixtures/caffe/NAME.netscope.json`, from Netscope run
/// headless). Skipped until those importers and fixtures are in.
@Suite struct ConventionImporterTests {
  static func report(_ path: String) -> Report? {
    let url = Fixtures.url(path)
    guard FileManager.default.fileExists(atPath: url.path),
      let loaded = try? ModelLoader.standard.load(path: url.path),
      let report = try? Analyzer.analyze(loaded.graph), report.unsupported.isEmpty
    else { return nil }
    return report
  }

  static func json(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Fixtures.data(path)) as? [String: Any] ?? [:]
  }

  static let kerasModels = ["lenet5", "seed_resnet", "ResNet50", "MobileNetV2", "VGG16"].filter {
    report("keras/\($0).json") != nil
  }
  static let caffeModels = ["bvlc_alexnet", "resnet50", "vgg16", "squeezenet_v1.0"].filter {
    report("caffe/\($0).prototxt") != nil
      && FileManager.default.fileExists(atPath: Fixtures.url("caffe/\($0).netscope.json").path)
  }

  @Test(.enabled(if: !kerasModels.isEmpty), arguments: kerasModels)
  func kerasMatchesTheTensorFlowProfiler(model: String) throws {
    let result = try apply(.keras, to: try #require(Self.report("keras/\(model).json")))
    let reference = try Self.json("keras/\(model).ref.json")
    let flops = try #require(reference["flops"] as? [String: Any])
    #expect(result.figure == flops["total_float_ops"] as? Int)
    #expect(result.params == reference["count_params"] as? Int)
  }

  @Test(.enabled(if: !caffeModels.isEmpty), arguments: caffeModels)
  func netscopeMatchesItsTotals(model: String) throws {
    let result = try apply(.netscope, to: try #require(Self.report("caffe/\(model).prototxt")))
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
