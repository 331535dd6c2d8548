import ConvScope
import Testing

/// A header's tensor table (what the GGUF and safetensors readers produce) fed to the view:
/// parameters exact from the table, stored bytes summed, parts by tensor name.
@Suite("llm view from a header")
struct LanguageModelHeaderTests {
  /// A 2-block Llama-shaped GGUF table (hidden 256, 4 heads, 2 kv heads of 64, ffn 512,
  /// vocab 1000) with Q4_K matrices, a Q6_K output and F32 norms.
  static func header(tied: Bool = false) throws -> LanguageModelHeader {
    let (e, kv, f, v) = (256, 128, 512, 1000)
    var tensors: [HeaderTensor] = []
    func add(_ name: String, _ shape: [Int], _ type: String) throws {
      let ggml = try #require(GGMLType.named(type))
      let bytes = try #require(try ggml.storedBytes(elements: shape.reduce(1, *)))
      tensors.append(HeaderTensor(name: name, shape: shape, storageType: type, storedBytes: bytes))
    }
    try add("token_embd.weight", [v, e], "Q4_K")
    for block in 0..<2 {
      try add("blk.\(block).attn_norm.weight", [e], "F32")
      try add("blk.\(block).attn_q.weight", [e, e], "Q4_K")
      try add("blk.\(block).attn_k.weight", [kv, e], "Q4_K")
      try add("blk.\(block).attn_v.weight", [kv, e], "Q4_K")
      try add("blk.\(block).attn_output.weight", [e, e], "Q4_K")
      try add("blk.\(block).ffn_norm.weight", [e], "F32")
      try add("blk.\(block).ffn_gate.weight", [f, e], "Q4_K")
      try add("blk.\(block).ffn_up.weight", [f, e], "Q4_K")
      try add("blk.\(block).ffn_down.weight", [e, f], "Q4_K")
    }
    try add("output_norm.weight", [e], "F32")
    if !tied { try add("output.weight", [v, e], "Q6_K") }
    let shape = TransformerShape(
      architecture: "llama", layers: 2, hidden: e, heads: 4, kvHeads: 2, ffn: f, ffnKind: .gated, vocabulary: v,
      tiedEmbeddings: tied, positional: .rotary, context: 4096, norm: .rmsNorm, attentionBias: false, ffnBias: false)
    return LanguageModelHeader(format: .gguf, shape: shape, unmappedReason: nil, tensors: tensors, metadata: [])
  }

  @Test func partsAndStoredBytesComeFromTheTable() throws {
    let header = try Self.header()
    let report = try LanguageModelAnalysis.report(model: "tiny.gguf", header: header, options: LanguageModelOptions())
    let p = report.parameters
    #expect(p.fromTensorTable && p.total == header.tensors.map { $0.shape.reduce(1, *) }.reduce(0, +))
    #expect(p.embeddings == 1000 * 256 && p.head == 1000 * 256 && p.norms == 5 * 256)
    #expect(p.attention == 2 * (2 * 256 * 256 + 2 * 128 * 256) && p.mlp == 2 * 3 * 256 * 512)
    let stored = try #require(report.weightFormats.first)
    #expect(stored.format == "stored" && stored.bytes == header.tensors.map(\.storedBytes).reduce(0, +))
    #expect(report.settings.weightDType == "stored")
    // The same architecture written out from its shape gives the same parameters.
    let shape = try #require(header.shape)
    let fromShape = try LanguageModelAnalysis.report(model: "tiny", source: "shape", shape: shape, options: .init())
    #expect(fromShape.parameters.total == p.total && fromShape.decode == report.decode)
  }

  @Test func anUnmappedArchitectureKeepsExactParameters() throws {
    var header = try Self.header(tied: true)
    header.shape = nil
    header.unmappedReason = "architecture 'rwkv6' is not a transformer ConvScope maps"
    let report = try LanguageModelAnalysis.report(model: "x.gguf", header: header, options: LanguageModelOptions())
    #expect(report.parameters.total == header.tensors.map { $0.shape.reduce(1, *) }.reduce(0, +))
    #expect(report.notes.contains(header.unmappedReason ?? "") && report.decode.isEmpty && report.kvCache == nil)
  }

  /// A safetensors-style table with Hugging Face's Mixtral names: one expert per tensor.
  @Test func perExpertTensorsCountTheirActiveShare() throws {
    let (e, kv, f, v, experts) = (128, 64, 256, 300, 4)
    var tensors: [HeaderTensor] = []
    func add(_ name: String, _ shape: [Int]) {
      tensors.append(HeaderTensor(name: name, shape: shape, storageType: "BF16", storedBytes: 2 * shape.reduce(1, *)))
    }
    add("model.embed_tokens.weight", [v, e])
    add("model.layers.0.input_layernorm.weight", [e])
    for (name, rows) in [("q_proj", e), ("k_proj", kv), ("v_proj", kv)] {
      add("model.layers.0.self_attn.\(name).weight", [rows, e])
    }
    add("model.layers.0.self_attn.o_proj.weight", [e, e])
    add("model.layers.0.post_attention_layernorm.weight", [e])
    add("model.layers.0.block_sparse_moe.gate.weight", [experts, e])
    for expert in 0..<experts {
      add("model.layers.0.block_sparse_moe.experts.\(expert).w1.weight", [f, e])
      add("model.layers.0.block_sparse_moe.experts.\(expert).w2.weight", [e, f])
      add("model.layers.0.block_sparse_moe.experts.\(expert).w3.weight", [f, e])
    }
    add("model.norm.weight", [e])
    add("lm_head.weight", [v, e])
    let shape = TransformerShape(
      architecture: "mixtral", layers: 1, hidden: e, heads: 4, kvHeads: 2, ffn: f, ffnKind: .gated, vocabulary: v,
      tiedEmbeddings: false, positional: .rotary, context: 4096, norm: .rmsNorm,
      experts: .init(count: experts, active: 2), attentionBias: false, ffnBias: false)
    let header = LanguageModelHeader(
      format: .safetensors, shape: shape, unmappedReason: nil, tensors: tensors, metadata: [])
    let report = try LanguageModelAnalysis.report(model: "m.safetensors", header: header, options: .init())
    let expertWeights = experts * 3 * e * f
    #expect(report.parameters.total - report.parameters.active == expertWeights / 2)
    #expect(report.parameters.other == 0 && report.parameters.head == v * e)
    let fromShape = try LanguageModelAnalysis.report(model: "m", source: "shape", shape: shape, options: .init())
    #expect(fromShape.parameters == report.parameters.with(fromTensorTable: false))
    #expect(fromShape.decode == report.decode && fromShape.prefill == report.prefill)
  }
}

extension LanguageModelParameters {
  fileprivate func with(fromTensorTable: Bool) -> Self {
    var copy = self
    copy.fromTensorTable = fromTensorTable
    return copy
  }
}
