/// `Softmax`, `LogSoftmax`, `Hardmax` along an axis.
/// <https://onnx.ai/onnx/operators/onnx__Softmax.html>
///
/// Shape: `X` → `Y` of the same shape. Before opset 13 the input is coerced to 2-D
/// `[prod(dims[..<axis]), prod(dims[axis...])]` (default `axis = 1`) and each row of that
/// matrix is normalised; from opset 13 only `dims[axis]` is (default `axis = -1`).
///
/// Cost per row of `n`, counting the numerically stable form every runtime uses
/// (`e^(x - max)`), so the max search and the subtraction are counted:
/// - Softmax: `n-1` compares, `n + (n-1)` adds (subtract max, sum), `n` exponentials, `n` divides.
/// - LogSoftmax: `x - max - log(sum e^(x-max))`: `n-1` compares, `n + (n-1) + n` adds,
///   `n` exponentials, one log ("other").
/// - Hardmax: `n-1` compares (an argmax; writing the one-hot costs nothing).
///
/// Example (opset 13): Softmax over the last axis of 1x12x128x128 is 1_536 rows of 128:
/// 195_072 compares, 391_680 adds, 196_608 exponentials, 196_608 divides.
public struct SoftmaxRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Softmax", "LogSoftmax", "Hardmax"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "LogSoftmax": .softmax(.logSoftmax)
    case "Hardmax": .softmax(.hardmax)
    default: .softmax(.softmax)
    }
  }
  public var summary: String {
    "Y same shape as X; per row of n: n-1 compares, then Softmax 2n-1 adds, n exps, n divides;"
      + " LogSoftmax 3n-1 adds, n exps, a log; Hardmax nothing more"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let sizes = try context.sizes(0)
    let coerced = context.opset < 13
    let axis = try ElementCounting.normalizedAxis(
      try context.int("axis", default: coerced ? 1 : -1), rank: max(sizes.count, 1), field: "axis")
    let total = try Checked.product(sizes)
    let rowLength =
      sizes.isEmpty ? 1 : coerced ? try Checked.product(sizes[axis...]) : sizes[axis]
    let rows = rowLength == 0 ? 0 : total / rowLength
    let cost = try Self.rowCost(context.node.opType, length: rowLength).scaled(by: rows)
    return OpOutcome(outputs: [.init(dataType: x.dataType, shape: x.shape)], cost: cost)
  }

  /// The cost of normalising one row of `n` elements with `op` (Softmax, LogSoftmax, Hardmax).
  static func rowCost(_ op: String, length n: Int) throws(OpError) -> Cost {
    guard n > 0 else { return .zero }
    let compares = n - 1
    switch op {
    case "Hardmax":
      return Cost(compares: compares)
    case "LogSoftmax":
      return Cost(adds: try Checked.sum([n, n - 1, n]), compares: compares, exponentials: n, others: 1)
    default:
      return Cost(adds: try Checked.add(n, n - 1), divides: n, compares: compares, exponentials: n)
    }
  }
}
