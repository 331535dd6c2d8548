/// `RotaryEmbedding` (opset 23): rotary positional embedding (RoPE) of each head's first
/// `rotary_embedding_dim` features, in halves or interleaved pairs.
/// <https://onnx.ai/onnx/operators/onnx__RotaryEmbedding.html>
///
/// Shape: `X [B, H, S, D]` or `[B, S, H*D]` (heads from `num_heads`), `cos_cache` and
/// `sin_cache` `[P, R/2]` with `position_ids [B, S]`, or `[B, S, R/2]` without, where `R` is
/// `rotary_embedding_dim` (0 or absent: `D`) → `Y` shaped like `X`.
///
/// Cost: each of the `B * S * H * R/2` rotated pairs `(x1, x2)` becomes
/// `(cos*x1 - sin*x2, sin*x1 + cos*x2)`: 4 multiplies and 2 adds. The caches are precomputed
/// tables (state, not parameters, when stored). Family: elementwise products, as the
/// `q * cos + rotate_half(q) * sin` a framework writes it as.
///
/// Example (`test_rotary_embedding`): X 2x4x3x8, caches 50x4, position_ids 2x3 → Y 2x4x3x8,
/// `2*3*4*4 = 96` pairs: 384 multiplies, 192 adds.
public struct RotaryEmbeddingRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["RotaryEmbedding"] }
  public func family(of opType: String) -> OpFamily { .elementwise(.mul) }
  public var summary: String { "Y same shape as X; 4 multiplies + 2 adds per rotated pair (B*S*H*R/2)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let heads: Int
    let headSize: Int
    let (batch, sequence): (Int, Int)
    switch x.count {
    case 4:
      (batch, heads, sequence, headSize) = (x[0], x[1], x[2], x[3])
    case 3:
      heads = try context.int("num_heads", default: 0)
      guard heads > 0, x[2] % heads == 0 else {
        throw OpError(field: "num_heads", "a 3-D input \(Shape(x)) needs num_heads dividing \(x[2]), got \(heads)")
      }
      (batch, sequence, headSize) = (x[0], x[1], x[2] / heads)
    default:
      throw OpError(field: "inputs[0]", "X \(Shape(x)) must be 3-D or 4-D")
    }
    let attribute = try context.int("rotary_embedding_dim", default: 0)
    let rotary = attribute == 0 ? headSize : attribute
    guard rotary > 0, rotary % 2 == 0, rotary <= headSize else {
      throw OpError(field: "rotary_embedding_dim", "\(rotary) must be even and at most the head size \(headSize)")
    }
    for index in [1, 2] {
      let cache = try context.sizes(index)
      let fits =
        context.has(3) ? cache.count == 2 && cache[1] == rotary / 2 : cache == [batch, sequence, rotary / 2]
      guard fits else {
        let expected = context.has(3) ? "[P, \(rotary / 2)]" : "\(Shape([batch, sequence, rotary / 2]))"
        throw OpError(field: "inputs[\(index)]", "cache \(Shape(cache)) must be \(expected)")
      }
    }
    if context.has(3), try context.sizes(3) != [batch, sequence] {
      throw OpError(field: "inputs[3]", "position_ids \(Shape(try context.sizes(3))) must be [\(batch), \(sequence)]")
    }
    let pairs = try Checked.product([batch, sequence, heads, rotary / 2])
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))],
      cost: try Cost(adds: 2, multiplies: 4).scaled(by: pairs),
      inputRoles: [1: .statistic, 2: .statistic, 3: .configuration])
  }
}

/// `LinearAttention` (opset 27): attention as a recurrence over a `d_k x d_v` state per key/value
/// head, for decoding (T = 1) and prefill. <https://onnx.ai/onnx/operators/onnx__LinearAttention.html>
///
/// Shape: `query [B, T, Hq*dk]`, `key [B, T, Hkv*dk]`, `value [B, T, Hkv*dv]`, optional
/// `past_state [B, Hkv, dk, dv]`, `decay [B, T, Hkv*dk]` or `[B, T, Hkv]` (`gated`,
/// `gated_delta`), `beta [B, T, Hkv]` or `[B, T, 1]` (`delta`, `gated_delta`) →
/// `output [B, T, Hq*dv]`, `present_state [B, Hkv, dk, dv]` (`past_state`'s type, else query's).
///
/// Cost, per batch item and token, as the spec's update rules read, with `E = dk*dv`: each key/value
/// head writes `S += k ⊗ v` (`E` MACs); `gated` first decays `S *= exp(g)` (`dk` or 1
/// exponentials, `E` multiplies); `delta` first corrects `v ← β (v - Sᵀ k)` (`E` MACs, `dv`
/// adds, `dv` multiplies); each query head reads `o = scale * qᵀ S` (`E` MACs, `dv` multiplies).
///
/// Family: recurrent (a state carried from token to token and from call to call).
///
/// Example (`test_linear_attention_linear`): B 2, T 4, Hq = Hkv = 4, dk = dv = 8 → output 2x4x32,
/// MACs `2*4*(4*64 + 4*64) = 4_096`, 256 multiplies.
public struct LinearAttentionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["LinearAttention"] }
  public func family(of opType: String) -> OpFamily { .recurrent }
  public var summary: String {
    "output[B,T,Hq*dv], present_state[B,Hkv,dk,dv]; MACs = B*T*dk*dv*(Hkv*(1 + delta) + Hq)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let (q, k, v) = (try context.sizes(0), try context.sizes(1), try context.sizes(2))
    let qHeads = try context.int("q_num_heads", default: 0)
    let kvHeads = try context.int("kv_num_heads", default: 0)
    guard qHeads > 0, kvHeads > 0, qHeads % kvHeads == 0 else {
      throw OpError(
        field: "q_num_heads", "q_num_heads \(qHeads) must be a positive multiple of kv_num_heads \(kvHeads)")
    }
    guard q.count == 3, k.count == 3, v.count == 3, k[0] == q[0], v[0] == q[0], k[1] == q[1], v[1] == q[1],
      q[2] % qHeads == 0, v[2] % kvHeads == 0, k[2] == kvHeads * (q[2] / qHeads)
    else {
      throw OpError(
        field: "inputs",
        "query \(Shape(q)), key \(Shape(k)), value \(Shape(v)) must be [B, T, \(qHeads)*dk], [B, T, \(kvHeads)*dk], [B, T, \(kvHeads)*dv]"
      )
    }
    let (batch, tokens, keySize, valueSize) = (q[0], q[1], q[2] / qHeads, v[2] / kvHeads)
    let rule = try context.string("update_rule", default: "gated_delta")
    guard ["linear", "gated", "delta", "gated_delta"].contains(rule) else {
      throw OpError(field: "update_rule", "expected linear, gated, delta or gated_delta, found \"\(rule)\"")
    }
    let (gated, delta) = (rule.hasPrefix("gated"), rule.hasSuffix("delta"))
    let state = [batch, kvHeads, keySize, valueSize]
    let expected: [(index: Int, given: Bool, shapes: [[Int]])] = [
      (3, context.has(3), [state]),
      (4, gated, [[batch, tokens, kvHeads * keySize], [batch, tokens, kvHeads]]),
      (5, delta, [[batch, tokens, kvHeads], [batch, tokens, 1]]),
    ]
    for (index, needed, shapes) in expected {
      guard context.has(index) == needed else {
        throw OpError(field: "inputs[\(index)]", "update_rule \(rule) \(needed ? "needs" : "forbids") input \(index)")
      }
      if needed, !shapes.contains(try context.sizes(index)) {
        throw OpError(
          field: "inputs[\(index)]",
          "shape \(Shape(try context.sizes(index))) is not one of \(shapes.map { Shape($0) })")
      }
    }
    let entries = try Checked.multiply(keySize, valueSize)
    var perKVHead = Cost(macs: entries)
    if gated {
      let decays = try context.sizes(4)[2] == kvHeads * keySize ? keySize : 1
      perKVHead = try perKVHead.adding(Cost(multiplies: entries, exponentials: decays))
    }
    if delta { perKVHead = try perKVHead.adding(Cost(macs: entries, adds: valueSize, multiplies: valueSize)) }
    let perQueryHead = Cost(macs: entries, multiplies: valueSize)
    let cost = try perKVHead.scaled(by: kvHeads).adding(try perQueryHead.scaled(by: qHeads))
    let type = try context.input(0).dataType
    return OpOutcome(
      outputs: [
        .init(dataType: type, shape: Shape([batch, tokens, try Checked.multiply(qHeads, valueSize)])),
        .init(dataType: context.has(3) ? try context.input(3).dataType : type, shape: Shape(state)),
      ], cost: try cost.scaled(by: try Checked.multiply(batch, tokens)))
  }
}

/// `CausalConvWithState` (opset 27): a causal depthwise 1-D convolution that carries its last
/// `k - 1` inputs between calls, with an optional fused SiLU.
/// <https://onnx.ai/onnx/operators/onnx__CausalConvWithState.html>
///
/// Shape: `input [B, C, L]`, `weight [C, 1, k]`, optional `bias [C]` and
/// `past_state [B, C, k-1]` → `output [B, C, L]`, `present_state [B, C, k-1]`.
///
/// Cost: a depthwise convolution over the `k - 1` past (or zero) positions and the input:
/// `B * C * L * k` MACs, `B * C * L` bias adds; `activation = silu` (or `swish`) adds
/// `x * sigmoid(x)` per output element: an exponential, an add, a divide and a multiply.
/// Params: `weight` and `bias`. Family: recurrent (a state carried from call to call; not
/// `.convolution`, which BatchNorm folding would rewrite as a plain `Conv`).
///
/// Example (`test_causal_conv_with_state_basic`): input 2x4x8, weight 4x1x4 → output 2x4x8,
/// present_state 2x4x3, MACs `2*4*8*4 = 256`.
public struct CausalConvWithStateRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["CausalConvWithState"] }
  public func family(of opType: String) -> OpFamily { .recurrent }
  public var summary: String { "output[B,C,L], present_state[B,C,k-1]; MACs = B*C*L*k; bias and SiLU per output" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let w = try context.sizes(1)
    guard x.count == 3, w.count == 3, w[0] == x[1], w[1] == 1, w[2] >= 1 else {
      throw OpError(field: "inputs[1]", "input \(Shape(x)) and weight \(Shape(w)) must be [B, C, L] and [C, 1, k]")
    }
    let stateShape = [x[0], x[1], w[2] - 1]
    if context.has(2), try context.sizes(2) != [x[1]] {
      throw OpError(field: "inputs[2]", "bias \(Shape(try context.sizes(2))) must be [\(x[1])]")
    }
    if context.has(3), try context.sizes(3) != stateShape {
      throw OpError(field: "inputs[3]", "past_state \(Shape(try context.sizes(3))) must be \(Shape(stateShape))")
    }
    let activation = try context.string("activation", default: "none")
    guard ["none", "silu", "swish"].contains(activation) else {
      throw OpError(field: "activation", "expected none, silu or swish, found \"\(activation)\"")
    }
    let outputs = try Checked.product(x)
    var cost = Cost(macs: try Checked.multiply(outputs, w[2]), adds: context.has(2) ? outputs : 0)
    if activation != "none" {
      cost = try cost.adding(Cost(adds: 1, multiplies: 1, divides: 1, exponentials: 1).scaled(by: outputs))
    }
    var paramFormula: String?
    if context.isConstant(1) {
      let weights = try Checked.product(w)
      paramFormula =
        context.has(2) && context.isConstant(2)
        ? "\(x[1])*1*\(w[2])+\(x[1]) = \(try Checked.add(weights, x[1]))" : try ElementCounting.productFormula(w)
    }
    let type = try context.input(0).dataType
    return OpOutcome(
      outputs: [.init(dataType: type, shape: Shape(x)), .init(dataType: type, shape: Shape(stateShape))], cost: cost,
      inputRoles: [1: .weight, 2: .bias], paramFormula: paramFormula)
  }
}
