/// The architecture of a decoder-only or encoder-decoder transformer language model, as the
/// `llm` view needs it: what a Hugging Face `config.json`, a GGUF header's metadata, a native
/// spec's `transformer:` block or a recognised ONNX/`.pt2` graph says about the model.
///
/// Every count is per model (not per device). Sizes follow Hugging Face's names in the
/// comments so that a reader can check a value against a `config.json`.
public struct TransformerShape: Sendable, Equatable, Codable {
  /// The architecture's name as the source states it (`llama`, `gpt2`, `qwen2`, ...).
  public var architecture: String
  /// Decoder blocks (`num_hidden_layers`, GGUF `<arch>.block_count`).
  public var layers: Int
  /// Encoder blocks of an encoder-decoder model; 0 for a decoder-only model.
  public var encoderLayers: Int
  /// Model width (`hidden_size`, GGUF `<arch>.embedding_length`).
  public var hidden: Int
  /// Query heads (`num_attention_heads`, GGUF `<arch>.attention.head_count`).
  public var heads: Int
  /// Key/value heads (`num_key_value_heads`, GGUF `<arch>.attention.head_count_kv`):
  /// `heads` for multi-head, 1 for multi-query, in between for grouped-query attention.
  public var kvHeads: Int
  /// Width of one head (`head_dim`; `hidden / heads` when the source does not say).
  public var headDim: Int
  /// Inner width of the feed-forward block (`intermediate_size`, GGUF
  /// `<arch>.feed_forward_length`).
  public var ffn: Int
  /// How the feed-forward block is built.
  public var ffnKind: FeedForwardKind
  /// Vocabulary size (`vocab_size`; GGUF: the token list's length).
  public var vocabulary: Int
  /// Whether the output head reuses the token embedding (`tie_word_embeddings`).
  public var tiedEmbeddings: Bool
  /// How positions enter the model.
  public var positional: PositionalKind
  /// The longest context the model was built for (`max_position_embeddings`, GGUF
  /// `<arch>.context_length`).
  public var context: Int
  /// Which normalisation the blocks use.
  public var norm: NormKind
  /// Mixture of experts: experts per layer and experts each token is routed to; `nil` for
  /// a dense model.
  public var experts: ExpertRouting?
  /// Whether the query, key and value projections have biases (GPT-2, Qwen2: yes; Llama: no).
  public var attentionBias: Bool
  /// Whether the feed-forward projections have biases.
  public var ffnBias: Bool
  /// Whether the attention's output projection has a bias (GPT-2, BERT: yes; Qwen2: no, though
  /// its query, key and value projections have one). Defaults to `attentionBias`.
  public var attentionOutputBias: Bool

  /// Whether the model has both an encoder and a decoder (T5, BART): its decoder blocks
  /// then add cross-attention to the encoder's output.
  public var isEncoderDecoder: Bool { layers > 0 && encoderLayers > 0 }

  /// Buckets of a T5-style relative position table (`relative_attention_num_buckets`, 32 in
  /// every released T5): the table is `buckets × heads`, one per stack.
  public static let relativeBuckets = 32

  /// Creates a shape; `headDim` defaults to `hidden / heads`, `kvHeads` to `heads` and
  /// `attentionOutputBias` to `attentionBias`.
  public init(
    architecture: String, layers: Int, encoderLayers: Int = 0, hidden: Int, heads: Int,
    kvHeads: Int? = nil, headDim: Int? = nil, ffn: Int, ffnKind: FeedForwardKind,
    vocabulary: Int, tiedEmbeddings: Bool, positional: PositionalKind, context: Int,
    norm: NormKind, experts: ExpertRouting? = nil, attentionBias: Bool, ffnBias: Bool,
    attentionOutputBias: Bool? = nil
  ) {
    self.architecture = architecture
    self.layers = layers
    self.encoderLayers = encoderLayers
    self.hidden = hidden
    self.heads = heads
    self.kvHeads = kvHeads ?? heads
    self.headDim = headDim ?? (heads > 0 ? hidden / heads : 0)
    self.ffn = ffn
    self.ffnKind = ffnKind
    self.vocabulary = vocabulary
    self.tiedEmbeddings = tiedEmbeddings
    self.positional = positional
    self.context = context
    self.norm = norm
    self.experts = experts
    self.attentionBias = attentionBias
    self.ffnBias = ffnBias
    self.attentionOutputBias = attentionOutputBias ?? attentionBias
  }

  /// The feed-forward block's structure.
  public enum FeedForwardKind: String, Sendable, Codable, CaseIterable {
    /// Two projections with an activation between (GPT-2, BERT): `up`, `down`.
    case mlp
    /// Gated (SwiGLU, GeGLU: Llama, Mistral, Qwen): `gate`, `up`, `down`.
    case gated
  }

  /// How positions are encoded.
  public enum PositionalKind: String, Sendable, Codable, CaseIterable {
    /// A learned position table of `context × hidden` (GPT-2, BERT, OPT).
    case learned
    /// Rotary embeddings (RoPE): no parameters.
    case rotary
    /// ALiBi biases: no parameters.
    case alibi
    /// T5-style relative position buckets: a learned `relativeBuckets × heads` table in each
    /// stack's first self-attention, looked up (no matmul).
    case relative
    /// No positional signal in the weights.
    case none
  }

  /// The normalisation layers' kind.
  public enum NormKind: String, Sendable, Codable, CaseIterable {
    /// LayerNorm: scale and bias per channel.
    case layerNorm
    /// RMSNorm: scale only.
    case rmsNorm
  }

  /// Mixture-of-experts routing.
  public struct ExpertRouting: Sendable, Equatable, Codable {
    /// Experts per layer (Mixtral: 8).
    public var count: Int
    /// Experts each token uses (Mixtral: 2).
    public var active: Int
    /// Creates a routing description.
    public init(count: Int, active: Int) {
      self.count = count
      self.active = active
    }
  }
}
