import ConvScopeCore

/// The `llm` view of a transformer language model: parameters by part, prefill and decode
/// FLOPs, KV cache bytes, weight bytes per storage format, roofline bounds and the rules of
/// thumb beside the exact figures. docs/llm.md gives every formula and its source.
public struct LanguageModelReport: Sendable, Codable, Equatable {
  /// The model's file name.
  public var model: String
  /// Where the architecture came from (`spec transformer block`, `ONNX graph`, `GGUF header`).
  public var source: String
  /// The architecture, or `nil` when the source's architecture could not be mapped (then
  /// only the figures that need no architecture are given).
  public var shape: TransformerShape?
  /// What could not be recovered or is not modelled, one sentence each.
  public var notes: [String]
  /// The figures the request asked for.
  public var settings: LanguageModelSettings
  /// Parameters by part.
  public var parameters: LanguageModelParameters
  /// Prefill cost of the prompt.
  public var prefill: PrefillCost?
  /// Decode cost of one token at each context asked.
  public var decode: [DecodeCost]
  /// The KV cache at the chosen cache type.
  public var kvCache: KVCacheSummary?
  /// Weight bytes at each storage format.
  public var weightFormats: [WeightFormatSize]
  /// Bounds on the chosen device, when one was asked for.
  public var roofline: LanguageModelRoofline?
  /// The "2N" and "6N" figures beside the exact ones.
  public var rulesOfThumb: RulesOfThumb

  /// Every stored property, in declaration order.
  public init(
    model: String, source: String, shape: TransformerShape?, notes: [String], settings: LanguageModelSettings,
    parameters: LanguageModelParameters, prefill: PrefillCost?, decode: [DecodeCost], kvCache: KVCacheSummary?,
    weightFormats: [WeightFormatSize], roofline: LanguageModelRoofline?, rulesOfThumb: RulesOfThumb
  ) {
    self.model = model
    self.source = source
    self.shape = shape
    self.notes = notes
    self.settings = settings
    self.parameters = parameters
    self.prefill = prefill
    self.decode = decode
    self.kvCache = kvCache
    self.weightFormats = weightFormats
    self.roofline = roofline
    self.rulesOfThumb = rulesOfThumb
  }

  enum CodingKeys: String, CodingKey {
    case model, source, shape, notes, settings, parameters, prefill, decode
    case kvCache = "kv_cache"
    case weightFormats = "weight_formats"
    case roofline
    case rulesOfThumb = "rules_of_thumb"
  }
}

/// How causal masking is counted in prefill attention.
public enum CausalConvention: String, Sendable, Codable, CaseIterable {
  /// Every query against every key (N² pairs): what a dense kernel computes and what
  /// torch's flop counter counts for eager attention.
  case full
  /// Only the pairs the mask keeps (N(N+1)/2): what a causal kernel that skips masked
  /// blocks computes.
  case halved
}

/// The request's settings, echoed in the report.
public struct LanguageModelSettings: Sendable, Codable, Equatable {
  /// Prompt tokens for prefill.
  public var prompt: Int
  /// Context lengths for decode and the KV cache.
  public var contexts: [Int]
  /// Batch sizes for the roofline.
  public var batches: [Int]
  /// The KV cache's element type (`fp16`, `int4`).
  public var kvDType: String
  /// The weights' storage format for the roofline (`bf16`, `Q4_K`, `stored`).
  public var weightDType: String
  /// The causal convention the totals use; both are shown.
  public var causal: CausalConvention
  /// Encoder-decoder models: the encoder's input tokens (`--source`); `nil` otherwise.
  public var source: Int?

  /// Every stored property, in declaration order.
  public init(
    prompt: Int, contexts: [Int], batches: [Int], kvDType: String, weightDType: String, causal: CausalConvention
  ) {
    self.prompt = prompt
    self.contexts = contexts
    self.batches = batches
    self.kvDType = kvDType
    self.weightDType = weightDType
    self.causal = causal
  }

  enum CodingKeys: String, CodingKey {
    case prompt, contexts, batches, source
    case kvDType = "kv_dtype"
    case weightDType = "weight_dtype"
    case causal
  }
}

/// Parameters by part, tied weights counted once.
public struct LanguageModelParameters: Sendable, Codable, Equatable {
  /// Token (and learned position) embeddings.
  public var embeddings: Int
  /// Query, key, value and output projections with their biases.
  public var attention: Int
  /// Feed-forward projections (every expert and the router, for a mixture of experts).
  public var mlp: Int
  /// Normalisation scales and biases.
  public var norms: Int
  /// The output head (0 when tied to the embedding).
  public var head: Int
  /// Tensors a header lists that fit no part.
  public var other: Int
  /// The sum of the parts.
  public var total: Int
  /// Parameters one token uses: `total` less the experts it is not routed to.
  public var active: Int
  /// `true` when the counts come from a tensor table (exact), `false` when from the
  /// architecture's formulas.
  public var fromTensorTable: Bool
  /// Of an encoder-decoder model: the decoder's cross-attention projections (query and output
  /// from the decoder, key and value of the encoder's output) with their biases, a part of
  /// their own (not in `attention`); `nil` otherwise.
  public var crossAttention: Int?

  /// Every stored property, in declaration order.
  public init(
    embeddings: Int, attention: Int, mlp: Int, norms: Int, head: Int, other: Int, total: Int, active: Int,
    fromTensorTable: Bool
  ) {
    self.embeddings = embeddings
    self.attention = attention
    self.mlp = mlp
    self.norms = norms
    self.head = head
    self.other = other
    self.total = total
    self.active = active
    self.fromTensorTable = fromTensorTable
  }

  enum CodingKeys: String, CodingKey {
    case embeddings, attention, mlp, norms, head, other, total, active
    case fromTensorTable = "from_tensor_table"
    case crossAttention = "cross_attention"
  }
}

/// FLOPs of one forward pass over a prompt (2 FLOPs per multiply-accumulate of a matmul).
public struct PrefillCost: Sendable, Codable, Equatable {
  /// Prompt tokens.
  public var tokens: Int
  /// Weight matmuls: 2 × (matmul weights used per token) × tokens.
  public var weightFlops: Int
  /// QKᵀ and AV over every query-key pair (N²).
  public var attentionFlopsFull: Int
  /// QKᵀ and AV over the pairs the causal mask keeps (N(N+1)/2).
  public var attentionFlopsHalved: Int
  /// `weightFlops` plus the attention term under the chosen convention (and, for an
  /// encoder-decoder model, `encoderFlops` and `crossKeyValueFlops`).
  public var totalFlops: Int
  /// Encoder-decoder models: the encoder's input tokens (`--source`); `tokens` are then the
  /// decoder's, and the weight and attention terms are the decoder pass's (its
  /// cross-attention's QKᵀ and AV over `tokens × sourceTokens` pairs in both attention terms).
  public var sourceTokens: Int?
  /// Encoder-decoder models: the encoder pass over `sourceTokens` (weights and bidirectional
  /// attention, `sourceTokens²` pairs).
  public var encoderFlops: Int?
  /// Encoder-decoder models: the cross-attention keys and values of the encoder's output,
  /// computed once per decoder layer: 2 × `sourceTokens` × (2 × hidden × kv_heads × head_dim) × layers.
  public var crossKeyValueFlops: Int?

  /// Every stored property, in declaration order.
  public init(tokens: Int, weightFlops: Int, attentionFlopsFull: Int, attentionFlopsHalved: Int, totalFlops: Int) {
    self.tokens = tokens
    self.weightFlops = weightFlops
    self.attentionFlopsFull = attentionFlopsFull
    self.attentionFlopsHalved = attentionFlopsHalved
    self.totalFlops = totalFlops
  }

  enum CodingKeys: String, CodingKey {
    case tokens
    case weightFlops = "weight_flops"
    case attentionFlopsFull = "attention_flops_full"
    case attentionFlopsHalved = "attention_flops_halved"
    case totalFlops = "total_flops"
    case sourceTokens = "source_tokens"
    case encoderFlops = "encoder_flops"
    case crossKeyValueFlops = "cross_key_value_flops"
  }
}

/// FLOPs of generating one token when the sequence reaches `context` tokens (the new token
/// attends to `context` keys, its own included).
public struct DecodeCost: Sendable, Codable, Equatable {
  /// Sequence length after the step.
  public var context: Int
  /// Weight matmuls: 2 × active matmul weights (≈ 2N).
  public var weightFlops: Int
  /// QKᵀ and AV against the cache: 4 × layers × heads × head_dim × context.
  public var attentionFlops: Int
  /// The sum (with `crossAttentionFlops`, when there is one).
  public var totalFlops: Int
  /// Encoder-decoder models: cross-attention's QKᵀ and AV over the encoder's tokens:
  /// 4 × layers × heads × head_dim × source tokens (its keys and values are cached).
  public var crossAttentionFlops: Int?

  /// Every stored property, in declaration order.
  public init(context: Int, weightFlops: Int, attentionFlops: Int, totalFlops: Int) {
    self.context = context
    self.weightFlops = weightFlops
    self.attentionFlops = attentionFlops
    self.totalFlops = totalFlops
  }

  enum CodingKeys: String, CodingKey {
    case context
    case weightFlops = "weight_flops"
    case attentionFlops = "attention_flops"
    case totalFlops = "total_flops"
    case crossAttentionFlops = "cross_attention_flops"
  }
}
