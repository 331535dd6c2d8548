/// `Attention` (opset 23): scaled dot-product attention, multi-head, grouped-query or
/// multi-query, with an optional mask, causal masking, soft-capping and a key/value cache.
/// <https://onnx.ai/onnx/operators/onnx__Attention.html>
///
/// Shape: 4-D `Q [B, Hq, Sq, Dh]`, `K [B, Hkv, Skv, Dh]`, `V [B, Hkv, Skv, Dv]` →
/// `Y [B, Hq, Sq, Dv]`; 3-D `Q [B, Sq, Hq*Dh]`, `K [B, Skv, Hkv*Dh]`, `V [B, Skv, Hkv*Dv]`
/// (heads from `q_num_heads`, `kv_num_heads`) → `Y [B, Sq, Hq*Dv]`. With `past_key`
/// `[B, Hkv, P, Dh]` and `past_value` the total length is `T = P + Skv`. Further outputs:
/// `present_key [B, Hkv, T, Dh]`, `present_value [B, Hkv, T, Dv]`,
/// `qk_matmul_output [B, Hq, Sq, T]`. `Hq` must be a multiple of `Hkv`.
///
/// Cost, with `S = B * Hq * Sq * T` attention scores: `S * Dh` MACs for `Q Kᵀ` plus `S * Dv`
/// for the product with `V`; `S` multiplies for the scale; `S` adds for a mask or causal
/// masking; `softcap` (`c * tanh(s / c)`) a divide, a tanh and a multiply per score; the
/// softmax of ``SoftmaxRule`` over `B * Hq * Sq` rows of `T`.
///
/// Example: 4-D, B 1, Hq = Hkv = 8, Sq = Skv = 128, Dh = Dv = 64 → Y `1x8x128x64`,
/// MACs `1*8*128*128 * (64+64) = 16_777_216`.
public struct AttentionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Attention"] }
  public func family(of opType: String) -> OpFamily { .attention }
  public var summary: String { "Y[B,Hq,Sq,Dv] (or 3-D); MACs = B*Hq*Sq*T*(Dh+Dv); scale, mask and softmax per score" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let q = try context.sizes(0)
    let k = try context.sizes(1)
    let v = try context.sizes(2)
    guard q.count == 3 || q.count == 4, k.count == q.count, v.count == q.count else {
      throw OpError(
        field: "inputs", "Q, K and V must be all 3-D or all 4-D, got \(Shape(q)), \(Shape(k)) and \(Shape(v))")
    }
    let batch = q[0]
    let qHeads: Int
    let kvHeads: Int
    let qLength: Int
    let kvLength: Int
    let headSize: Int
    let valueHeadSize: Int
    if q.count == 4 {
      (qHeads, qLength, headSize) = (q[1], q[2], q[3])
      (kvHeads, kvLength, valueHeadSize) = (k[1], k[2], v[3])
      guard k[3] == headSize, v[1] == kvHeads, v[2] == kvLength else {
        throw OpError(
          field: "inputs",
          "K \(Shape(k)) and V \(Shape(v)) do not fit Q \(Shape(q)): expected K [B, Hkv, Skv, \(headSize)], V [B, Hkv, Skv, Dv]"
        )
      }
    } else {
      qHeads = try context.int("q_num_heads", default: 0)
      kvHeads = try context.int("kv_num_heads", default: 0)
      guard qHeads > 0, kvHeads > 0 else {
        throw OpError(
          field: "q_num_heads", "3-D inputs need positive q_num_heads and kv_num_heads, got \(qHeads) and \(kvHeads)")
      }
      guard q[2] % qHeads == 0, k[2] % kvHeads == 0, v[2] % kvHeads == 0, k[1] == v[1] else {
        throw OpError(
          field: "inputs",
          "hidden sizes of Q \(Shape(q)), K \(Shape(k)), V \(Shape(v)) must divide by \(qHeads) query and \(kvHeads) key/value heads"
        )
      }
      (qLength, headSize, kvLength, valueHeadSize) = (q[1], q[2] / qHeads, k[1], v[2] / kvHeads)
      guard k[2] / kvHeads == headSize else {
        throw OpError(field: "inputs[1]", "K's head size \(k[2] / kvHeads) differs from Q's \(headSize)")
      }
    }
    guard k[0] == batch, v[0] == batch else {
      throw OpError(field: "inputs", "batch sizes differ: Q \(Shape(q)), K \(Shape(k)), V \(Shape(v))")
    }
    guard kvHeads > 0, qHeads % kvHeads == 0 else {
      throw OpError(field: "kv_num_heads", "query heads \(qHeads) must be a multiple of key/value heads \(kvHeads)")
    }
    var totalLength = kvLength
    if context.has(4) {
      let past = try context.sizes(4)
      guard past.count == 4, past[0] == batch, past[1] == kvHeads, past[3] == headSize else {
        throw OpError(field: "inputs[4]", "past_key \(Shape(past)) must be [\(batch), \(kvHeads), P, \(headSize)]")
      }
      totalLength = try Checked.add(kvLength, past[2])
    }
    let isCausal = try context.int("is_causal", default: 0) != 0
    let cost = try Self.coreCost(
      Self.Dims(
        batch: batch, heads: qHeads, queryLength: qLength, totalLength: totalLength, headSize: headSize,
        valueHeadSize: valueHeadSize),
      masked: context.has(3) || isCausal, softcapped: try context.float("softcap", default: 0) != 0)

    let type = try context.input(0).dataType
    let y =
      q.count == 4
      ? [batch, qHeads, qLength, valueHeadSize] : [batch, qLength, try Checked.multiply(qHeads, valueHeadSize)]
    let outputs: [OpOutcome.Output] = [
      y, [batch, kvHeads, totalLength, headSize], [batch, kvHeads, totalLength, valueHeadSize],
      [batch, qHeads, qLength, totalLength],
    ].map { .init(dataType: type, shape: Shape($0)) }
    return OpOutcome(outputs: Array(outputs.prefix(max(1, context.node.outputs.count))), cost: cost)
  }
}

extension AttentionRule {
  /// The sizes that decide the cost of scaled dot-product attention.
  struct Dims {
    var batch: Int
    var heads: Int
    var queryLength: Int
    /// Keys attended to: past plus new.
    var totalLength: Int
    var headSize: Int
    var valueHeadSize: Int
  }

  /// The cost of `softmax(scale * Q Kᵀ (+ mask)) V` as the doc comment of ``AttentionRule``
  /// counts it; shared with ONNX Runtime's `Attention`, `MultiHeadAttention` and `GroupQueryAttention`.
  static func coreCost(_ dims: Dims, masked: Bool, softcapped: Bool) throws(OpError) -> Cost {
    let rows = try Checked.product([dims.batch, dims.heads, dims.queryLength])
    let scores = try Checked.multiply(rows, dims.totalLength)
    var cost = try scaledDotProductCost(
      rows: rows, length: dims.totalLength, headSize: dims.headSize, valueHeadSize: dims.valueHeadSize)
    if masked { cost.adds = try Checked.add(cost.adds, scores) }
    if softcapped {
      cost = try cost.adding(Cost(adds: 2, multiplies: 1, divides: 2, exponentials: 2).scaled(by: scores))
    }
    return cost
  }

  /// The work every scaled dot-product attention shares, for `rows` query rows (batch x heads x
  /// queries) each against `length` keys: `Q Kᵀ` (`headSize` MACs per score), the scale (a
  /// multiply per score), the softmax of each row, and the product with `V` (`valueHeadSize`
  /// MACs per score).
  static func scaledDotProductCost(rows: Int, length: Int, headSize: Int, valueHeadSize: Int) throws(OpError) -> Cost {
    let scores = try Checked.multiply(rows, length)
    let products = Cost(
      macs: try Checked.multiply(scores, try Checked.add(headSize, valueHeadSize)), multiplies: scores)
    return try products.adding(try SoftmaxRule.rowCost("Softmax", length: length).scaled(by: rows))
  }
}

/// `FlexAttention` (domain `ai.onnx.preview`): scaled dot-product attention with optional
/// `score_mod` and `prob_mod` subgraphs applied to the scores before and the probabilities
/// after the softmax. <https://github.com/onnx/onnx/blob/main/docs/Operators.md#ai.onnx.preview.FlexAttention>
///
/// Shape: `Q [B, Hq, L, E]`, `K [B, Hkv, S, E]`, `V [B, Hkv, S, Ev]` (all rank 4, `Hq` a
/// multiple of `Hkv`: grouped-query attention) → `Y [B, Hq, L, Ev]`.
///
/// Cost: ``AttentionRule/scaledDotProductCost(rows:length:headSize:valueHeadSize:)`` over
/// `B * Hq * L` rows of `S` scores. The subgraphs' own work is not counted (a warning says so).
///
/// Example (`test_flexattention_gqa`): Q 2x8x4x16, K and V 2x2x6x16 → Y 2x8x4x16,
/// MACs `2*8*4*6 * (16+16) = 12_288`.
public struct FlexAttentionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["FlexAttention"] }
  public var domain: String { "ai.onnx.preview" }
  public func family(of opType: String) -> OpFamily { .attention }
  public var summary: String {
    "Y[B,Hq,L,Ev]; MACs = B*Hq*L*S*(E+Ev); scale and softmax per score; subgraphs not counted"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let q = try context.sizes(0)
    let k = try context.sizes(1)
    let v = try context.sizes(2)
    guard q.count == 4, k.count == 4, v.count == 4 else {
      throw OpError(field: "inputs", "Q, K and V must be 4-D, got \(Shape(q)), \(Shape(k)) and \(Shape(v))")
    }
    guard k[0] == q[0], v[0] == q[0], k[3] == q[3], v[1] == k[1], v[2] == k[2], k[1] > 0, q[1] % k[1] == 0 else {
      throw OpError(
        field: "inputs",
        "K \(Shape(k)) and V \(Shape(v)) do not fit Q \(Shape(q)): expected K [B, Hkv, S, E], V [B, Hkv, S, Ev], Hq a multiple of Hkv"
      )
    }
    let cost = try AttentionRule.scaledDotProductCost(
      rows: try Checked.product(q.prefix(3)), length: k[2], headSize: q[3], valueHeadSize: v[3])
    let modifiers = ["score_mod", "prob_mod"].filter { context.node.attributes[$0] != nil }
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape([q[0], q[1], q[2], v[3]]))], cost: cost,
      warnings: modifiers.map { "the \($0) subgraph's work is not counted" })
  }
}
