/// ONNX Runtime's `com.microsoft` matrix products: `FusedMatMul`, `MatMulNBits`,
/// `DynamicQuantizeMatMul`, `QGemm`.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.FusedMatMul>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.MatMulNBits>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.DynamicQuantizeMatMul>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QGemm>
///
/// - `FusedMatMul(A, B)`: `alpha * matmul(A', B')`, `transA`/`transB` swapping the last two dims
///   (`transBatchA`/`transBatchB` are refused). MACs as ``MatMulRule``; `alpha ≠ 1` multiplies
///   each output.
/// - `MatMulNBits(A [..., K], B uint8 [N, ceil(K/block_size), block_size*bits/8], scales,
///   zero_points, g_idx, bias)` → `Y [..., N]`: MACs `prod(A[..-1]) * N * K`; dequantising the
///   weights `N*K` multiplies and adds; bias adds. Params: `N*K` (the logical weights packed in
///   B, ``OpOutcome/packedWeightElements``) and bias; scales and zero points count bytes only.
/// - `DynamicQuantizeMatMul(A, B int8, b_scale, b_zero_point, bias)`: MACs as ``MatMulRule``,
///   plus quantising A (``QuantizationCost/dynamicQuantize(_:)``), one multiply per output to
///   rescale, bias adds. Params: B and bias.
/// - `QGemm(A, a_scale, a_zp, B, b_scale, b_zp, C, y_scale, y_zp)`: ``GemmRule``'s shape and
///   cost on A, B, C, then each output requantised (with `y_scale`, to `y_zero_point`'s type) or
///   rescaled to float32 (one multiply). Params: B and C.
///
/// Example (`MatMulNBits`, 4 bits, block 32): A 1x8x64, K 64, N 128, B 128x2x16 → Y 1x8x128,
/// MACs `8*128*64 = 65_536`, params `128*64 = 8192` (stored in 4096 bytes).
public struct ContribMatMulRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["FusedMatMul", "MatMulNBits", "DynamicQuantizeMatMul", "QGemm"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "FusedMatMul": .matrixProduct(.float)
    case "QGemm": .linear
    default: .matrixProduct(.quantized)
    }
  }
  public var summary: String { "matmul / Gemm forms; MACs = prod(batch)*M*N*K; MatMulNBits params N*K from packed B" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    switch context.node.opType {
    case "MatMulNBits": return try nBits(context)
    case "QGemm": return try qGemm(context)
    default: return try matMul(context)
    }
  }

  private func matMul(_ context: NodeContext) throws(OpError) -> OpOutcome {
    var a = try context.sizes(0)
    var b = try context.sizes(1)
    let fused = context.node.opType == "FusedMatMul"
    if fused {
      for name in ["transBatchA", "transBatchB"] where try context.int(name, default: 0) != 0 {
        throw OpError(field: name, "batch transposition is not supported")
      }
      if try context.int("transA", default: 0) != 0, a.count >= 2 { a.swapAt(a.count - 1, a.count - 2) }
      if try context.int("transB", default: 0) != 0, b.count >= 2 { b.swapAt(b.count - 1, b.count - 2) }
    }
    let product = try MatMulRule.product(a, b, field: "inputs[1]")
    let outputs = try Checked.product(product.shape)
    var cost = Cost(macs: product.macs)
    var roles: [Int: InputRole] = [1: .weight]
    if fused {
      if try context.float("alpha", default: 1) != 1 { cost.multiplies = outputs }
    } else {
      cost = try cost.adding(try QuantizationCost.dynamicQuantize(try Checked.product(a)))
      cost = try cost.adding(Cost(adds: context.has(4) ? outputs : 0, multiplies: outputs))
      roles = [1: .weight, 2: .quantization, 3: .quantization, 4: .bias]
    }
    let isWeight = context.isConstant(1) && !context.isConstant(0)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(product.shape))], cost: cost,
      inputRoles: roles, paramFormula: isWeight ? try ElementCounting.productFormula(b) : nil)
  }

  private func nBits(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let a = try context.sizes(0)
    let (k, n) = (try context.int("K", default: 0), try context.int("N", default: 0))
    let bits = try context.int("bits", default: 4)
    let blockSize = try context.int("block_size", default: 0)
    guard k > 0, n > 0, blockSize > 0, (2...8).contains(bits) else {
      throw OpError(
        field: "K", "K, N, block_size must be positive and bits 2...8, got \(k), \(n), \(blockSize), \(bits)")
    }
    guard a.last == k else { throw OpError(field: "inputs[0]", "A \(Shape(a)) must end in K = \(k)") }
    let blob = [n, try Checked.add(k, blockSize - 1) / blockSize, try Checked.multiply(blockSize, bits) / 8]
    if let b = try? context.sizes(1), b != blob, !b.contains(0) {
      throw OpError(
        field: "inputs[1]", "B \(Shape(b)) is not [N, ceil(K/block_size), block_size*bits/8] = \(Shape(blob))")
    }
    let rows = try Checked.product(Array(a.dropLast()))
    let weights = try Checked.multiply(n, k)
    var cost = Cost(macs: try Checked.multiply(rows, weights))
    cost = try cost.adding(try QuantizationCost.dequantize(zeroPoint: true).scaled(by: weights))
    if context.has(5) { cost.adds = try Checked.add(cost.adds, try Checked.multiply(rows, n)) }
    var outcome = OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(Array(a.dropLast()) + [n]))], cost: cost,
      inputRoles: [1: .weight, 2: .quantization, 3: .quantization, 4: .configuration, 5: .bias],
      paramFormula: context.isConstant(1) ? "\(n)*\(k) = \(weights) (\(bits)-bit, packed)" : nil)
    outcome.packedWeightElements[1] = weights
    return outcome
  }

  private func qGemm(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let quantized = context.has(7)
    let outType: DataType = quantized ? (context.has(8) ? try context.input(8).dataType : .uint8) : .float32
    var outcome = try GemmRule.multiply(context, a: 0, b: 3, c: 6, outputType: outType)
    for index in [1, 2, 4, 5, 7, 8] { outcome.inputRoles[index] = .quantization }
    let outputs = try ElementCounting.count(outcome.outputs[0].shape, field: "outputs[0]")
    let perOutput = quantized ? QuantizationCost.requantize : Cost(multiplies: 1)
    outcome.cost = try outcome.cost.adding(try perOutput.scaled(by: outputs))
    return outcome
  }
}
