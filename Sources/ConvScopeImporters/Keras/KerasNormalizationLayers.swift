import ConvScopeCore

/// Keras normalization and rescaling layers.
enum KerasNormalizationLayers {
  /// `BatchNormalization(axis, center, scale, epsilon)` → BatchNormalization(X, gamma, beta,
  /// moving_mean, moving_variance). The moving statistics are non-trainable, as Keras counts them;
  /// a missing gamma or beta (`scale=False`, `center=False`) becomes a constant that is not counted.
  static func batchNormalization(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    let axes = try c.layer.ints("axis", default: [-1])
    guard axes.count == 1, let axis = axes.first else {
      throw c.layer.error("axis", "batch normalization over several axes is not supported")
    }
    let channels: [Int?] = [nil]
    let graphAxis = try c.graphAxis(axis, rank: rank)
    let gamma =
      try c.layer.bool("scale", default: true)
      ? c.weight("gamma", channels) : c.filler("unit_scale", channels)
    let beta =
      try c.layer.bool("center", default: true)
      ? c.weight("beta", channels) : c.filler("zero_shift", channels)
    let statistics = [
      c.weight("moving_mean", channels, role: .statistic), c.weight("moving_variance", channels, role: .statistic),
    ]
    let attributes: [String: AttributeValue] = ["epsilon": .float(try c.layer.double("epsilon", default: 1e-3))]
    return [
      try onChannelAxis(
        "BatchNormalization", graphAxis: graphAxis, rank: rank, parameters: [gamma, beta] + statistics, attributes, &c)
    ]
  }

  /// `op` on input 0 with `parameters`, where the op normalizes graph axis 1: when the Keras
  /// axis sits elsewhere in the graph, it is swapped to axis 1 and back.
  private static func onChannelAxis(
    _ op: String, graphAxis: Int, rank: Int, parameters: [String], _ attributes: [String: AttributeValue],
    _ c: inout KerasLayerContext
  ) throws(ConvScopeError) -> String {
    let x = try c.input().name
    guard graphAxis != 1 else { return c.node(op, [x] + parameters, attributes) }
    var perm = Array(0..<rank)
    perm.swapAt(1, graphAxis)
    let moved = c.node("Transpose", [x], ["perm": .ints(perm)], helper: true)
    let y = c.node(op, [moved] + parameters, attributes)
    return c.node("Transpose", [y], ["perm": .ints(perm)], helper: true)
  }

  /// `GroupNormalization(groups, axis, center, scale, epsilon)` → GroupNormalization (opset 21:
  /// scale and bias per channel, as Keras' gamma and beta are).
  static func groupNormalization(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    let axis = try c.layer.int("axis", default: -1)
    let channels: [Int?] = [nil]  // the GroupNormalization rule completes them and checks the groups
    let groups = try c.layer.int("groups", default: 32)
    guard groups > 0 else { throw c.layer.error("groups", "groups \(groups) must be positive") }
    let scale =
      try c.layer.bool("scale", default: true) ? c.weight("gamma", channels) : c.filler("unit_scale", channels)
    let bias =
      try c.layer.bool("center", default: true) ? c.weight("beta", channels) : c.filler("zero_shift", channels)
    let attributes: [String: AttributeValue] = [
      "num_groups": .int(groups), "epsilon": .float(try c.layer.double("epsilon", default: 1e-3)),
    ]
    let graphAxis = try c.graphAxis(axis, rank: rank)
    return [
      try onChannelAxis(
        "GroupNormalization", graphAxis: graphAxis, rank: rank, parameters: [scale, bias], attributes, &c)
    ]
  }

  /// `LayerNormalization(axis, center, scale, epsilon)` → LayerNormalization over the
  /// trailing Keras axes (in Keras' order).
  static func layerNormalization(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    let axes = try c.layer.ints("axis", default: [-1]).map { $0 < 0 ? $0 + rank : $0 }.sorted()
    guard let first = axes.first, first >= 1, first < rank, axes == Array(first..<rank) else {
      throw c.layer.error("axis", "only normalization over trailing axes is supported, got \(axes)")
    }
    let dims = [Int?](repeating: nil, count: axes.count)
    let scale =
      try c.layer.bool("scale", default: true)
      ? c.weight("gamma", dims) : c.filler("unit_scale", dims)
    var inputs = [c.toKerasOrder(try c.input().name, rank: rank), scale]
    if try c.layer.bool("center", default: true) { inputs.append(c.weight("beta", dims)) }
    let attributes: [String: AttributeValue] = [
      "axis": .int(first), "epsilon": .float(try c.layer.double("epsilon", default: 1e-3)),
    ]
    let y = c.node("LayerNormalization", inputs, attributes)
    return [c.fromKerasOrder(y, rank: rank)]
  }

  /// `Rescaling(scale, offset)` → Mul + Add: Keras computes `x * scale + offset` even when the
  /// offset is 0 (`keras/src/layers/preprocessing/rescaling.py: Rescaling.call`).
  static func rescaling(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    let scale = try perChannel("scale", default: 1, rank: rank, &c)
    let offset = try perChannel("offset", default: 0, rank: rank, &c)
    return [c.node("Add", [c.node("Mul", [try c.input().name, scale]), offset])]
  }

  /// `Normalization(axis, mean, variance)` → `(x - mean) / max(sqrt(variance), 1e-7)`: Sub,
  /// Sqrt, Max, Div, as Keras computes it (`keras/src/layers/preprocessing/normalization.py:
  /// Normalization.call`, `backend.epsilon()` = 1e-7). Adapted statistics are non-trainable
  /// weights, with the scalar `count` Keras keeps beside them (held by the Div, which does not
  /// read it: ``Graph/heldTensors``); statistics given in the config are uncounted constants.
  static func normalization(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    let axes = try c.layer.ints("axis", default: [-1])
    guard axes.count == 1, let axis = axes.first else {
      throw c.layer.error("axis", "normalization over several axes is not supported")
    }
    guard axis >= -rank, axis < rank, axis != 0, axis != -rank else {
      throw c.layer.error("axis", "axis \(axis) is out of range for a rank-\(rank) input")
    }
    var dims: [Int?] = Array(repeating: 1, count: rank)
    let kerasAxis = axis < 0 ? axis + rank : axis
    // Sqrt cannot size a deferred variance: the channel count is taken from the input when known.
    dims[kerasAxis] = c.inputs.first?.shape?[kerasAxis].value
    let graphDims = Array(c.axes.toGraph(dims).dropFirst())
    let given = c.layer.has("mean") && c.layer.has("variance")
    let mean = given ? c.filler("mean", graphDims) : c.weight("mean", graphDims, role: .statistic)
    let variance = given ? c.filler("variance", graphDims) : c.weight("variance", graphDims, role: .statistic)
    let deviation = c.node(
      "Max", [c.node("Sqrt", [variance], helper: true), c.floats("epsilon", [1e-7])], helper: true)
    let y = c.node("Div", [c.node("Sub", [try c.input().name, mean], helper: true), deviation])
    // Keras' scalar `count` (read only by `adapt`) is held by the Div, whose row counts it.
    if !given { c.state.assembler.hold(c.weight("count", [], role: .statistic), by: y) }
    return [y]
  }

  /// A scalar or per-channel (last Keras axis) constant, shaped to broadcast in graph order.
  private static func perChannel(_ key: String, default fallback: Double, rank: Int, _ c: inout KerasLayerContext)
    throws(ConvScopeError) -> String
  {
    let values: [Double]
    if let list = c.layer.config[key]?.array {
      values = list.compactMap(\.double)
      guard values.count == list.count, !values.isEmpty else {
        throw c.layer.error(key, "expected a number or a list of numbers")
      }
    } else {
      values = [try c.layer.double(key, default: fallback)]
    }
    guard values.count > 1 else { return c.floats(key, values) }
    var dims = Array(repeating: 1, count: rank)
    dims[rank - 1] = values.count
    return c.floats(key, values, dims: Array(c.axes.toGraph(dims).dropFirst()))
  }

  /// keras.applications' ConvNeXt `LayerScale(init_values, projection_dim)`
  /// (`keras/src/applications/convnext.py`): `x * gamma`, a trainable `[projection_dim]` over
  /// the last Keras axis.
  static func layerScale(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    var dims = Array(repeating: 1, count: rank)
    dims[rank - 1] = try c.layer.count("projection_dim")
    let gamma = c.weight("gamma", Array(c.axes.toGraph(dims).dropFirst()))
    return [c.node("Mul", [try c.input().name, gamma])]
  }

  /// keras.applications' InceptionResNetV2 `CustomScaleLayer(scale)`
  /// (`keras/src/applications/inception_resnet_v2.py`): `inputs[0] + inputs[1] * scale`.
  static func customScale(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let scaled = c.node("Mul", [try c.input(1).name, c.floats("scale", [try c.layer.double("scale", default: 1)])])
    return [c.node("Add", [try c.input(0).name, scaled])]
  }
}
