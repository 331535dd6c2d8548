import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeReport

/// The PyTorch-side tools' totals on the zoo models, reproduced from the Core ML conversions of
/// the same models (`Tests/Fixtures/conventions/NAME.totals.json`, each tool run on the torch
/// model): a converted model is counted as its source is.
@Suite struct CoreMLConventionTests {
  static let tools: [Convention] = [.fvcore, .ptflops, .ptflopsAten, .thop, .torchinfo, .torchFlopCounter, .calflops]

  @Test(arguments: ["lenet5", "resnet18"]) func everyToolTotalMatchesTheSourceModel(model: String) throws {
    let path = Fixtures.url("coreml/\(model)_mlprogram.mlpackage").path
    let (graph, _) = try ModelLoader.standard.load(path: path)
    let report = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: model))
    let totals = try ConventionFixtures.zooTotals(model)
    for tool in Self.tools {
      let result = try ConventionFixtures.apply(tool, report.layers)
      #expect(result.figure == totals[tool.rawValue], "\(model) \(tool.rawValue)")
      #expect(result.params == totals["torch_params"], "\(model) \(tool.rawValue) params")
    }
  }
}
