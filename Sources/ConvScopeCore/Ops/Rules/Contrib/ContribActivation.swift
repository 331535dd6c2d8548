/// ONNX Runtime's `com.microsoft` GELU variants and bias adds: `Gelu`, `BiasGelu`, `FastGelu`,
/// `QuickGelu`, `BiasAdd`.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.Gelu>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.BiasGelu>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.FastGelu>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QuickGelu>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.BiasAdd>
///
/// Shape: `Y` like the first input (`BiasAdd`: `X [N, S, C]`, `bias [C]`, `skip [N, S, C]`).
///
/// Cost per element, as ``ActivationRule`` counts the formulas: `Gelu` the erf form
/// (``ActivationRule/perElement``); `BiasGelu` 1 add then `Gelu`; `FastGelu` the tanh form
/// (``ActivationRule/geluTanh``), plus 1 add with its optional bias; `QuickGelu`
/// `x * sigmoid(alpha * x)`: 2 multiplies and a sigmoid; `BiasAdd` 2 adds.
/// Params: the bias input when it is stored.
///
/// Example: `BiasGelu` on 1x128x3072 with bias [3072] → 393_216 adds + the erf GELU's
/// 393_216 adds, 1_179_648 multiplies, 393_216 erfs; params 3072.
public struct ContribActivationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Gelu", "BiasGelu", "FastGelu", "QuickGelu", "BiasAdd"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily {
    opType == "BiasAdd" ? .elementwise(.add) : .activation(.gelu)
  }
  public var summary: String { "Y like X; GELU forms (erf, tanh, x*sigmoid(ax)) and bias adds per element" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let op = context.node.opType
    let bias = op == "FastGelu" ? context.has(1) : op != "Gelu" && op != "QuickGelu"
    if bias { try NormalizationInputs.check(context, 1, broadcastsTo: try context.sizes(0), "bias") }
    let gelu = ActivationRule.perElement["Gelu"] ?? .zero
    let perElement: Cost
    switch op {
    case "BiasGelu": perElement = try gelu.adding(Cost(adds: 1))
    case "FastGelu": perElement = try ActivationRule.geluTanh.adding(Cost(adds: bias ? 1 : 0))
    case "QuickGelu": perElement = try (ActivationRule.perElement["Sigmoid"] ?? .zero).adding(Cost(multiplies: 2))
    case "BiasAdd": perElement = Cost(adds: 2)
    default: perElement = gelu
    }
    return OpOutcome(
      outputs: [.init(dataType: x.dataType, shape: x.shape)],
      cost: try perElement.scaled(by: try ElementCounting.count(x.shape, field: "inputs[0]")),
      inputRoles: bias ? [1: .bias] : [:],
      paramFormula: bias && context.isConstant(1) ? try NormalizationInputs.paramFormula(context, [1]) : nil)
  }
}
