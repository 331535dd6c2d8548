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

  /// Elements of one copy.
  func elements() throws(OpError) -> Int { try Checked.product(shape) }

  /// Elements of every copy.
  func totalElements() throws(OpError) -> Int { try Checked.multiply(elements(), copies) }

  /// Whether a forward pass multiplies activations by it: a matrix of the attention, the
  /// feed-forward block or the head (not an embedding table looked up by index, a norm's
  /// scale, a bias, or a tensor of no known part such as a stored causal mask). A matrix is
  /// 2-D, or 3-D for a stack of experts; GPT-2 checkpoints' 4-D `attn.bias` mask is not one.
  var isMatmulWeight: Bool { (2...3).contains(shape.count) && [.attention, .mlp, .head].contains(part) }
}

/// The weight tensors of a transformer, written out from its ``TransformerShape`` with
/// Hugging Face's layout (a linear weight is `[out, in]`), or classified from a header's
/// tensor table by name.
enum LanguageModelTensors {
  /// Every weight of `shape`: per-layer tensors once with `copies` = the layer count.
  static func tensors(of shape: TransformerShape) -> [ModelTensor] {
    let hidden = shape.hidden
    let query = shape.heads * shape.headDim
    let keyValue = shape.kvHeads * shape.headDim
    let blocks = shape.layers + shape.encoderLayers
    var list = [ModelTensor(name: "token_embedding", shape: [shape.vocabulary, hidden], part: .embeddings)]
    if shape.positional == .learned {
      list.append(ModelTensor(name: "position_embedding", shape: [shape.context, hidden], part: .embeddings))
    }
    func add(_ name: String, _ dims: [Int], _ part: TransformerPart, expert: Bool = false) {
      list.append(ModelTensor(name: name, shape: dims, part: part, copies: blocks, isExpert: expert))
    }
    add("attn.q", [query, hidden], .attention)
    add("attn.k", [keyValue, hidden], .attention)
    add("attn.v", [keyValue, hidden], .attention)
    add("attn.o", [hidden, query], .attention)
    if shape.attentionBias {
      add("attn.q.bias", [query], .attention)
      add("attn.k.bias", [keyValue], .attention)
      add("attn.v.bias", [keyValue], .attention)
    }
    if shape.attentionOutputBias { add("attn.o.bias", [hidden], .attention) }
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
    for which in ["attn_norm", "ffn_norm"] {
      for part in normTensors { add("\(which).\(part)", [hidden], .norms) }
    }
    for part in normTensors {
      list.append(ModelTensor(name: "output_norm.\(part)", shape: [hidden], part: .norms))
    }
    if !shape.tiedEmbeddings {
      list.append(ModelTensor(name: "output", shape: [shape.vocabulary, hidden], part: .head))
    }
    return list
  }

  /// A header's tensors, each given its part by its name (GGUF's `blk.N.attn_q.weight` or
  /// Hugging Face's `model.layers.N.self_attn.q_proj.weight`).
  static func tensors(of header: LanguageModelHeader) -> [ModelTensor] {
    header.tensors.map { tensor in
      let name = tensor.name.lowercased()
      return ModelTensor(
        name: tensor.name, shape: tensor.shape, part: TransformerPart.of(tensorNamed: name),
        isExpert: name.contains("_exps") || name.contains(".experts."), storedBytes: tensor.storedBytes,
        storageType: tensor.storageType)
    }
  }
}
