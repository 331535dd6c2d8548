import ConvScopeCore
import ConvScopeReport

/// The `llm` view's arithmetic: parameters by part, prefill and decode FLOPs, the KV cache
/// and weight bytes, from a model's weight tensors and its ``TransformerShape``.
/// docs/llm.md writes out every formula.
///
/// FLOPs count the matmuls only, 2 per multiply-accumulate, as torch's `FlopCounterMode`
/// and the "2N" rule do: norms, activations, softmax, rotary and residual adds are left out.
struct LanguageModelCost {
  /// The weights, per-layer ones with their copies.
  var tensors: [ModelTensor]
  /// The architecture, when known; attention and the KV cache need it.
  var shape: TransformerShape?

  /// The fraction of an expert tensor a token uses: `active / count`.
  private var expertShare: (used: Int, of: Int) {
    guard let experts = shape?.experts, experts.count > 0 else { return (1, 1) }
    return (experts.active, experts.count)
  }

  /// Elements of `tensor` one token uses.
  private func activeElements(_ tensor: ModelTensor) throws(OpError) -> Int {
    let total = try tensor.totalElements()
    guard tensor.isExpert else { return total }
    return try Checked.multiply(total / expertShare.of, expertShare.used)
  }

  /// Parameters by part; `fromTable` says whether the tensors come from a header.
  func parameters(fromTable: Bool) throws(OpError) -> LanguageModelParameters {
    var parts: [TransformerPart: Int] = [:]
    var active = 0
    for tensor in tensors {
      parts[tensor.part] = try Checked.add(parts[tensor.part] ?? 0, tensor.totalElements())
      active = try Checked.add(active, activeElements(tensor))
    }
    let total = try Checked.sum(parts.values)
    var parameters = LanguageModelParameters(
      embeddings: parts[.embeddings] ?? 0, attention: parts[.attention] ?? 0, mlp: parts[.mlp] ?? 0,
      norms: parts[.norms] ?? 0, head: parts[.head] ?? 0, other: parts[.other] ?? 0, total: total, active: active,
      fromTensorTable: fromTable)
    parameters.crossAttention = parts[.crossAttention]
    return parameters
  }

  /// Multiply-accumulates of the weight matmuls for one token: every matrix but the
  /// embeddings (a lookup), the experts a token is not routed to left out, and the tied head
  /// (the embedding reused as the output projection) counted as a matmul.
  /// `stacks` picks the tensors of an encoder-decoder model a token of one stack uses (the
  /// default, a decoder token's; the shared head belongs to `.any`).
  func weightMACsPerToken(stacks: [ModelTensor.Stack] = [.any, .decoder]) throws(OpError) -> Int {
    var macs = 0
    for tensor in tensors where tensor.isMatmulWeight && stacks.contains(tensor.stack) {
      macs = try Checked.add(macs, activeElements(tensor))
    }
    if let shape, shape.tiedEmbeddings, shape.layers > 0, stacks.contains(.any),
      !tensors.contains(where: { $0.part == .head })
    {
      macs = try Checked.add(macs, Checked.multiply(shape.vocabulary, shape.hidden))
    }
    return macs
  }

  /// Multiply-accumulates of QKᵀ and AV for one query-key pair across every layer:
  /// 2 × heads × head_dim × layers (a key-value head shared by a group of query heads
  /// saves memory, not arithmetic).
  func attentionMACsPerPair() throws(OpError) -> Int? {
    guard let shape else { return nil }
    return try Checked.product([2, shape.heads, shape.headDim, shape.layers + shape.encoderLayers])
  }

  /// The forward pass over a prompt of `tokens` tokens (logits for every position, as a
  /// plain forward computes them). An encoder-decoder model's prompt is the decoder's:
  /// the encoder runs first over `source` tokens (bidirectional, every pair), each decoder
  /// layer projects its output to cross-attention keys and values once, and the decoder's
  /// tokens attend to themselves (causal) and to every source token.
  func prefill(tokens: Int, source: Int? = nil, causal: CausalConvention) throws(OpError) -> PrefillCost? {
    guard let perPair = try attentionMACsPerPair(), let shape else { return nil }
    let decoderPair = shape.isEncoderDecoder ? perPair / (shape.layers + shape.encoderLayers) * shape.layers : perPair
    let weights = try Checked.product([2, tokens, weightMACsPerToken()])
    var full = try Checked.product([2, decoderPair, tokens, tokens])
    let pairs = try Checked.multiply(tokens, Checked.add(tokens, 1)) / 2
    var halved = try Checked.product([2, decoderPair, pairs])
    guard shape.isEncoderDecoder else {
      let total = try Checked.add(weights, causal == .full ? full : halved)
      return PrefillCost(
        tokens: tokens, weightFlops: weights, attentionFlopsFull: full, attentionFlopsHalved: halved,
        totalFlops: total)
    }
    let source = source ?? tokens
    let cross = try Checked.product([2, decoderPair, tokens, source])
    full = try Checked.add(full, cross)
    halved = try Checked.add(halved, cross)
    let encoderPair = perPair - decoderPair
    let encoder = try Checked.add(
      Checked.product([2, source, weightMACsPerToken(stacks: [.encoder])]),
      Checked.product([2, encoderPair, source, source]))
    let keyValues = try Checked.product([2, source, weightMACsPerToken(stacks: [.crossKeyValue])])
    var cost = PrefillCost(
      tokens: tokens, weightFlops: weights, attentionFlopsFull: full, attentionFlopsHalved: halved,
      totalFlops: try Checked.sum([weights, causal == .full ? full : halved, encoder, keyValues]))
    cost.sourceTokens = source
    cost.encoderFlops = encoder
    cost.crossKeyValueFlops = keyValues
    return cost
  }

  /// One decode step that brings the sequence to `context` tokens: the new token attends
  /// to `context` keys (the mask hides none of them, so both conventions agree), and in an
  /// encoder-decoder model to the `source` encoder tokens through the cached cross keys and values.
  func decode(context: Int, source: Int? = nil) throws(OpError) -> DecodeCost? {
    guard let perPair = try attentionMACsPerPair(), let shape, shape.layers > 0 else { return nil }
    let weights = try Checked.multiply(2, weightMACsPerToken())
    let decoderPair = perPair / (shape.layers + shape.encoderLayers) * shape.layers
    let attention = try Checked.product([2, decoderPair, context])
    var step = DecodeCost(
      context: context, weightFlops: weights, attentionFlops: attention, totalFlops: try Checked.add(weights, attention)
    )
    if shape.isEncoderDecoder, let source {
      let cross = try Checked.product([2, decoderPair, source])
      step.crossAttentionFlops = cross
      step.totalFlops = try Checked.add(step.totalFlops, cross)
    }
    return step
  }

  /// The KV cache at `format`: 2 (keys and values) × kv_heads × head_dim elements per
  /// decoder layer and token.
  /// An encoder-decoder model adds the cross-attention cache of `source` encoder tokens.
  func kvCache(format: StorageFormat, contexts: [Int], source: Int? = nil) throws(OpError) -> KVCacheSummary? {
    guard let shape, shape.layers > 0, let bits = format.bits else { return nil }
    let perLayerBits = try Checked.product([2, shape.kvHeads, shape.headDim, bits])
    let perLayer = try Checked.add(perLayerBits, 7) / 8
    let perToken = try Checked.multiply(perLayer, shape.layers)
    var entries: [KVCacheSummary.Entry] = []
    for context in contexts {
      let layerBytes = try Checked.multiply(perLayer, context)
      entries.append(
        KVCacheSummary.Entry(
          context: context, bytesPerLayer: layerBytes, totalBytes: try Checked.multiply(layerBytes, shape.layers)))
    }
    var summary = KVCacheSummary(
      dtype: format.name, bitsPerElement: bits, bytesPerTokenPerLayer: perLayer, bytesPerToken: perToken,
      contexts: entries)
    if shape.isEncoderDecoder, let source {
      let layerBytes = try Checked.multiply(perLayer, source)
      summary.crossAttention = KVCacheSummary.Entry(
        context: source, bytesPerLayer: layerBytes, totalBytes: try Checked.multiply(layerBytes, shape.layers))
    }
    return summary
  }

  /// The weights at `format`, or at the header's own types for `nil` (`stored`).
  func weightSize(format: StorageFormat?) throws(OpError) -> WeightFormatSize {
    var bytes = 0
    var active = 0
    var elements = 0
    for tensor in tensors {
      let size = try format.map { (f) throws(OpError) in try f.bytes(of: tensor) } ?? (tensor.storedBytes ?? 0)
      bytes = try Checked.add(bytes, size)
      elements = try Checked.add(elements, tensor.totalElements())
      let share = tensor.isExpert ? expertShare : (used: 1, of: 1)
      active = try Checked.add(active, Checked.multiply(size / share.of, share.used))
    }
    let bits = elements > 0 ? Double(bytes) * 8 / Double(elements) : 0
    return WeightFormatSize(format: format?.name ?? "stored", bitsPerWeight: bits, bytes: bytes, activeBytes: active)
  }

  /// Bytes of the expert tensors at `format` (`nil`: as stored).
  func expertBytes(format: StorageFormat?) throws(OpError) -> Int {
    var bytes = 0
    for tensor in tensors where tensor.isExpert {
      bytes = try Checked.add(
        bytes, format.map { (f) throws(OpError) in try f.bytes(of: tensor) } ?? (tensor.storedBytes ?? 0))
    }
    return bytes
  }

  /// The number of experts per layer and the number a token uses, when the model has experts.
  var experts: TransformerShape.ExpertRouting? { shape?.experts }
}
