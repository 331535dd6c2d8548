/// ONNX Runtime's `com.microsoft` `Attention`: the Q, K, V input projection (one merged weight)
/// followed by multi-head attention, as BERT exports fused by `onnxruntime.transformers` have it.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.Attention>
///
/// Shape: `input [B, S, Hin]`, `weights [Hin, H + H + Hv]` (`qkv_hidden_sizes`, else three equal
/// parts), optional `bias [H + H + Hv]`, `mask_index`, `past [2, B, nh, P, H/nh]`,
/// `attention_bias` → `output [B, S, Hv]`, `present [2, B, nh, P + S, H/nh]`.
///
/// Cost: the projection `B*S*Hin*(2H+Hv)` MACs (+ `B*S*(2H+Hv)` bias adds), then
/// ``AttentionRule/coreCost(_:masked:softcapped:)`` with `nh` heads of `H/nh` (`Hv/nh` for V),
/// `T = P + S` keys, masked when a mask, an attention bias or `unidirectional` is given; with
/// `do_rotary` the rotation of Q and K (``ContribRotaryEmbeddingRule/rotationCost(elements:)``,
/// `rotary_embedding_dim` of each head, default all). Params: weights and bias.
///
/// Example (BERT-base layer): input 1x128x768, weights 768x2304, 12 heads → output 1x128x768,
/// MACs `128*768*2304 + 12*128*128*(64+64) = 251_658_240`, params `768*2304+2304 = 1_771_776`.
public struct ContribAttentionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Attention"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily { .attention }
  public var summary: String { "output[B,S,Hv]; MACs = B*S*Hin*(2H+Hv) projection + B*nh*S*T*(dh+dv) attention" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let w = try context.sizes(1)
    guard x.count == 3, w.count == 2, w[0] == x[2] else {
      throw OpError(
        field: "inputs[1]", "expected input [B, S, Hin] and weights [Hin, 3H], got \(Shape(x)) and \(Shape(w))")
    }
    let heads = try ContribAttentionHeads.required(context, "num_heads")
    let parts = try context.ints("qkv_hidden_sizes") ?? Array(repeating: w[1] / 3, count: 3)
    guard parts.count == 3, parts[0] == parts[1], try Checked.sum(parts) == w[1], parts[0] % heads == 0,
      parts[2] % heads == 0
    else {
      throw OpError(
        field: "qkv_hidden_sizes", "\(parts) must be [H, H, Hv] summing to \(w[1]) with H and Hv divisible by \(heads)")
    }
    let (batch, length) = (x[0], x[1])
    let headSize = parts[0] / heads
    var past = 0
    if context.has(4) {
      let p = try context.sizes(4)
      guard p.count == 5, p[0] == 2, p[1] == batch, p[2] == heads, p[4] == headSize else {
        throw OpError(field: "inputs[4]", "past \(Shape(p)) must be [2, \(batch), \(heads), P, \(headSize)]")
      }
      past = p[3]
    }
    let total = try Checked.add(past, length)
    let rows = try Checked.multiply(batch, length)
    var cost = Cost(
      macs: try Checked.product([rows, x[2], w[1]]), adds: context.has(2) ? try Checked.multiply(rows, w[1]) : 0)
    let unidirectional = try context.int("unidirectional", default: 0) != 0
    let masked = context.has(3) || context.has(5) || unidirectional
    cost = try cost.adding(
      try AttentionRule.coreCost(
        .init(
          batch: batch, heads: heads, queryLength: length, totalLength: total, headSize: headSize,
          valueHeadSize: parts[2] / heads), masked: masked, softcapped: false))
    if try context.int("do_rotary", default: 0) != 0 {
      let rotary = try context.int("rotary_embedding_dim", default: headSize)
      let rotated = try Checked.product([batch, length, 2, heads, rotary])  // Q and K
      cost = try cost.adding(try ContribRotaryEmbeddingRule.rotationCost(elements: rotated))
    }
    let type = try context.input(0).dataType
    let outputs: [OpOutcome.Output] = [
      .init(dataType: type, shape: Shape([batch, length, parts[2]])),
      .init(dataType: type, shape: Shape([2, batch, heads, total, headSize])),
    ]
    return OpOutcome(
      outputs: Array(outputs.prefix(max(1, context.node.outputs.count))), cost: cost,
      inputRoles: [1: .weight, 2: .bias, 6: .configuration],
      paramFormula: context.isConstant(1) ? try ContribAttentionHeads.projectionFormula(w, bias: context.has(2)) : nil)
  }
}

/// ONNX Runtime's `com.microsoft` `MultiHeadAttention`: attention on projected Q, K, V.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.MultiHeadAttention>
///
/// Shape: `query [B, S, H]` with `key [B, L, H]` and `value [B, L, Hv]`, or `key`/`value`
/// already split into heads `[B, nh, L, H/nh]`, or packed `key [B, L, nh, 2, H/nh]`; or a packed
/// `query [B, S, nh, 3, H/nh]` alone. Optional `bias [H + H + Hv]`, `key_padding_mask`,
/// `attention_bias`, `past_key`/`past_value [B, nh, P, H/nh]` → `output [B, S, Hv]`,
/// `present_key [B, nh, P + L, H/nh]`, `present_value`, `qk [B, nh, S, P + L]`.
///
/// Cost: `bias` adds `B*S*H + B*L*(H+Hv)`; ``AttentionRule/coreCost(_:masked:softcapped:)``
/// with `T = P + L`, masked with a padding mask, an attention bias or `unidirectional`.
///
/// Example: query 2x16x64, key and value 2x16x64, 4 heads → output 2x16x64,
/// MACs `2*4*16*16*(16+16) = 65_536`.
public struct MultiHeadAttentionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["MultiHeadAttention"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily { .attention }
  public var summary: String { "output[B,S,Hv]; MACs = B*nh*S*T*(dh+dv), T = past + key length" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let q = try context.sizes(0)
    let heads: Int
    let headSize: Int
    let valueHeadSize: Int
    let keyLength: Int
    if q.count == 5 {
      (heads, headSize, valueHeadSize, keyLength) = (q[2], q[4], q[4], q[1])
    } else {
      guard q.count == 3 else { throw OpError(field: "inputs[0]", "query must be 3-D or packed 5-D, got \(Shape(q))") }
      heads = try ContribAttentionHeads.required(context, "num_heads")
      headSize = try ContribAttentionHeads.split(q[2], heads, "query")
      let k = try context.sizes(1)
      switch k.count {
      case 5: (valueHeadSize, keyLength) = (k[4], k[1])
      case 4: (valueHeadSize, keyLength) = (try context.sizes(2).last ?? headSize, k[2])
      case 3:
        (valueHeadSize, keyLength) = (try ContribAttentionHeads.split(try context.sizes(2)[2], heads, "value"), k[1])
      default: throw OpError(field: "inputs[1]", "key must be 3-D, 4-D or packed 5-D, got \(Shape(k))")
      }
    }
    let batch = q[0]
    let length = q[1]
    let unidirectional = try context.int("unidirectional", default: 0) != 0
    var past = 0
    if context.has(6) { past = try ContribAttentionHeads.pastLength(context, 6, batch: batch, heads: heads) }
    let total = try Checked.add(past, keyLength)
    var cost = try AttentionRule.coreCost(
      .init(
        batch: batch, heads: heads, queryLength: length, totalLength: total, headSize: headSize,
        valueHeadSize: valueHeadSize),
      masked: context.has(4) || context.has(5) || unidirectional,
      softcapped: false)
    if context.has(3) {
      let hidden = try Checked.multiply(heads, headSize)
      let perKey = try Checked.add(hidden, try Checked.multiply(heads, valueHeadSize))
      cost.adds = try Checked.sum([
        cost.adds, try Checked.product([batch, length, hidden]), try Checked.product([batch, keyLength, perKey]),
      ])
    }
    let type = try context.input(0).dataType
    let outputs: [OpOutcome.Output] = [
      [batch, length, try Checked.multiply(heads, valueHeadSize)], [batch, heads, total, headSize],
      [batch, heads, total, valueHeadSize], [batch, heads, length, total],
    ].map { .init(dataType: type, shape: Shape($0)) }
    return OpOutcome(
      outputs: Array(outputs.prefix(max(1, context.node.outputs.count))), cost: cost,
      inputRoles: [3: .bias, 8: .configuration, 9: .configuration])
  }
}

/// ONNX Runtime's `com.microsoft` `GroupQueryAttention`: grouped-query attention with a
/// key/value cache, causal by default, with optional rotary embedding.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.GroupQueryAttention>
///
/// Shape: `query [B, S, nh*dh]` with `key`, `value [B, S, kvh*dh]`, or packed
/// `query [B, S, (nh + 2*kvh)*dh]` alone; `past_key`, `past_value [B, kvh, P, dh]`,
/// `seqlens_k [B]`, `total_sequence_length` (scalar `T`) → `output [B, S, nh*dh]`,
/// `present_key`, `present_value [B, kvh, max(P, T), dh]` (`P + S` when `T` is unknown),
/// `output_qk [B, nh, S, T]`.
///
/// Cost: ``AttentionRule/coreCost(_:masked:softcapped:)`` with `T` keys (masked when causal,
/// the default, or with an attention bias; `softcap`), and with `do_rotary` the rotation of Q and
/// K (``ContribRotaryEmbeddingRule/rotationCost(elements:)``). Params: `head_sink`,
/// `q_norm_weight`, `k_norm_weight` when given; `cos_cache`, `sin_cache` are tables
/// (`.configuration`).
///
/// Example (a Phi-3-like decoder step): query 1x1x3072, key and value 1x1x1024, 32 heads, 8 kv
/// heads, past 1x8x127x96, total 128 → output 1x1x3072, present 1x8x128x96,
/// MACs `32*1*128*(96+96) = 786_432`.
public struct GroupQueryAttentionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["GroupQueryAttention"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily { .attention }
  public var summary: String { "output[B,S,nh*dh]; present[B,kvh,T,dh]; MACs = B*nh*S*T*2dh (+ rotary)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let q = try context.sizes(0)
    guard q.count == 3 else { throw OpError(field: "inputs[0]", "query must be [B, S, D], got \(Shape(q))") }
    let heads = try ContribAttentionHeads.required(context, "num_heads")
    let kvHeads = try ContribAttentionHeads.required(context, "kv_num_heads")
    let (batch, length) = (q[0], q[1])
    let headSize =
      context.has(1)
      ? try ContribAttentionHeads.split(q[2], heads, "query")
      : try ContribAttentionHeads.split(q[2], try Checked.add(heads, try Checked.multiply(2, kvHeads)), "packed query")
    var past: Int?
    if context.has(3) { past = try ContribAttentionHeads.pastLength(context, 3, batch: batch, heads: kvHeads) }
    var total = try Checked.add(past ?? 0, length)
    if let declared = context.constantInts(6)?.first { total = declared }
    let presentLength = max(past ?? 0, total)
    let causal = try context.int("causal", default: 1) != 0
    var cost = try AttentionRule.coreCost(
      .init(
        batch: batch, heads: heads, queryLength: length, totalLength: total, headSize: headSize,
        valueHeadSize: headSize),
      masked: causal || context.has(10),
      softcapped: try context.float("softcap", default: 0) != 0)
    if try context.int("do_rotary", default: 0) != 0 {
      let rotary = context.has(7) ? try Checked.multiply(2, try context.sizes(7).last ?? 0) : headSize
      let rotated = try Checked.product([batch, length, try Checked.add(heads, kvHeads), rotary])
      cost = try cost.adding(try ContribRotaryEmbeddingRule.rotationCost(elements: rotated))
    }
    let type = try context.input(0).dataType
    let cache = OpOutcome.Output(dataType: type, shape: Shape([batch, kvHeads, presentLength, headSize]))
    let outputs: [OpOutcome.Output] = [
      .init(dataType: type, shape: Shape([batch, length, try Checked.multiply(heads, headSize)])), cache, cache,
      .init(dataType: type, shape: Shape([batch, heads, length, total])),
    ]
    var roles: [Int: InputRole] = [5: .configuration, 6: .configuration, 7: .configuration, 8: .configuration]
    for index in [11, 14, 15] { roles[index] = .weight }
    return OpOutcome(outputs: Array(outputs.prefix(max(1, context.node.outputs.count))), cost: cost, inputRoles: roles)
  }
}

/// ONNX Runtime's `com.microsoft` `RotaryEmbedding`: rotates pairs of each head's first
/// `rotary_embedding_dim` features by position-dependent angles.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.RotaryEmbedding>
///
/// Shape: `input [B, S, H]` or `[B, nh, S, dh]`, `position_ids`, `cos_cache`, `sin_cache
/// [max_S, R/2]` → `output` like input. The rotary dim `R` is `2 * cos_cache[1]`; the head size
/// is `dh`, `H / num_heads`, or `R` when `num_heads` is 0.
///
/// Cost: each rotated element is `x1*cos - x2*sin` (or `+`): 2 multiplies and 1 add, for the
/// `elements / dh * R` elements rotated. The caches are tables (`.configuration`), not params.
///
/// Example: input 1x8x64 (8 heads of 8), caches 16x4 → all 512 elements rotated:
/// 1024 multiplies, 512 adds.
public struct ContribRotaryEmbeddingRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["RotaryEmbedding"] }
  public var domain: String { "com.microsoft" }
  /// Products of the input with cos and sin tables, summed pairwise.
  public func family(of opType: String) -> OpFamily { .elementwise(.mul) }
  public var summary: String { "output like input; 2 multiplies + 1 add per rotated element" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let cos = try context.sizes(2)
    guard x.count == 3 || x.count == 4, cos.count == 2, cos[1] > 0 else {
      throw OpError(field: "inputs", "expected input 3-D or 4-D and cos_cache 2-D, got \(Shape(x)), \(Shape(cos))")
    }
    let rotary = try Checked.multiply(2, cos[1])
    let heads = try context.int("num_heads", default: 0)
    let headSize = x.count == 4 ? x[3] : heads > 0 ? try ContribAttentionHeads.split(x[2], heads, "input") : rotary
    guard rotary <= headSize, x.last! % headSize == 0 else {
      throw OpError(field: "inputs[2]", "rotary dim \(rotary) does not fit heads of \(headSize) in \(Shape(x))")
    }
    let rotated = try Checked.multiply(try Checked.product(x) / headSize, rotary)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))],
      cost: try Self.rotationCost(elements: rotated),
      inputRoles: [1: .configuration, 2: .configuration, 3: .configuration]
    )
  }

  /// 2 multiplies and 1 add for each of `elements` rotated features.
  static func rotationCost(elements: Int) throws(OpError) -> Cost {
    Cost(adds: elements, multiplies: try Checked.multiply(2, elements))
  }
}

/// Head counts and cache lengths the contrib attention rules share.
enum ContribAttentionHeads {
  /// Positive integer attribute `name`, which the op requires.
  static func required(_ context: NodeContext, _ name: String) throws(OpError) -> Int {
    let value = try context.int(name, default: 0)
    guard value > 0 else { throw OpError(field: name, "is required and must be positive, got \(value)") }
    return value
  }

  /// `size / heads`, throwing unless it divides exactly.
  static func split(_ size: Int, _ heads: Int, _ what: String) throws(OpError) -> Int {
    guard heads > 0, size % heads == 0 else {
      throw OpError(field: "inputs", "\(what) size \(size) does not divide into \(heads) heads")
    }
    return size / heads
  }

  /// `Hin*3H(+3H) = total` for a merged projection weight `[Hin, 3H]` and its optional bias.
  static func projectionFormula(_ w: [Int], bias: Bool) throws(OpError) -> String {
    let weights = try Checked.multiply(w[0], w[1])
    guard bias else { return "\(w[0])*\(w[1]) = \(weights)" }
    return "\(w[0])*\(w[1])+\(w[1]) = \(try Checked.add(weights, w[1]))"
  }

  /// The length `P` of a cache input `[B, heads, P, dh]`.
  static func pastLength(_ context: NodeContext, _ index: Int, batch: Int, heads: Int) throws(OpError) -> Int {
    let past = try context.sizes(index)
    guard past.count == 4, past[0] == batch, past[1] == heads else {
      throw OpError(field: "inputs[\(index)]", "cache \(Shape(past)) must be [\(batch), \(heads), P, head size]")
    }
    return past[2]
  }
}
