import ConvScopeCore

/// Activations and broadcasting elementwise ops.
extension SpecGraphBuilder {
  /// The activations that `activation:` accepts, by friendly name.
  static let activationNames: [String: SpecOp] = SpecOpNames.table.filter { SpecOpNames.isActivation($0.value) }

  /// Appends the node of the layer's `activation:` (if any) after `tensor`,
  /// named `layer/activation`; returns the layer's output tensor.
  mutating func appendActivation(_ layer: SpecLayer, after tensor: String) throws(ConvScopeError) -> String {
    guard let written = try layer.fields.string("activation") else { return tensor }
    let key = written.lowercased()
    if key == "linear" || key == "none" { return tensor }
    guard let op = Self.activationNames[key] else {
      throw layer.error(
        "activation",
        "unknown activation '\(written)'\(NameSuggestion.hint(for: key, among: Self.activationNames.keys.sorted()))")
    }
    return try activation(layer, op, input: tensor, name: "\(layer.name)/\(key)", fields: nil)
  }

  /// An activation on `input`; `fields` supplies its attributes (`alpha`...)
  /// when it is a layer of its own, defaults apply when it is an `activation:`.
  mutating func activation(
    _ layer: SpecLayer, _ op: SpecOp, input: String, name: String, fields: SpecFields?
  ) throws(ConvScopeError) -> String {
    let shape = shapes[input]
    switch op {
    case .unary(let opType, let floats, let strings):
      var attributes: [String: AttributeValue] = [:]
      if let fields {
        for (key, attribute) in floats {
          if let value = try fields.double(key) { attributes[attribute] = .float(value) }
        }
        for (key, attribute) in strings {
          if let value = try fields.string(key) { attributes[attribute] = .string(value) }
        }
      }
      return try emit(layer, name: name, opType, inputs: [input], attributes: attributes, shape: shape)

    case .prelu:
      // One slope per channel, shaped [C, 1, ..] to broadcast over N x C x spatial
      // (torch PReLU(num_parameters=C); Keras PReLU(shared_axes=spatial)); `shared: true` → one slope.
      var dims: [Int?] = [1]
      if try !(fields?.bool("shared") ?? false) {
        let known = try knownShape(layer, for: "a per-channel PReLU slope")
        guard known.count >= 2 else {
          throw layer.error("inputs", "a per-channel PReLU slope needs an N x C x ... input; or set `shared: true`")
        }
        dims = [nil] + Array(repeating: 1, count: known.count - 2)
      }
      let slope = try weight(layer, "slope", dims)
      return try emit(layer, name: name, "PRelu", inputs: [input, slope], shape: shape)

    case .clip(let defaultMin, let defaultMax):
      let low = try fields?.double("min") ?? defaultMin
      let high = try fields?.double("max") ?? defaultMax
      var inputs = [input]
      if let low {
        inputs.append(try constant(layer, "min", ConstantTensor(dataType: dataType, dims: [], values: .floats([low]))))
      }
      if let high {
        if low == nil { inputs.append("") }
        inputs.append(try constant(layer, "max", ConstantTensor(dataType: dataType, dims: [], values: .floats([high]))))
      }
      return try emit(layer, name: name, "Clip", inputs: inputs, shape: shape)

    case .softmax(let opType):
      let written = try fields?.int("axis") ?? -1
      let rank = try knownShape(layer, for: "the softmax axis").count
      guard let axis = layout.onnxAxis(written, rank: rank) else {
        throw layer.error("axis", "axis \(written) is out of range for a tensor of \(rank) dims")
      }
      return try emit(layer, name: name, opType, inputs: [input], attributes: ["axis": .int(axis)], shape: shape)

    case .swish:
      let gate = try emit(layer, name: "\(name)/sigmoid", "Sigmoid", inputs: [input], shape: shape)
      return try emit(layer, name: name, "Mul", inputs: [input, gate], shape: shape)

    default:
      throw layer.error("activation", "'\(layer.op)' is not an activation")
    }
  }

  /// `add`, `sub`, `mul`, `div`, `max`, `min`, `average`: ONNX broadcasting ops
  /// (`Sum`, `Max`, `Min`, `Mean` when given more than two inputs).
  mutating func elementwise(_ layer: SpecLayer, _ opType: String, variadic: String?) throws(ConvScopeError) -> String {
    let count = layer.inputs.count
    guard count >= 2 else {
      throw layer.error("inputs", "'\(layer.op)' needs at least two inputs (`inputs: [a, b]`), got \(count)")
    }
    guard count == 2 || variadic != nil else {
      throw layer.error("inputs", "'\(layer.op)' takes exactly two inputs, got \(count)")
    }
    var shape: [Dim]?
    let known = layer.inputs.compactMap { shapes[$0] }
    if known.count == count {
      do {
        shape = try Shape.broadcast(known.map(Shape.init)).dims
      } catch {
        throw layer.error("inputs", error.message)
      }
    }
    let output = try emit(
      layer, name: layer.name, count == 2 ? opType : (variadic ?? opType), inputs: layer.inputs, shape: shape)
    return try appendActivation(layer, after: output)
  }
}
