/// A transformer's ``TransformerShape`` recovered from an analysed graph (an ONNX export or a
/// `.pt2` archive), with its stored weights each given a ``TransformerPart``.
///
/// What it reads (docs/llm.md, "From a graph"):
/// - the token embedding: the largest table a `Gather` (or ONNX Runtime's
///   `EmbedLayerNormalization`) looks up gives the vocabulary and the hidden size; a second
///   table as wide is a learned position table (its rows: the context);
/// - attention blocks: one per 4-D `Softmax` over the scores `[batch, heads, query, key]`
///   (heads from its dim 1), or one per `Attention`/`MultiHeadAttention`/`GroupQueryAttention`
///   contrib node (`num_heads`, `kv_num_heads`);
/// - key/value heads and head width: `GroupQueryAttention`'s `kv_num_heads`, else a
///   `past_key_values.*` input `[batch, kv_heads, past, head_dim]`, else the query heads
///   (multi-head, stated in the notes);
/// - the feed-forward width: the commonest other side of the `[hidden, ffn]` matmul weights;
///   three per block means a gated block;
/// - decoder or encoder: an output as wide as the vocabulary is a language-model head (a
///   decoder); without one the blocks are an encoder's.
public struct TransformerRecovery: Sendable {
  /// The shape, or `nil` when no embedding or no attention was found.
  public var shape: TransformerShape?
  /// Every stored weight (real, more than one element), with its part.
  public var weights: [RecoveredWeight]
  /// What could not be recovered, and what was assumed.
  public var notes: [String]

  /// One stored weight.
  public struct RecoveredWeight: Sendable, Equatable {
    /// The initializer's name.
    public var name: String
    /// Its dims.
    public var shape: [Int]
    /// The part it belongs to.
    public var part: TransformerPart
    /// Bytes at its stored element type.
    public var bytes: Int
  }

  /// Recovers the shape of `graph`; `dims` holds the analysed dims of its values by name.
  public static func recover(_ graph: Graph, dims: [String: [Int]]) -> TransformerRecovery {
    var scan = GraphScan(graph: graph, dims: dims)
    return scan.run()
  }
}

/// The walk behind ``TransformerRecovery/recover(_:dims:)``.
private struct GraphScan {
  let graph: Graph
  let dims: [String: [Int]]
  var notes: [String] = []

  /// The initializer a value names, through `Identity` nodes.
  private var aliases: [String: String] = [:]
  /// The nodes that read each initializer, with the input index.
  private var readers: [String: [(node: Node, index: Int)]] = [:]

  init(graph: Graph, dims: [String: [Int]]) {
    self.graph = graph
    self.dims = dims
    for node in graph.nodes where node.opType == "Identity" {
      if let input = node.inputs.first, graph.initializers[input] != nil, let output = node.outputs.first {
        aliases[output] = input
      }
    }
    for node in graph.nodes {
      for (index, input) in node.inputs.enumerated() {
        let name = aliases[input] ?? input
        if graph.initializers[name] != nil, node.opType != "Identity" {
          readers[name, default: []].append((node, index))
        }
      }
    }
  }

  mutating func run() -> TransformerRecovery {
    let stored = graph.initializers.filter { $0.value.dataType.isFloatingPoint && $0.value.elementCount > 1 }
    let tables = stored.filter { entry in
      entry.value.dims.count == 2
        && (readers[entry.key] ?? []).contains { reader in
          reader.node.opType == "Gather" && reader.index == 0
            || reader.node.opType == "EmbedLayerNormalization" && (2...4).contains(reader.index)
        }
    }
    let token = tables.max { $0.value.dims[0] < $1.value.dims[0] }
    let vocabulary = token?.value.dims[0] ?? 0
    let hidden = token?.value.dims[1] ?? 0
    let positionTable = tables.filter { $0.key != token?.key && $0.value.dims[1] == hidden && $0.value.dims[0] > 2 }
      .max { $0.value.dims[0] < $1.value.dims[0] }
    let attention = attentionBlocks()
    var weights: [TransformerRecovery.RecoveredWeight] = []
    for (name, tensor) in stored.sorted(by: { $0.key < $1.key }) {
      let part =
        tables[name] != nil
        ? .embeddings : structuralPart(name, tensor.dims, hidden: hidden, vocabulary: vocabulary)
      let bytes = tensor.elementCount * tensor.dataType.bitWidth / 8
      weights.append(.init(name: name, shape: tensor.dims, part: part, bytes: bytes))
    }
    guard let token, hidden > 0 else {
      notes.append("no token embedding table found: the architecture is not recovered; parameters are exact")
      return TransformerRecovery(shape: nil, weights: weights, notes: notes)
    }
    guard !attention.isEmpty, let heads = attention.first?.heads, heads > 0 else {
      notes.append("no attention block found: the architecture is not recovered; parameters are exact")
      return TransformerRecovery(shape: nil, weights: weights, notes: notes)
    }
    if Set(attention.map(\.heads)).count > 1 {
      notes.append("attention blocks disagree on the head count; the first block's \(heads) is used")
    }
    let cache = pastKeyValues()
    let crossing = attention.filter(\.crossesLengths).count
    if crossing > 0, cache == nil {
      notes.append(
        "\(crossing) of the \(attention.count) attention blocks attend from one sequence to another of a "
          + "different length (cross-attention, as in an encoder-decoder): a graph is not split into an encoder "
          + "and a decoder, so every block is counted as one stack; describe the model as a spec `transformer:` "
          + "block with encoder_layers, or as safetensors with its config.json, for the encoder-decoder figures")
    }
    let headDim = cache?.headDim ?? hidden / heads
    var kvHeads = attention.first?.kvHeads ?? cache?.kvHeads
    if kvHeads == nil, let projected = projectedKeyValueHeads(weights, hidden: hidden, heads: heads, headDim: headDim) {
      kvHeads = projected
      notes.append("key/value heads read from the key/value projections' width: \(projected)")
    }
    if kvHeads == nil {
      notes.append("key/value heads not stated (no GroupQueryAttention, no past_key_values input): assumed \(heads)")
    }
    let mlpWidths = weights.filter { $0.part == .mlp && $0.shape.count == 2 }.compactMap { weight in
      weight.shape.first { $0 != hidden }
    }
    let ffn = mostCommon(mlpWidths) ?? 0
    if ffn == 0 { notes.append("no feed-forward weights found: ffn is 0") }
    let gated = mlpWidths.count >= 3 * attention.count
    let isDecoder = graph.outputs.contains { output in
      dimsOf(output).last == vocabulary
    }
    if !isDecoder {
      notes.append("no output as wide as the vocabulary: read as an encoder (prefill only)")
    }
    let tied =
      !weights.contains { $0.part == .head }
      && (readers[token.key] ?? []).contains {
        $0.node.opType != "Gather" && $0.node.opType != "EmbedLayerNormalization"
      }
    let ops = Set(graph.nodes.map(\.opType))
    let rms =
      ops.contains("SimplifiedLayerNormalization") || ops.contains("SkipSimplifiedLayerNormalization")
      || (!ops.contains("LayerNormalization") && !ops.contains("SkipLayerNormalization"))
    let rotary =
      ops.contains("RotaryEmbedding") || ops.contains("GroupQueryAttention") && rotaryAttention()
      || ops.contains("Sin") && ops.contains("Cos")
    let positional: TransformerShape.PositionalKind = positionTable != nil ? .learned : (rotary ? .rotary : .none)
    if positionTable == nil { notes.append("no learned position table; the context length is not recovered") }
    notes.append("mixture-of-experts routing is not recovered from graphs")
    let shape = TransformerShape(
      architecture: graph.name, layers: isDecoder ? attention.count : 0,
      encoderLayers: isDecoder ? 0 : attention.count, hidden: hidden, heads: heads,
      kvHeads: kvHeads ?? heads, headDim: headDim, ffn: ffn, ffnKind: gated ? .gated : .mlp, vocabulary: vocabulary,
      tiedEmbeddings: tied,
      positional: positional, context: positionTable?.value.dims[0] ?? 0, norm: rms ? .rmsNorm : .layerNorm,
      attentionBias: weights.contains { $0.part == .attention && $0.shape.count == 1 },
      ffnBias: weights.contains { $0.part == .mlp && $0.shape.count == 1 })
    return TransformerRecovery(shape: shape, weights: weights, notes: notes)
  }

  /// One entry per attention block: its query heads, when stated its key/value heads, and
  /// whether its scores `[batch, heads, query, key]` pair two lengths (cross-attention, or a
  /// cached decoder's self-attention).
  private func attentionBlocks() -> [(heads: Int, kvHeads: Int?, crossesLengths: Bool)] {
    var blocks: [(heads: Int, kvHeads: Int?, crossesLengths: Bool)] = []
    for node in graph.nodes {
      switch node.opType {
      case "Attention", "MultiHeadAttention", "GroupQueryAttention":
        guard case .int(let heads)? = node.attributes["num_heads"] else { continue }
        var kvHeads: Int?
        if case .int(let kv)? = node.attributes["kv_num_heads"] { kvHeads = kv }
        blocks.append((heads, kvHeads, false))
      case "Softmax":
        guard let input = node.inputs.first, let scores = dims[input], scores.count == 4 else { continue }
        blocks.append((scores[1], nil, scores[2] != scores[3]))
      default: continue
      }
    }
    return blocks
  }

  /// Key/value heads from the attention matrices' widths: a separate key or value projection
  /// `[E, Hkv·d]` narrower than the query's, or a fused `[E, (H + 2·Hkv)·d]` one.
  private func projectedKeyValueHeads(
    _ weights: [TransformerRecovery.RecoveredWeight], hidden: Int, heads: Int, headDim: Int
  ) -> Int? {
    guard headDim > 0 else { return nil }
    let query = heads * headDim
    let sides = weights.filter { $0.part == .attention && $0.shape.count == 2 && $0.shape.contains(hidden) }
      .map { $0.shape[0] == hidden ? $0.shape[1] : $0.shape[0] }
    if let narrow = sides.filter({ $0 < query && $0 % headDim == 0 }).min() { return narrow / headDim }
    if let fused = sides.first(where: { $0 > query && ($0 - query) % (2 * headDim) == 0 }) {
      return (fused - query) / (2 * headDim)
    }
    return nil
  }

  /// Whether a `GroupQueryAttention` node rotates its queries and keys (`do_rotary`).
  private func rotaryAttention() -> Bool {
    graph.nodes.contains { node in
      if case .int(let flag)? = node.attributes["do_rotary"] { return flag != 0 }
      return false
    }
  }

  /// Key/value heads and head width from a `past_key_values.*` (or `past_key*`) input.
  private func pastKeyValues() -> (kvHeads: Int, headDim: Int)? {
    for input in graph.inputs where input.name.contains("past") {
      let shape = dimsOf(input)
      if shape.count == 4 { return (shape[1], shape[3]) }
    }
    return nil
  }

  /// The part of a stored weight from the nodes that read it, else from its name.
  private func structuralPart(_ name: String, _ shape: [Int], hidden: Int, vocabulary: Int) -> TransformerPart {
    let readers = readers[name] ?? []
    let named = TransformerPart.of(tensorNamed: name)
    if readers.contains(where: { $0.node.opType.hasSuffix("LayerNormalization") && $0.index > 0 }) {
      return .norms
    }
    if readers.contains(where: { $0.node.opType.hasSuffix("Attention") }) { return .attention }
    guard hidden > 0 else { return named }
    if shape.count == 2, shape.contains(hidden) {
      let other = shape[0] == hidden ? shape[1] : shape[0]
      if other == vocabulary { return .head }
      if named != .other { return named }
      return other == hidden || other == 3 * hidden ? .attention : .mlp
    }
    return named
  }

  /// A value's analysed dims, else its declared ones when all are fixed.
  private func dimsOf(_ value: TensorInfo) -> [Int] {
    if let known = dims[value.name] { return known }
    let declared = value.shape.dims.map(\.value)
    return declared.contains(nil) ? [] : declared.compactMap { $0 }
  }

  private func mostCommon(_ values: [Int]) -> Int? {
    var counts: [Int: Int] = [:]
    for value in values { counts[value, default: 0] += 1 }
    return counts.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
  }
}
