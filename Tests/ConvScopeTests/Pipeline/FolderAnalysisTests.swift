import Foundation
import Testing

@testable import ConvScope

/// `Tests/Fixtures/folder`: six models in five formats (ONNX, spec YAML, Keras JSON, TFLite
/// with a custom op, a Core ML `.mlpackage`) and one broken file, beside files that are not
/// models (a reference `.ref.json`, ONNX external data, a text file). See MANIFEST.md.
@Suite struct FolderAnalysisTests {
  static let folder = Fixtures.url("folder").path

  /// The models, as the folder holds them (sorted by path), written out by hand.
  static let expected = [
    "broken.onnx", "lenet5.onnx", "nested/deeper/custom_ops.tflite", "nested/deeper/lenet5_keras.json",
    "nested/lenet5.yaml", "nested/lenet5_mlprogram.mlpackage",
  ].map { folder + "/" + $0 }

  @Test func discoveryFindsTheModelsAndSkipsTheRest() {
    #expect(ModelDiscovery.models(in: [Self.folder]) == Self.expected)
    // A file named is taken whatever its extension; folders and files keep their order.
    let readme = Self.folder + "/README.txt"
    #expect(ModelDiscovery.models(in: [readme, Self.folder]) == [readme] + Self.expected)
    // An .mlpackage is one model, not a folder to search.
    let package = Self.folder + "/nested/lenet5_mlprogram.mlpackage"
    #expect(!ModelDiscovery.isFolder(package))
    #expect(ModelDiscovery.models(in: [package]) == [package])
  }

  @Test func externalDataAndReferencesBesideAModelAreSkipped() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-discovery-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["m.onnx", "m.onnx.data", "m.onnx_data", ".hidden.onnx", "m.ref.json", "m.yml"] {
      try Data("{\"layers\": [{\"name\": 1}]}".utf8).write(to: folder.appendingPathComponent(name))
    }
    try Data("layers:\n  - {op: conv}\n".utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    #expect(ModelDiscovery.models(in: [folder.path]) == ["m.onnx", "spec.yaml"].map { folder.path + "/" + $0 })
  }

  @Test func parallelReportsEqualOneByOneReportsInOrder() async throws {
    let requests = Self.expected.map { AnalysisRequest(model: .file($0)) }
    var seen: [Int] = []
    let results = await Pipeline.reports(for: requests, width: 3) { done, total in
      #expect(total == requests.count)
      seen.append(done)
    }
    #expect(seen == Array(1...requests.count))
    for (request, result) in zip(requests, results) {
      switch (result, Result { () throws(ConvScopeError) in try Pipeline.report(for: request) }) {
      case (.success(let a), .success(let b)): #expect(a == b)
      case (.failure(let a), .failure(let b)): #expect(a == b)
      default: Issue.record("\(request.model.name): parallel and one-by-one results differ")
      }
    }
  }

  @Test func summaryHasARowPerModelAndTheErrorOfTheBrokenOne() async throws {
    let requests = Self.expected.map { AnalysisRequest(model: .file($0)) }
    let summary = Pipeline.summary(of: requests, results: await Pipeline.reports(for: requests))
    #expect(summary.rows.map(\.source) == Self.expected)
    #expect(summary.failures == 1)
    let broken = summary.rows[0]
    #expect(broken.name == "broken" && broken.format == nil && broken.params == nil)
    // The row keeps the error's place in the file and its message, not the file name again.
    #expect(broken.error?.hasPrefix("(byte ") == true)
    #expect(broken.error?.contains(Self.folder) == false)
    // LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850 parameters (Examples/lenet5.yaml) in every format.
    for row in summary.rows where row.name.hasPrefix("lenet5") {
      #expect(row.params == 156 + 2_416 + 48_120 + 10_164 + 850, "\(row.source)")
    }
    let tflite = summary.rows[2]
    #expect(tflite.format == .tflite && !tflite.unsupportedOps.isEmpty && tflite.partial)
  }

  @Test func aGenericGraphNameYieldsToTheFileName() throws {
    // Every corpus export is named `main_graph` by torch.onnx (MANIFEST.md).
    for name in ["if_branches", "loop_three", "rnn_tanh"] {
      let report = try Pipeline.report(for: AnalysisRequest(model: .file(Fixtures.url("corpus/\(name).onnx").path)))
      #expect(report.model.name == name)
    }
    // Standard input has no file name: the graph's own, or `stdin` when that is empty.
    let bytes = try Fixtures.data("corpus/loop_three.onnx")
    #expect(try Pipeline.report(for: AnalysisRequest(model: .data(bytes, name: "-"))).model.name == "main_graph")
    // A name that says something is kept.
    let spec = try Pipeline.report(for: AnalysisRequest(model: .file(Fixtures.example("seed-resnet.yaml").path)))
    #expect(spec.model.name == "seed-resnet")
  }

  @Test func genericNamesAndBaseNames() {
    let generic = [
      "main_graph", "torch_jit", "torch-jit-export", "tf2onnx", "", " Main_Graph ", "sequential_3",
      "\u{3000}\tModel_12\u{00A0}", "graph_0",
    ]
    for name in generic { #expect(ModelName.isGeneric(name), "\(name)") }
    // Only tabs and space separators are trimmed; the number suffix is `_` and ASCII digits at the very end.
    for name in ["resnet50", "mobilenetv2_1.00_224", "sequential_", "sequential_2\n", "model_1_x", "net_\u{0661}"] {
      #expect(!ModelName.isGeneric(name), "\(name)")
    }
    #expect(ModelName.display(graphName: "", source: .data(Data(), name: "-")) == "stdin")
    #expect(ModelName.display(graphName: "torch_jit", source: .file("a/b/yolo.v8.onnx")) == "yolo.v8")
    #expect(ModelName.display(graphName: "main_graph", source: .file("x/cnn.mlpackage/")) == "cnn")
  }

  @Test func compareNamesLikeNamedModelsByTheirFiles() throws {
    let a = try Pipeline.report(for: AnalysisRequest(model: .file(Self.folder + "/lenet5.onnx")))
    let b = try Pipeline.report(for: AnalysisRequest(model: .file(Self.folder + "/nested/lenet5.yaml")))
    let comparison = Comparison(a, b)
    #expect(comparison.first.name == Self.folder + "/lenet5.onnx")
    #expect(comparison.second.name == Self.folder + "/nested/lenet5.yaml")
  }
}
