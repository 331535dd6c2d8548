/// ONNX Runtime's `com.microsoft` `SkipLayerNormalization` and `SkipSimplifiedLayerNormalization`:
/// a residual add (plus an optional bias) followed by layer normalisation (RMS normalisation for
/// the simplified op) over the last axis.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.SkipLayerNormalization>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.SkipSimplifiedLayerNormalization>
///
/// Shape: `input [B, S, H]` (or `[T, H]`), `skip` broadcastable to it, `gamma [H]`, then `beta
/// [H]` and `bias [H]` (Skip), or `bias [H]` (SkipSimplified) → `output` like input, `mean` and
/// `inv_std_var [B, S, 1]` (float32), `input_skip_bias_sum` like input.
///
/// Cost: `n` adds for the skip, `n` more with a bias, then ``NormalizationCost`` over `n / H`
/// groups (centred and shifted by beta for Skip; neither for SkipSimplified).
/// Params: gamma, beta, bias.
///
/// Example (BERT-base): input 1x128x768, gamma, beta [768] → adds
/// `98_304 + 4*98_304 - 128 = 491_392`, multiplies `3*98_304`, params `768+768 = 1536`.
public struct SkipLayerNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["SkipLayerNormalization", "SkipSimplifiedLayerNormalization"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily {
    opType == "SkipLayerNormalization" ? .normalization(.layer) : .normalization(.rootMeanSquare)
  }
  public var summary: String { "output like input; skip (+ bias) adds, then layer (or RMS) norm over the last axis" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    guard x.count == 2 || x.count == 3 else {
      throw OpError(field: "inputs[0]", "input must be [B, S, H] or [T, H], got \(Shape(x))")
    }
    let hidden = [x[x.count - 1]]
    try NormalizationInputs.check(context, 1, broadcastsTo: x, "skip")
    let simplified = context.node.opType == "SkipSimplifiedLayerNormalization"
    let biasIndex = simplified ? 3 : 4
    var roles: [Int: InputRole] = [2: .weight, biasIndex: .bias]
    if !simplified { roles[3] = .bias }
    for index in roles.keys.sorted() {
      try NormalizationInputs.check(context, index, broadcastsTo: hidden, "input \(index)", required: index == 2)
    }
    let elements = try Checked.product(x)
    let norm = NormalizationCost(
      elements: elements, groups: elements / max(hidden[0], 1), centered: !simplified,
      shifted: !simplified && context.has(3))
    let residual = Cost(adds: context.has(biasIndex) ? try Checked.multiply(2, elements) : elements)
    let type = try context.input(0).dataType
    let statistics = OpOutcome.Output(dataType: .float32, shape: Shape(Array(x.dropLast()) + [1]))
    let outputs: [OpOutcome.Output] = [
      .init(dataType: type, shape: Shape(x)), statistics, statistics, .init(dataType: type, shape: Shape(x)),
    ]
    return OpOutcome(
      outputs: Array(outputs.prefix(max(1, context.node.outputs.count))),
      cost: try residual.adding(try norm.cost()), inputRoles: roles,
      paramFormula: try NormalizationInputs.paramFormula(context, roles.keys.sorted()))
  }
}

/// `SimplifiedLayerNormalization`, which ONNX Runtime registers in the default domain: RMS
/// normalisation as ``RMSNormalizationRule``, with an optional `inv_std_var` output.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md> (the fused
/// `SkipSimplifiedLayerNormalization` entry describes the same normalisation)
///
/// Shape: `X`, `scale [Daxis..]` → `Y` like X, `inv_std_var` like X with the normalised axes 1
/// (float32, `stash_type`). Cost and params: as ``RMSNormalizationRule``.
///
/// Example (Llama-style): X 1x16x4096 → adds `65_536`, multiplies `196_608`, params `4096`.
public struct SimplifiedLayerNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["SimplifiedLayerNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.rootMeanSquare) }
  public var summary: String { "Y like X; x / sqrt(mean(x^2) + eps) over axes axis.., then scale" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    var outcome = try RMSNormalizationRule().infer(context)
    if context.node.outputs.count > 1 {
      let x = try context.sizes(0)
      let axis = try NormalizationInputs.axis(try context.int("axis", default: -1), rank: x.count)
      let shape = Array(x[..<axis]) + Array(repeating: 1, count: x.count - axis)
      outcome.outputs.append(.init(dataType: try NormalizationInputs.stashType(context), shape: Shape(shape)))
    }
    return outcome
  }
}

/// ONNX Runtime's `com.microsoft` `EmbedLayerNormalization`: BERT's embedding lookups, their sum
/// and a layer normalisation in one op.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.EmbedLayerNormalization>
///
/// Shape: `input_ids [B, S]`, `segment_ids`, `word_embedding [V, H]`, `position_embedding
/// [P, H]`, `segment_embedding [G, H]`, `gamma`, `beta [H]`, `mask [B, S]`, `position_ids` →
/// `output [B, S, H]`, `mask_index [B]` (int32), `embedding_sum [B, S, H]`.
///
/// Cost: the lookups are free; `(k - 1) * B*S*H` adds to sum `k` embeddings (2 or 3), then
/// ``NormalizationCost`` over `B*S` groups of `H`. Params: the three tables, gamma and beta.
///
/// Example (BERT-base, S = 128): word 30522x768, position 512x768, segment 2x768 → output
/// 1x128x768, adds `2*98_304 + 4*98_304 - 128`, params `(30_522 + 512 + 2 + 2)*768`.
public struct EmbedLayerNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["EmbedLayerNormalization"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily { .normalization(.layer) }
  public var summary: String { "output[B,S,H]; sum of 2-3 embedding lookups, then layer norm" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let ids = try context.sizes(0)
    let words = try context.sizes(2)
    guard ids.count == 2, words.count == 2 else {
      throw OpError(
        field: "inputs", "expected input_ids [B, S] and word_embedding [V, H], got \(Shape(ids)), \(Shape(words))")
    }
    let hidden = words[1]
    for index in [3, 4] where context.has(index) {
      guard let table = try? context.sizes(index) else { continue }
      guard table.count == 2, table[1] == hidden else {
        throw OpError(field: "inputs[\(index)]", "embedding table \(Shape(table)) must be [rows, \(hidden)]")
      }
    }
    try NormalizationInputs.check(context, 5, is: [hidden], "gamma")
    let elements = try Checked.product(ids + [hidden])
    let tables = context.has(4) ? 3 : 2
    let sums = Cost(adds: try Checked.multiply(tables - 1, elements))
    let norm = NormalizationCost(elements: elements, groups: try Checked.product(ids), shifted: context.has(6))
    let type = try context.input(2).dataType
    let outputs: [OpOutcome.Output] = [
      .init(dataType: type, shape: Shape(ids + [hidden])), .init(dataType: .int32, shape: Shape([ids[0]])),
      .init(dataType: type, shape: Shape(ids + [hidden])),
    ]
    return OpOutcome(
      outputs: Array(outputs.prefix(max(1, context.node.outputs.count))),
      cost: try sums.adding(try norm.cost()),
      inputRoles: [2: .weight, 3: .weight, 4: .weight, 5: .weight, 6: .bias],
      paramFormula: try NormalizationInputs.paramFormula(context, [2, 3, 4, 5, 6]))
  }
}
