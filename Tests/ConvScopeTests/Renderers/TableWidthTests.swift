import ConvScope
import Foundation
import Testing

/// The terminal table stays within 100 columns on every real model the project ships:
/// the examples and the Caffe, Keras and ONNX fixtures (not the hostile ones made to be refused).
@Suite struct TableWidthTests {
  static let models: [URL] = {
    let folders = [
      Fixtures.repositoryRoot.appendingPathComponent("Examples"), Fixtures.url("caffe"), Fixtures.url("keras"),
      Fixtures.url("onnx-light"),
    ]
    let extensions: Set<String> = ["yaml", "prototxt", "keras", "onnx"]
    return folders.flatMap { folder in
      ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
        .filter { extensions.contains($0.pathExtension) && !$0.lastPathComponent.hasPrefix("absurd") }
        .filter { !isTransformerBlockOnly($0) }
    }.sorted { $0.path < $1.path }
  }()

  /// A spec with only a `transformer:` block is for `convscope llm` (Examples/llama-3-8b.yaml).
  static func isTransformerBlockOnly(_ url: URL) -> Bool {
    guard url.pathExtension == "yaml", let text = try? String(contentsOf: url, encoding: .utf8) else { return false }
    return text.contains("\ntransformer:") && !text.contains("\nlayers:")
  }

  @Test func thereAreModelsToCheck() {
    #expect(Self.models.count >= 5)
  }

  @Test(arguments: models)
  func fitsOneHundredColumns(model: URL) throws {
    let (graph, format) = try ModelLoader.standard.load(path: model.path)
    let report = try Analyzer.analyze(
      graph, options: AnalysisOptions(sourceName: model.lastPathComponent, format: format))
    let text = TableRenderer.render(report)
    #expect(text.split(separator: "\n").filter { $0.count > 100 }.map(String.init) == [])
    // Every layer that is not folded away has a row (plus the header and total rows).
    let rows = text.split(separator: "\n").filter { $0.hasPrefix("│ ") && !$0.hasPrefix("│   ") }
    #expect(rows.count >= report.layers.filter { !$0.folded }.count + 2)
  }
}
