import Foundation
import Testing

@testable import ConvScope

/// The zoo models through the whole pipeline (ONNX importer → analyzer → conventions), once the
/// importer and every op rule they need are in: `Tests/Fixtures/zoo/NAME.onnx` (the ONNX
/// importer's copies) must load and analyse with no unsupported op. Until then these are skipped;
/// `ConventionZooTests` checks the same figures on the node tables.
@Suite struct ConventionPipelineTests {
  static func report(_ model: String) -> Report? {
    let url = Fixtures.url("zoo/\(model).onnx")
    guard FileManager.default.fileExists(atPath: url.path),
      let loaded = try? ModelLoader.standard.load(path: url.path),
      let report = try? Analyzer.analyze(loaded.graph), report.unsupported.isEmpty
    else { return nil }
    return report
  }

  static let available = ConventionZooTests.models.filter { report($0) != nil }

  @Test(.enabled(if: !available.isEmpty), arguments: available)
  func analysedOnnxReproducesEveryTool(model: String) throws {
    let report = try #require(Self.report(model))
    let totals = try ConventionFixtures.zooTotals(model)
    for tool in ConventionZooTests.tools {
      let result = try apply(tool, to: report)
      #expect(result.figure == totals[tool.rawValue], "\(model) \(tool.rawValue)")
    }
    #expect(try apply(.onnxTool, to: report).params == totals["onnx-tool_params"])
    #expect(try apply(.fvcore, to: report).params == totals["torch_params"])
  }

  @Test(.enabled(if: !available.isEmpty), arguments: available)
  func reconcileGivesOneRowPerConventionConvScopeFirst(model: String) throws {
    let rows = try Convention.reconcile(try #require(Self.report(model)))
    #expect(rows.map(\.convention) == Convention.allCases)
    #expect(rows.first?.unit == "FLOPs")
  }
}
