import ConvScopeCore

/// What a mapping sees of one ATen node, and where it writes the ONNX nodes it becomes:
/// arguments by schema name with their defaults, the declared shapes of values, and a
/// ``LayerEmission`` named after the node. Constants it makes (shape vectors, scalars) go
/// to ``constants``; ``finish(_:)`` names the results as the program names them.
struct PT2Emitter {
  let node: PT2Program.Node
  let program: PT2Program
  let source: PT2Source
  var emission: LayerEmission
  /// Configuration constants (int64 shape vectors, scalars) and synthetic tensors this node adds.
  var constants: [(name: String, tensor: ConstantTensor, role: InputRole?)] = []
  /// The ONNX tensors for the node's outputs, in the program's output order (nil: not produced).
  var results: [String?] = []

  init(node: PT2Program.Node, program: PT2Program, source: PT2Source) {
    self.node = node
    self.program = program
    self.source = source
    emission = LayerEmission(name: node.name)
  }

  // MARK: Arguments

  /// The argument named `name` (its schema name), if the node gives it; a missing one takes
  /// the schema's default.
  func argument(_ name: String) -> PT2Program.NamedArgument? {
    node.inputs.first(where: { $0.name == name })
  }

  /// An error located at the node (or at one of its arguments).
  func error(_ message: String, argument name: String? = nil) -> ConvScopeError {
    let path = name.flatMap { key in node.inputs.first(where: { $0.name == key })?.path } ?? node.path
    return source.error("\(node.target) '\(node.name)': \(message)", at: path?.text ?? "")
  }

  /// The tensor argument `name`, which must be given.
  func tensor(_ name: String) throws(ConvScopeError) -> String {
    guard let found = try optionalTensor(name) else { throw error("expected the tensor argument '\(name)'") }
    return found
  }

  /// The tensor argument `name`, or nil when it is missing or None.
  func optionalTensor(_ name: String) throws(ConvScopeError) -> String? {
    switch argument(name)?.value {
    case .tensor(let value): return value
    case nil, .noValue: return nil
    default: throw error("expected a tensor", argument: name)
    }
  }

  /// The list of tensors `name` (`cat`'s `tensors`).
  func tensors(_ name: String) throws(ConvScopeError) -> [String] {
    switch argument(name)?.value {
    case .tensors(let values): return values
    case .optionalTensors(let values): return values.map { $0 ?? "" }
    default: throw error("expected a list of tensors", argument: name)
    }
  }

  func int(_ name: String, default fallback: Int? = nil) throws(ConvScopeError) -> Int {
    switch argument(name)?.value {
    case .int(let value), .symInt(.literal(let value)): return value
    case .bool(let flag): return flag ? 1 : 0
    case nil, .noValue:
      guard let fallback else { throw error("expected the integer argument '\(name)'") }
      return fallback
    default: throw error("expected an integer", argument: name)
    }
  }

  /// An int list; a single int stands for itself repeated `count` times (`stride=2`).
  func ints(_ name: String, default fallback: [Int]? = nil, count: Int? = nil) throws(ConvScopeError) -> [Int] {
    var values: [Int]
    switch argument(name)?.value {
    case .ints(let list): values = list
    case .int(let value): values = [value]
    case .symInts(let sizes):
      values = []
      for size in sizes {
        guard case .literal(let value) = size else { throw error("expected literal sizes", argument: name) }
        values.append(value)
      }
    case nil, .noValue:
      guard let fallback else { throw error("expected the integer list '\(name)'") }
      values = fallback
    default: throw error("expected a list of integers", argument: name)
    }
    if let count, values.count == 1, count > 1 { values = Array(repeating: values[0], count: count) }
    if let count, !values.isEmpty, values.count != count {
      throw error("expected \(count) values, found \(values.count)", argument: name)
    }
    return values
  }

  func double(_ name: String, default fallback: Double) throws(ConvScopeError) -> Double {
    switch argument(name)?.value {
    case .double(let value): return value
    case .int(let value): return Double(value)
    case nil, .noValue: return fallback
    default: throw error("expected a number", argument: name)
    }
  }

  func bool(_ name: String, default fallback: Bool) throws(ConvScopeError) -> Bool {
    switch argument(name)?.value {
    case .bool(let value): return value
    case .int(let value): return value != 0
    case nil, .noValue: return fallback
    default: throw error("expected a boolean", argument: name)
    }
  }

  func string(_ name: String) -> String? {
    if case .string(let value) = argument(name)?.value { return value }
    return nil
  }

  // MARK: Shapes

  /// The declared shape of a value (from `tensor_values`).
  func shape(of value: String) throws(ConvScopeError) -> Shape {
    guard let found = program.values[value]?.shape else {
      throw error("the value '\(value)' has no entry in tensor_values")
    }
    return found
  }

  func rank(of value: String) throws(ConvScopeError) -> Int { try shape(of: value).rank }

  /// The declared shape of the node's first output.
  func outputShape() throws(ConvScopeError) -> Shape {
    guard case .tensor(let name) = node.outputs.first else { throw error("expected a tensor output") }
    return try shape(of: name)
  }

  /// `axis` (negative counts from the end) as a non-negative axis of a rank-`rank` tensor.
  func axis(_ axis: Int, rank: Int, argument name: String) throws(ConvScopeError) -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    guard resolved >= 0, resolved < max(rank, 1) else {
      throw error("axis \(axis) is out of range for rank \(rank)", argument: name)
    }
    return resolved
  }

  // MARK: Emission

  /// Appends an ONNX node and returns its output; a `helper` (a layout Transpose) never takes
  /// the node's name.
  @discardableResult
  mutating func emit(
    _ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    emission.node(op, inputs: inputs, attributes, helper: helper)
  }

  /// Appends an ONNX node with `count` outputs.
  mutating func emit(_ op: String, _ inputs: [String], _ attributes: [String: AttributeValue], count: Int) -> [String] {
    emission.nodeOutputs(op, inputs: inputs, attributes, count: count)
  }

  /// A constant input for this node (`name/suffix`), not a parameter.
  mutating func constant(_ suffix: String, _ tensor: ConstantTensor, role: InputRole? = nil) -> String {
    let name = "\(node.name)/\(suffix)"
    constants.append((name, tensor, role))
    return name
  }

  /// An int64 vector constant.
  mutating func ints(constant suffix: String, _ values: [Int]) -> String {
    constant(suffix, .int64s(values))
  }

  /// Keeps the node as one node whose op type is its ATen operator (`aten.foo.default`): no
  /// rule reads it, its outputs take their declared shapes and the report lists it by that name.
  mutating func keepAsATen() {
    let inputs = node.inputs.flatMap { PT2GraphBuilder.tensorNames($0.value) }
    let count = max(1, node.outputs.flatMap(PT2GraphBuilder.tensorNames).count)
    emission = LayerEmission(name: node.name)
    constants = []
    finish(emit(node.target, inputs, [:], count: count))
  }

  /// Names the node's results: `outputs[i]` is the ONNX tensor for the program's i-th output.
  mutating func finish(_ outputs: [String?]) { results = outputs }

  /// The usual case: one result, the node's first output.
  mutating func finish(_ output: String) { results = [output] }

  /// Emits `op` and names its output the node's result.
  mutating func finish(_ op: String, _ inputs: [String], _ attributes: [String: AttributeValue] = [:]) {
    let output = emit(op, inputs, attributes)
    results = [output]
  }
}
