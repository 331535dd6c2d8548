/// ONNX's sequence ops: `SequenceEmpty`, `SequenceConstruct`, `SequenceInsert`, `SequenceErase`, `SequenceAt`,
/// `SequenceLength`, `SplitToSequence`, `ConcatFromSequence`.
/// <https://onnx.ai/onnx/operators/onnx__SequenceConstruct.html> (and the pages of the others)
///
/// A sequence value is reported as a sequence (`kind: sequence`) whose shape is the shape its
/// elements share: a dim the elements agree on is kept, one they differ in is unknown; the
/// number of elements is not tracked. A sequence of rank 0 is one whose element shape nobody
/// declared (a graph input's): what is read from it has an unknown shape.
///
/// Shape: `SequenceEmpty` a sequence of `dtype` with no element (rank 0: nothing declared);
/// `SequenceConstruct(x...)` and `SequenceInsert(s, x)` give the sequence of their
/// tensors; `SequenceErase(s)` keeps `s`; `SequenceAt(s, i)` a tensor of the elements' shape;
/// `SequenceLength(s)` an int64 scalar; `SplitToSequence(x, split, axis, keepdims)` the
/// pieces (size 1 along `axis` when `split` is absent, dropped unless `keepdims`; `split`
/// long when it is a scalar that divides the axis); `ConcatFromSequence(s, axis, new_axis)`
/// the elements joined along `axis` (a new axis when `new_axis`), its length unknown.
///
/// Cost: none (elements are moved, not computed).
///
/// Example: `SplitToSequence(x [3, 6], split = 2, axis = 1)` → a sequence of `[3, 2]`.
public struct SequenceRule: OpRule {
  public init() {}
  public var opTypes: [String] {
    [
      "SequenceEmpty", "SequenceConstruct", "SequenceInsert", "SequenceErase", "SequenceAt", "SequenceLength",
      "SplitToSequence", "ConcatFromSequence",
    ]
  }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "SequenceLength": .shapeArithmetic(.size)
    case "SplitToSequence": .dataMovement(.split)
    case "ConcatFromSequence": .dataMovement(.concat)
    default: .dataMovement(.identity)
    }
  }
  public var summary: String { "a sequence of the elements' shared shape (dims they differ in unknown); no cost" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    if context.node.opType == "SequenceEmpty" {
      let code = try context.int("dtype", default: 1)
      guard let type = DataType(onnxCode: code) else { throw OpError(field: "dtype", "unknown element type \(code)") }
      return OpOutcome(outputs: [.init(dataType: type, shape: Shape([Int]()), kind: .sequence)])
    }
    let first = try context.input(0)
    if first.kind == .sequence && first.shape.rank == 0 && context.node.opType != "SequenceLength" {
      throw OpError(field: "inputs[0]", "the elements of '\(first.name)' have no declared shape", isUnknownShape: true)
    }
    let output: OpOutcome.Output
    switch context.node.opType {
    case "SequenceConstruct", "SequenceInsert":
      let tensors = context.node.opType == "SequenceConstruct" ? Array(0..<context.inputCount) : [0, 1]
      var shape: Shape?
      for index in tensors {
        let element = try context.input(index).shape
        shape = try shape.map { current throws(OpError) in try Self.agreeing(current, element) } ?? element
      }
      output = .init(dataType: first.dataType, shape: shape ?? Shape([Int]()), kind: .sequence)
    case "SequenceErase":
      output = .init(dataType: first.dataType, shape: first.shape, kind: .sequence)
    case "SequenceAt":
      output = .init(dataType: first.dataType, shape: first.shape)
    case "SequenceLength":
      output = .init(dataType: .int64, shape: Shape([Int]()))
    case "SplitToSequence":
      output = .init(dataType: first.dataType, shape: try Self.piece(context, of: first.shape), kind: .sequence)
    default:
      var dims = first.shape.dims
      let newAxis = try context.int("new_axis", default: 0) != 0
      let axis = try ShapeOps.axis(
        try context.int("axis", default: 0), rank: dims.count + (newAxis ? 1 : 0), field: "axis")
      if newAxis { dims.insert(.unknown, at: axis) } else if axis < dims.count { dims[axis] = .unknown }
      output = .init(dataType: first.dataType, shape: Shape(dims))
    }
    return OpOutcome(outputs: [output], inputRoles: [1: .configuration, 2: .configuration])
  }

  /// The shape of each piece `SplitToSequence` cuts from `input`.
  private static func piece(_ context: NodeContext, of input: Shape) throws(OpError) -> Shape {
    var dims = input.dims
    let axis = try ShapeOps.axis(try context.int("axis", default: 0), rank: dims.count, field: "axis")
    guard context.has(1) else {
      if try context.int("keepdims", default: 1) != 0 { dims[axis] = .fixed(1) } else { dims.remove(at: axis) }
      return Shape(dims)
    }
    let split = context.constantInts(1)
    let isScalar = try context.input(1).shape.rank == 0
    switch (split, isScalar) {
    case (let values?, true):
      let size = values.first ?? 0
      guard size > 0 else { throw OpError(field: "split", "must be positive, got \(size)") }
      let divides = dims[axis].value.map { $0 % size == 0 } ?? false
      dims[axis] = divides ? .fixed(size) : .unknown
    case (let values?, false):
      dims[axis] = Set(values).count == 1 ? .fixed(values[0]) : .unknown
    default:
      dims[axis] = .unknown
    }
    return Shape(dims)
  }

  private static func agreeing(_ a: Shape, _ b: Shape) throws(OpError) -> Shape {
    guard let shape = a.agreeing(with: b) else {
      throw OpError(field: "inputs", "sequence elements of ranks \(a.rank) and \(b.rank)", isUnknownShape: true)
    }
    return shape
  }
}

/// ONNX's optional ops: `Optional`, `OptionalHasElement`, `OptionalGetElement`.
/// <https://onnx.ai/onnx/operators/onnx__Optional.html>
///
/// Shape: `Optional(x)` an optional of `x`'s type and shape (without an input, an empty
/// optional of unknown element); `OptionalHasElement(x)` a bool scalar, known false without
/// an input and true for a plain tensor; `OptionalGetElement(x)` the value inside (a tensor
/// or sequence of the optional's shape). Cost: none.
public struct OptionalRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Optional", "OptionalHasElement", "OptionalGetElement"] }
  public func family(of opType: String) -> OpFamily { .dataMovement(.identity) }
  public var summary: String { "an optional of the input, whether it holds a value, or the value inside; no cost" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let input = context.has(0) ? try context.input(0) : nil
    switch context.node.opType {
    case "Optional":
      let element = input ?? TensorInfo(name: "", dataType: .undefined, shape: Shape([Int]()))
      return OpOutcome(outputs: [.init(dataType: element.dataType, shape: element.shape, kind: .optional)])
    case "OptionalHasElement":
      let known: Int? = input == nil ? 0 : input?.kind == .optional ? nil : 1
      let value = known.map { ConstantTensor(dataType: .bool, dims: [], values: .ints([$0])) }
      return OpOutcome(outputs: [.init(dataType: .bool, shape: Shape([Int]()), constant: value)])
    default:
      let value = try context.input(0)
      let kind: ValueKind = value.kind == .optional ? .tensor : value.kind
      return OpOutcome(outputs: [.init(dataType: value.dataType, shape: value.shape, kind: kind)])
    }
  }
}
