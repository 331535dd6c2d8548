/// What an op rule sees of one node: the node itself, the element type and
/// shape of each input, and the values of inputs that are known constants.
public struct NodeContext: Sendable {
  /// The node being analysed.
  public let node: Node
  /// Input tensors, index-aligned with `node.inputs`; `nil` for an omitted optional input.
  public let inputs: [TensorInfo?]
  /// Known values of constant inputs (initializers, folded shape tensors), index-aligned.
  public let constants: [ConstantTensor?]
  /// The default-domain opset in force (ONNX semantics changed at some versions).
  public let opset: Int
  /// Whether each input is a constant (an initializer or folded), even when its values are not
  /// loaded; index-aligned. Defaults to "its value is known".
  public let constantInputs: [Bool]

  public init(
    node: Node, inputs: [TensorInfo?], constants: [ConstantTensor?], opset: Int = 21,
    constantInputs: [Bool]? = nil
  ) {
    self.node = node
    self.inputs = inputs
    self.constants = constants
    self.opset = opset
    self.constantInputs = constantInputs ?? constants.map { $0 != nil }
  }

  /// Whether input `index` is a constant (a stored weight or a folded value), loaded or not.
  public func isConstant(_ index: Int) -> Bool { index < constantInputs.count && constantInputs[index] }

  /// The number of inputs given (trailing omitted inputs included).
  public var inputCount: Int { inputs.count }

  /// Whether optional input `index` was given.
  public func has(_ index: Int) -> Bool { index < inputs.count && inputs[index] != nil }

  /// Input `index`, which the op requires.
  public func input(_ index: Int) throws(OpError) -> TensorInfo {
    guard index < inputs.count, let info = inputs[index] else {
      throw OpError(field: "inputs[\(index)]", "\(node.opType) needs input \(index), which is missing")
    }
    return info
  }

  /// The sizes of input `index`, which must all be known.
  public func sizes(_ index: Int) throws(OpError) -> [Int] {
    let info = try input(index)
    guard let sizes = info.shape.sizes else {
      throw OpError(
        field: "inputs[\(index)]",
        "shape \(info.shape) of '\(info.name)' has unknown dims", isUnknownShape: true)
    }
    return sizes
  }

  /// The value of constant input `index` as integers, or `nil` when it is not a known constant.
  public func constantInts(_ index: Int) -> [Int]? {
    guard index < constants.count else { return nil }
    return constants[index]?.ints
  }

  /// The value of constant input `index` as reals, or `nil` when it is not a known constant.
  public func constantFloats(_ index: Int) -> [Double]? {
    guard index < constants.count else { return nil }
    return constants[index]?.floats
  }

  // MARK: Attributes

  /// Integer attribute `name`, or `fallback` when absent.
  public func int(_ name: String, default fallback: Int) throws(OpError) -> Int {
    switch node.attributes[name] {
    case nil: return fallback
    case .int(let v): return v
    case let other?: throw typeError(name, "int", other)
    }
  }

  /// Real attribute `name`, or `fallback` when absent (an integer is accepted).
  public func float(_ name: String, default fallback: Double) throws(OpError) -> Double {
    switch node.attributes[name] {
    case nil: return fallback
    case .float(let v): return v
    case .int(let v): return Double(v)
    case let other?: throw typeError(name, "float", other)
    }
  }

  /// String attribute `name`, or `fallback` when absent.
  public func string(_ name: String, default fallback: String) throws(OpError) -> String {
    switch node.attributes[name] {
    case nil: return fallback
    case .string(let v): return v
    case let other?: throw typeError(name, "string", other)
    }
  }

  /// Integer-list attribute `name`, or `nil` when absent (a single int is accepted as a list of one).
  public func ints(_ name: String) throws(OpError) -> [Int]? {
    switch node.attributes[name] {
    case nil: return nil
    case .ints(let v): return v
    case .int(let v): return [v]
    case let other?: throw typeError(name, "ints", other)
    }
  }

  /// Real-list attribute `name`, or `nil` when absent.
  public func floats(_ name: String) throws(OpError) -> [Double]? {
    switch node.attributes[name] {
    case nil: return nil
    case .floats(let v): return v
    case .ints(let v): return v.map(Double.init)
    case let other?: throw typeError(name, "floats", other)
    }
  }

  /// Tensor attribute `name`, or `nil` when absent.
  public func tensor(_ name: String) throws(OpError) -> ConstantTensor? {
    switch node.attributes[name] {
    case nil: return nil
    case .tensor(let t): return t
    case let other?: throw typeError(name, "tensor", other)
    }
  }

  private func typeError(_ name: String, _ expected: String, _ got: AttributeValue) -> OpError {
    OpError(field: name, "expected an attribute of type \(expected), found \(got.kindName)")
  }
}
