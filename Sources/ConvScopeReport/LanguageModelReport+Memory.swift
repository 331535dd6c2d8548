/// The KV cache: keys and values of every layer for every token.
public struct KVCacheSummary: Sendable, Codable, Equatable {
  /// The cache's element type (`fp16`).
  public var dtype: String
  /// Bits per cached element.
  public var bitsPerElement: Int
  /// One layer's keys and values for one token: 2 × kv_heads × head_dim elements.
  public var bytesPerTokenPerLayer: Int
  /// All layers for one token.
  public var bytesPerToken: Int
  /// The cache at each context asked (an encoder-decoder model's self-attention cache).
  public var contexts: [Entry]
  /// Encoder-decoder models: the cross-attention cache, the keys and values of the encoder's
  /// `source` tokens in every decoder layer, fixed for the whole generation; `nil` otherwise.
  public var crossAttention: Entry?

  /// Every stored property, in declaration order.
  public init(dtype: String, bitsPerElement: Int, bytesPerTokenPerLayer: Int, bytesPerToken: Int, contexts: [Entry]) {
    self.dtype = dtype
    self.bitsPerElement = bitsPerElement
    self.bytesPerTokenPerLayer = bytesPerTokenPerLayer
    self.bytesPerToken = bytesPerToken
    self.contexts = contexts
  }

  /// The cache at one context length.
  public struct Entry: Sendable, Codable, Equatable {
    /// Tokens cached.
    public var context: Int
    /// One layer's cache.
    public var bytesPerLayer: Int
    /// Every layer's cache (for one sequence).
    public var totalBytes: Int

    /// Every stored property, in declaration order.
    public init(context: Int, bytesPerLayer: Int, totalBytes: Int) {
      self.context = context
      self.bytesPerLayer = bytesPerLayer
      self.totalBytes = totalBytes
    }

    enum CodingKeys: String, CodingKey {
      case context
      case bytesPerLayer = "bytes_per_layer"
      case totalBytes = "total_bytes"
    }
  }

  enum CodingKeys: String, CodingKey {
    case dtype
    case bitsPerElement = "bits_per_element"
    case bytesPerTokenPerLayer = "bytes_per_token_per_layer"
    case bytesPerToken = "bytes_per_token"
    case contexts
    case crossAttention = "cross_attention"
  }
}

/// The weights' size in one storage format.
public struct WeightFormatSize: Sendable, Codable, Equatable {
  /// The format (`bf16`, `int4`, `Q4_K`, or `stored` for a header's own types).
  public var format: String
  /// Average bits per parameter, scales included.
  public var bitsPerWeight: Double
  /// Bytes of every parameter.
  public var bytes: Int
  /// Bytes a token's forward pass reads (the experts it is not routed to left out).
  public var activeBytes: Int

  /// Every stored property, in declaration order.
  public init(format: String, bitsPerWeight: Double, bytes: Int, activeBytes: Int) {
    self.format = format
    self.bitsPerWeight = bitsPerWeight
    self.bytes = bytes
    self.activeBytes = activeBytes
  }

  enum CodingKeys: String, CodingKey {
    case format
    case bitsPerWeight = "bits_per_weight"
    case bytes
    case activeBytes = "active_bytes"
  }
}

/// Roofline bounds of prefill and decode on one device.
public struct LanguageModelRoofline: Sendable, Codable, Equatable {
  /// The device profile's name.
  public var device: String
  /// The element type whose peak rate was used.
  public var computeType: String
  /// Peak FLOP/s used.
  public var peakFlopsPerSecond: Double
  /// Memory bandwidth used, bytes per second.
  public var memoryBytesPerSecond: Double
  /// Weight bytes read per step (the roofline's weight format).
  public var weightBytes: Int
  /// Prefill of the prompt at each batch.
  public var prefill: [Bound]
  /// Decode at each context and batch.
  public var decode: [Bound]
  /// Per context: the smallest batch at which decode turns compute-bound (`nil`: never,
  /// the KV traffic per token alone outruns the compute).
  public var computeBoundBatch: [CrossOver]

  /// Every stored property, in declaration order.
  public init(
    device: String, computeType: String, peakFlopsPerSecond: Double, memoryBytesPerSecond: Double, weightBytes: Int,
    prefill: [Bound], decode: [Bound], computeBoundBatch: [CrossOver]
  ) {
    self.device = device
    self.computeType = computeType
    self.peakFlopsPerSecond = peakFlopsPerSecond
    self.memoryBytesPerSecond = memoryBytesPerSecond
    self.weightBytes = weightBytes
    self.prefill = prefill
    self.decode = decode
    self.computeBoundBatch = computeBoundBatch
  }

  /// One step's bound: `max(flops / peak, bytes / bandwidth)`.
  public struct Bound: Sendable, Codable, Equatable {
    /// Sequences in the batch.
    public var batch: Int
    /// Prompt length (prefill) or context (decode).
    public var context: Int
    /// FLOPs of the step for the whole batch.
    public var flops: Int
    /// Bytes the step reads and writes (weights once, each sequence's KV cache).
    public var bytes: Int
    /// The time bound.
    public var seconds: Double
    /// Tokens per second at most (prompt tokens for prefill, generated tokens for decode).
    public var tokensPerSecond: Double
    /// Which roof bounds it.
    public var bound: RooflineBound

    /// Every stored property, in declaration order.
    public init(
      batch: Int, context: Int, flops: Int, bytes: Int, seconds: Double, tokensPerSecond: Double,
      bound: RooflineBound
    ) {
      self.batch = batch
      self.context = context
      self.flops = flops
      self.bytes = bytes
      self.seconds = seconds
      self.tokensPerSecond = tokensPerSecond
      self.bound = bound
    }

    enum CodingKeys: String, CodingKey {
      case batch, context, flops, bytes, seconds
      case tokensPerSecond = "tokens_per_second"
      case bound
    }
  }

  /// The batch where decode at one context turns compute-bound.
  public struct CrossOver: Sendable, Codable, Equatable {
    /// The context.
    public var context: Int
    /// The smallest such batch, or `nil` for never.
    public var batch: Int?

    /// Every stored property, in declaration order.
    public init(context: Int, batch: Int?) {
      self.context = context
      self.batch = batch
    }
  }

  enum CodingKeys: String, CodingKey {
    case device
    case computeType = "compute_type"
    case peakFlopsPerSecond = "peak_flops_per_second"
    case memoryBytesPerSecond = "memory_bytes_per_second"
    case weightBytes = "weight_bytes"
    case prefill, decode
    case computeBoundBatch = "compute_bound_batch"
  }
}

/// The rules of thumb beside the exact figures.
public struct RulesOfThumb: Sendable, Codable, Equatable {
  /// 2 × active parameters: the usual FLOPs per generated token.
  public var inferenceFlopsPerToken: Int
  /// 6 × active parameters: the usual FLOPs per training token.
  public var trainingFlopsPerToken: Int
  /// The exact forward FLOPs per token of the prompt (prefill total / prompt), the
  /// convention chosen.
  public var exactForwardFlopsPerToken: Int?
  /// Three forward passes' worth per token (the backward pass is twice the forward's
  /// matmuls): the exact counterpart of 6N at the prompt length.
  public var exactTrainingFlopsPerToken: Int?
  /// Why they differ, in words.
  public var explanation: String

  /// Every stored property, in declaration order.
  public init(
    inferenceFlopsPerToken: Int, trainingFlopsPerToken: Int, exactForwardFlopsPerToken: Int?,
    exactTrainingFlopsPerToken: Int?, explanation: String
  ) {
    self.inferenceFlopsPerToken = inferenceFlopsPerToken
    self.trainingFlopsPerToken = trainingFlopsPerToken
    self.exactForwardFlopsPerToken = exactForwardFlopsPerToken
    self.exactTrainingFlopsPerToken = exactTrainingFlopsPerToken
    self.explanation = explanation
  }

  enum CodingKeys: String, CodingKey {
    case inferenceFlopsPerToken = "inference_flops_per_token"
    case trainingFlopsPerToken = "training_flops_per_token"
    case exactForwardFlopsPerToken = "exact_forward_flops_per_token"
    case exactTrainingFlopsPerToken = "exact_training_flops_per_token"
    case explanation
  }
}
