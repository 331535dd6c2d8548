import ConvScopeCore

/// Layers that move data without weights: concat, flatten, reshape, transpose,
/// pad, resize, dropout, identity.
extension SpecGraphBuilder {
  /// `concat`: ONNX `Concat` along `axis:` (written in the layout; default: the channel axis).
  mutating func concat(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    guard !layer.inputs.isEmpty else { throw layer.error("inputs", "concat needs inputs") }
    let known = layer.inputs.compactMap { shapes[$0] }
    let rank = known.first?.count
    var axis = 1
    if let written = try layer.fields.int("axis") {
      let rank = try knownShape(layer, for: "the concat axis").count
      guard let onnx = layout.onnxAxis(written, rank: rank) else {
        throw layer.error("axis", "axis \(written) is out of range for a tensor of \(rank) dims")
      }
      axis = onnx
    }
    var shape: [Dim]?
    if known.count == layer.inputs.count, let first = known.first, let rank, axis < rank {
      var total = 0
      for (index, other) in known.enumerated() {
        let agrees = other.count == rank && (0..<rank).allSatisfy { $0 == axis || other[$0] == first[$0] }
        guard agrees else {
          throw layer.error(
            "inputs",
            "'\(layer.inputNames[index])' has shape \(layout.written(other)), which does not match '\(layer.inputNames[0])' \(layout.written(first)) outside the concat axis"
          )
        }
        guard let size = other[axis].value else {
          total = -1
          break
        }
        total = try located(layer, "inputs") { () throws(OpError) in try Checked.add(total, size) }
      }
      shape = first
      shape?[axis] = total < 0 ? .unknown : .fixed(total)
    }
    return try emit(
      layer, name: layer.name, "Concat", inputs: layer.inputs, attributes: ["axis": .int(axis)], shape: shape)
  }

  /// `flatten`: ONNX `Flatten` with axis 1, `[N, C*H*W]`.
  mutating func flatten(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    let shape = shapes[layer.inputs[0]].map { input -> [Dim] in
      let rest = Shape(Array(input.dropFirst())).sizes.flatMap { try? Checked.product($0) }
      return [input.first ?? 1, rest.map(Dim.fixed) ?? .unknown]
    }
    return try emit(
      layer, name: layer.name, "Flatten", inputs: [layer.inputs[0]], attributes: ["axis": .int(1)], shape: shape)
  }

  /// `reshape`: ONNX `Reshape` to `shape:` written in the layout (batch left out
  /// in `CHW`/`HWC`, where it is kept as ONNX's 0 = "copy"); one dim may be -1.
  mutating func reshape(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    guard let written = try layer.fields.ints("shape") else { throw layer.missing("shape") }
    guard written.allSatisfy({ $0 > 0 || $0 == -1 }), written.filter({ $0 == -1 }).count <= 1 else {
      throw layer.error("shape", "dims must be positive, with at most one -1 (inferred); got \(written)")
    }
    let target = layout.onnxShape(written.map(Dim.fixed), batch: 0).compactMap(\.value)
    let targetTensor = try constant(layer, "shape", .int64s(target))
    // The rank is the target's; whether the element counts agree is the analysis' to say.
    let input = shapes[layer.inputs[0]]
    let shape = target.enumerated().map { index, size -> Dim in
      switch size {
      case 0: return input.flatMap { index < $0.count ? $0[index] : nil } ?? .unknown
      case -1: return .unknown
      default: return .fixed(size)
      }
    }
    return try emit(layer, name: layer.name, "Reshape", inputs: [layer.inputs[0], targetTensor], shape: shape)
  }

  /// `transpose`: ONNX `Transpose`; `perm:` is written in the layout's axis order.
  mutating func transpose(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    guard let perm = try layer.fields.ints("perm") else { throw layer.missing("perm") }
    let input = try knownShape(layer, for: "the transpose permutation")
    guard let onnx = layout.onnxPermutation(perm, rank: input.count) else {
      throw layer.error(
        "perm", "\(perm) is not a permutation of the \(layout.onnxAxes(rank: input.count).count) written axes")
    }
    return try emit(
      layer, name: layer.name, "Transpose", inputs: [layer.inputs[0]], attributes: ["perm": .ints(onnx)],
      shape: onnx.map { input[$0] })
  }

  /// `pad`: ONNX `Pad` of the spatial axes (`padding:` as on a conv, numbers only), `mode:` constant, reflect or edge.
  mutating func pad(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    let input = try knownShape(layer, for: "the pads")
    let rank = input.count - 2
    guard rank >= 1 else { throw layer.error("inputs", "pad works on spatial axes; the input has none") }
    let padding = try padding(layer, rank: rank)
    guard let spatial = padding.pads else { throw layer.error("padding", "expected numbers (an int or a list)") }
    let pads = [0, 0] + Array(spatial[..<rank]) + [0, 0] + Array(spatial[rank...])
    var attributes: [String: AttributeValue] = [:]
    if let mode = try layer.fields.string("mode") {
      guard ["constant", "reflect", "edge", "wrap"].contains(mode) else {
        throw layer.error("mode", "unknown mode '\(mode)'; expected constant, reflect, edge or wrap")
      }
      attributes["mode"] = .string(mode)
    }
    let padsTensor = try constant(layer, "pads", .int64s(pads))
    let shape = Array(input.prefix(2)) + Array(repeating: Dim.unknown, count: rank)
    return try emit(
      layer, name: layer.name, "Pad", inputs: [layer.inputs[0], padsTensor], attributes: attributes, shape: shape)
  }

  /// `upsample` / `resize`: ONNX `Resize` by `scale:` (one number, or one per spatial
  /// axis) or to `size:` (spatial sizes); `mode:` nearest (default), linear or cubic.
  mutating func resize(_ layer: SpecLayer, mode defaultMode: String) throws(ConvScopeError) -> String {
    let input = try knownShape(layer, for: "the resize scales")
    let rank = input.count - 2
    guard rank >= 1 else { throw layer.error("inputs", "resize works on spatial axes; the input has none") }
    let mode = try layer.fields.string("mode") ?? defaultMode
    guard ["nearest", "linear", "cubic"].contains(mode) else {
      throw layer.error("mode", "unknown mode '\(mode)'; expected nearest, linear or cubic")
    }
    var inputs = [layer.inputs[0], ""]
    var shape = Array(input.prefix(2))
    if let sizes = try layer.fields.perAxis("size", rank: rank) {
      guard let batch = input[0].value, let channels = input[1].value else {
        throw layer.error("size", "needs the input's batch and channels to be known; use `scale:`")
      }
      inputs += ["", try constant(layer, "sizes", .int64s([batch, channels] + sizes))]
      shape += sizes.map(Dim.fixed)
    } else {
      guard var scales = try layer.fields.doubles("scale") else {
        throw layer.error("scale", "give `scale:` or `size:`")
      }
      if scales.count == 1 { scales = Array(repeating: scales[0], count: rank) }
      guard scales.count == rank, scales.allSatisfy({ $0 > 0 }) else {
        throw layer.error("scale", "expected one positive number or \(rank), got \(scales)")
      }
      inputs.append(
        try constant(
          layer, "scales", ConstantTensor(dataType: .float32, dims: [rank + 2], values: .floats([1, 1] + scales))))
      shape += Array(repeating: Dim.unknown, count: rank)
    }
    return try emit(
      layer, name: layer.name, "Resize", inputs: inputs, attributes: ["mode": .string(mode)], shape: shape)
  }

  /// `dropout`: ONNX `Dropout` (inference: identity); `rate:` becomes its ratio input.
  mutating func dropout(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    var inputs = [layer.inputs[0]]
    if let rate = try layer.fields.double("rate") {
      guard (0..<1).contains(rate) else { throw layer.error("rate", "must be in [0, 1), got \(rate)") }
      inputs.append(try constant(layer, "ratio", ConstantTensor(dataType: .float32, dims: [], values: .floats([rate]))))
    }
    return try emit(layer, name: layer.name, "Dropout", inputs: inputs, shape: shapes[layer.inputs[0]])
  }
}
