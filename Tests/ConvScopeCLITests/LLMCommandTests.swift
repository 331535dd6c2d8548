import ConvScope
import Foundation
import Testing

@Suite struct LLMCommandTests {
  static let llama = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/llama-3-8b.yaml").path

  @Test func jsonIsTheLibrarysReport() throws {
    let result = try CommandRunner.run(
      ["llm", Self.llama, "--context", "1k,32k", "--kv-dtype", "int4", "--device", "h100-sxm", "-f", "json"])
    #expect(result.status == 0)
    let decoded = try JSONDecoder().decode(LanguageModelReport.self, from: Data(result.stdout.utf8))
    let options = LanguageModelOptions(
      contexts: [1024, 32768], kvDType: "int4", device: DeviceProfile.builtIn(named: "h100-sxm"))
    let library = try LanguageModelPipeline.report(for: LanguageModelRequest(path: Self.llama, options: options))
    #expect(decoded == library)
    #expect(decoded.kvCache?.contexts.map(\.context) == [1024, 32768])
  }

  @Test func htmlHasTheContextAndBatchPlots() throws {
    let result = try CommandRunner.run(["llm", Self.llama, "-f", "html"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("id=\"chart-llm-context\"") && result.stdout.contains("id=\"chart-llm-batch\""))
    #expect(result.stdout.contains("no --device given"))
  }

  @Test func badOptionsAreOneLine() throws {
    let kv = try CommandRunner.run(["llm", Self.llama, "--kv-dtype", "fp6"])
    #expect(kv.status == 1)
    #expect(kv.stderr.hasPrefix("convscope: error:") && kv.stderr.contains("kv-dtype"))
    let format = try CommandRunner.run(["llm", Self.llama, "-f", "dot"])
    #expect(format.status != 0)
  }
}
