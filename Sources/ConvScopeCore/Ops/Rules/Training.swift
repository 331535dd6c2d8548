/// `Adagrad`, `Momentum`, `Adam` (domain `ai.onnx.preview.training`): one optimiser step over
/// `n` tensors. <https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_Adagrad.html>,
/// <https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_Momentum.html>,
/// <https://onnx.ai/onnx/operators/onnx_aionnxpreviewtraining_Adam.html>
///
/// Shape: inputs `R, T, X1..Xn, G1..Gn` followed by one state group (`H` for Adagrad, `V` for
/// Momentum) or two (`V`, `H` for Adam); outputs the new `X1..Xn` and each new state group, every
/// `i`-th tensor of a group shaped as `Xi`.
///
/// Cost per element of the `X`s, as the spec's update formulas read (the scalar work on `R` and
/// `T` once per step is not counted):
/// - Adagrad: `G' = c*X + G` (1 MAC), `H' = H + G'*G'` (1 MAC), `sqrt(H') + eps` (1 other, 1 add),
///   `X - r*G'/…` (1 multiply, 1 divide, 1 add).
/// - Momentum: `G' = c*X + G` (1 MAC), `V' = alpha*V + beta*G'` (1 multiply, 1 MAC),
///   `X - R*V'` (1 MAC); Nesterov's `X - R*(G' + alpha*V')` one MAC more.
/// - Adam: `G'` (1 MAC), `V' = alpha*V + (1-alpha)*G'` (1 multiply, 1 MAC), `H' = beta*H +
///   (1-beta)*G'²` (2 multiplies, 1 MAC), `sqrt(H') + eps` (1 other, 1 add), `X - R'*V'/…`
///   (1 multiply, 1 divide, 1 add), `(1 - c_post) * X` (1 multiply).
///
/// Example: Adam on one X of 2 elements: 6 MACs, 10 multiplies, 4 adds, 2 divides, 2 others.
public struct OptimizerRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Adagrad", "Momentum", "Adam"] }
  public func family(of opType: String) -> OpFamily { .optimizer }
  public var domain: String { "ai.onnx.preview.training" }
  public var summary: String {
    "new X and state per tensor, shaped as X; per element Adagrad 2 MACs+5, Momentum 3 MACs+1, Adam 3 MACs+9"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let op = context.node.opType
    let groups = op == "Adam" ? 4 : 3
    let tensors = (context.inputCount - 2) / groups
    guard tensors > 0, context.inputCount == 2 + tensors * groups else {
      throw OpError(
        field: "inputs",
        "\(op) takes R, T and \(groups) groups of equally many tensors; got \(context.inputCount) inputs")
    }
    var perElement: Cost
    switch op {
    case "Adagrad": perElement = Cost(macs: 2, adds: 2, multiplies: 1, divides: 1, others: 1)
    case "Adam": perElement = Cost(macs: 3, adds: 2, multiplies: 5, divides: 1, others: 1)
    default:
      let nesterov = try context.string("mode", default: "standard") == "nesterov"
      perElement = Cost(macs: nesterov ? 4 : 3, multiplies: 1)
    }
    var outputs: [OpOutcome.Output] = []
    var elements = 0
    for i in 0..<tensors {
      let x = try context.input(2 + i)
      for group in 1..<groups {
        let other = try context.input(2 + group * tensors + i).shape
        guard other == x.shape else {
          throw OpError(
            field: "inputs[\(2 + group * tensors + i)]", "shape \(other) differs from X\(i + 1)'s \(x.shape)")
        }
      }
      elements = try Checked.add(elements, try ElementCounting.count(x.shape, field: "inputs[\(2 + i)]"))
      outputs.append(.init(dataType: x.dataType, shape: x.shape))
    }
    var all: [OpOutcome.Output] = []
    for _ in 1..<groups { all += outputs }
    return OpOutcome(outputs: all, cost: try perElement.scaled(by: elements))
  }
}
