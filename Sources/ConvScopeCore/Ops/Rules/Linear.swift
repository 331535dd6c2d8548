/// `Gemm`: `Y = alpha * A' * B' + beta * C`, with `A' = transA ? Aᵀ : A` and likewise `B'`.
/// <https://onnx.ai/onnx/operators/onnx__Gemm.html>
///
/// Shape: `A' [M, K]`, `B' [K, N]`, optional `C` unidirectionally broadcastable to
/// `[M, N]` (optional from opset 11) → `Y [M, N]`.
///
/// Cost: `MACs = M * N * K`; `C` adds `M * N`; `alpha ≠ 1` and `beta ≠ 1` (with `C`)
/// each multiply `M * N`. Params: `B` (weight) and `C` (bias) when they are constants.
///
/// Example (a classifier's fully connected layer, `transB = 1` as PyTorch exports it):
/// A 1x512, B 1000x512, C 1000 → Y 1x1000, MACs `1*1000*512 = 512_000`, 1_000 adds,
/// params `512*1000+1000 = 513000`.
public struct GemmRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Gemm"] }
  public func family(of opType: String) -> OpFamily { .linear }
  public var summary: String { "Y[M,N] = alpha*A'[M,K]*B'[K,N] + beta*C; MACs=M*N*K; C adds M*N" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    try Self.multiply(context, a: 0, b: 1, c: 2, outputType: try context.input(0).dataType)
  }

  /// The shape, cost and parameter formula of `alpha * A' * B' + beta * C` with A, B and the
  /// optional C at the given inputs, giving `outputType`; roles `.weight` on B, `.bias` on C.
  /// Shared by `Gemm` and `QGemm` (whose A, B, C sit at 0, 3, 6 between scales and zero points).
  static func multiply(_ context: NodeContext, a aIndex: Int, b bIndex: Int, c cIndex: Int, outputType: DataType)
    throws(OpError) -> OpOutcome
  {
    let a = try context.sizes(aIndex)
    let b = try context.sizes(bIndex)
    guard a.count == 2 else { throw OpError(field: "inputs[\(aIndex)]", "A must be 2-D, got shape \(Shape(a))") }
    guard b.count == 2 else { throw OpError(field: "inputs[\(bIndex)]", "B must be 2-D, got shape \(Shape(b))") }
    let transA = try context.int("transA", default: 0) != 0
    let transB = try context.int("transB", default: 0) != 0
    let (m, k) = transA ? (a[1], a[0]) : (a[0], a[1])
    let (kB, n) = transB ? (b[1], b[0]) : (b[0], b[1])
    guard k == kB else {
      throw OpError(
        field: "inputs[\(bIndex)]",
        "A \(Shape(a))\(transA ? " (transposed)" : "") gives K = \(k) but B \(Shape(b))\(transB ? " (transposed)" : "") gives K = \(kB)"
      )
    }
    let outputCount = try Checked.multiply(m, n)
    var cost = Cost(macs: try Checked.multiply(outputCount, k))
    if try context.float("alpha", default: 1) != 1 { cost.multiplies = outputCount }
    var biasCount = 0
    if context.has(cIndex) {
      let c = try context.input(cIndex).shape
      guard try Shape.broadcast([c, Shape([m, n])]) == Shape([m, n]) else {
        throw OpError(field: "inputs[\(cIndex)]", "C shape \(c) does not broadcast to [M, N] = \(Shape([m, n]))")
      }
      cost.adds = outputCount
      if try context.float("beta", default: 1) != 1 { cost.multiplies = try Checked.add(cost.multiplies, outputCount) }
      biasCount = context.isConstant(cIndex) ? try ElementCounting.count(c, field: "inputs[\(cIndex)]") : 0
    }
    var paramFormula: String?
    if context.isConstant(bIndex) {
      let weights = try Checked.multiply(k, n)
      paramFormula =
        biasCount > 0
        ? "\(k)*\(n)+\(biasCount) = \(try Checked.add(weights, biasCount))" : "\(k)*\(n) = \(weights)"
    }
    return OpOutcome(
      outputs: [.init(dataType: outputType, shape: Shape([m, n]))], cost: cost,
      inputRoles: [bIndex: .weight, cIndex: .bias], paramFormula: paramFormula,
      parameters: OpParameters(weightTransposed: transB))
  }
}

/// `MatMul`, `MatMulInteger`, `QLinearMatMul`: numpy `matmul` semantics.
/// <https://onnx.ai/onnx/operators/onnx__MatMul.html>
///
/// Shape: `A [..., M, K]`, `B [..., K, N]` → `Y [broadcast(...), M, N]`. A 1-D `A` is
/// promoted to `[1, K]` and a 1-D `B` to `[K, 1]`, and the added axis is removed from the
/// result. `MatMulInteger` gives int32; `QLinearMatMul` (A = input 0, B = input 3) gives
/// its `y_zero_point`'s type.
///
/// Cost: `MACs = prod(batch) * M * N * K`. Params: `B` when it is a constant and `A` is not
/// (an int8 `B` counts at one byte each); scales and zero points are `.quantization` (their
/// bytes count with the weights, they are not parameters).
///
/// Example: A 1x12x128x64, B 1x12x64x128 → Y 1x12x128x128, MACs `12*128*128*64 = 12_582_912`.
public struct MatMulRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["MatMul", "MatMulInteger", "QLinearMatMul"] }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "MatMulInteger": .matrixProduct(.integer)
    case "QLinearMatMul": .matrixProduct(.quantized)
    default: .matrixProduct(.float)
    }
  }
  public var summary: String { "Y[batch,M,N] = A[...,M,K] * B[...,K,N] (numpy matmul); MACs=prod(batch)*M*N*K" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let op = context.node.opType
    let bIndex = op == "QLinearMatMul" ? 3 : 1
    let a = try context.sizes(0)
    let b = try context.sizes(bIndex)
    let product = try Self.product(a, b, field: "inputs[\(bIndex)]")
    let outType: DataType
    var roles: [Int: InputRole] = [bIndex: .weight]
    switch op {
    case "MatMulInteger":
      outType = .int32
      roles[2] = .quantization
      roles[3] = .quantization
    case "QLinearMatMul":
      outType = context.has(7) ? try context.input(7).dataType : try context.input(0).dataType
      for i in [1, 2, 4, 5, 6, 7] { roles[i] = .quantization }
    default:
      outType = try context.input(0).dataType
    }
    let isWeight = context.isConstant(bIndex) && !context.isConstant(0)
    return OpOutcome(
      outputs: [.init(dataType: outType, shape: Shape(product.shape))], cost: Cost(macs: product.macs),
      inputRoles: roles, paramFormula: isWeight ? try ElementCounting.productFormula(b) : nil)
  }

  /// The output dims and multiply-accumulates of numpy `matmul(A, B)`; `field` names B in errors.
  static func product(_ a: [Int], _ b: [Int], field: String) throws(OpError) -> (shape: [Int], macs: Int) {
    guard !a.isEmpty, !b.isEmpty else {
      throw OpError(field: field, "MatMul operands must have rank ≥ 1, got \(Shape(a)) and \(Shape(b))")
    }
    let a2 = a.count == 1 ? [1] + a : a
    let b2 = b.count == 1 ? b + [1] : b
    let (m, k) = (a2[a2.count - 2], a2[a2.count - 1])
    let (kB, n) = (b2[b2.count - 2], b2[b2.count - 1])
    guard k == kB else {
      throw OpError(field: field, "A \(Shape(a)) has K = \(k) columns but B \(Shape(b)) has \(kB) rows")
    }
    let batch: [Int]
    do {
      batch = try Shape.broadcast([Shape(Array(a2.dropLast(2))), Shape(Array(b2.dropLast(2)))]).sizes ?? []
    } catch {
      throw OpError(field: field, "batch dims of A \(Shape(a)) and B \(Shape(b)) do not broadcast: \(error.message)")
    }
    var shape = batch
    if a.count > 1 { shape.append(m) }
    if b.count > 1 { shape.append(n) }
    return (shape, try Checked.product(batch + [m, n, k]))
  }
}

extension GemmRule {
  /// `B [K, N]` (`[N, K]` with `transB`), `K` from A (per `transA`); `C [N]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let a = try context.input(0).shape.dims
    let b = try context.input(1).shape.dims
    guard a.count == 2, b.count == 2 else { return [:] }
    let k = try context.int("transA", default: 0) != 0 ? a[0] : a[1]
    let transB = try context.int("transB", default: 0) != 0
    let n = transB ? b[0] : b[1]
    return [1: Shape(transB ? [n, k] : [k, n]), 2: Shape([n])]
  }
}

extension MatMulRule {
  /// `B [..., K, N]` with `K` the last dim of A (`[K]` for a 1-D B).
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    guard context.node.opType == "MatMul" else { return [:] }
    let a = try context.input(0).shape.dims
    let b = try context.input(1).shape.dims
    guard let k = a.last, !b.isEmpty else { return [:] }
    var expected = b
    expected[b.count == 1 ? 0 : b.count - 2] = k
    return [1: Shape(expected)]
  }
}
