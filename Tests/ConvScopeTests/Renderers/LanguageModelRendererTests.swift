import ConvScope
import ConvScopeTestSupport
import Foundation
import Testing

@Suite("llm renderers")
struct LanguageModelRendererTests {
  static func report() throws -> LanguageModelReport {
    let device = try #require(DeviceProfile.builtIn(named: "h100-sxm"))
    return try LanguageModelPipeline.report(
      for: LanguageModelRequest(
        path: Fixtures.example("llama-3-8b.yaml").path,
        options: LanguageModelOptions(contexts: [1024, 32768], batches: [1, 64], kvDType: "fp8", device: device)))
  }

  @Test func markdownMatchesTheGolden() throws {
    let text = try LanguageModelRenderer.render(try Self.report(), format: .markdown)
    #expect(try GoldenFile.mismatch(text, name: "llm-llama-3-8b.md") == nil)
  }

  @Test func csvHoldsTheExactNumbers() throws {
    let report = try Self.report()
    let lines = try LanguageModelRenderer.render(report, format: .csv).split(separator: "\n")
    #expect(lines.first == "section,row,column,value")
    #expect(lines.contains { $0.hasSuffix(",total,Params,\(report.parameters.total)") })
    let decode = try #require(report.decode.last)
    #expect(lines.contains { $0.hasSuffix("32768,Total,\(decode.totalFlops)") })
  }

  @Test func everyFormatButDotAndNetron() throws {
    let report = try Self.report()
    for format in OutputFormat.allCases {
      if format == .dot || format == .netron {
        #expect(throws: ConvScopeError.self) { try LanguageModelRenderer.render(report, format: format) }
      } else {
        #expect(try !LanguageModelRenderer.render(report, format: format).isEmpty)
      }
    }
  }
}
