import ConvScope
import Foundation
import Testing

/// The llm view's formulas on Llama 3 8B (Examples/llama-3-8b.yaml), each written out here
/// from the architecture.
@Suite("llm view formulas")
struct LanguageModelCostTests {
  static func report(_ options: LanguageModelOptions = LanguageModelOptions()) throws -> LanguageModelReport {
    try LanguageModelPipeline.report(
      for: LanguageModelRequest(path: Fixtures.example("llama-3-8b.yaml").path, options: options))
  }

  // Llama 3 8B: 32 layers, hidden 4096, 32 heads of 128, 8 kv heads, ffn 14336, vocab 128256.
  static let (layers, hidden, kvWidth, ffn, vocab) = (32, 4096, 8 * 128, 14336, 128256)

  @Test func parametersByPartMatchTheModelCard() throws {
    let p = try Self.report().parameters
    #expect(p.embeddings == Self.vocab * Self.hidden && p.head == Self.vocab * Self.hidden)
    #expect(p.attention == Self.layers * (2 * Self.hidden * Self.hidden + 2 * Self.hidden * Self.kvWidth))
    #expect(p.mlp == Self.layers * 3 * Self.hidden * Self.ffn)
    #expect(p.norms == (2 * Self.layers + 1) * Self.hidden)
    #expect(p.total == 8_030_261_248)  // the Hugging Face model card's 8.03 B, exactly
  }

  @Test(arguments: [("fp32", 32), ("bf16", 16), ("fp16", 16), ("fp8", 8), ("int8", 8), ("int4", 4)])
  func kvCacheFollowsTheCacheTypeAndTheKeyValueHeads(dtype: String, bits: Int) throws {
    let report = try Self.report(LanguageModelOptions(contexts: [1000], kvDType: dtype))
    let kv = try #require(report.kvCache)
    // keys and values of 8 heads of 128, per layer and token.
    #expect(kv.bytesPerTokenPerLayer * 8 == 2 * Self.kvWidth * bits)
    #expect(kv.contexts.first?.totalBytes == 1000 * Self.layers * 2 * Self.kvWidth * bits / 8)
  }

  @Test func decodeAndPrefillSplitWeightsFromAttention() throws {
    let report = try Self.report(LanguageModelOptions(prompt: 100, contexts: [4096], causal: .halved))
    let matmuls = report.parameters.total - report.parameters.embeddings - report.parameters.norms
    let step = try #require(report.decode.first)
    #expect(step.weightFlops == 2 * matmuls)
    #expect(step.attentionFlops == 4 * Self.layers * Self.hidden * 4096)
    let prefill = try #require(report.prefill)
    #expect(prefill.weightFlops == 100 * 2 * matmuls)
    #expect(prefill.attentionFlopsFull == 4 * Self.layers * Self.hidden * 100 * 100)
    #expect(prefill.attentionFlopsHalved == 4 * Self.layers * Self.hidden * 100 * 101 / 2)
    #expect(prefill.totalFlops == prefill.weightFlops + prefill.attentionFlopsHalved)
  }

  @Test func ggufFormatsStoreWholeBlocksAndKeepVectorsInF32() throws {
    let report = try Self.report()
    let q4k = try #require(report.weightFormats.first { $0.format == "Q4_K" })
    let matrices = report.parameters.total - report.parameters.norms
    #expect(q4k.bytes == matrices / 256 * 144 + report.parameters.norms * 4)
    let int4 = try #require(report.weightFormats.first { $0.format == "int4" })
    #expect(int4.bytes == report.parameters.total / 2)
  }

  @Test func decodeTurnsComputeBoundWhereTheRooflineTermsMeet() throws {
    let device = try #require(DeviceProfile.builtIn(named: "h100-sxm"))
    let report = try Self.report(
      LanguageModelOptions(contexts: [1024], batches: [1, 4096], kvDType: "int4", device: device))
    let roofline = try #require(report.roofline)
    let step = try #require(report.decode.first)
    let kv = try #require(report.kvCache?.contexts.first?.totalBytes)
    let batch = try #require(roofline.computeBoundBatch.first?.batch)
    func computeBound(_ b: Int) -> Bool {
      Double(b * step.totalFlops) / roofline.peakFlopsPerSecond
        >= Double(roofline.weightBytes + b * kv) / roofline.memoryBytesPerSecond
    }
    #expect(computeBound(batch) && !computeBound(batch - 1))
    #expect(roofline.decode.first?.bound == .memory && roofline.decode.last?.bound == .compute)
    // At fp16 the cache read per sequence outruns its arithmetic: never compute-bound.
    let fp16 = try Self.report(LanguageModelOptions(contexts: [1024], device: device))
    #expect(fp16.roofline?.computeBoundBatch.first?.batch == nil)
  }

  @Test func specErrorsNameTheKey() throws {
    let text = "transformer: {layers: 2, hidden: 64, heads: 8, kv_heads: 3, ffn: 128, vocab: 10}\n"
    #expect(throws: ConvScopeError.self) {
      try SpecTransformer.shape(from: Data(text.utf8), fileName: "bad.yaml")
    }
    do {
      _ = try SpecTransformer.shape(from: Data(text.utf8), fileName: "bad.yaml")
    } catch {
      #expect(error.field == "kv_heads" && error.line == 1)
    }
    let typo = "transformer: {layers: 2, hidden: 64, heads: 8, ffn: 128, vocab: 10, kv_head: 2}\n"
    do {
      _ = try SpecTransformer.shape(from: Data(typo.utf8), fileName: "typo.yaml")
      Issue.record("a misspelt key was accepted")
    } catch {
      #expect(error.message.contains("did you mean 'kv_heads'"))
    }
    // Layer counts past the layer budget: encoder and decoder layers are added up, and
    // 1 + (2^63 - 1) trapped (found by a hostile-input audit).
    let huge =
      "transformer: {layers: 1, encoder_layers: 9223372036854775807, hidden: 64, heads: 8, ffn: 128, vocab: 10}\n"
    let error = try #require(throws: ConvScopeError.self) {
      try SpecTransformer.shape(from: Data(huge.utf8), fileName: "huge.yaml")
    }
    #expect(error.field == "encoder_layers")
    #expect(error.message.hasPrefix("the model has 9,223,372,036,854,775,807 layers, more than the layer budget"))
  }
}
