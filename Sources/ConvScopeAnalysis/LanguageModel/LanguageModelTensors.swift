import ConvScopeCore
import ConvScopeReport

/// One weight tensor, or `copies` identical ones (the same tensor in every layer), as the
/// cost model needs it: its part, its shape, and whether it belongs to one expert of a
/// mixture (so that a token uses only `active / count` of it).
struct ModelTensor: Sendable, Equatable {
  var name: String
  var shape: [Int]
  var part: TransformerPart
  var copies: Int = 1
  /// The tensor holds experts' weights (every expert, or one of them).
  var isExpert: Bool = false
  /// Bytes the file stores, when the tensor comes from a header.
  var storedBytes: Int?
  /// The storage type's name, when the tensor comes from a header.
  var storageType: String?
  /// Which tokens multiply by it (an encoder-decoder model's; every other model's are `.any`).
  var stack: Stack = .any

  /// The tokens a weight works on in an encoder-decoder model.
  enum Stack: Sendable, Equatable {
    /// Every token (a decoder-only or encoder-only model), or the decoder's (the head, the
    /// shared embedding).
    case any
    /// The encoder's source tokens.
    case encoder
    /// The decoder's tokens.
    case decoder
    /// The cross-attention keys and values: each decoder layer's projection of every encoder token.
    case crossKeyValue
  }

  /// Elements of one copy.
  func elements() throws(OpError) -> Int { try Checked.product(shape) }

  /// Elements of every copy.
  func totalElements() throws(OpError) -> Int { try Checked.multiply(elements(), copies) }

  /// Whether a forward pass multiplies activations by it: a matrix of the attention, the
  /// feed-forward block or the head (not an embedding table looked up by index, a norm's
  /// scale, a bias, or a tensor of no known part such as a stored causal mask). A matrix is
  /// 2-D, or 3-D for a stack of experts; GPT-2 checkpoints' 4-D `attn.bias` mask is not one.
  var isMatmulWeight: Bool {
    (2...3).contains(shape.count) && [.attention, .crossAttention, .mlp, .head].contains(part)
  }
}

/// The weight tensors of a transformer, written out from its ``TransformerShape`` with
/// Hugging Face's layout (a linear weight is `[out, in]`), or classified from a header's
/// tensor table by name.
enum LanguageModelTensors {
  /// Every weight of `shape`: per-layer tensors once with `copies` = the layer count.
  static func tensors(of shape: TransformerShape) -> [ModelTensor] {
    let hidden = shape.hidden
    var list = [ModelTensor(name: "token_embedding", shape: [shape.vocabulary, hidden], part: .embeddings)]
    let stacks: [(prefix: String, copies: Int, stack: ModelTensor.Stack)] =
      shape.isEncoderDecoder
      ? [("encoder.", shape.encoderLayers, .encoder), ("decoder.", shape.layers, .decoder)]
      : [("", shape.layers + shape.encoderLayers, .any)]
    for (prefix, copies, stack) in stacks {
      if shape.positional == .learned {
        list.append(
          ModelTensor(name: prefix + "position_embedding", shape: [shape.context, hidden], part: .embeddings))
      }
      if shape.positional == .relative {
        list.append(
          ModelTensor(
            name: prefix + "relative_position_bias", shape: [TransformerShape.relativeBuckets, shape.heads],
            part: .embeddings))
      }
      list += block(of: shape, prefix: prefix, copies: copies, stack: stack)
    }
    let normTensors = shape.norm == .layerNorm ? ["weight", "bias"] : ["weight"]
    for (prefix, _, _) in stacks {
      for part in normTensors {
        list.append(ModelTensor(name: "\(prefix)output_norm.\(part)", shape: [hidden], part: .norms))
      }
    }
    if !shape.tiedEmbeddings {
      list.append(ModelTensor(name: "output", shape: [shape.vocabulary, hidden], part: .head))
    }
    return list
  }

  /// One stack's per-layer tensors (`copies` layers): self-attention, in a decoder of an
  /// encoder-decoder model cross-attention, the feed-forward block and the norms.
  private static func block(of shape: TransformerShape, prefix: String, copies: Int, stack: ModelTensor.Stack)
    -> [ModelTensor]
  {
    let hidden = shape.hidden
    let query = shape.heads * shape.headDim
    let keyValue = shape.kvHeads * shape.headDim
    var list: [ModelTensor] = []
    func add(
      _ name: String, _ dims: [Int], _ part: TransformerPart, expert: Bool = false,
      stack tokens: ModelTensor.Stack? = nil
    ) {
      list.append(
        ModelTensor(
          name: prefix + name, shape: dims, part: part, copies: copies, isExpert: expert, stack: tokens ?? stack))
    }
    func attention(_ name: String, _ part: TransformerPart, keyValueStack: ModelTensor.Stack? = nil) {
      add("\(name).q", [query, hidden], part)
      add("\(name).k", [keyValue, hidden], part, stack: keyValueStack)
      add("\(name).v", [keyValue, hidden], part, stack: keyValueStack)
      add("\(name).o", [hidden, query], part)
      if shape.attentionBias {
        add("\(name).q.bias", [query], part)
        add("\(name).k.bias", [keyValue], part, stack: keyValueStack)
        add("\(name).v.bias", [keyValue], part, stack: keyValueStack)
      }
      if shape.attentionOutputBias { add("\(name).o.bias", [hidden], part) }
    }
    attention("attn", .attention)
    let cross = stack == .decoder
    if cross { attention("cross_attn", .crossAttention, keyValueStack: .crossKeyValue) }
    let experts = shape.experts?.count ?? 1
    let isExpert = shape.experts != nil
    let expertDims = isExpert ? [experts] : []
    if shape.ffnKind == .gated { add("ffn.gate", expertDims + [shape.ffn, hidden], .mlp, expert: isExpert) }
    add("ffn.up", expertDims + [shape.ffn, hidden], .mlp, expert: isExpert)
    add("ffn.down", expertDims + [hidden, shape.ffn], .mlp, expert: isExpert)
    if shape.ffnBias {
      if shape.ffnKind == .gated { add("ffn.gate.bias", expertDims + [shape.ffn], .mlp, expert: isExpert) }
      add("ffn.up.bias", expertDims + [shape.ffn], .mlp, expert: isExpert)
      add("ffn.down.bias", expertDims + [hidden], .mlp, expert: isExpert)
    }
    if isExpert { add("ffn.router", [experts, hidden], .mlp) }
    let normTensors = shape.norm == .layerNorm ? ["weight", "bias"] : ["weight"]
    for which in ["attn_norm"] + (cross ? ["cross_attn_norm"] : []) + ["ffn_norm"] {
      for part in normTensors { add("\(which).\(part)", [hidden], .norms) }
    }
    return list
  }

  /// A header's tensors, each given its part by its name (GGUF's `blk.N.attn_q.weight` or
  /// Hugging Face's `model.layers.N.self_attn.q_proj.weight`).
  /// An encoder-decoder model's tensors also get their stack from their names (T5's
  /// `encoder.block.N`, `decoder.block.N`, BART's `model.encoder.layers.N`).
  static func tensors(of header: LanguageModelHeader) -> [ModelTensor] {
    let split = header.shape?.isEncoderDecoder ?? false
    return header.tensors.map { tensor in
      let name = tensor.name.lowercased()
      let part = TransformerPart.of(tensorNamed: name)
      var stack = ModelTensor.Stack.any
      if split, name.contains("decoder.") {
        let keyValue = [".k.", ".v.", "k_proj", "v_proj"].contains { name.contains($0) }
        stack = part == .crossAttention && keyValue ? .crossKeyValue : .decoder
      } else if split, name.contains("encoder.") {
        stack = .encoder
      }
      return ModelTensor(
        name: tensor.name, shape: tensor.shape, part: part,
        isExpert: name.contains("_exps") || name.contains(".experts."), storedBytes: tensor.storedBytes,
        storageType: tensor.storageType, stack: stack)
    }
  }
}
