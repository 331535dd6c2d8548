/// The part of a transformer language model a weight tensor belongs to, for the `llm`
/// view's parameters by part.
public enum TransformerPart: String, Sendable, Codable, CaseIterable {
  /// Token, position and segment embedding tables.
  case embeddings
  /// Query, key, value and output projections and their biases (self-attention).
  case attention
  /// An encoder-decoder model's cross-attention: the decoder's query and output projections
  /// and the key and value projections of the encoder's output, with their biases.
  case crossAttention
  /// Feed-forward projections, experts and routers.
  case mlp
  /// Normalisation scales and biases.
  case norms
  /// The output projection to the vocabulary.
  case head
  /// A tensor that fits no part.
  case other

  /// The part a tensor's name says it belongs to: GGUF's (`blk.0.attn_q.weight`,
  /// `token_embd.weight`, `output.weight`) and Hugging Face's
  /// (`model.layers.0.self_attn.q_proj.weight`, `lm_head.weight`, GPT-2's `h.0.ln_1.weight`, T5's
  /// `decoder.block.0.layer.1.EncDecAttention.q.weight`, BART's `encoder_attn`).
  public static func of(tensorNamed name: String) -> TransformerPart {
    let name = name.lowercased()
    func has(_ words: String...) -> Bool { words.contains { name.contains($0) } }
    if has("norm", "ln_", ".ln") { return .norms }
    if name == "shared.weight" || has("relative_attention_bias") { return .embeddings }
    if has("token_embd", "position_embd", "embed_tokens", "wte", "wpe", "embeddings", "embed_positions") {
      return .embeddings
    }
    if has("encdecattention", "encoder_attn", "cross_attn", "crossattention") { return .crossAttention }
    if has("attn", "attention") { return .attention }
    if has(
      "ffn", "mlp", "experts", "feed_forward", "block_sparse_moe", "intermediate", "output.dense", "densereludense")
    {
      return .mlp
    }
    if name == "output.weight" || has("lm_head") { return .head }
    return .other
  }
}
