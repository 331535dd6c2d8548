import ConvScope
import Foundation
import Testing

/// The transformer shape recovered from the corpus' ONNX exports (Tests/Fixtures/corpus,
/// transformers' default GPT-2 and BERT-base configurations), checked against their
/// ref.json: parameters against `stored_params`, and the prefill's matmul FLOPs at the export's
/// 16 tokens against `matmul_gemm_macs` (numel(Y) × K of every MatMul and Gemm, from
/// onnxruntime's observed shapes).
@Suite("llm view from a graph")
struct GraphRecoveryTests {
  static func reference(_ model: String) throws -> (params: Int, macs: Int) {
    let json = try #require(
      try JSONSerialization.jsonObject(with: Fixtures.data("corpus/\(model).ref.json")) as? [String: Any])
    return (
      try #require((json["stored_params"] as? NSNumber)?.intValue),
      try #require((json["matmul_gemm_macs"] as? NSNumber)?.intValue)
    )
  }

  static func report(_ model: String) throws -> LanguageModelReport {
    try LanguageModelPipeline.report(
      for: LanguageModelRequest(
        path: Fixtures.url("corpus/\(model).onnx").path, options: LanguageModelOptions(prompt: 16, contexts: [16])))
  }

  @Test func gpt2() throws {
    let report = try Self.report("gpt2")
    let shape = try #require(report.shape)
    #expect(shape.layers == 12 && shape.encoderLayers == 0)
    #expect(shape.hidden == 768 && shape.heads == 12 && shape.kvHeads == 12 && shape.headDim == 64)
    #expect(shape.ffn == 3072 && shape.ffnKind == .mlp && shape.vocabulary == 50257)
    #expect(shape.tiedEmbeddings && shape.positional == .learned && shape.context == 1024)
    let reference = try Self.reference("gpt2")
    #expect(report.parameters.total == reference.params)
    #expect(try #require(report.prefill).totalFlops == 2 * reference.macs)
    #expect(report.kvCache?.bytesPerToken == 2 * 12 * 768 * 2)
  }

  @Test func bertIsAnEncoder() throws {
    let report = try Self.report("bert_base")
    let shape = try #require(report.shape)
    #expect(shape.layers == 0 && shape.encoderLayers == 12)
    #expect(shape.hidden == 768 && shape.heads == 12 && shape.ffn == 3072 && shape.vocabulary == 30522)
    #expect(shape.context == 512 && !shape.tiedEmbeddings)
    let reference = try Self.reference("bert_base")
    #expect(report.parameters.total == reference.params)
    #expect(try #require(report.prefill).totalFlops == 2 * reference.macs)
    #expect(report.decode.isEmpty && report.kvCache == nil)
    #expect(report.notes.contains { $0.contains("encoder") })
  }
}
