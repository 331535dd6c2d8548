import ConvScopeCore

/// Dense and normalization layers: the ones whose weights have the size of
/// the input's channels or features.
extension SpecGraphBuilder {
  /// `dense` / `fc` / `linear`: ONNX `Gemm` with weight `[K, units]` (`Y = X·W + B`,
  /// no transposes). An input of rank > 2 is flattened first by a `Flatten` node
  /// named `layer/flatten`, as a Keras `Flatten()` + `Dense` or a torch
  /// `flatten(1)` + `Linear` head would; `K` is then `C*H*W`, which depends on the input's
  /// size: unless `in_features:` gives it, the weight defers it to the Gemm rule.
  mutating func dense(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    let fields = layer.fields
    let units = width(try fields.positiveInt("units", required: true) ?? 0)
    var input = layer.inputs[0]
    let inputShape = shapes[input]
    let features = try fields.positiveInt("in_features")
    if (inputShape?.count ?? 3) > 2 {
      let flatShape = inputShape.map { [$0[0], features.map(Dim.fixed) ?? .unknown] }
      input = try emit(
        layer, name: "\(layer.name)/flatten", "Flatten", inputs: [input], attributes: ["axis": .int(1)],
        shape: flatShape)
    }
    var inputs = [input, try weight(layer, "weight", [features, units], hint: "in_features")]
    if try fields.bool("bias") ?? true { inputs.append(try weight(layer, "bias", [units])) }
    let shape = inputShape.map { [$0[0], Dim.fixed(units)] }
    let output = try emit(layer, name: layer.name, "Gemm", inputs: inputs, shape: shape)
    return try appendActivation(layer, after: output)
  }

  /// `batchnorm`: ONNX `BatchNormalization` with scale, bias, running mean and variance of size C.
  mutating func batchNorm(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    let channels = try givenChannels(layer)
    var inputs = [layer.inputs[0]]
    for suffix in ["scale", "bias", "mean", "var"] {
      inputs.append(try weight(layer, suffix, [channels], hint: "in_channels"))
    }
    let attributes = try floatAttributes(layer, ["epsilon": "epsilon", "momentum": "momentum"])
    let output = try emit(
      layer, name: layer.name, "BatchNormalization", inputs: inputs, attributes: attributes,
      shape: shapes[layer.inputs[0]])
    return try appendActivation(layer, after: output)
  }

  /// `instancenorm`: ONNX `InstanceNormalization` (scale and bias of size C).
  mutating func instanceNorm(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    let channels = try givenChannels(layer)
    let inputs = [
      layer.inputs[0], try weight(layer, "scale", [channels], hint: "in_channels"),
      try weight(layer, "bias", [channels], hint: "in_channels"),
    ]
    return try emit(
      layer, name: layer.name, "InstanceNormalization", inputs: inputs,
      attributes: try floatAttributes(layer, ["epsilon": "epsilon"]), shape: shapes[layer.inputs[0]])
  }

  /// `groupnorm`: ONNX `GroupNormalization` (opset 21: scale and bias of size C), `groups:` required.
  mutating func groupNorm(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    let groups = try layer.fields.positiveInt("groups", required: true) ?? 1
    let channels = try givenChannels(layer)
    if let channels, channels % groups != 0 {
      throw layer.error("groups", "\(groups) groups must divide the \(channels) channels")
    }
    var attributes = try floatAttributes(layer, ["epsilon": "epsilon"])
    attributes["num_groups"] = .int(groups)
    let inputs = [
      layer.inputs[0], try weight(layer, "scale", [channels], hint: "in_channels"),
      try weight(layer, "bias", [channels], hint: "in_channels"),
    ]
    return try emit(
      layer, name: layer.name, "GroupNormalization", inputs: inputs, attributes: attributes,
      shape: shapes[layer.inputs[0]])
  }

  /// `layernorm`: ONNX `LayerNormalization` over the axes from `axis:` (written in
  /// the layout, default -1) to the last ONNX axis; scale and bias have those dims.
  mutating func layerNorm(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    let shape = try knownShape(layer, for: "the layer-norm scale")
    let written = try layer.fields.int("axis") ?? -1
    guard let axis = layout.onnxAxis(written, rank: shape.count) else {
      throw layer.error("axis", "axis \(written) is out of range for a tensor of \(shape.count) dims")
    }
    let normalized = [Int?](repeating: nil, count: shape.count - axis)
    var inputs = [layer.inputs[0], try weight(layer, "scale", normalized)]
    if try layer.fields.bool("bias") ?? true { inputs.append(try weight(layer, "bias", normalized)) }
    var attributes = try floatAttributes(layer, ["epsilon": "epsilon"])
    attributes["axis"] = .int(axis)
    return try emit(layer, name: layer.name, "LayerNormalization", inputs: inputs, attributes: attributes, shape: shape)
  }

  /// `lrn`: ONNX `LRN` (no weights); `size:` required, `alpha`, `beta`, and `k` (ONNX `bias`).
  mutating func localResponseNorm(_ layer: SpecLayer) throws(ConvScopeError) -> String {
    var attributes = try floatAttributes(layer, ["alpha": "alpha", "beta": "beta", "k": "bias"])
    attributes["size"] = .int(try layer.fields.positiveInt("size", required: true) ?? 1)
    return try emit(
      layer, name: layer.name, "LRN", inputs: [layer.inputs[0]], attributes: attributes, shape: shapes[layer.inputs[0]])
  }

  /// The float attributes given among `keys` (spec key → ONNX attribute name).
  func floatAttributes(_ layer: SpecLayer, _ keys: [String: String]) throws(ConvScopeError) -> [String: AttributeValue]
  {
    var attributes: [String: AttributeValue] = [:]
    for (key, attribute) in keys {
      if let value = try layer.fields.double(key) { attributes[attribute] = .float(value) }
    }
    return attributes
  }
}
