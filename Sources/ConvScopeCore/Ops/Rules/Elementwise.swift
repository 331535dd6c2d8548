/// Elementwise binary and variadic ops with numpy broadcasting: arithmetic (`Add`, `Sub`,
/// `Mul`, `Div`, `Pow`, `Mod`), `Max`/`Min`/`Sum`/`Mean` of any number of inputs, logic
/// (`And`, `Or`, `Xor`), comparisons (`Equal`, `Greater`, `Less`, `GreaterOrEqual`,
/// `LessOrEqual`), `BitShift` and `BitwiseAnd`/`Or`/`Xor`.
/// <https://onnx.ai/onnx/operators/onnx__Add.html>,
/// <https://onnx.ai/onnx/repo-docs/Broadcasting.html>
///
/// Shape: the multidirectional broadcast of the inputs (``Shape/broadcast(_:)``).
/// Type: bool for comparisons and logic, otherwise the first input's type.
///
/// Cost per output element, `k` inputs: `k-1` adds (`Add`, `Sub`, `Sum`), multiplies
/// (`Mul`), divides (`Div`; `Mod` is one division's remainder), compares (`Max`, `Min`,
/// comparisons), "others" (`Pow`, logic, bit operations); `Mean` is `k-1` adds and one divide.
///
/// Example: `Add` of 1x64x56x56 and 64x1x1 → 1x64x56x56, 200_704 adds.
///
/// Known small constant inputs (shape vectors) fold: ``ElementwiseFolding``.
public struct ElementwiseRule: OpRule {
  public init() {}
  public var opTypes: [String] { Self.ops.keys.sorted() }
  public func family(of opType: String) -> OpFamily { Self.families[opType] ?? .other }
  public var summary: String {
    "Y = broadcast(inputs); (k-1) ops per output element (Mean: adds, then a divide), bool out for comparisons"
  }

  /// The family of each op type.
  static let families: [String: OpFamily] = {
    var table: [String: OpFamily] = [
      "Add": .elementwise(.add), "Sub": .elementwise(.sub), "Mul": .elementwise(.mul), "Div": .elementwise(.div),
      "Pow": .elementwise(.pow), "Mod": .elementwise(.mod), "Max": .elementwise(.max), "Min": .elementwise(.min),
      "Sum": .elementwise(.sum), "Mean": .elementwise(.mean),
    ]
    for op in ["Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual"] { table[op] = .elementwise(.comparison) }
    for op in ["And", "Or", "Xor"] { table[op] = .elementwise(.logical) }
    for op in ["BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor"] { table[op] = .elementwise(.bitwise) }
    return table
  }()

  /// Folding stops past this many elements: shape math is small, activations are not.
  static let foldLimit = 1 << 16

  /// What one op does per output element.
  struct Spec: Sendable {
    /// The cost of combining one more input into an output element.
    var perCombine: Cost
    /// Work done once per output element after combining (Mean's divide).
    var perElement: Cost = .zero
    /// Whether the op takes any number (≥ 1) of inputs rather than exactly two.
    var isVariadic = false
    /// Whether the result is a bool tensor.
    var isPredicate = false
  }

  static let ops: [String: Spec] = {
    var table: [String: Spec] = [
      "Add": Spec(perCombine: Cost(adds: 1)), "Sub": Spec(perCombine: Cost(adds: 1)),
      "Mul": Spec(perCombine: Cost(multiplies: 1)), "Div": Spec(perCombine: Cost(divides: 1)),
      "Mod": Spec(perCombine: Cost(divides: 1)), "Pow": Spec(perCombine: Cost(others: 1)),
      "Sum": Spec(perCombine: Cost(adds: 1), isVariadic: true),
      "Mean": Spec(perCombine: Cost(adds: 1), perElement: Cost(divides: 1), isVariadic: true),
      "Max": Spec(perCombine: Cost(compares: 1), isVariadic: true),
      "Min": Spec(perCombine: Cost(compares: 1), isVariadic: true),
    ]
    for op in ["Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual"] {
      table[op] = Spec(perCombine: Cost(compares: 1), isPredicate: true)
    }
    for op in ["And", "Or", "Xor"] { table[op] = Spec(perCombine: Cost(others: 1), isPredicate: true) }
    for op in ["BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor"] { table[op] = Spec(perCombine: Cost(others: 1)) }
    return table
  }()

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let op = context.node.opType
    guard let spec = Self.ops[op] else { throw OpError("\(op) is not an elementwise op") }
    let infos = try (0..<context.inputCount).map { i throws(OpError) in try context.input(i) }
    if spec.isVariadic {
      guard !infos.isEmpty else { throw OpError(field: "inputs", "\(op) needs at least one input") }
    } else if infos.count != 2 {
      throw OpError(field: "inputs", "\(op) takes 2 inputs, found \(infos.count)")
    }
    let shape = try Shape.broadcast(infos.map(\.shape))
    let outType: DataType = spec.isPredicate ? .bool : infos[0].dataType
    if let folded = try ElementwiseFolding.fold(context, shape: shape, outType: outType) {
      return OpOutcome(outputs: [.init(constant: folded)])
    }
    let count = try ElementCounting.count(shape, field: "outputs[0]")
    let combines = infos.count - 1
    let perElement = try spec.perCombine.scaled(by: combines).adding(combines > 0 ? spec.perElement : .zero)
    return OpOutcome(outputs: [.init(dataType: outType, shape: shape)], cost: try perElement.scaled(by: count))
  }
}

/// `Where(condition, X, Y)`: `condition ? X : Y` with three-way numpy broadcasting.
/// <https://onnx.ai/onnx/operators/onnx__Where.html>
///
/// Shape: broadcast of the three shapes; type: `X`'s.
/// Cost: one select per output element, counted as one "other".
///
/// Example: condition 1x1x4x4, X 1x12x4x4, Y scalar → 1x12x4x4, 192 others.
public struct WhereRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Where"] }
  public func family(of opType: String) -> OpFamily { .elementwise(.select) }
  public var summary: String { "Y = broadcast(cond, X, Y) with X's type; one select per element" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    guard context.inputCount == 3 else {
      throw OpError(field: "inputs", "Where takes 3 inputs (condition, X, Y), got \(context.inputCount)")
    }
    let infos = [try context.input(0), try context.input(1), try context.input(2)]
    let shape = try Shape.broadcast(infos.map(\.shape))
    if let folded = try ElementwiseFolding.fold(context, shape: shape, outType: infos[1].dataType) {
      return OpOutcome(outputs: [.init(constant: folded)])
    }
    let count = try ElementCounting.count(shape, field: "outputs[0]")
    return OpOutcome(outputs: [.init(dataType: infos[1].dataType, shape: shape)], cost: Cost(others: count))
  }
}

extension ElementwiseRule {
  /// A two-input op's stored operand (Caffe's per-channel Scale and Bias): the other operand's
  /// dims on the axes it is aligned with, its own known dims kept.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    guard context.inputCount == 2 else { return [:] }
    let a = try context.input(0).shape
    let b = try context.input(1).shape
    return [0: WeightShapes.aligned(a, to: b), 1: WeightShapes.aligned(b, to: a)]
  }
}
