/// `LpNormalization`: each line along `axis` (default -1) divided by its L1 or L2 norm.
/// <https://onnx.ai/onnx/operators/onnx__LpNormalization.html>
///
/// Shape: same as `X`. Cost per line of `n`: the norm, `p = 2`: `n` multiplies (squares),
/// `n-1` adds, 1 sqrt ("other"); `p = 1`: `n` compares (`|x|`), `n-1` adds; then `n` divides.
///
/// Example: p = 2 over the last axis of 2x2x3 (4 lines of 3): 12 multiplies, 8 adds, 4 others,
/// 12 divides.
public struct LpNormalizationRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["LpNormalization"] }
  public func family(of opType: String) -> OpFamily { .normalization(.lp) }
  public var summary: String { "Y same shape as X; per line of n: the L1 or L2 norm (n-1 adds) and n divides" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    let dims = try context.sizes(0)
    let axis = try ShapeOps.axis(try context.int("axis", default: -1), rank: max(dims.count, 1), field: "axis")
    let p = try context.int("p", default: 2)
    guard p == 1 || p == 2 else { throw OpError(field: "p", "p must be 1 or 2, got \(p)") }
    let total = try Checked.product(dims)
    let n = dims.isEmpty ? 1 : dims[axis]
    let lines = n == 0 ? 0 : total / n
    let adds = try Checked.multiply(lines, max(n - 1, 0))
    let cost =
      p == 2
      ? Cost(adds: adds, multiplies: total, divides: total, others: lines)
      : Cost(adds: adds, divides: total, compares: total)
    return OpOutcome(outputs: [.init(dataType: x.dataType, shape: x.shape)], cost: cost)
  }
}

/// `Det`: the determinant of each square matrix of `X [*, M, M]`.
/// <https://onnx.ai/onnx/operators/onnx__Det.html>
///
/// Shape: `[*]` (a scalar for a single matrix). Cost per matrix, Gaussian elimination with
/// partial pivoting: for each column `k`, `M-1-k` compares to find the pivot, `M-1-k` divides
/// (the row factors) and `(M-1-k)^2` MACs (the row updates); then `M-1` multiplies along the
/// diagonal. In all `M(M-1)/2` compares and divides, `(M-1)M(2M-1)/6` MACs.
///
/// Example: X 3x2x2 → [3]; per matrix 1 compare, 1 divide, 1 MAC, 1 multiply.
public struct DetRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Det"] }
  public func family(of opType: String) -> OpFamily { .linearAlgebra }
  public var summary: String {
    "Y[*] of X[*,M,M]; per matrix M(M-1)/2 compares and divides, (M-1)M(2M-1)/6 MACs, M-1 multiplies"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    guard x.count >= 2, x[x.count - 1] == x[x.count - 2] else {
      throw OpError(field: "inputs[0]", "Det needs square matrices [*, M, M], got \(Shape(x))")
    }
    let m = x[x.count - 1]
    let batch = Array(x.dropLast(2))
    let matrices = try Checked.product(batch)
    let pairs = try Checked.multiply(m, max(m - 1, 0)) / 2
    let perMatrix = Cost(
      macs: try Checked.product([m - 1, m, try Checked.multiply(2, m) - 1]) / 6, multiplies: max(m - 1, 0),
      divides: pairs,
      compares: pairs)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(batch))],
      cost: m == 0 ? .zero : try perMatrix.scaled(by: matrices))
  }
}

/// `SwiGLU`: `Y = Swish_alpha(A) * B`, `Swish_alpha(a) = a * sigmoid(alpha * a)`, for a gate `A`
/// and a value `B` of the same shape (no broadcasting). <https://onnx.ai/onnx/operators/onnx__SwiGLU.html>
///
/// Shape: `Y` = `A`. Cost per element: Swish's (``ActivationRule/perElement``: 1 add, 2 multiplies,
/// 1 divide, 1 exponential) and 1 multiply by `B`.
///
/// Example: A, B 2x4 → 2x4; 8 adds, 24 multiplies, 8 divides, 8 exponentials.
public struct SwiGLURule: OpRule {
  public init() {}
  public var opTypes: [String] { ["SwiGLU"] }
  public func family(of opType: String) -> OpFamily { .activation(.swiGLU) }
  public var summary: String { "Y = Swish(A) * B, A and B of one shape; per element Swish + 1 multiply" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let a = try context.input(0)
    let b = try context.input(1)
    guard a.shape == b.shape else {
      throw OpError(field: "inputs[1]", "B \(b.shape) must have A's shape \(a.shape); SwiGLU does not broadcast")
    }
    var perElement = ActivationRule.perElement["Swish"] ?? .zero
    perElement.multiplies += 1
    let count = try ElementCounting.count(a.shape, field: "inputs[0]")
    return OpOutcome(outputs: [.init(dataType: a.dataType, shape: a.shape)], cost: try perElement.scaled(by: count))
  }
}
