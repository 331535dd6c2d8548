import ConvScope
import Foundation
import Testing

/// Malformed Core ML files give one-line errors with the byte offset or the path, never a crash.
@Suite struct CoreMLHostileInputTests {
  /// Every truncation of a NeuralNetwork spec and of an ML Program spec either reads (a prefix
  /// can be a whole message) or fails with one line naming a byte offset.
  @Test(arguments: [
    "coreml/lenet5_neuralnetwork.mlmodel", "coreml/cnn_mlprogram.mlpackage/Data/com.apple.CoreML/model.mlmodel",
  ])
  func everyTruncationFailsOnOneLine(fixture: String) throws {
    let data = try Fixtures.data(fixture)
    var failures = 0
    for length in stride(from: 1, to: data.count, by: 7) {
      do {
        _ = try CoreMLImporter().importGraph(from: data.prefix(length), fileName: "cut.mlmodel", directory: nil)
      } catch {
        failures += 1
        #expect(!error.description.contains("\n"))
        #expect(error.byteOffset != nil, "\(length): \(error)")
      }
    }
    #expect(failures > data.count / 14)
  }

  /// The inputs the fuzzer found crashing (`Fuzz/Corpus/coreml`), now refused in one line.
  @Test func fuzzerFindingsAreRefusedOnOneLine() throws {
    let folder = Fixtures.repositoryRoot.appendingPathComponent("Fuzz/Corpus/coreml")
    let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
    #expect(!files.isEmpty)
    for file in files {
      let error = #expect(throws: ConvScopeError.self) {
        let graph = try CoreMLImporter().importGraph(
          from: try Data(contentsOf: file), fileName: "fuzz.mlmodel", directory: nil)
        _ = try Analyzer.analyze(graph, options: AnalysisOptions())
      }
      #expect(error?.description.contains("\n") == false, "\(file.lastPathComponent)")
    }
  }

  @Test func aTruncatedFileNamesTheByteWhereItEnds() throws {
    let data = try Fixtures.data("coreml/cnn_neuralnetwork.mlmodel")
    let error = #expect(throws: ConvScopeError.self) {
      try ModelLoader.standard.load(data: data.prefix(data.count - 3), fileName: "cut.mlmodel", directory: nil)
    }
    #expect(error?.description.contains("truncated") == true, "\(String(describing: error))")
  }

  @Test func aManifestPathOutsideThePackageIsRefused() throws {
    let copy = try TemporaryPackage(copying: "coreml/cnn_mlprogram.mlpackage")
    defer { copy.remove() }
    // A real model outside the package, so that only the check can refuse it.
    try FileManager.default.copyItem(
      at: Fixtures.url("coreml/cnn_neuralnetwork.mlmodel"), to: copy.root.appendingPathComponent("outside.mlmodel"))
    let manifest = copy.url.appendingPathComponent("Manifest.json")
    let text = try String(contentsOf: manifest, encoding: .utf8)
      .replacingOccurrences(of: "com.apple.CoreML/model.mlmodel", with: "../../outside.mlmodel")
    try text.write(to: manifest, atomically: true, encoding: .utf8)
    let error = #expect(throws: ConvScopeError.self) { try ModelLoader.standard.load(path: copy.url.path) }
    #expect(error?.description.contains("outside the package") == true, "\(String(describing: error))")
    #expect(error?.description.contains("\n") == false)
  }

  @Test func aManifestThatIsNotJSONIsOneLine() throws {
    let copy = try TemporaryPackage(copying: "coreml/cnn_mlprogram.mlpackage")
    defer { copy.remove() }
    try Data("{not json".utf8).write(to: copy.url.appendingPathComponent("Manifest.json"))
    let error = #expect(throws: ConvScopeError.self) { try ModelLoader.standard.load(path: copy.url.path) }
    #expect(error?.description.contains("Manifest.json") == true)
  }

  /// A range (ML Program) and enumerated shapes (NeuralNetwork classifier) make H and W symbolic.
  @Test(arguments: [
    ("flexible_mlprogram.mlpackage", "image=1x3ximage_dim2ximage_dim3"),
    ("classifier_enumerated.mlmodel", "x=1,3,x_dim2,x_dim3"),
  ])
  func aFlexibleInputWithoutAShapeSaysHowToBindIt(model: String, hint: String) throws {
    let graph = try ModelLoader.standard.load(path: Fixtures.url("coreml/\(model)").path).graph
    let error = #expect(throws: ConvScopeError.self) { try Analyzer.analyze(graph, options: AnalysisOptions()) }
    #expect(error?.description.contains(hint) == true, "\(String(describing: error))")
  }
}
