import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// The zoo models through the whole pipeline (ONNX importer → analyzer → conventions):
/// `Tests/Fixtures/zoo/NAME.onnx` must load and analyse with no unsupported op, and every
/// tool's total must equal the reference. `ConventionZooTests` checks the same figures on the
/// reference node tables, independently of the importer.
@Suite struct ConventionPipelineTests {
  static func report(_ model: String) throws -> Report {
    let report = try Analyzer.analyze(try ModelLoader.standard.load(path: Fixtures.url("zoo/\(model).onnx").path).graph)
    #expect(report.unsupported.isEmpty, "\(model): \(report.unsupported)")
    return report
  }

  @Test(arguments: ConventionZooTests.models)
  func analysedOnnxReproducesEveryTool(model: String) throws {
    let report = try Self.report(model)
    let totals = try ConventionFixtures.zooTotals(model)
    for tool in ConventionZooTests.tools {
      let result = try tool.apply(to: report)
      #expect(result.figure == totals[tool.rawValue], "\(model) \(tool.rawValue)")
    }
    #expect(try Convention.onnxTool.apply(to: report).params == totals["onnx-tool_params"])
    #expect(try Convention.fvcore.apply(to: report).params == totals["torch_params"])
  }

  @Test(arguments: ConventionZooTests.models)
  func reconcileGivesOneRowPerConventionConvScopeFirst(model: String) throws {
    let rows = try Convention.reconcile(try Self.report(model))
    #expect(rows.map(\.convention) == Convention.allCases.map(\.rawValue))
    #expect(rows.first?.unit == "FLOPs")
  }
}
