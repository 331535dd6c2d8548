import ConvScope
import Foundation
import Testing

/// The Core ML fixtures (`Tests/Fixtures/coreml`, built by `Scripts/coreml-fixtures`): params and
/// MACs equal the references the script counted from the source models, output shapes equal the
/// ones the specification declares, and every ML Program tensor has its declared type's shape.
@Suite struct CoreMLImporterTests {
  static let models = [
    "cnn_neuralnetwork.mlmodel", "cnn_mlprogram.mlpackage", "layers_neuralnetwork.mlmodel",
    "classifier_enumerated.mlmodel", "lenet5_neuralnetwork.mlmodel", "lenet5_mlprogram.mlpackage",
    "resnet18_mlprogram.mlpackage", "flexible_mlprogram.mlpackage", "ops_mlprogram.mlpackage",
  ]

  /// The flexible models' inputs, bound to the size their reference MACs were counted at.
  static let bindings: [String: [String: Shape]] = [
    "flexible_mlprogram.mlpackage": ["image": [1, 3, 64, 64]],
    "classifier_enumerated.mlmodel": ["x": [1, 3, 32, 32]],
  ]

  struct Reference: Decodable {
    var params: Int
    var macs: Int
    var outputs: [String: [Int]]
    // swift-format-ignore: AlwaysUseLowerCamelCase
    var non_trainable: Int?
  }

  static func reference(_ model: String) throws -> Reference {
    let stem = (model as NSString).deletingPathExtension
    return try JSONDecoder().decode(Reference.self, from: Fixtures.data("coreml/\(stem).ref.json"))
  }

  static func analyze(_ model: String, path: String? = nil) throws -> (Report, Graph) {
    let path = path ?? Fixtures.url("coreml/\(model)").path
    let (graph, format) = try ModelLoader.standard.load(path: path)
    #expect(format == .coreml)
    let options = AnalysisOptions(inputShapes: bindings[model] ?? [:], sourceName: model)
    let report = try Analyzer.analyze(graph, options: options)
    return (report, graph)
  }

  @Test(arguments: models) func paramsAndMACsEqualTheReference(model: String) throws {
    let (report, _) = try Self.analyze(model)
    let reference = try Self.reference(model)
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    #expect(report.totals.params == reference.params)
    #expect(report.totals.macs == reference.macs)
    if let statistics = reference.non_trainable { #expect(report.totals.nonTrainableParams == statistics) }
  }

  @Test(arguments: models) func outputShapesEqualTheSpecification(model: String) throws {
    let (report, _) = try Self.analyze(model)
    let reference = try Self.reference(model)
    // A converter's NeuralNetwork may leave a shape out; a classifier's label and probability
    // dictionary have none.
    let declared = reference.outputs.filter { !$0.value.isEmpty }
    for (name, shape) in declared {
      let output = try #require(report.outputs.first { $0.name == name }, "\(model): no output \(name)")
      #expect(output.shape == Shape(shape), "\(model): \(name)")
    }
    #expect(!report.outputs.isEmpty)
    #expect(!declared.isEmpty || ["lenet5_neuralnetwork.mlmodel", "classifier_enumerated.mlmodel"].contains(model))
  }

  /// An ML Program declares every operation's output type: the analysis infers the same shape
  /// for each tensor (the spec's types are read into `valueInfo`, which the rules do not use).
  @Test(arguments: models.filter { $0.hasSuffix(".mlpackage") && !$0.hasPrefix("flexible") })
  func everyProgramTensorHasItsDeclaredShape(model: String) throws {
    let (report, graph) = try Self.analyze(model)
    var compared = 0
    for row in report.layers {
      for output in row.outputs {
        guard let declared = graph.valueInfo[output.name] else { continue }
        #expect(output.shape == declared.shape, "\(model): \(output.name) (\(row.name))")
        compared += 1
      }
    }
    #expect(compared >= report.layers.count / 2, "\(model): only \(compared) tensors compared")
  }

  /// The acceptance of issue 12: a Core ML model converted from a model of the reference zoo
  /// gives that model's params (torch's count, `zoo/NAME.ref.json`) and the MACs ConvScope finds
  /// in the zoo's ONNX export of the same model.
  @Test(arguments: ["lenet5", "resnet18"]) func convertedZooModelMatchesTheZoo(name: String) throws {
    let (report, _) = try Self.analyze("\(name)_mlprogram.mlpackage")
    let zoo = try #require(
      try JSONSerialization.jsonObject(with: Fixtures.data("zoo/\(name).ref.json")) as? [String: Any])
    let torch = try #require(zoo["torch"] as? [String: Any])
    #expect(report.totals.params == torch["params"] as? Int)
    let onnx = try ModelLoader.standard.load(path: Fixtures.url("zoo/\(name).onnx").path).graph
    let onnxReport = try Analyzer.analyze(onnx, options: AnalysisOptions(sourceName: name))
    #expect(report.totals.macs == onnxReport.totals.macs)
  }

  /// The weights file is never opened: a package without `weights/` analyses the same.
  @Test func aPackageWithoutItsWeightsAnalysesTheSame() throws {
    let copy = try TemporaryPackage(copying: "coreml/cnn_mlprogram.mlpackage")
    defer { copy.remove() }
    try FileManager.default.removeItem(at: copy.url.appendingPathComponent("Data/com.apple.CoreML/weights"))
    let (report, _) = try Self.analyze("cnn_mlprogram.mlpackage", path: copy.url.path)
    #expect(report.totals.params == (try Self.reference("cnn_mlprogram.mlpackage")).params)
  }

  @Test func specificationBytesAreRecognisedWithoutTheirName() throws {
    let data = try Fixtures.data("coreml/lenet5_neuralnetwork.mlmodel")
    #expect(try ModelLoader.standard.load(data: data, fileName: "-", directory: nil).format == .coreml)
    let package = try Fixtures.data("coreml/cnn_mlprogram.mlpackage/Data/com.apple.CoreML/model.mlmodel")
    #expect(try ModelLoader.standard.load(data: package, fileName: "model.bin", directory: nil).format == .coreml)
    let onnx = try Fixtures.data("zoo/lenet5.onnx")
    #expect(try ModelLoader.standard.load(data: onnx, fileName: "-", directory: nil).format == .onnx)
  }
}

/// A copy of a fixture package in a temporary directory.
struct TemporaryPackage {
  let root: URL
  let url: URL

  init(copying fixture: String) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-coreml-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    url = root.appendingPathComponent((fixture as NSString).lastPathComponent)
    try FileManager.default.copyItem(at: Fixtures.url(fixture), to: url)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Detection by content: Core ML and ONNX both start with protobuf fields 1 and 2.
@Suite struct CoreMLDetectionTests {
  /// An ONNX `ModelProto` whose producer name starts with the byte of Core ML's output key
  /// (`R`, 0x52) or input key (a newline) stays ONNX.
  @Test(arguments: ["R", "Rust", "R2onnx", "\n", "pytorch"])
  func anONNXProducerNameIsNotACoreMLDescription(producer: String) {
    var bytes: [UInt8] = [0x08, 0x08, 0x12, UInt8(producer.utf8.count)] + Array(producer.utf8)
    bytes += [0x3a, 0x00] + Array(repeating: 0, count: 24)
    #expect(!CoreMLImporter().recognizes(fileName: "-", prefix: Data(bytes)))
    #expect(ONNXImporter().recognizes(fileName: "-", prefix: Data(bytes)))
  }

  @Test func everyFixtureSpecificationIsRecognisedByContent() throws {
    let folder = Fixtures.url("coreml")
    var specifications = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".mlmodel") }
    specifications += try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".mlpackage") }.map { "\($0)/Data/com.apple.CoreML/model.mlmodel" }
    #expect(specifications.count >= 9)
    for file in specifications {
      let data = try Fixtures.data("coreml/\(file)")
      #expect(CoreMLImporter().recognizes(fileName: "-", prefix: data.prefix(8192)), "\(file)")
    }
  }
}
