import ConvScope
import Foundation
import Testing

/// The llm view's encoder-decoder arithmetic against a tiny T5 built in torch
/// (Tests/Fixtures/llm/encdec-reference.json, made by Scripts/llm-fixtures/make_encdec_fixture.py)
/// and against the formulas written out by hand.
@Suite("llm view: encoder-decoder")
struct EncoderDecoderTests {
  /// The torch figures for `t5-tiny`.
  static func reference() throws -> [String: Int] {
    let document = try #require(
      try JSONSerialization.jsonObject(with: Fixtures.data("llm/encdec-reference.json")) as? [String: Any])
    let entry = try #require(document["t5-tiny"] as? [String: Any])
    return entry.compactMapValues { ($0 as? NSNumber)?.intValue }
  }

  static func report(
    source: Int?, prompt: Int, context: Int, device: DeviceChoice? = nil, file: String = "llm/t5-tiny.yaml"
  ) throws -> LanguageModelReport {
    var options = LanguageModelOptions(prompt: prompt, contexts: [context], batches: [1, 8], kvDType: "fp32")
    options.source = source
    return try LanguageModelPipeline.report(
      for: LanguageModelRequest(path: Fixtures.url(file).path, options: options, device: device))
  }

  /// The spec block and the same model's safetensors header with its `config.json`
  /// (`save_pretrained`'s tensor names: `shared`, `encoder.block.N...`, `EncDecAttention`).
  @Test(arguments: ["llm/t5-tiny.yaml", "llm-headers/t5/model.safetensors"])
  func figuresMatchTorch(file: String) throws {
    let torch = try Self.reference()
    let source = try #require(torch["source_tokens"])
    let report = try Self.report(
      source: source, prompt: try #require(torch["prefill_tokens"]), context: try #require(torch["decode_context"]),
      file: file)
    #expect(report.parameters.crossAttention == 2 * 4 * 64 * 64)
    #expect(report.parameters.other == 0)
    #expect(report.parameters.total == torch["parameters"])
    let kv = try #require(report.kvCache)
    #expect(kv.contexts.first?.totalBytes == torch["kv_self_bytes"])
    #expect(kv.crossAttention?.context == source)
    #expect(kv.crossAttention?.totalBytes == torch["kv_cross_bytes"])
    let prefill = try #require(report.prefill)
    let decode = try #require(report.decode.first)
    #expect(prefill.encoderFlops == torch["encoder_flops"])
    let pairs = [
      (prefill.totalFlops, try #require(torch["prefill_flops"])),
      (decode.totalFlops, try #require(torch["decode_flops"])),
    ]
    for (ours, reference) in pairs {
      #expect(abs(Double(ours - reference)) <= 0.01 * Double(reference), "\(ours) vs \(reference)")
      #expect(ours == reference, "exact: \(ours) vs \(reference)")
    }
  }

  /// Every term from T5's layout, written out: E 64, H·d 64, F 128, V 500, 2 + 2 blocks.
  @Test func termsFollowTheLayout() throws {
    let (e, hd, f, v, layers, s, n, t) = (64, 64, 128, 500, 2, 40, 8, 16)
    let report = try Self.report(source: s, prompt: n, context: t)
    let p = report.parameters
    #expect(p.embeddings == v * e + 2 * 32 * 4)  // shared table + a relative table per stack
    #expect(p.attention == 2 * layers * 4 * e * hd)  // encoder and decoder self-attention
    #expect(p.crossAttention == layers * 4 * e * hd)
    #expect(p.mlp == 2 * layers * 2 * e * f)
    #expect(p.norms == (2 * layers + 3 * layers + 2) * e)
    #expect(p.head == 0)
    let decoderMACs = layers * (4 * e * hd + 2 * e * hd + 2 * e * f) + v * e  // self, cross Q/O, FFN, tied head
    let encoderMACs = layers * (4 * e * hd + 2 * e * f)
    let prefill = try #require(report.prefill)
    #expect(prefill.sourceTokens == s)
    #expect(prefill.encoderFlops == 2 * s * encoderMACs + 4 * layers * hd * s * s)
    #expect(prefill.crossKeyValueFlops == 2 * s * layers * 2 * e * hd)
    #expect(prefill.weightFlops == 2 * n * decoderMACs)
    #expect(prefill.attentionFlopsFull == 4 * layers * hd * (n * n + n * s))
    #expect(prefill.attentionFlopsHalved == 4 * layers * hd * (n * (n + 1) / 2 + n * s))
    let decode = try #require(report.decode.first)
    #expect(decode.weightFlops == 2 * decoderMACs)
    #expect(decode.attentionFlops == 4 * layers * hd * t)
    #expect(decode.crossAttentionFlops == 4 * layers * hd * s)
    #expect(report.kvCache?.crossAttention?.bytesPerLayer == 2 * s * hd * 4)
  }

  @Test func sourceDefaultsToThePrompt() throws {
    let report = try Self.report(source: nil, prompt: 24, context: 32)
    #expect(report.settings.source == 24)
    #expect(report.notes.contains { $0.hasPrefix("an encoder-decoder model") })
    #expect(report.prefill?.sourceTokens == 24)
    #expect(report.kvCache?.crossAttention?.context == 24)
  }

  @Test func decoderOnlyModelsHaveNoCrossTerms() throws {
    let report = try LanguageModelPipeline.report(
      for: LanguageModelRequest(path: Fixtures.url("llm/llama-3-tiny.yaml").path))
    #expect(report.parameters.crossAttention == nil)
    #expect(report.prefill?.encoderFlops == nil)
    #expect(report.decode.allSatisfy { $0.crossAttentionFlops == nil })
    #expect(report.kvCache?.crossAttention == nil)
    #expect(report.settings.source == nil)
  }

  @Test func rooflineReadsTheCrossCache() throws {
    let report = try Self.report(source: 40, prompt: 8, context: 16, device: .named("h100-sxm"))
    let roofline = try #require(report.roofline)
    let kv = try #require(report.kvCache)
    let perSequence = try #require(kv.contexts.first?.totalBytes) + (kv.crossAttention?.totalBytes ?? 0)
    let one = try #require(roofline.decode.first { $0.batch == 1 })
    let eight = try #require(roofline.decode.first { $0.batch == 8 })
    #expect(eight.bytes - one.bytes == 7 * perSequence)
  }

  @Test func everyFormatShowsTheCrossAttention() throws {
    let report = try Self.report(source: 40, prompt: 8, context: 16)
    let csv = try LanguageModelRenderer.render(report, format: .csv)
    #expect(csv.contains(",cross-attention,Params,32768\n"))
    #expect(csv.contains(",cross-attention 40,Total,40960\n"))
    #expect(csv.contains("Cross-attention,20480\n"))
    #expect(csv.contains(",\"encoder (weights × S + attention S², S = 40)\",FLOPs,6062080\n"))
    for format in [OutputFormat.table, .markdown, .html] {
      let text = try LanguageModelRenderer.render(report, format: format)
      #expect(text.contains("cross-attention"), "\(format)")
      #expect(text.contains("40 source tokens"), "\(format)")
    }
    let json = try LanguageModelRenderer.render(report, format: .json)
    for key in [
      "\"cross_attention\" : 32768", "\"cross_attention_flops\" : 20480", "\"encoder_flops\" : 6062080",
      "\"cross_key_value_flops\" : 1310720", "\"source\" : 40", "\"source_tokens\" : 40",
    ] {
      #expect(json.contains(key), "\(key)")
    }
  }

  @Test func hubNamesOfCrossAttentionHaveTheirPart() {
    #expect(TransformerPart.of(tensorNamed: "decoder.block.0.layer.1.EncDecAttention.q.weight") == .crossAttention)
    #expect(TransformerPart.of(tensorNamed: "model.decoder.layers.0.encoder_attn.k_proj.weight") == .crossAttention)
    #expect(TransformerPart.of(tensorNamed: "model.decoder.layers.0.self_attn.k_proj.weight") == .attention)
    #expect(TransformerPart.of(tensorNamed: "model.decoder.layers.0.encoder_attn_layer_norm.weight") == .norms)
  }
}
