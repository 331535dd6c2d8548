import ConvScopeCore

/// What one ML Program operation's mapping sees: its named arguments (bindings to earlier
/// values or inline values), its declared outputs, and the means to emit nodes. A constant
/// argument read as a tensor becomes an initializer the first time it is used (dims and type
/// from its declared type); read as a parameter (`strides`, `pad_type`) it is only read.
struct CoreMLOperationContext {
  /// The operation's type (`conv`).
  let type: String
  /// Its name (the `name` attribute, else its first output's name).
  let name: String
  /// The values bound to each argument, in order.
  let arguments: [String: [MILValue]]
  /// The declared outputs' names and types.
  let outputs: [MILValue]
  let state: CoreMLGraphState
  var emission: LayerEmission
  /// Where the operation starts in the file.
  let offset: Int

  /// An error about argument `field`.
  func error(_ field: String, _ message: String) -> ProtobufError {
    ProtobufError(offset: offset, field: "\(type).\(field)", layer: name, message)
  }

  /// The value bound to `argument`, or nil when the argument is not given.
  func value(_ argument: String) -> MILValue? { arguments[argument]?.first }

  /// The value bound to a required `argument`.
  func required(_ argument: String) throws(ProtobufError) -> MILValue {
    guard let value = value(argument) else { throw error(argument, "the operation needs the argument '\(argument)'") }
    return value
  }

  /// The graph tensor of a required argument (a constant becomes an initializer).
  mutating func tensor(_ argument: String, role: InputRole? = nil) throws(ProtobufError) -> String {
    use(try required(argument), role: role)
  }

  /// The graph tensor of an optional argument.
  mutating func optionalTensor(_ argument: String, role: InputRole? = nil) -> String? {
    value(argument).map { use($0, role: role) }
  }

  /// The graph tensors of a variadic argument (concat's `values`).
  mutating func tensors(_ argument: String) throws(ProtobufError) -> [String] {
    guard let values = arguments[argument], !values.isEmpty else {
      throw error(argument, "the operation needs the argument '\(argument)'")
    }
    return values.map { use($0, role: nil) }
  }

  private func use(_ value: MILValue, role: InputRole?) -> String {
    guard value.isConstant else { return value.tensor }
    return state.assembler.constant(value.tensor, value.constantTensor, role: role)
  }

  /// The rank of a required argument, from its declared type.
  func rank(_ argument: String) throws(ProtobufError) -> Int {
    guard let dims = try required(argument).dims else { throw error(argument, "the argument is not a tensor") }
    return dims.count
  }

  /// The declared dims of a required argument, all of which must be known (a weight's).
  func fixedDims(_ argument: String) throws(ProtobufError) -> [Int] {
    let dims = try required(argument).dims ?? []
    let sizes = dims.compactMap(\.value)
    guard sizes.count == dims.count, !sizes.isEmpty else {
      throw error(argument, "the argument's type does not give every dim: \(dims)")
    }
    return sizes
  }

  /// The integer values of a constant argument, or `defaultValue` when it is absent.
  func ints(_ argument: String, default defaultValue: [Int]? = nil) throws(ProtobufError) -> [Int] {
    guard let value = value(argument) else {
      if let defaultValue { return defaultValue }
      throw error(argument, "the operation needs the argument '\(argument)'")
    }
    guard let ints = value.ints else {
      throw error(argument, "expected constant integers, the value is not stored inline")
    }
    return ints
  }

  /// A constant integer (or bool) argument.
  func int(_ argument: String, default defaultValue: Int) throws(ProtobufError) -> Int {
    try ints(argument, default: [defaultValue]).first ?? defaultValue
  }

  /// A constant float argument.
  func float(_ argument: String, default defaultValue: Double) throws(ProtobufError) -> Double {
    guard let value = value(argument) else { return defaultValue }
    guard let first = value.floats?.first else { throw error(argument, "expected a constant number") }
    return first
  }

  /// A constant string argument (`pad_type`, `mode`).
  func string(_ argument: String, default defaultValue: String) -> String {
    value(argument)?.strings.first ?? defaultValue
  }

  /// Appends a node and returns its output; a `helper` node does not take the operation's name.
  @discardableResult
  mutating func node(
    _ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    emission.node(op, inputs: inputs, attributes, helper: helper)
  }

  /// An int64 vector constant (shape, pads, axes).
  func int64s(_ suffix: String, _ values: [Int]) -> String {
    state.assembler.constant("\(emission.name).\(suffix)", .int64s(values))
  }

  /// A float constant that is configuration, not a parameter (Resize scales).
  func floats(_ suffix: String, _ values: [Double]) -> String {
    state.assembler.configuration("\(emission.name).\(suffix)", floats: values, dims: [values.count])
  }
}

extension CoreMLOperationContext {
  /// A float scalar that is configuration (a Clip bound).
  func scalar(_ suffix: String, _ value: Double) -> String {
    state.assembler.configuration("\(emission.name).\(suffix)", floats: [value], dims: [])
  }

  /// A float constant ONNX needs but the operation does not give (a unit scale): dims only, not counted.
  func filler(_ suffix: String, _ dims: [Int]) -> String {
    state.assembler.filler("\(emission.name).\(suffix)", dims)
  }
}
