/// Unary elementwise ops: activations (`Relu`, `Sigmoid`, `Gelu`...) and elementwise math
/// (`Sqrt`, `Exp`, `Sin`, `Not`, `IsNaN`...). <https://onnx.ai/onnx/operators/onnx__Relu.html>
///
/// Shape: `X` → `Y` of the same shape; the same element type, except `IsNaN` and `IsInf`
/// (bool out).
///
/// Cost: `elements(X) * perElement[op]`, from ``perElement``. What is counted is the
/// arithmetic of the op's defining formula in the ONNX spec, evaluated directly: each
/// `exp` is one exponential; `log`, `sqrt`, `erf`, `pow`, trigonometric, rounding,
/// logical and bitwise functions are one "other" each; `max(0, x)`, `|x|` and a sign
/// test are one compare (`Sign` makes two); negation is an add (`0 - x`); multiplying by a
/// constant is a multiply (even by `1/sqrt(2)`);
/// `tanh` is `(e^x - e^-x) / (e^x + e^-x)`: 2 exponentials, 2 adds, 1 divide.
///
/// Example: `Sigmoid` on 1x64x56x56 is `1/(1+e^-x)` per element: 200_704 exponentials,
/// 200_704 adds, 200_704 divides.
///
/// Constant inputs of integer shape math fold (`Neg`, `Abs`, `Sign`, `Not` on ints;
/// `Floor`, `Ceil`, `Round`, `Sqrt`, `Reciprocal`... on reals).
public struct ActivationRule: OpRule {
  public init() {}
  public var opTypes: [String] { Self.perElement.keys.sorted() }
  public func family(of opType: String) -> OpFamily { Self.families[opType] ?? .other }
  public var summary: String { "Y same shape as X; cost = elements * the op's per-element arithmetic" }

  private static let tanh = Cost(adds: 2, divides: 1, exponentials: 2)

  /// The family of each op type: the activations, and the elementwise math that is not one.
  static let families: [String: OpFamily] = [
    "Relu": .activation(.relu), "LeakyRelu": .activation(.leakyRelu),
    "ThresholdedRelu": .activation(.thresholdedRelu), "Sigmoid": .activation(.sigmoid),
    "Tanh": .activation(.tanh), "HardSigmoid": .activation(.hardSigmoid), "HardSwish": .activation(.hardSwish),
    "Gelu": .activation(.gelu), "Elu": .activation(.elu), "Selu": .activation(.selu), "Celu": .activation(.celu),
    "Softplus": .activation(.softplus), "Softsign": .activation(.softsign), "Mish": .activation(.mish),
    "Shrink": .activation(.shrink), "Swish": .activation(.swish),
    "Exp": .unaryMath(.exp), "Log": .unaryMath(.log), "Sqrt": .unaryMath(.sqrt), "Reciprocal": .unaryMath(.reciprocal),
    "Neg": .unaryMath(.neg), "Abs": .unaryMath(.abs), "Sign": .unaryMath(.sign), "Ceil": .unaryMath(.ceil),
    "Floor": .unaryMath(.floor), "Round": .unaryMath(.round), "Erf": .unaryMath(.erf),
    "Sin": .unaryMath(.sin), "Cos": .unaryMath(.cos), "Tan": .unaryMath(.tan), "Asin": .unaryMath(.asin),
    "Acos": .unaryMath(.acos), "Atan": .unaryMath(.atan), "Sinh": .unaryMath(.sinh), "Cosh": .unaryMath(.cosh),
    "Asinh": .unaryMath(.asinh), "Acosh": .unaryMath(.acosh), "Atanh": .unaryMath(.atanh),
    "Not": .unaryMath(.logicalNot), "BitwiseNot": .unaryMath(.bitwiseNot),
    "IsNaN": .unaryMath(.isNaN), "IsInf": .unaryMath(.isInf),
  ]

  /// The elementary operations one output element costs, per op type.
  public static let perElement: [String: Cost] = {
    var table: [String: Cost] = [
      "Relu": Cost(compares: 1),  // max(0, x)
      "LeakyRelu": Cost(multiplies: 1, compares: 1),  // x < 0 ? alpha*x : x
      "ThresholdedRelu": Cost(compares: 1),  // x > alpha ? x : 0
      "Sigmoid": Cost(adds: 1, divides: 1, exponentials: 1),  // 1 / (1 + e^-x)
      "Tanh": tanh,
      "HardSigmoid": Cost(adds: 1, multiplies: 1, compares: 2),  // max(0, min(1, alpha*x + beta))
      "HardSwish": Cost(adds: 1, multiplies: 2, compares: 2),  // x * HardSigmoid(x)
      "Gelu": Cost(adds: 1, multiplies: 3, others: 1),  // 0.5*x * (1 + erf(x * 1/sqrt(2)))
      "Elu": Cost(adds: 1, multiplies: 1, compares: 1, exponentials: 1),  // x < 0 ? alpha*(e^x - 1) : x
      "Selu": Cost(adds: 1, multiplies: 2, compares: 1, exponentials: 1),  // gamma*(alpha*e^x - alpha) or gamma*x
      // max(0,x) + min(0, alpha*(e^(x/alpha) - 1))
      "Celu": Cost(adds: 2, multiplies: 1, divides: 1, compares: 2, exponentials: 1),
      "Softplus": Cost(adds: 1, exponentials: 1, others: 1),  // log(e^x + 1)
      "Softsign": Cost(adds: 1, divides: 1, compares: 1),  // x / (1 + |x|)
      // x * tanh(softplus(x)): softplus, tanh, one multiply
      "Mish": Cost(adds: 3, multiplies: 1, divides: 1, exponentials: 3, others: 1),
      "Shrink": Cost(adds: 1, compares: 2),  // x < -lambd ? x + bias : x > lambd ? x - bias : 0
      "Swish": Cost(adds: 1, multiplies: 2, divides: 1, exponentials: 1),  // x * 1 / (1 + e^-(alpha*x))
      "Exp": Cost(exponentials: 1),
      "Abs": Cost(compares: 1),
      "Neg": Cost(adds: 1),
      "Reciprocal": Cost(divides: 1),
      "Sign": Cost(compares: 2),
      "IsNaN": Cost(compares: 1),  // x != x
      "IsInf": Cost(compares: 1),  // |x| == inf
    ]
    for op in [
      "Erf", "Sqrt", "Log", "Floor", "Ceil", "Round", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan",
      "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Not", "BitwiseNot",
    ] {
      table[op] = Cost(others: 1)
    }
    return table
  }()

  /// `Gelu` with `approximate = "tanh"`: `0.5*x * (1 + tanh(sqrt(2/pi) * (x + 0.044715*x^3)))`,
  /// 6 multiplies and 2 adds around one `tanh`.
  static let geluTanh = Cost(adds: 4, multiplies: 6, divides: 1, exponentials: 2)

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let op = context.node.opType
    let x = try context.input(0)
    var perElement = Self.perElement[op] ?? .zero
    if op == "Gelu" {
      let approximate = try context.string("approximate", default: "none")
      guard approximate == "none" || approximate == "tanh" else {
        throw OpError(field: "approximate", "expected \"none\" or \"tanh\", found \"\(approximate)\"")
      }
      if approximate == "tanh" { perElement = Self.geluTanh }
    }
    let outType: DataType = (op == "IsNaN" || op == "IsInf") ? .bool : x.dataType
    if let folded = Self.fold(op, context.constants.first ?? nil, outType: outType) {
      return OpOutcome(outputs: [.init(constant: folded)])
    }
    let count = try ElementCounting.count(x.shape, field: "inputs[0]")
    return OpOutcome(
      outputs: [.init(dataType: outType, shape: x.shape)], cost: try perElement.scaled(by: count))
  }

  private static let intFolds: [String: @Sendable (Int) -> Int?] = [
    "Neg": { $0 == Int.min ? nil : -$0 },
    "Abs": { $0 == Int.min ? nil : abs($0) },
    "Sign": { $0.signum() },
    "Not": { $0 == 0 ? 1 : 0 },
  ]

  private static let floatFolds: [String: @Sendable (Double) -> Double] = [
    "Neg": { -$0 }, "Abs": { abs($0) }, "Floor": { $0.rounded(.down) }, "Ceil": { $0.rounded(.up) },
    "Round": { $0.rounded(.toNearestOrEven) }, "Sqrt": { $0.squareRoot() }, "Reciprocal": { 1 / $0 },
    "Relu": { max(0, $0) }, "Sign": { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) },
  ]

  /// The value of `op` applied to a known constant, for shape math; `nil` when it does not fold.
  private static func fold(_ op: String, _ input: ConstantTensor?, outType: DataType) -> ConstantTensor? {
    guard let input, input.elementCount <= ElementwiseRule.foldLimit else { return nil }
    switch input.values {
    case .ints(let values)?:
      guard let f = intFolds[op] else { return nil }
      var out: [Int] = []
      for v in values {
        guard let r = f(v) else { return nil }
        out.append(r)
      }
      return ConstantTensor(dataType: outType, dims: input.dims, values: .ints(out))
    case .floats(let values)?:
      guard let f = floatFolds[op] else { return nil }
      return ConstantTensor(dataType: outType, dims: input.dims, values: .floats(values.map(f)))
    case nil:
      return nil
    }
  }
}

/// `PRelu`: `x < 0 ? slope*x : x`, with a learned `slope` unidirectionally broadcast to `X`.
/// <https://onnx.ai/onnx/operators/onnx__PRelu.html>
///
/// Shape: `X`, `slope` (broadcastable to `X`) → `Y` shaped like `X`.
/// Cost: one compare and one multiply per element. Params: the slope's elements.
///
/// Example: X 1x64x56x56, slope 64x1x1 → 200_704 compares and multiplies, params `64*1*1 = 64`.
public struct PReluRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["PRelu"] }
  public func family(of opType: String) -> OpFamily { .activation(.parametricRelu) }
  public var summary: String { "Y same shape as X (slope broadcast to X); compare + multiply per element" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let slope = try context.input(1)
    let broadcast = try Shape.broadcast([x.shape, slope.shape])
    guard broadcast == x.shape else {
      throw OpError(field: "inputs[1]", "slope shape \(slope.shape) does not broadcast to the input shape \(x.shape)")
    }
    let count = try ElementCounting.count(x.shape, field: "inputs[0]")
    let slopeSizes = try context.sizes(1)
    return OpOutcome(
      outputs: [.init(dataType: x.dataType, shape: x.shape)],
      cost: Cost(multiplies: count, compares: count), inputRoles: [1: .weight],
      paramFormula: context.isConstant(1) ? try ElementCounting.productFormula(slopeSizes) : nil)
  }
}

/// `Clip`: `min(max(x, lo), hi)`; the bounds are attributes `min`/`max` before opset 11
/// and optional scalar inputs 1 and 2 from opset 11. <https://onnx.ai/onnx/operators/onnx__Clip.html>
///
/// Shape: `X` → `Y` of the same shape and type.
/// Cost: one compare per element per bound given (ReLU6 = `Clip(0, 6)`: 2 per element;
/// a `Clip` with no bounds is a copy).
///
/// Example: X 1x32x112x112 with min 0 and max 6 → `2 * 401_408 = 802_816` compares.
public struct ClipRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Clip"] }
  public func family(of opType: String) -> OpFamily { .activation(.clip) }
  public var summary: String { "Y same shape as X; one compare per element per bound given" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let bounds: Int
    if context.opset < 11 {
      bounds = ["min", "max"].filter { context.node.attributes[$0] != nil }.count
    } else {
      bounds = [1, 2].filter { context.has($0) }.count
    }
    let count = try ElementCounting.count(x.shape, field: "inputs[0]")
    return OpOutcome(
      outputs: [.init(dataType: x.dataType, shape: x.shape)],
      cost: Cost(compares: try Checked.multiply(bounds, count)),
      inputRoles: [1: .configuration, 2: .configuration])
  }
}

extension PReluRule {
  /// slope: X's dims on the axes it is aligned with (numpy broadcasting), its own 1s kept.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    [1: WeightShapes.aligned(try context.input(1).shape, to: try context.input(0).shape)]
  }
}
