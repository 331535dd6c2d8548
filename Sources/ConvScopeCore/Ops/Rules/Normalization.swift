/// `BatchNormalization`: per-channel normalisation with running statistics.
/// <https://onnx.ai/onnx/operators/onnx__BatchNormalization.html>
///
/// Shape: `X [N, C, D1..Dk]`, `scale`, `B`, `input_mean`, `input_var` each `[C]` (`[C, D1..Dk]`
/// with opset 7's `spatial = 0`) → `Y` like X; the optional further outputs (running mean and
/// variance with `training_mode = 1` since opset 14; mean, var, saved mean, saved var before)
/// are shaped like `input_mean`. Params: scale and B; mean and var are non-trainable statistics.
///
/// Cost at inference, with `P` = the number of channels (elements of `scale`):
/// per channel `a = scale / sqrt(var + eps)` and `b = B - mean * a` (2 adds, 1 multiply,
/// 1 divide, 1 sqrt), then per element `y = x * a + b` (1 multiply, 1 add):
/// adds `elements + 2P`, multiplies `elements + P`, divides `P`, others `P`.
/// In training (`training_mode = 1`, or before opset 14 any output beyond Y): the batch
/// statistics as ``NormalizationCost`` (centred, scaled, shifted, `P` groups), plus the running
/// updates `r = r * momentum + s * (1 - momentum)` for mean and var (4P multiplies, 2P adds).
///
/// Example: X 1x64x56x56 at inference → adds `64*56*56 + 2*64 = 200_832`,
/// multiplies `64*56*56 + 64 = 200_768`, params `64+64 = 128`, statistics `64+64`.
public struct BatchNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["BatchNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.batch) }
  public var summary: String {
    "Y like X; inference y=x*a+b: 1 mul + 1 add per element, + per channel a, b; scale, B params; mean, var statistics"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    try NormalizationInputs.checkRank(context, x, atLeast: 2)
    let spatial = try context.int("spatial", default: 1)
    let perActivation = context.opset < 9 && spatial == 0
    let statisticShape = perActivation ? Array(x[1...]) : [x[1]]
    for (index, what) in [(1, "scale"), (2, "B"), (3, "input_mean"), (4, "input_var")] {
      try NormalizationInputs.check(context, index, is: statisticShape, what)
    }
    let elements = try Checked.product(x)
    let channels = try Checked.product(statisticShape)
    let declaredOutputs = context.node.outputs.filter { !$0.isEmpty }.count
    let trainingMode = try context.int("training_mode", default: 0)
    let training = context.opset >= 14 ? trainingMode != 0 : declaredOutputs > 1
    let cost: Cost
    if training {
      let batchStatistics = try NormalizationCost(elements: elements, groups: channels).cost()
      cost = try batchStatistics.adding(
        Cost(adds: try Checked.multiply(2, channels), multiplies: try Checked.multiply(4, channels)))
    } else {
      cost = Cost(
        adds: try Checked.add(elements, try Checked.multiply(2, channels)),
        multiplies: try Checked.add(elements, channels), divides: channels, others: channels)
    }
    let y = try context.input(0)
    let statistics = OpOutcome.Output(dataType: y.dataType, shape: Shape(statisticShape))
    let extraOutputs = min(context.node.outputs.count, context.opset >= 14 ? 3 : 5) - 1
    return OpOutcome(
      outputs: [.init(dataType: y.dataType, shape: y.shape)]
        + Array(repeating: statistics, count: max(extraOutputs, 0)),
      cost: cost,
      inputRoles: [1: .weight, 2: .bias, 3: .statistic, 4: .statistic],
      paramFormula: try NormalizationInputs.paramFormula(context, [1, 2]))
  }
}

/// `InstanceNormalization`: normalises each (sample, channel) over its spatial positions.
/// <https://onnx.ai/onnx/operators/onnx__InstanceNormalization.html>
///
/// Shape: `X [N, C, D1..Dk]`, `scale [C]`, `B [C]` → `Y` like X. Params: `C + C`.
/// Cost: ``NormalizationCost`` with `N*C` groups of `prod(D)`, centred, scaled and shifted.
///
/// Example: X 1x64x32x32 → 64 groups of 1024: adds `4*65_536 - 64 = 262_080`,
/// multiplies `3*65_536 = 196_608`, divides `3*64`, sqrts `64`.
public struct InstanceNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["InstanceNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.instance) }
  public var summary: String { "Y like X; mean and variance over spatial axes per (N, C), then scale and bias" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    try NormalizationInputs.checkRank(context, x, atLeast: 3)
    for (index, what) in [(1, "scale"), (2, "B")] {
      try NormalizationInputs.check(context, index, is: [x[1]], what)
    }
    let cost = NormalizationCost(elements: try Checked.product(x), groups: try Checked.multiply(x[0], x[1]))
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))],
      cost: try cost.cost(), inputRoles: [1: .weight, 2: .bias],
      paramFormula: try NormalizationInputs.paramFormula(context, [1, 2]))
  }
}

/// `LayerNormalization` (opset 17): normalises over the axes from `axis` (default -1) to the last.
/// <https://onnx.ai/onnx/operators/onnx__LayerNormalization.html>
///
/// Shape: `X [D0..Dr-1]`, `Scale` and optional `B` broadcastable to `[Daxis..Dr-1]` → `Y` like X;
/// optional `Mean` and `InvStdDev` shaped like X with the normalised axes set to 1, of type
/// `stash_type` (float32). Params: Scale + B.
/// Cost: ``NormalizationCost`` with `prod(D0..Daxis-1)` groups, centred, scaled, shifted when B is given.
///
/// Example (BERT-base): X 1x128x768, axis -1, Scale and B [768] → 128 groups of 768:
/// adds `4*98_304 - 128 = 393_088`, multiplies `3*98_304`, params `768+768 = 1536`.
public struct LayerNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["LayerNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.layer) }
  public var summary: String {
    "Y like X; mean and variance over axes axis.., then scale (and bias); Mean, InvStdDev [.., 1..]"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let axis = try NormalizationInputs.axis(try context.int("axis", default: -1), rank: x.count)
    let normalized = Array(x[axis...])
    try NormalizationInputs.check(context, 1, broadcastsTo: normalized, "Scale")
    try NormalizationInputs.check(context, 2, broadcastsTo: normalized, "B", required: false)
    let cost = NormalizationCost(
      elements: try Checked.product(x), groups: try Checked.product(x[..<axis]), shifted: context.has(2))
    let statistics = OpOutcome.Output(
      dataType: try NormalizationInputs.stashType(context),
      shape: Shape(Array(x[..<axis]) + Array(repeating: 1, count: normalized.count)))
    let extraOutputs = min(context.node.outputs.count, 3) - 1
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))]
        + Array(repeating: statistics, count: max(extraOutputs, 0)),
      cost: try cost.cost(), inputRoles: [1: .weight, 2: .bias],
      paramFormula: try NormalizationInputs.paramFormula(context, [1, 2]))
  }
}

/// `GroupNormalization` (opsets 18, 21): normalises each sample's channels in `num_groups` groups.
/// <https://onnx.ai/onnx/operators/onnx__GroupNormalization.html>
///
/// Shape: `X [N, C, D1..Dk]`, `scale` and `bias` `[C]` (opset 21; `[num_groups]` in opset 18)
/// → `Y` like X. Params: scale + bias.
/// Cost: ``NormalizationCost`` with `N*G` groups of `(C/G)*prod(D)`, centred, scaled, shifted.
///
/// Example: X 2x32x8x8, 4 groups → 8 groups of 512: adds `4*4096 - 8 = 16_376`,
/// multiplies `3*4096 = 12_288`, divides `3*8 = 24`, sqrts `8`, params `32+32 = 64`.
public struct GroupNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["GroupNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.group) }
  public var summary: String {
    "Y like X; mean and variance per (N, group of C/G channels), then per-channel scale and bias"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    try NormalizationInputs.checkRank(context, x, atLeast: 2)
    guard case .int(let groups)? = context.node.attributes["num_groups"] else {
      throw OpError(field: "num_groups", "is required (an int)")
    }
    guard groups > 0, x[1] % groups == 0 else {
      throw OpError(field: "num_groups", "\(groups) must be positive and divide the \(x[1]) channels")
    }
    let affineShape = context.opset >= 21 ? [x[1]] : [groups]
    for (index, what) in [(1, "scale"), (2, "bias")] {
      try NormalizationInputs.check(context, index, is: affineShape, what)
    }
    let cost = NormalizationCost(elements: try Checked.product(x), groups: try Checked.multiply(x[0], groups))
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))],
      cost: try cost.cost(), inputRoles: [1: .weight, 2: .bias],
      paramFormula: try NormalizationInputs.paramFormula(context, [1, 2]))
  }
}

/// `RMSNormalization` (opset 23): divides by the root mean square over the axes from `axis`
/// (default -1), then scales. <https://onnx.ai/onnx/operators/onnx__RMSNormalization.html>
///
/// Shape: `X`, `scale` broadcastable to `[Daxis..Dr-1]` → `Y` like X. Params: scale.
/// Cost: ``NormalizationCost`` with `prod(D0..Daxis-1)` groups, not centred, scaled, no bias:
/// adds `elements`, multiplies `3*elements`, divides `2*groups`, sqrts `groups`.
///
/// Example (Llama-style): X 1x16x4096 → adds `65_536`, multiplies `196_608`, divides `32`,
/// sqrts `16`, params `4096`.
public struct RMSNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["RMSNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.rootMeanSquare) }
  public var summary: String { "Y like X; x / sqrt(mean(x^2) + eps) over axes axis.., then scale" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    let axis = try NormalizationInputs.axis(try context.int("axis", default: -1), rank: x.count)
    try NormalizationInputs.check(context, 1, broadcastsTo: Array(x[axis...]), "scale")
    let cost = NormalizationCost(
      elements: try Checked.product(x), groups: try Checked.product(x[..<axis]), centered: false, shifted: false)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))],
      cost: try cost.cost(), inputRoles: [1: .weight],
      paramFormula: try NormalizationInputs.paramFormula(context, [1]))
  }
}

/// `MeanVarianceNormalization`: `(x - mean) / std` over `axes` (default `[0, 2, 3]`), no learned
/// parameters. <https://onnx.ai/onnx/operators/onnx__MeanVarianceNormalization.html>
///
/// Shape: `Y` like X. Cost: ``NormalizationCost`` centred, without scale or bias, with one group
/// per combination of the other axes (ONNX's function divides each element by the std; counted
/// here, as for the other norms, as one reciprocal per group and one multiply per element).
///
/// Example: X 2x3x4x5, axes [0, 2, 3] → 3 groups of 40: adds `3*120 - 3 = 357`, multiplies `240`.
public struct MeanVarianceNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["MeanVarianceNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.meanVariance) }
  public var summary: String { "Y like X; (x - mean) / std over axes (default 0, 2, 3)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    var axes: Set<Int> = []
    for axis in try context.ints("axes") ?? [0, 2, 3] {
      guard axes.insert(try NormalizationInputs.axis(axis, rank: x.count, field: "axes")).inserted else {
        throw OpError(field: "axes", "axis \(axis) is listed twice")
      }
    }
    let groups = try Checked.product(x.indices.filter { !axes.contains($0) }.map { x[$0] })
    let cost = NormalizationCost(elements: try Checked.product(x), groups: groups, scaled: false, shifted: false)
    return OpOutcome(outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))], cost: try cost.cost())
  }
}

/// `LRN`: local response normalisation across `size` neighbouring channels.
/// <https://onnx.ai/onnx/operators/onnx__LRN.html>
///
/// `y = x / (bias + alpha / size * sum(x_j^2))^beta`, the sum over channels
/// `c - floor((size-1)/2) ... c + ceil((size-1)/2)`.
///
/// Shape: `Y` like `X [N, C, D1..Dk]`. Cost per element, every one of the `size` taps counted
/// even where the window passes the first or last channel: `size` multiplies (squares) and
/// `size - 1` adds for the sum, 1 multiply by `alpha/size`, 1 add of `bias`, 1 pow (`others`),
/// 1 divide: multiplies `(size+1)*elements`, adds `size*elements`, others and divides `elements`.
///
/// Example (AlexNet LRN1): X 1x96x55x55, size 5 → multiplies `6*290_400`, adds `5*290_400`.
public struct LRNRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["LRN"] }
  public func family(of opType: String) -> OpFamily { .normalization(.localResponse) }
  public var summary: String { "Y like X; per element size squares and adds, a scale, a bias add, a pow and a divide" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    try NormalizationInputs.checkRank(context, x, atLeast: 2)
    guard case .int(let size)? = context.node.attributes["size"] else {
      throw OpError(field: "size", "is required (an int)")
    }
    guard size > 0 else { throw OpError(field: "size", "must be positive, got \(size)") }
    let elements = try Checked.product(x)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(x))],
      cost: Cost(
        adds: try Checked.multiply(size, elements), multiplies: try Checked.multiply(size + 1, elements),
        divides: elements, others: elements),
      parameters: OpParameters(channelWindow: size))
  }
}

extension BatchNormalizationRule {
  /// scale, B, input_mean, input_var `[C]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let channels = Shape([try WeightShapes.channels(context, divideBy: 1)])
    return [1: channels, 2: channels, 3: channels, 4: channels]
  }
}

extension InstanceNormalizationRule {
  /// scale, B `[C]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let channels = Shape([try WeightShapes.channels(context, divideBy: 1)])
    return [1: channels, 2: channels]
  }
}

extension GroupNormalizationRule {
  /// scale, bias `[C]` (opset 21; `[num_groups]` before).
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let shape: Shape
    if context.opset < 21, case .int(let groups)? = context.node.attributes["num_groups"] {
      shape = Shape([groups])
    } else {
      shape = Shape([try WeightShapes.channels(context, divideBy: 1)])
    }
    return [1: shape, 2: shape]
  }
}

extension LayerNormalizationRule {
  /// Scale, B: the trailing dims of X from `axis` (as many as the weight has).
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let x = try context.input(0).shape.dims
    let axis = try NormalizationInputs.axis(try context.int("axis", default: -1), rank: x.count)
    let normalized = Shape(Array(x[axis...]))
    var shapes: [Int: Shape] = [:]
    for index in [1, 2] where context.has(index) {
      shapes[index] = WeightShapes.aligned(try context.input(index).shape, to: normalized)
    }
    return shapes
  }
}
