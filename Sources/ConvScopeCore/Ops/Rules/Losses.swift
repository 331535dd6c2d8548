/// `NegativeLogLikelihoodLoss` and `SoftmaxCrossEntropyLoss`: a class-indexed loss over
/// `input [N, C, d1..dk]` and integer `target [N, d1..dk]`, with an optional per-class
/// `weight [C]`. <https://onnx.ai/onnx/operators/onnx__NegativeLogLikelihoodLoss.html>,
/// <https://onnx.ai/onnx/operators/onnx__SoftmaxCrossEntropyLoss.html>
///
/// Shape: `reduction = "none"` gives `loss [N, d1..dk]`; `"mean"` (the default) and `"sum"` a
/// scalar. SoftmaxCrossEntropyLoss's optional second output `log_prob` has the input's shape.
///
/// Cost, with `E = N * d1 * .. * dk` target elements: per element one gather (free) and its
/// negation (1 add); a `weight` multiplies each (E multiplies); an `ignore_index` tests each
/// target (E compares). `"sum"` adds the E losses (E-1 adds); `"mean"` also divides once, and
/// when the denominator is a sum of weights (a `weight` or an `ignore_index` is given) sums
/// them (another E-1 adds). SoftmaxCrossEntropyLoss first takes a LogSoftmax over `C` for each
/// of the E positions (``SoftmaxRule/rowCost(_:length:)``). Params: none (`weight` is
/// configuration: class balancing, not learned).
///
/// Example: NLL over 3x5x6x6 with target 3x6x6 (E = 108), `reduction = "mean"`, no weight:
/// 108 + 107 = 215 adds, 1 divide.
public struct LossRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss"] }
  public func family(of opType: String) -> OpFamily { .loss }
  public var summary: String {
    "loss [N,d..] (none) or scalar; E=N*prod(d): E adds (negate), weight E multiplies, reduction E-1 adds (+1 divide)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let input = try context.sizes(0)
    let target = try context.sizes(1)
    guard input.count >= 2 else {
      throw OpError(field: "inputs[0]", "the input must be N x C x d..., got shape \(Shape(input))")
    }
    let classes = input[1]
    guard target == [input[0]] + input.dropFirst(2) else {
      throw OpError(
        field: "inputs[1]", "target shape \(Shape(target)) must be the input's \(Shape(input)) without its class axis")
    }
    let weighted = context.has(2)
    if weighted, let weight = try? context.sizes(2), weight != [classes] {
      throw OpError(field: "inputs[2]", "weight has shape \(Shape(weight)); expected [\(classes)]")
    }
    let reduction = try context.string("reduction", default: "mean")
    guard ["none", "mean", "sum"].contains(reduction) else {
      throw OpError(field: "reduction", "reduction must be none, mean or sum, got '\(reduction)'")
    }
    let ignores = context.node.attributes["ignore_index"] != nil
    let count = try Checked.product(target)
    var cost = try Self.lossCost(count: count, weighted: weighted, ignores: ignores, reduction: reduction)
    var outputs = [OpOutcome.Output(dataType: x.dataType, shape: reduction == "none" ? Shape(target) : Shape([Int]()))]
    if context.node.opType == "SoftmaxCrossEntropyLoss" {
      cost = try cost.adding(try SoftmaxRule.rowCost("LogSoftmax", length: classes).scaled(by: count))
      if context.node.outputs.count > 1 && !context.node.outputs[1].isEmpty {
        outputs.append(.init(dataType: x.dataType, shape: x.shape))
      }
    }
    return OpOutcome(outputs: outputs, cost: cost, inputRoles: [2: .configuration])
  }

  /// The negative log-likelihood of `count` gathered log-probabilities, weighted or not,
  /// with or without an ignored class, reduced as `reduction` says.
  static func lossCost(count: Int, weighted: Bool, ignores: Bool, reduction: String) throws(OpError) -> Cost {
    var cost = Cost(adds: count, multiplies: weighted ? count : 0, compares: ignores ? count : 0)
    guard reduction != "none", count > 0 else { return cost }
    cost.adds = try Checked.add(cost.adds, count - 1)
    if reduction == "mean" {
      cost.divides = 1
      if weighted || ignores { cost.adds = try Checked.add(cost.adds, count - 1) }
    }
    return cost
  }
}
