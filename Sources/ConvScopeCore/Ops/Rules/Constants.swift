/// `Constant`: a tensor written in the graph. <https://onnx.ai/onnx/operators/onnx__Constant.html>
///
/// Shape: the dims of `value` (a tensor); `value_float`/`value_int`/`value_string` give a scalar
/// and `value_floats`/`value_ints`/`value_strings` a 1-D tensor. Cost: none; the value folds.
/// Example: `value_ints [1, -1]` → int64 `[2]` holding `1, -1`.
public struct ConstantRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Constant"] }
  public func family(of opType: String) -> OpFamily { .shapeArithmetic(.constant) }
  public var summary: String { "Y = the value attribute (tensor, value_float(s), value_int(s), value_string(s))" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let attributes = context.node.attributes
    let tensor: ConstantTensor
    switch (attributes["value"] ?? attributes["sparse_value"], attributes.first { $0.key.hasPrefix("value_") }?.value) {
    case (.tensor(let t)?, _): tensor = t
    case (_, .float(let v)?): tensor = ConstantTensor(dataType: .float32, dims: [], values: .floats([v]))
    case (_, .floats(let v)?): tensor = ConstantTensor(dataType: .float32, dims: [v.count], values: .floats(v))
    case (_, .int(let v)?): tensor = .scalar(v)
    case (_, .ints(let v)?): tensor = .int64s(v)
    case (_, .string?): tensor = ConstantTensor(dataType: .string, dims: [])
    case (_, .strings(let v)?): tensor = ConstantTensor(dataType: .string, dims: [v.count])
    default:
      throw OpError(field: "value", "Constant needs one of value, value_float(s), value_int(s), value_string(s)")
    }
    return OpOutcome(outputs: [.init(constant: tensor)])
  }
}

/// `ConstantOfShape`: a tensor of the given shape filled with one value.
/// <https://onnx.ai/onnx/operators/onnx__ConstantOfShape.html>
///
/// Shape: input 1-D int64 `S` (a known constant) → `Y [S..]` of the `value` attribute's type
/// (float32 0 by default). Cost: none. Folds when at most ``foldLimit`` elements.
/// Example: `S = [2, 3]`, value int64 `[1]` → int64 `2x3` of ones.
public struct ConstantOfShapeRule: OpRule {
  /// The most elements a fill is folded into: a shape vector or a small mask, whose values a
  /// later shape may read. A larger fill keeps its shape only; graphs that build their weights
  /// with `ConstantOfShape` (the ONNX model zoo's weight-free "light" models) would otherwise
  /// hold every weight as numbers (DenseNet-121: 48 MB of them).
  static let foldLimit = 4_096

  public init() {}
  public var opTypes: [String] { ["ConstantOfShape"] }
  public func family(of opType: String) -> OpFamily { .shapeArithmetic(.constantOfShape) }
  public var summary: String { "Y[S..] filled with value (float32 0 by default); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    guard let dims = context.constantInts(0) else {
      throw OpError(field: "inputs[0]", "the shape's value is not known", isUnknownShape: true)
    }
    guard dims.allSatisfy({ $0 >= 0 }) else { throw OpError(field: "inputs[0]", "shape \(dims) holds a negative size") }
    let fill = try context.tensor("value") ?? ConstantTensor(dataType: .float32, dims: [1], values: .floats([0]))
    let count = try Checked.product(dims)
    var values: ConstantTensor.Values?
    if count <= Self.foldLimit {
      switch fill.values {
      case .ints(let v)?: values = v.first.map { .ints(Array(repeating: $0, count: count)) }
      case .floats(let v)?: values = v.first.map { .floats(Array(repeating: $0, count: count)) }
      case nil: values = nil
      }
    }
    return OpOutcome(
      outputs: [ShapeOps.output(fill.dataType, Shape(dims), values)], inputRoles: [0: .configuration])
  }
}

/// `Range`: `start, start+delta, ...` up to `limit`. <https://onnx.ai/onnx/operators/onnx__Range.html>
///
/// Shape: scalars `start`, `limit`, `delta` → `Y [max(ceil((limit - start) / delta), 0)]`;
/// one unknown dim when the scalars are not known. Cost: none. Folds known values.
/// Example: `Range(3, 9, 3)` → `[2]` holding `3, 6`; `Range(10, 4, -3)` → `10, 7`.
public struct RangeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Range"] }
  public func family(of opType: String) -> OpFamily { .shapeArithmetic(.range) }
  public var summary: String { "Y[max(ceil((limit-start)/delta), 0)]; no arithmetic counted" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let type = try context.input(0).dataType
    let roles: [Int: InputRole] = [0: .configuration, 1: .configuration, 2: .configuration]
    guard let start = context.constantFloats(0)?.first, let limit = context.constantFloats(1)?.first,
      let delta = context.constantFloats(2)?.first
    else {
      return OpOutcome(outputs: [.init(dataType: type, shape: [.unknown])], inputRoles: roles)
    }
    guard delta != 0 else { throw OpError(field: "inputs[2]", "Range delta must not be 0") }
    let steps = ((limit - start) / delta).rounded(.up)
    guard steps.isFinite, steps < 9.0e18 else {
      throw OpError(field: "inputs[1]", "Range(\(start), \(limit), \(delta)) has too many elements")
    }
    let count = max(Int(steps), 0)
    var values: ConstantTensor.Values?
    if count <= ShapeOps.foldLimit {
      let reals = (0..<count).map { start + Double($0) * delta }
      if !type.isInteger {
        values = .floats(reals)
      } else if reals.allSatisfy({ abs($0) < 9.0e18 }) {  // near Int.max, start + i * delta rounds past it
        values = .ints(reals.map { Int($0) })
      }
    }
    return OpOutcome(outputs: [ShapeOps.output(type, [.fixed(count)], values)], inputRoles: roles)
  }
}

/// `Shape`: the input's dims as an int64 vector. <https://onnx.ai/onnx/operators/onnx__Shape.html>
///
/// Shape: `X` of rank r → `Y [end - start]` with `start`/`end` (opset 15) clamped to `[0, r]`
/// after adding r to negatives. Cost: none. Folds when the dims are known, which is what
/// lets exported `Shape → Gather → Concat → Reshape` chains resolve.
/// Example: `X 1x3x224x224`, start 1 → `[3, 224, 224]`.
public struct ShapeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Shape"] }
  public func family(of opType: String) -> OpFamily { .shapeArithmetic(.shape) }
  public var summary: String { "Y = dims of X (start..<end, opset 15) as int64; folds when known" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let dims = try context.input(0).shape.dims
    let rank = dims.count
    func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
    let start = clamp(try context.int("start", default: 0))
    let end = max(clamp(try context.int("end", default: rank)), start)
    let picked = Shape(Array(dims[start..<end]))
    return OpOutcome(
      outputs: [ShapeOps.output(.int64, [.fixed(end - start)], picked.sizes.map { .ints($0) })])
  }
}

/// `Size`: the input's element count as an int64 scalar. <https://onnx.ai/onnx/operators/onnx__Size.html>
///
/// Cost: none. Folds when the dims are known. Example: `X 3x4x5` → `60`.
public struct SizeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Size"] }
  public func family(of opType: String) -> OpFamily { .shapeArithmetic(.size) }
  public var summary: String { "Y = element count of X (int64 scalar)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let count = try context.input(0).shape.elementCount
    return OpOutcome(outputs: [ShapeOps.output(.int64, [], count.map { .ints([$0]) })])
  }
}

/// `Cast`, `CastLike` and `BitCast`: the same shape in another element type.
/// <https://onnx.ai/onnx/operators/onnx__Cast.html>, <https://onnx.ai/onnx/operators/onnx__CastLike.html>,
/// <https://onnx.ai/onnx/operators/onnx__BitCast.html>
///
/// Shape: `Y` = `X`'s shape, of type `to` (Cast, BitCast) or of input 1's type (CastLike);
/// BitCast reinterprets the bits, so `to` must have `X`'s bit width (and neither is a string).
/// Cost: none (a conversion per element, not counted as arithmetic). Folds known values
/// (not BitCast's): reals to integers truncate toward zero, anything to bool is `x != 0`.
/// Example: int64 `[2, 3]` cast to float → `[2.0, 3.0]`.
public struct CastRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Cast", "CastLike", "BitCast"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.cast) }
  public var summary: String { "Y = X converted to type `to` (CastLike: input 1's type); no arithmetic" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let type: DataType
    if context.node.opType == "CastLike" {
      type = try context.input(1).dataType
    } else {
      let code = try context.int("to", default: -1)
      guard let t = DataType(onnxCode: code), t != .undefined else {
        throw OpError(field: "to", "\(context.node.opType) needs `to`, an ONNX data type code; got \(code)")
      }
      type = t
    }
    if context.node.opType == "BitCast" {
      guard type.bitWidth == x.dataType.bitWidth, type != .string, x.dataType != .string else {
        throw OpError(
          field: "to", "BitCast keeps the bits: \(x.dataType) (\(x.dataType.bitWidth) bits) cannot become \(type)")
      }
      return OpOutcome(outputs: [.init(dataType: type, shape: x.shape)])
    }
    var values: ConstantTensor.Values?
    if let known = ShapeOps.values(context, 0) {
      switch (type, known) {
      case (.bool, _): values = context.constantFloats(0).map { .ints($0.map { $0 != 0 ? 1 : 0 }) }
      case (_, .floats) where type.isInteger: values = context.constantInts(0).map { .ints($0) }
      case (_, .ints(let v)) where type.isFloatingPoint: values = .floats(v.map(Double.init))
      case (.string, _): values = nil
      default: values = known
      }
    }
    return OpOutcome(outputs: [ShapeOps.output(type, x.shape, values)], inputRoles: [1: .configuration])
  }
}

/// `Identity` and `Dropout` (at inference): the input passed through.
/// <https://onnx.ai/onnx/operators/onnx__Identity.html>, <https://onnx.ai/onnx/operators/onnx__Dropout.html>
///
/// Shape: `Y` = `X`; Dropout's optional second output is a bool mask of the same shape.
/// Dropout's `ratio` (attribute before opset 12, input 1 since) and `training_mode` are
/// configuration. Cost: none (inference drops nothing). Folds known values.
public struct IdentityRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Identity", "Dropout"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "Dropout": .dropout
    default: .dataMovement(.identity)
    }
  }
  public var summary: String {
    "Y = X, no arithmetic (Identity; Dropout at inference, with its optional bool mask of X's shape)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    var outputs = [ShapeOps.output(x.dataType, x.shape, ShapeOps.values(context, 0))]
    if context.node.opType == "Dropout", context.node.outputs.count > 1 {
      outputs.append(.init(dataType: .bool, shape: x.shape))
    }
    return OpOutcome(outputs: outputs, inputRoles: [1: .configuration, 2: .configuration])
  }
}
