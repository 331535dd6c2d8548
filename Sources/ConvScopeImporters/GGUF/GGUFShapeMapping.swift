import ConvScopeCore

extension GGUFHeader {
  /// The architectures whose GGUF metadata maps onto a ``TransformerShape``: llama (which
  /// Mistral and Mixtral files also declare), qwen2, phi3, gpt2 and gemma.
  static let mappedArchitectures: Set<String> = ["llama", "qwen2", "phi3", "gpt2", "gemma"]

  /// The model's shape from `general.architecture` and the `<arch>.*` keys, with the parts the
  /// metadata does not state read from the tensor names (llama.cpp's names,
  /// `gguf-py/gguf/constants.py`): tied embeddings when there is no `output.weight`, a gated
  /// feed-forward block when layer 0 has `ffn_gate` (or `ffn_gate_exps`; phi3 stores gate and
  /// up fused in `ffn_up`), LayerNorm when `attn_norm` has a bias, learned positions when
  /// there is a `position_embd.weight`, biases from `attn_q`/`attn_qkv` and `ffn_up`/`ffn_down`.
  /// The vocabulary is `tokenizer.ggml.tokens`' length (else `token_embd.weight`'s rows).
  /// Returns the reason instead when the metadata cannot be mapped.
  func transformerShape() -> (shape: TransformerShape?, unmappedReason: String?) {
    guard case .string(let architecture) = values["general.architecture"] else {
      return (nil, "the metadata has no 'general.architecture' string")
    }
    guard Self.mappedArchitectures.contains(architecture) else {
      return (
        nil,
        "architecture '\(architecture)' is not one ConvScope maps (it maps "
          + Self.mappedArchitectures.sorted().joined(separator: ", ") + ")"
      )
    }
    func integer(_ suffix: String) -> Int? { values["\(architecture).\(suffix)"]?.integer }
    let required = [
      "block_count", "embedding_length", "attention.head_count", "feed_forward_length", "context_length",
    ]
    if let missing = required.first(where: { integer($0) == nil }) {
      return (nil, "metadata key '\(architecture).\(missing)' is missing or not a whole number")
    }
    let names = Set(tensors.map(\.name))
    let vocabulary: Int
    if case .array(_, let count) = values["tokenizer.ggml.tokens"] {
      vocabulary = count
    } else if let embedding = tensors.first(where: { $0.name == "token_embd.weight" }), embedding.shape.count == 2 {
      vocabulary = embedding.shape[0]
    } else {
      return (nil, "neither 'tokenizer.ggml.tokens' nor 'token_embd.weight' gives the vocabulary")
    }
    let heads = integer("attention.head_count")!
    let hidden = integer("embedding_length")!
    let expertCount = integer("expert_count") ?? 0
    let gated =
      architecture == "phi3" || names.contains("blk.0.ffn_gate.weight") || names.contains("blk.0.ffn_gate_exps.weight")
    let shape = TransformerShape(
      architecture: architecture, layers: integer("block_count")!, hidden: hidden, heads: heads,
      kvHeads: integer("attention.head_count_kv"), headDim: integer("attention.key_length"),
      ffn: integer("feed_forward_length")!, ffnKind: gated ? .gated : .mlp, vocabulary: vocabulary,
      tiedEmbeddings: !names.contains("output.weight"),
      positional: names.contains("position_embd.weight") ? .learned : .rotary,
      context: integer("context_length")!,
      norm: names.contains("blk.0.attn_norm.bias") ? .layerNorm : .rmsNorm,
      experts: expertCount > 0 ? .init(count: expertCount, active: integer("expert_used_count") ?? expertCount) : nil,
      attentionBias: names.contains("blk.0.attn_q.bias") || names.contains("blk.0.attn_qkv.bias"),
      ffnBias: names.contains("blk.0.ffn_up.bias") || names.contains("blk.0.ffn_down.bias"))
    return (shape, nil)
  }
}
