import ConvScope
import Foundation
import Testing

/// Every reference Keras model, analysed: totals and per-layer output shapes and params
/// equal what Keras itself reports (`Tests/Fixtures/keras/NAME.ref.json`), in both JSON layouts.
@Suite struct KerasReferenceTests {
  static let files =
    KerasImporterTests.models.flatMap { ["\($0).json", "\($0).keras2.json"] }
    + ["lenet5.keras", "seed_resnet.keras"]

  private static func modelName(_ file: String) -> String { String(file.prefix { $0 != "." }) }

  @Test(arguments: files) func totalsEqualKeras(file: String) throws {
    let reference = try KerasReference(Self.modelName(file))
    let report = try Analyzer.analyze(try KerasTesting.fixture(file), options: AnalysisOptions(sourceName: file))
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    #expect(report.totals.params == reference.trainable)
    #expect(report.totals.nonTrainableParams == reference.nonTrainable)
  }

  @Test(arguments: files) func everyLayerHasKerasShapeAndParams(file: String) throws {
    let reference = try KerasReference(Self.modelName(file))
    let report = try Analyzer.analyze(try KerasTesting.fixture(file), options: AnalysisOptions(sourceName: file))
    let rows = Dictionary(grouping: report.layers) { $0.group ?? $0.name }
    for layer in reference.layers where layer.className != "InputLayer" {
      guard let group = rows[layer.name], let last = group.last else {
        Issue.record("\(file): no rows for layer \(layer.name)")
        continue
      }
      // Keras shows `None` for the batch; the analysis binds it to 1.
      let expected = layer.outputShape.map { $0 ?? 1 }
      #expect(last.outputs.first?.displayShape.sizes == expected, "\(file): \(layer.name)")
      #expect(group.map(\.params).reduce(0, +) == layer.trainable, "\(file): \(layer.name) params")
      #expect(
        group.map(\.nonTrainableParams).reduce(0, +) == layer.nonTrainable, "\(file): \(layer.name) non-trainable")
    }
  }
}
