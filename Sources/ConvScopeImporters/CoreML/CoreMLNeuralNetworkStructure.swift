import ConvScopeCore

/// NeuralNetwork layers without weights: element-wise, shape and layout layers
/// (``CoreMLNeuralNetworkLayers`` lists them all).
enum CoreMLNeuralNetworkStructure {
  /// `add` / `multiply` (and their broadcastable forms) → Add / Mul, Sum for more than two
  /// inputs; one input with `alpha` (#1) adds or multiplies that scalar.
  static func elementwise(_ op: String) -> CoreMLLayerMapping {
    { (c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] in
      switch c.inputs.count {
      case 0: throw c.error("input", "the layer has no input")
      case 1:
        let alpha = try c.params.float(1, "alpha")
        return [c.node(op, [try c.input(), c.floats("alpha", [alpha], dims: [])])]
      case 2: return [c.node(op, c.inputs)]
      default:
        if op == "Add" { return [c.node("Sum", c.inputs)] }
        var y = c.inputs[0]
        for next in c.inputs.dropFirst() { y = c.node(op, [y, next]) }
        return [y]
      }
    }
  }

  /// A layer that is one ONNX op of its input.
  static func unary(_ op: String) -> CoreMLLayerMapping {
    { (c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] in [c.node(op, [try c.input()])] }
  }

  /// `softmax` (over the channel axis, `-3`) or `softmaxND` (over `axis`) → Softmax.
  static func softmax(axisField: Int?) -> CoreMLLayerMapping {
    { (c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] in
      let rank = try c.rank()
      let axis = try axisField.map { (field: Int) throws(ProtobufError) in try c.params.int(field, "axis") } ?? -3
      return [c.node("Softmax", [try c.input()], ["axis": .int(rank >= 3 ? axis : -1)])]
    }
  }

  /// `concat` (over the channel axis, `-3`) or `concatND` (over `axis`) → Concat.
  static func concat(axisField: Int?) -> CoreMLLayerMapping {
    { (c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] in
      guard !c.inputs.isEmpty else { throw c.error("input", "the layer has no input") }
      let axis = try axisField.map { (field: Int) throws(ProtobufError) in try c.params.int(field, "axis") } ?? -3
      return [c.node("Concat", c.inputs, ["axis": .int(axis)])]
    }
  }

  /// `permute` / `transpose` → Transpose by the axes field.
  static func transpose(axesField: Int) -> CoreMLLayerMapping {
    { (c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] in
      let axes = try c.params.ints(axesField, "axes")
      return [c.node("Transpose", [try c.input()], axes.isEmpty ? [:] : ["perm": .ints(axes)])]
    }
  }

  /// `reshape` (the legacy layer: the target's last three dims, the leading batch dims kept)
  /// or `reshapeStatic` (the whole target shape) → Reshape.
  static func reshape(isStatic: Bool) -> CoreMLLayerMapping {
    { (c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] in
      var target = try c.params.ints(1, "targetShape")
      guard !target.isEmpty else { throw c.error("targetShape", "the target shape is empty") }
      if !isStatic {
        let rank = try c.rank()
        target = Array(repeating: 0, count: max(0, rank - 3)) + target.suffix(3)
      }
      c.outputRank = target.count
      return [c.node("Reshape", [try c.input(), c.ints("shape", target)])]
    }
  }

  /// `flatten` → Reshape to `[..., C*H*W, 1, 1]` (the rank kept, as Core ML's flatten does).
  static func flatten(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let rank = try c.rank()
    guard rank >= 3 else { return [c.node("Reshape", [try c.input(), c.ints("shape", [-1])])] }
    let shape = Array(repeating: 0, count: rank - 3) + [-1, 1, 1]
    return [c.node("Reshape", [try c.input(), c.ints("shape", shape)])]
  }

  /// `flattenTo2D(axis)` → Flatten.
  static func flattenTo2D(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    c.outputRank = 2
    return [c.node("Flatten", [try c.input()], ["axis": .int(try c.params.int(1, "axis"))])]
  }

  /// `reduceMean(axes, keepDims, reduceAll)` → ReduceMean with the axes as input 1.
  static func reduceMean(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let rank = try c.rank()
    let keep = try c.params.bool(2, "keepDims")
    let axes = try c.params.bool(3, "reduceAll") ? Array(0..<rank) : try c.params.ints(1, "axes")
    if !keep { c.outputRank = max(0, rank - Set(axes.map { $0 < 0 ? $0 + rank : $0 }).count) }
    return [c.node("ReduceMean", [try c.input(), c.ints("axes", axes)], ["keepdims": .int(keep ? 1 : 0)])]
  }

  /// `padding` → Pad of the last two axes by `paddingAmounts` (constant, reflect or edge).
  static func padding(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    let rank = try c.rank()
    var begins = Array(repeating: 0, count: rank)
    var ends = begins
    let edges =
      try p.message(10, "paddingAmounts", type: "BorderAmounts")?.messages(
        10, "borderAmounts", type: "EdgeSizes") ?? []
    guard edges.count <= rank else {
      throw c.error("paddingAmounts", "pads \(edges.count) axes of a rank-\(rank) blob")
    }
    for (index, edge) in edges.enumerated() {
      let axis = rank - edges.count + index
      begins[axis] = try edge.int(1, "startEdgeSize")
      ends[axis] = try edge.int(2, "endEdgeSize")
    }
    let mode = p.has(2) ? "reflect" : p.has(3) ? "edge" : "constant"
    return [c.node("Pad", [try c.input(), c.ints("pads", begins + ends)], ["mode": .string(mode)])]
  }

  /// `upsample` → Resize of the last two axes by `scalingFactor` (or the fractional one),
  /// nearest or linear.
  static func upsample(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    let rank = try c.rank()
    var factors = try p.ints(1, "scalingFactor").map(Double.init)
    if factors.isEmpty { factors = try p.floats(7, "fractionalScalingFactor") }
    if factors.isEmpty { factors = [1, 1] }
    guard factors.count <= rank else { throw c.error("scalingFactor", "scales \(factors.count) axes of rank \(rank)") }
    let scales = Array(repeating: 1.0, count: rank - factors.count) + factors
    let mode = try p.int(5, "mode") == 1 ? "linear" : "nearest"
    let inputs = [try c.input(), "", c.floats("scales", scales, dims: [rank])]
    return [c.node("Resize", inputs, ["mode": .string(mode)])]
  }

  /// `scale(shapeScale, scale, hasBias, shapeBias, bias)` → Mul by the stored scale (+ Add of the
  /// stored bias), each of its declared shape; a per-channel `[C]` broadcasts as `[C, 1, 1]`.
  static func scale(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    var y = c.node("Mul", [try c.input(), c.weight("scale", try broadcastShape(p, 1, "shapeScale", c))])
    if try p.bool(3, "hasBias") { y = c.node("Add", [y, c.weight("bias", try broadcastShape(p, 4, "shapeBias", c))]) }
    return [y]
  }

  /// `bias(shape, bias)` → Add of the stored bias of its declared shape.
  static func bias(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    [c.node("Add", [try c.input(), c.weight("bias", try broadcastShape(c.params, 1, "shape", c))])]
  }

  /// A stored operand's declared shape, `[C]` written `[C, 1, 1]` so that it broadcasts over the channels.
  private static func broadcastShape(_ p: ProtobufMessage, _ number: Int, _ field: String, _ c: CoreMLLayerContext)
    throws(ProtobufError) -> [Int?]
  {
    let shape = try p.ints(number, field)
    guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
      throw c.error(field, "expected positive sizes, got \(shape)")
    }
    let rank = try c.rank()
    return shape.count == 1 && shape[0] > 1 && rank >= 3 ? [shape[0], 1, 1] : shape
  }
}
