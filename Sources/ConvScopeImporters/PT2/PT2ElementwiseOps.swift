import ConvScopeCore

/// Activations, element-wise arithmetic, softmax and dropout, onto the ONNX ops of the same
/// names: `aten.relu` → `Relu`, `aten.hardtanh` / `relu6` / `clamp` → `Clip` (bounds as scalar
/// inputs), `aten.silu` → `Swish`, `aten.gelu(approximate)` → `Gelu`, `aten.hardsigmoid` →
/// `HardSigmoid(alpha = 1/6)`, `aten.add/sub(alpha)`, `mul`, `div`, `pow` → `Add`, `Sub`, `Mul`,
/// `Div`, `Pow` (a Python scalar operand becomes a one-element constant, not a parameter;
/// `alpha ≠ 1` a `Mul` before), `aten.softmax` / `_softmax` → `Softmax(axis)`, `aten.dropout` /
/// `native_dropout` / `feature_dropout` → `Dropout`, and `clone`, `contiguous`, `detach`,
/// `alias`, `lift_fresh_copy`, `_to_copy`, `to` → `Identity` (or `Cast` to another dtype).
enum PT2ElementwiseOps {
  /// ATen unary ops that are one ONNX op with no attributes.
  static let unary: [String: String] = [
    "relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "hardswish": "HardSwish", "mish": "Mish", "exp": "Exp",
    "log": "Log", "sqrt": "Sqrt", "neg": "Neg", "abs": "Abs", "reciprocal": "Reciprocal", "erf": "Erf", "sin": "Sin",
    "cos": "Cos", "floor": "Floor", "ceil": "Ceil", "round": "Round", "sign": "Sign", "logical_not": "Not",
    "silu": "Swish", "selu": "Selu", "softsign": "Softsign", "isnan": "IsNaN", "bitwise_not": "Not",
  ]

  /// ATen binary ops, `Tensor` and `Scalar` overloads alike.
  static let binary: [String: String] = [
    "add": "Add", "sub": "Sub", "mul": "Mul", "div": "Div", "pow": "Pow", "maximum": "Max", "minimum": "Min",
    "eq": "Equal", "ne": "Equal", "lt": "Less", "le": "LessOrEqual", "gt": "Greater", "ge": "GreaterOrEqual",
    "logical_and": "And", "logical_or": "Or", "remainder": "Mod", "fmod": "Mod",
  ]

  static let identities = ["clone", "contiguous", "detach", "alias", "lift_fresh_copy", "_to_copy", "to", "type_as"]

  /// Built from dictionary literals and factories only: Swift 6.2 crashes lowering a
  /// typed-throws `inout` closure stored through a dictionary subscript.
  static let mappings: [String: PT2Mapping] = Dictionary(
    uniqueKeysWithValues: unary.map { ("aten.\($0.key)", unaryMapping($0.value)) }
      + binary.map { ("aten.\($0.key)", binaryMapping($0.value)) }
      + identities.map { ("aten.\($0)", identity) }
      + ["dropout", "native_dropout", "feature_dropout", "alpha_dropout"].map { ("aten.\($0)", dropout) }
  ).merging(named) { first, _ in first }

  private static let named: [String: PT2Mapping] = [
    "aten.hardtanh": { e throws(ConvScopeError) in try clip(&e, "min_val", -1, "max_val", 1) },
    "aten.relu6": { e throws(ConvScopeError) in try clip(&e, "", 0, "", 6) },
    "aten.clamp": { e throws(ConvScopeError) in try clip(&e, "min", -.infinity, "max", .infinity) },
    "aten.gelu": { e throws(ConvScopeError) in
      try single(&e, "Gelu", "self", ["approximate": .string(e.string("approximate") ?? "none")])
    },
    "aten.leaky_relu": { e throws(ConvScopeError) in
      try single(&e, "LeakyRelu", "self", ["alpha": .float(try e.double("negative_slope", default: 0.01))])
    },
    "aten.elu": { e throws(ConvScopeError) in
      try single(&e, "Elu", "self", ["alpha": .float(try e.double("alpha", default: 1))])
    },
    "aten.hardsigmoid": { e throws(ConvScopeError) in
      try single(&e, "HardSigmoid", "self", ["alpha": .float(1.0 / 6), "beta": .float(0.5)])
    },
    "aten.softplus": { e throws(ConvScopeError) in try single(&e, "Softplus", "self") },
    "aten.rsqrt": rsqrt,
    "aten.softmax": { e throws(ConvScopeError) in try softmax(&e, "Softmax") },
    "aten._softmax": { e throws(ConvScopeError) in try softmax(&e, "Softmax") },
    "aten.log_softmax": { e throws(ConvScopeError) in try softmax(&e, "LogSoftmax") },
    "aten._log_softmax": { e throws(ConvScopeError) in try softmax(&e, "LogSoftmax") },
    "aten.where": whereOp,
  ]

  /// `dropout(input, ...)`; its in-place form `dropout_(self, ...)` names the tensor `self`.
  static func dropout(_ e: inout PT2Emitter) throws(ConvScopeError) {
    try single(&e, "Dropout", e.argument("input") == nil ? "self" : "input")
  }

  /// The mapping of a unary ATen op onto `op` .
  static func unaryMapping(_ op: String) -> PT2Mapping {
    { (e: inout PT2Emitter) throws(ConvScopeError) -> Void in try single(&e, op, "self") }
  }

  static func binaryMapping(_ op: String) -> PT2Mapping {
    { (e: inout PT2Emitter) throws(ConvScopeError) -> Void in try binaryOp(&e, op) }
  }

  /// One ONNX op reading the tensor argument `input`.
  static func single(
    _ e: inout PT2Emitter, _ op: String, _ input: String, _ attributes: [String: AttributeValue] = [:]
  ) throws(ConvScopeError) {
    let tensor = try e.tensor(input)
    let output = e.emit(op, [tensor], attributes)
    e.finish(output)
  }

  static func rsqrt(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let root = e.emit("Sqrt", [try e.tensor("self")])
    let output = e.emit("Reciprocal", [root])
    e.finish(output)
  }

  static func whereOp(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let condition = try e.tensor("condition")
    let left = try operand(&e, "self", "self")
    let right = try operand(&e, "other", "other")
    let output = e.emit("Where", [condition, left, right])
    e.finish(output)
  }

  /// A binary op whose `other` may be a Python scalar; `alpha` scales it first (`add`, `sub`).
  static func binaryOp(_ e: inout PT2Emitter, _ op: String) throws(ConvScopeError) {
    let left = try operand(&e, "self", "self")
    // `pow` names its second operand `exponent`.
    var right = try operand(&e, e.argument("other") == nil ? "exponent" : "other", "other")
    let alpha = try e.double("alpha", default: 1)
    if alpha != 1 { right = e.emit("Mul", [right, e.constant("alpha", scalar(alpha, like: nil))]) }
    e.finish(op, [left, right])
  }

  /// A tensor argument, or a scalar one as a one-element constant of the other operand's type.
  static func operand(_ e: inout PT2Emitter, _ name: String, _ suffix: String) throws(ConvScopeError) -> String {
    switch e.argument(name)?.value {
    case .tensor(let tensor): return tensor
    case .double(let value): return e.constant(suffix, scalar(value, like: nil))
    case .int(let value), .symInt(.literal(let value)):
      let values = e.program.values
      let type = e.node.inputs.compactMap { argument -> DataType? in
        if case .tensor(let tensor) = argument.value { return values[tensor]?.dataType }
        return nil
      }.first
      return e.constant(suffix, scalar(Double(value), like: type))
    case .bool(let flag): return e.constant(suffix, scalar(flag ? 1 : 0, like: .bool))
    default: throw e.error("expected a tensor or a number", argument: name)
    }
  }

  /// A 0-D constant holding `value`, integral when `type` is.
  private static func scalar(_ value: Double, like type: DataType?) -> ConstantTensor {
    guard let type, !type.isFloatingPoint else {
      return ConstantTensor(
        dataType: type ?? .float32, dims: [], values: type == nil ? .floats([value]) : .ints([Int(value)]))
    }
    return ConstantTensor(dataType: type, dims: [], values: .floats([value]))
  }

  /// `Clip` between the arguments `lowName` and `highName` (or the given bounds when absent).
  static func clip(_ e: inout PT2Emitter, _ lowName: String, _ low: Double, _ highName: String, _ high: Double)
    throws(ConvScopeError)
  {
    let input = try e.tensor("self")
    let low = try e.double(lowName, default: low)
    let high = try e.double(highName, default: high)
    var inputs = [input]
    inputs.append(low.isInfinite ? "" : e.constant("min", scalar(low, like: nil)))
    if high.isFinite { inputs.append(e.constant("max", scalar(high, like: nil))) }
    e.finish("Clip", inputs)
  }

  static func softmax(_ e: inout PT2Emitter, _ op: String) throws(ConvScopeError) {
    e.finish(op, [try e.tensor("self")], ["axis": .int(try e.int("dim"))])
  }

  static func identity(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("self")
    let from = e.program.values[input]?.dataType
    if case .scalarType(let code) = e.argument("dtype")?.value, let to = PT2ProgramReader.dataTypes[code], to != from,
      let code = (0...26).first(where: { DataType(onnxCode: $0) == to })
    {
      e.finish("Cast", [input], ["to": .int(code)])
    } else {
      e.finish("Identity", [input])
    }
  }
}
