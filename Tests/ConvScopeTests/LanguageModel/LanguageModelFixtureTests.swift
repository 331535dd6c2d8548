import ConvScope
import Foundation
import Testing

/// The llm view against models built in torch (Tests/Fixtures/llm/reference.json, made by
/// Scripts/llm-fixtures/make-llm-fixtures.sh): `sum(p.numel())`, the KV cache tensors' bytes
/// and FlopCounterMode's totals for a prefill and a decode step.
@Suite("llm view against torch")
struct LanguageModelFixtureTests {
  struct Reference {
    var parameters: Int
    var prefillTokens: Int
    var prefillFlops: Int
    var decodeContext: Int
    var decodeFlops: Int
    var kvTokens: Int
    var kvBytes: Int
  }

  static func references() throws -> [String: Reference] {
    let document = try #require(
      try JSONSerialization.jsonObject(with: Fixtures.data("llm/reference.json")) as? [String: Any])
    let models = try #require(document["models"] as? [String: [String: Any]])
    return models.mapValues { entry in
      func int(_ key: String) -> Int { (entry[key] as? NSNumber)?.intValue ?? -1 }
      return Reference(
        parameters: int("parameters"), prefillTokens: int("prefill_tokens"), prefillFlops: int("prefill_flops"),
        decodeContext: int("decode_context"), decodeFlops: int("decode_flops"), kvTokens: int("kv_cache_tokens"),
        kvBytes: int("kv_cache_bytes"))
    }
  }

  static let models = ["gpt2-small-2l", "llama-3-tiny", "mistral-tiny", "mixtral-tiny", "qwen2-tiny", "phi3-tiny"]

  @Test(arguments: models)
  func figuresMatchTorch(model: String) throws {
    let reference = try #require(try Self.references()[model])
    let options = LanguageModelOptions(
      prompt: reference.prefillTokens, contexts: [reference.decodeContext], batches: [1], kvDType: "fp32")
    let report = try LanguageModelPipeline.report(
      for: LanguageModelRequest(path: Fixtures.url("llm/\(model).yaml").path, options: options))
    #expect(report.parameters.total == reference.parameters)
    #expect(reference.kvTokens == reference.decodeContext)
    #expect(report.kvCache?.contexts.first?.totalBytes == reference.kvBytes)
    // Eager attention computes every score (no causal skipping): the full convention.
    let prefill = try #require(report.prefill)
    let decode = try #require(report.decode.first)
    for (ours, torch) in [(prefill.totalFlops, reference.prefillFlops), (decode.totalFlops, reference.decodeFlops)] {
      #expect(abs(Double(ours - torch)) <= 0.01 * Double(torch), "\(ours) vs \(torch)")
      #expect(ours == torch, "exact: \(ours) vs \(torch)")
    }
  }

  @Test func mixtureCountsActiveExpertsOnly() throws {
    let report = try LanguageModelPipeline.report(
      for: LanguageModelRequest(path: Fixtures.url("llm/mixtral-tiny.yaml").path))
    // 2 layers of 4 experts, each gate, up and down 256×512; a token uses 2 of them.
    let expertWeights = 2 * 4 * 3 * 256 * 512
    #expect(report.parameters.total - report.parameters.active == expertWeights / 2)
  }
}
