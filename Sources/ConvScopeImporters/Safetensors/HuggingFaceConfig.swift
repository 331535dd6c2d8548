import ConvScopeCore

/// A Hugging Face `config.json` mapped onto a ``TransformerShape``, by the names each
/// architecture's `PretrainedConfig` subclass uses in `transformers` (`GPT2Config`:
/// `n_layer`, `n_embd`, `n_head`, `n_inner`, `n_positions`; `LlamaConfig` and its kin:
/// `num_hidden_layers`, `hidden_size`, `num_attention_heads`, `num_key_value_heads`,
/// `head_dim`, `intermediate_size`, `max_position_embeddings`; `MixtralConfig`:
/// `num_local_experts`, `num_experts_per_tok`; `T5Config`: `num_layers`, `num_decoder_layers`,
/// `d_model`, `num_heads`, `d_kv`, `d_ff`, `feed_forward_proj`), with each class's defaults where
/// a key is absent.
enum HuggingFaceConfig {
  /// The values a size in a config may take: a positive whole number up to 2^40, as a dim. A
  /// count beyond it (a hostile `num_layers` of 2^63) is taken as absent.
  static let sizes = 1...(1 << 40)

  /// The `model_type`s mapped.
  static let mappedTypes: Set<String> = ["gpt2", "llama", "mistral", "mixtral", "qwen2", "phi3", "gemma", "t5"]

  /// The shape `config` describes, or the reason it cannot be mapped.
  static func shape(_ config: JSONValue) -> (shape: TransformerShape?, unmappedReason: String?) {
    guard let type = config["model_type"]?.string else { return (nil, "config.json has no 'model_type'") }
    guard mappedTypes.contains(type) else {
      return (
        nil,
        "config.json's model_type '\(type)' is not one ConvScope maps (it maps "
          + mappedTypes.sorted().joined(separator: ", ") + ")"
      )
    }
    func value(_ key: String) -> Int? { config[key]?.int.flatMap { sizes.contains($0) ? $0 : nil } }
    if type == "t5" { return t5(config) }
    let keys =
      type == "gpt2"
      ? ["n_layer", "n_embd", "n_head", "vocab_size", "n_positions"]
      : [
        "num_hidden_layers", "hidden_size", "num_attention_heads", "intermediate_size", "vocab_size",
        "max_position_embeddings",
      ]
    if let missing = keys.first(where: { value($0) == nil }) {
      return (nil, "config.json has no whole number '\(missing)' from 1 to 2^40")
    }
    if type == "gpt2" {
      let hidden = value("n_embd")!
      return (
        TransformerShape(
          architecture: type, layers: value("n_layer")!, hidden: hidden, heads: value("n_head")!,
          ffn: value("n_inner") ?? 4 * hidden, ffnKind: .mlp, vocabulary: value("vocab_size")!,
          tiedEmbeddings: config["tie_word_embeddings"]?.bool ?? true, positional: .learned,
          context: value("n_positions")!, norm: .layerNorm, attentionBias: true, ffnBias: true),
        nil
      )
    }
    let experts = value("num_local_experts").map {
      TransformerShape.ExpertRouting(count: $0, active: value("num_experts_per_tok") ?? 2)
    }
    return (
      TransformerShape(
        architecture: type, layers: value("num_hidden_layers")!, hidden: value("hidden_size")!,
        heads: value("num_attention_heads")!, kvHeads: value("num_key_value_heads"), headDim: value("head_dim"),
        ffn: value("intermediate_size")!, ffnKind: .gated, vocabulary: value("vocab_size")!,
        tiedEmbeddings: config["tie_word_embeddings"]?.bool ?? (type == "gemma"), positional: .rotary,
        context: value("max_position_embeddings")!, norm: .rmsNorm, experts: experts,
        attentionBias: type == "qwen2" || (config["attention_bias"]?.bool ?? false),
        ffnBias: config["mlp_bias"]?.bool ?? false),
      nil
    )
  }

  /// A T5 encoder-decoder (`T5Config`): relu or gated-gelu feed-forward without biases, T5's
  /// RMS-style norm, relative position buckets, the head tied by default; 512 positions
  /// (`n_positions`, T5's documented length) where the config does not say.
  private static func t5(_ config: JSONValue) -> (shape: TransformerShape?, unmappedReason: String?) {
    func value(_ key: String) -> Int? { config[key]?.int.flatMap { sizes.contains($0) ? $0 : nil } }
    let keys = ["num_layers", "d_model", "num_heads", "d_kv", "d_ff", "vocab_size"]
    if let missing = keys.first(where: { value($0) == nil }) {
      return (nil, "config.json has no whole number '\(missing)' from 1 to 2^40")
    }
    let gated = config["feed_forward_proj"]?.string?.hasPrefix("gated") ?? false
    return (
      TransformerShape(
        architecture: "t5", layers: value("num_decoder_layers") ?? value("num_layers")!,
        encoderLayers: value("num_layers")!, hidden: value("d_model")!, heads: value("num_heads")!,
        headDim: value("d_kv")!, ffn: value("d_ff")!, ffnKind: gated ? .gated : .mlp, vocabulary: value("vocab_size")!,
        tiedEmbeddings: config["tie_word_embeddings"]?.bool ?? true, positional: .relative,
        context: value("n_positions") ?? 512, norm: .rmsNorm, attentionBias: false, ffnBias: false),
      nil
    )
  }
}
