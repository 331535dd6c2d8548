import ConvScopeCore

/// ML Program normalizations (``CoreMLProgramOps`` lists every mapping).
enum CoreMLProgramNormalization {
  /// `batch_norm(x, mean, variance, gamma, beta, epsilon)` → BatchNormalization; mean and
  /// variance are statistics; a missing gamma or beta is a unit scale or zero shift, not counted.
  static func batchNorm(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let channels = try c.fixedDims("mean")
    let x = try c.tensor("x")
    let gamma = c.optionalTensor("gamma", role: .weight) ?? c.filler("unit_scale", channels)
    let beta = c.optionalTensor("beta", role: .bias) ?? c.filler("zero_shift", channels)
    let statistics = [try c.tensor("mean", role: .statistic), try c.tensor("variance", role: .statistic)]
    let epsilon = try c.float("epsilon", default: 1e-5)
    return [c.node("BatchNormalization", [x, gamma, beta] + statistics, ["epsilon": .float(epsilon)])]
  }

  /// `instance_norm(x, gamma, beta, epsilon)` → InstanceNormalization.
  static func instanceNorm(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let x = try c.tensor("x")
    let gamma = try c.tensor("gamma", role: .weight)
    let beta = try c.tensor("beta", role: .bias)
    return [
      c.node("InstanceNormalization", [x, gamma, beta], ["epsilon": .float(try c.float("epsilon", default: 1e-5))])
    ]
  }

  /// `layer_norm(x, axes, gamma, beta, epsilon)` → LayerNormalization from the first normalised
  /// axis (the axes are the trailing ones); a missing gamma or beta is not counted.
  static func layerNorm(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let rank = try c.rank("x")
    let axes = try c.ints("axes", default: [-1]).map { $0 < 0 ? $0 + rank : $0 }
    guard let axis = axes.min(), axis >= 0, axes.allSatisfy({ $0 < rank }), axes.sorted() == Array(axis..<rank) else {
      throw c.error("axes", "only trailing axes are supported, got \(axes)")
    }
    let x = try c.tensor("x")
    let dims = Array(try c.fixedDims("x").dropFirst(axis))
    let gamma = c.optionalTensor("gamma", role: .weight) ?? c.filler("unit_scale", dims)
    let beta = c.optionalTensor("beta", role: .bias) ?? c.filler("zero_shift", dims)
    let attributes: [String: AttributeValue] = [
      "axis": .int(axis), "epsilon": .float(try c.float("epsilon", default: 1e-5)),
    ]
    return [c.node("LayerNormalization", [x, gamma, beta], attributes)]
  }
}

/// ML Program activations with parameters.
enum CoreMLProgramActivations {
  /// `gelu(x, mode)` → Gelu, `approximate = "tanh"` for `TANH_APPROXIMATION`.
  static func gelu(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let approximate = c.string("mode", default: "EXACT") == "TANH_APPROXIMATION" ? "tanh" : "none"
    return [c.node("Gelu", [try c.tensor("x")], ["approximate": .string(approximate)])]
  }

  /// `relu6(x)` → Clip to [0, 6].
  static func relu6(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    [c.node("Clip", [try c.tensor("x"), c.scalar("min", 0), c.scalar("max", 6)])]
  }

  /// `clip(x, alpha, beta)` → Clip to [alpha, beta].
  static func clip(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let low = try c.float("alpha", default: 0)
    let high = try c.float("beta", default: 6)
    return [c.node("Clip", [try c.tensor("x"), c.scalar("min", low), c.scalar("max", high)])]
  }

  /// An activation with an `alpha` attribute (`elu`, `leaky_relu`).
  static func alpha(_ op: String, default value: Double) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      [c.node(op, [try c.tensor("x")], ["alpha": .float(try c.float("alpha", default: value))])]
    }
  }

  /// `sigmoid_hard(x, alpha, beta)` → HardSigmoid.
  static func sigmoidHard(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let attributes: [String: AttributeValue] = [
      "alpha": .float(try c.float("alpha", default: 0.2)), "beta": .float(try c.float("beta", default: 0.5)),
    ]
    return [c.node("HardSigmoid", [try c.tensor("x")], attributes)]
  }

  /// `prelu(x, alpha [C])` → PRelu with the slope reshaped to `[C, 1, ...]` over `x`'s channel axis.
  static func prelu(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let rank = try c.rank("x")
    let x = try c.tensor("x")
    var slope = try c.tensor("alpha", role: .weight)
    if rank >= 3 {
      let shape = [-1] + Array(repeating: 1, count: rank - 2)
      slope = c.node("Reshape", [slope, c.int64s("slope_shape", shape)], helper: true)
    }
    return [c.node("PRelu", [x, slope])]
  }
}
