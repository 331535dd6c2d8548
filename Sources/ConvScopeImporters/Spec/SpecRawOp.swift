import ConvScopeCore

/// Layers written as a verbatim ONNX op (`op: Conv`, `op: MatMul`), or an op of
/// another domain (`domain: com.microsoft`).
///
/// ```yaml
/// - name: proj
///   op: MatMul
///   weights: [[512, 256]]                 # extra inputs after `inputs:`, as initializers
///   attributes: {}                        # raw ONNX attributes
///   output_shape: [1, 256]                # optional, in the layout
/// ```
extension SpecGraphBuilder {
  mutating func rawOnnx(_ layer: SpecLayer, opType: String, domain: String) throws(ConvScopeError) -> String {
    let fields = layer.fields
    var attributes: [String: AttributeValue] = [:]
    if let node = fields.value("attributes") {
      guard let pairs = node.pairs else {
        throw layer.error("attributes", "expected a mapping of ONNX attribute names to values")
      }
      for (key, value) in pairs {
        let name = key.text ?? ""
        attributes[name] = try Self.attributeValue(value, location: fields.location, field: "attributes.\(name)")
      }
    }
    var inputs = layer.inputs
    if let node = fields.value("weights") {
      guard let items = node.items else {
        throw layer.error("weights", "expected a list of shapes, e.g. [[16, 3, 3, 3], [16]]")
      }
      for item in items {
        let tensor = try rawTensor(item, location: fields.location)
        inputs.append(try constant(layer, "input\(inputs.count)", tensor))
      }
    }
    var shape: [Dim]?
    if let written = try fields.ints("output_shape") {
      guard written.allSatisfy({ $0 > 0 }) else {
        throw layer.error("output_shape", "dims must be positive, got \(written)")
      }
      shape = layout.onnxShape(written.map(Dim.fixed))
      valueInfo[layer.name] = TensorInfo(name: layer.name, dataType: dataType, shape: Shape(shape ?? []))
    } else if domain.isEmpty && SpecOpNames.shapePreservingOnnxOps.contains(opType) {
      shape = layer.inputs.first.flatMap { shapes[$0] }
    }
    return try emit(
      layer, name: layer.name, opType, inputs: inputs, attributes: attributes, shape: shape, domain: domain)
  }

  /// A `weights:` entry: a shape (`[16, 3, 3, 3]`, float of the model's type) or
  /// `{shape: [4], dtype: int64, values: [1, 1, 2, 2]}`.
  private func rawTensor(_ item: SpecNode, location: SpecLocation) throws(ConvScopeError) -> ConstantTensor {
    if item.items != nil {
      let dims = try SpecFields.ints(item, location: location, field: "weights")
      guard dims.allSatisfy({ $0 >= 0 }) else {
        throw location.error(item, field: "weights", "dims must not be negative, got \(dims)")
      }
      return ConstantTensor(dataType: dataType, dims: dims)
    }
    let fields = try SpecFields(item, location: location, what: "weight (a shape or {shape, dtype, values})")
    guard let dims = try fields.ints("shape") else { throw fields.missing("shape") }
    guard dims.allSatisfy({ $0 >= 0 }) else { throw fields.error("shape", "dims must not be negative, got \(dims)") }
    var type = dataType
    if let name = try fields.string("dtype") {
      guard let parsed = DataType(userName: name) else { throw fields.error("dtype", "unknown element type '\(name)'") }
      type = parsed
    }
    var tensor = ConstantTensor(dataType: type, dims: dims)
    if let values = try fields.doubles("values") {
      guard values.count == tensor.elementCount else {
        throw fields.error("values", "has \(values.count) values for shape \(dims) (\(tensor.elementCount) elements)")
      }
      if type.isInteger, let bad = values.first(where: { !(abs($0) < 9.0e18) }) {
        throw fields.error("values", "\(bad) does not fit a 64-bit integer")
      }
      tensor.values = type.isInteger ? .ints(values.map { Int($0) }) : .floats(values)
    }
    try fields.finish(allowed: ["shape", "dtype", "values"])
    return tensor
  }

  /// A raw ONNX attribute from YAML: an int, a float, a string, or a list of one of those.
  static func attributeValue(_ node: SpecNode, location: SpecLocation, field: String) throws(ConvScopeError)
    -> AttributeValue
  {
    if let text = node.text {
      if let int = node.int { return .int(int) }
      if node.isPlain, let flag = node.bool { return .int(flag ? 1 : 0) }
      if let number = node.double { return .float(number) }
      return .string(text)
    }
    guard let items = node.items.map(Array.init) else {
      throw location.error(node, field: field, "expected a number, a string or a list of them")
    }
    let ints = items.compactMap(\.int)
    if ints.count == items.count { return .ints(ints) }
    let floats = items.compactMap(\.double)
    if floats.count == items.count { return .floats(floats) }
    let strings = items.compactMap(\.text)
    if strings.count == items.count { return .strings(strings) }
    throw location.error(node, field: field, "expected a list of numbers or of strings")
  }
}
