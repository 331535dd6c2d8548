import ConvScope
import Foundation
import Testing

/// End to end, the numbers each model's own tool prints: a Caffe prototxt through the
/// Netscope convention gives Netscope's totals, a Keras model through the Keras convention
/// gives the TensorFlow profiler's float ops (the reference files' own figures).
@Suite struct ToolNumbersTests {
  @Test(arguments: CaffeReferenceTests.withNetscope) func caffeNetsGiveNetscopesTotals(model: String) throws {
    let object = try JSONSerialization.jsonObject(with: Fixtures.data("caffe/\(model).netscope.json"))
    let json = try #require(object as? [String: Any])
    let run = try #require((json["batch1"] as? [String: Any]) ?? (json["file_batch"] as? [String: Any]))
    let total = try #require(run["total"] as? [String: [String: Int]])
    let result = try Convention.netscope.apply(to: try CaffeReferenceTests.analyze(model))
    #expect(result.figure == total["ops"]?["macc"])
    for key in ["comp", "add", "div", "exp"] {
      #expect(result.components[key] == total["ops"]?[key], "\(key)")
    }
    #expect(result.params == total["mem"]?["param"])
  }

  @Test(arguments: KerasImporterTests.models) func kerasModelsGiveTheProfilersFloatOps(model: String) throws {
    let object = try JSONSerialization.jsonObject(with: Fixtures.data("keras/\(model).ref.json"))
    let json = try #require(object as? [String: Any])
    let flops = try #require((json["flops"] as? [String: Any])?["total_float_ops"] as? Int)
    for file in ["\(model).json", "\(model).keras2.json"] {
      let result = try Convention.keras.apply(to: try Analyzer.analyze(try KerasTesting.fixture(file)))
      #expect(result.figure == flops, "\(file)")
    }
  }
}
