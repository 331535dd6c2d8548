/// ONNX Runtime's `com.microsoft` quantised elementwise ops: `QLinearAdd`, `QLinearMul`,
/// `QLinearSigmoid`, `QLinearLeakyRelu`.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearAdd>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearMul>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearSigmoid>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearLeakyRelu>
///
/// Shape: binary `(A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp)` → `C` of
/// `broadcast(A, B)`; unary `(X, X_scale, X_zp, Y_scale, Y_zp)` → `Y` like X; the type of A or X.
///
/// Cost per output, as the documented formula `quantize(f(dequantize(inputs)))` reads (kernels
/// may use lookup tables instead): each operand dequantised (``QuantizationCost/dequantize(zeroPoint:)``),
/// the float op (1 add, 1 multiply, or ``ActivationRule/perElement``), then
/// ``QuantizationCost/quantize``. Scales and zero points are `.quantization`.
///
/// Example: `QLinearAdd` of 1x8x4x4 and 1x8x4x4 → 128 outputs: adds `128*(2+1+1) = 512`,
/// multiplies 256, divides 128, compares 256, rounds 128.
public struct QLinearElementwiseRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["QLinearAdd", "QLinearMul", "QLinearSigmoid", "QLinearLeakyRelu"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "QLinearAdd": .elementwise(.add)
    case "QLinearMul": .elementwise(.mul)
    case "QLinearSigmoid": .activation(.sigmoid)
    default: .activation(.leakyRelu)
    }
  }
  public var summary: String { "quantize(f(dequantize(x))) per output; binary ops broadcast A and B" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let op = context.node.opType
    let binary = op == "QLinearAdd" || op == "QLinearMul"
    let shape: Shape
    let operation: Cost
    if binary {
      do {
        shape = try Shape.broadcast([try context.input(0).shape, try context.input(3).shape])
      } catch { throw OpError(field: "inputs[3]", "A and B do not broadcast: \(error.message)") }
      operation = op == "QLinearAdd" ? Cost(adds: 1) : Cost(multiplies: 1)
    } else {
      shape = try context.input(0).shape
      operation = ActivationRule.perElement[op == "QLinearSigmoid" ? "Sigmoid" : "LeakyRelu"] ?? .zero
    }
    let dequantize = try QuantizationCost.dequantize(zeroPoint: true).scaled(by: binary ? 2 : 1)
    let perOutput = try dequantize.adding(operation).adding(QuantizationCost.quantize)
    let roles = (binary ? [1, 2, 4, 5, 6, 7] : [1, 2, 3, 4]).map { ($0, InputRole.quantization) }
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: shape)],
      cost: try perOutput.scaled(by: try ElementCounting.count(shape, field: "outputs[0]")),
      inputRoles: Dictionary(uniqueKeysWithValues: roles))
  }
}

/// ONNX Runtime's `com.microsoft` `QLinearConcat`, `QLinearAveragePool` and
/// `QLinearGlobalAveragePool`.
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearConcat>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearAveragePool>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearGlobalAveragePool>
///
/// - `QLinearConcat(Y_scale, Y_zp, X1, X1_scale, X1_zp, ...)`: X's concatenated on `axis`.
/// - `QLinearAveragePool(X, x_scale, x_zp, y_scale, y_zp)`: as ``AveragePoolRule``
///   (`channels_last = 1` refused).
/// - `QLinearGlobalAveragePool(X, x_scale, x_zp, y_scale, y_zp)`: `[N, C, 1..]`, or
///   `[N, 1.., C]` with `channels_last = 1`; cost as ``GlobalPoolRule``'s average.
///
/// Cost: the float op's, plus each output dequantised and quantised again (requantised to the
/// output's scale). Scales and zero points are `.quantization`.
///
/// Example: `QLinearGlobalAveragePool` X 1x64x7x7 → Y 1x64x1x1, adds `64*48 + 64*2 = 3200`
/// (the average's sums, then a zero-point add to dequantise and one to quantise each output).
public struct QLinearDataRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["QLinearConcat", "QLinearAveragePool", "QLinearGlobalAveragePool"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily {
    switch opType {
    case "QLinearConcat": .dataMovement(.concat)
    case "QLinearAveragePool": .pooling(.average)
    default: .pooling(.globalAverage)
    }
  }
  public var summary: String { "as Concat, AveragePool, GlobalAveragePool; each output requantised" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    var outcome: OpOutcome
    switch context.node.opType {
    case "QLinearConcat": outcome = try concat(context)
    case "QLinearAveragePool":
      guard try context.int("channels_last", default: 0) == 0 else {
        throw OpError(field: "channels_last", "channels-last QLinearAveragePool is not supported")
      }
      outcome = try SlidingPool.infer(context, reduction: .average, introduced: [])
      for index in 1...4 { outcome.inputRoles[index] = .quantization }
    default: outcome = try globalPool(context)
    }
    let outputs = try ElementCounting.count(outcome.outputs[0].shape, field: "outputs[0]")
    let requantize = try QuantizationCost.dequantize(zeroPoint: true).adding(QuantizationCost.quantize)
    outcome.cost = try outcome.cost.adding(try requantize.scaled(by: outputs))
    return outcome
  }

  private func concat(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let tensors = Array(stride(from: 2, to: context.inputCount, by: 3))
    guard let first = tensors.first else { throw OpError(field: "inputs", "QLinearConcat needs at least one tensor") }
    var shape = try context.sizes(first)
    let axis = try NormalizationInputs.axis(try context.int("axis", default: 0), rank: shape.count)
    var roles: [Int: InputRole] = [0: .quantization, 1: .quantization]
    for (position, index) in tensors.enumerated() {
      roles[index + 1] = .quantization
      roles[index + 2] = .quantization
      guard position > 0 else { continue }
      let next = try context.sizes(index)
      guard next.count == shape.count, next.indices.allSatisfy({ $0 == axis || next[$0] == shape[$0] }) else {
        throw OpError(
          field: "inputs[\(index)]", "\(Shape(next)) does not concatenate with \(Shape(shape)) on axis \(axis)")
      }
      shape[axis] = try Checked.add(shape[axis], next[axis])
    }
    return OpOutcome(
      outputs: [.init(dataType: try context.input(first).dataType, shape: Shape(shape))], inputRoles: roles)
  }

  private func globalPool(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.sizes(0)
    try NormalizationInputs.checkRank(context, x, atLeast: 3)
    let channelsLast = try context.int("channels_last", default: 0) != 0
    let spatial = channelsLast ? Array(x[1..<(x.count - 1)]) : Array(x[2...])
    let channels = channelsLast ? x[x.count - 1] : x[1]
    let ones = Array(repeating: 1, count: spatial.count)
    let shape = channelsLast ? [x[0]] + ones + [channels] : [x[0], channels] + ones
    let windows = try Checked.multiply(x[0], channels)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape(shape))],
      cost: try PoolReduction.average.cost(outputs: windows, taps: try Checked.product(spatial)),
      inputRoles: [1: .quantization, 2: .quantization, 3: .quantization, 4: .quantization],
      shapeFormulas: spatial.map { "\($0) → 1 (global)" })
  }
}
