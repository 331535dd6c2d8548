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

  /// transformers' T5 (2 encoder + 2 decoder blocks, exported with a 16-token source and an
  /// 8-token target: Tests/Fixtures/transformer-conventions): its two EncDecAttention blocks
  /// score 8 queries against 16 keys, so the report says the graph is one stack, not
  /// encoder-decoder figures.
  @Test func anEncoderDecoderGraphSaysItsCrossAttentionIsNotSplit() throws {
    let report = try LanguageModelPipeline.report(
      for: LanguageModelRequest(
        path: Fixtures.url("transformer-conventions/t5_small.onnx").path,
        options: LanguageModelOptions(prompt: 16, contexts: [16])))
    #expect(report.notes.contains { $0.hasPrefix("2 of the 6 attention blocks") && $0.contains("cross-attention") })
  }
}

/// The grouped-query decoder built from ONNX Runtime contrib ops
/// (Tests/Fixtures/onnx-contrib/gqa_decoder.onnx, Scripts/llm-fixtures/make_gqa_decoder.py).
@Suite("llm view from a GroupQueryAttention graph")
struct GroupQueryGraphRecoveryTests {
  @Test func shapeComesFromTheContribAttributesAndThePastInputs() throws {
    let json = try #require(
      try JSONSerialization.jsonObject(with: Fixtures.data("onnx-contrib/gqa_decoder.ref.json")) as? [String: Any])
    let config = try #require(json["config"] as? [String: Int])
    let report = try LanguageModelPipeline.report(
      for: LanguageModelRequest(
        path: Fixtures.url("onnx-contrib/gqa_decoder.onnx").path,
        options: LanguageModelOptions(prompt: 4, contexts: [12], kvDType: "fp32")))
    let shape = try #require(report.shape)
    #expect(shape.layers == config["layers"] && shape.hidden == config["hidden"])
    #expect(shape.heads == config["heads"] && shape.kvHeads == config["kv_heads"])
    #expect(shape.headDim == config["head_dim"] && shape.ffn == config["ffn"] && shape.ffnKind == .gated)
    #expect(shape.vocabulary == config["vocab"] && shape.norm == .rmsNorm && !shape.tiedEmbeddings)
    #expect(report.parameters.total == (json["stored_params"] as? NSNumber)?.intValue)
    // onnxruntime's present.N.key after 8 past + 4 new tokens: [1, kv_heads, 12, head_dim] float32,
    // keys and values, two layers.
    let (h, kv, dh, f, v) = (64, 2 * 16, 16, 128, 100)
    #expect(report.kvCache?.contexts.first?.totalBytes == 2 * 2 * (1 * 2 * 12 * dh) * 4)
    // Per token: q and o h×h, k and v h×kv, gate, up and down h×f, per layer; the head h×v.
    let macsPerToken = 2 * (2 * h * h + 2 * h * kv + 3 * h * f) + h * v
    #expect(report.decode.first?.weightFlops == 2 * macsPerToken)
    #expect(report.decode.first?.attentionFlops == 2 * 2 * 2 * 4 * dh * 12)
  }
}

/// A tiny Llama (grouped-query 4/2, eager attention) exported by torch.export
/// (Tests/Fixtures/llm/llama-tiny.pt2, `pt2` in reference.json).
@Suite("llm view from a .pt2 archive")
struct PT2GraphRecoveryTests {
  @Test func llamaShapeParamsAndFlops() throws {
    let json = try #require(
      try JSONSerialization.jsonObject(with: Fixtures.data("llm/reference.json")) as? [String: Any])
    let reference = try #require(json["pt2"] as? [String: Any])
    let config = try #require(reference["config"] as? [String: Int])
    let report = try LanguageModelPipeline.report(
      for: LanguageModelRequest(
        path: Fixtures.url("llm/llama-tiny.pt2").path, options: LanguageModelOptions(prompt: 16, contexts: [16])))
    let shape = try #require(report.shape)
    #expect(shape.layers == config["num_hidden_layers"] && shape.hidden == config["hidden_size"])
    #expect(shape.heads == config["num_attention_heads"] && shape.kvHeads == config["num_key_value_heads"])
    #expect(shape.ffn == config["intermediate_size"] && shape.vocabulary == config["vocab_size"])
    #expect(shape.ffnKind == .gated && shape.norm == .rmsNorm && shape.positional == .rotary)
    // The archive also stores the rotary inverse-frequency buffers: parameters of no part.
    let buffers = try #require(reference["buffers"] as? [String: Int])
    #expect(report.parameters.total == (reference["parameters"] as? Int ?? -1) + buffers.values.reduce(0, +))
    #expect(report.parameters.other == buffers.values.reduce(0, +))
    #expect(report.prefill?.totalFlops == reference["prefill_flops"] as? Int)
  }
}
