import ConvScope
import Testing

@Suite struct ActivationTests {
  let image: Shape = [1, 64, 56, 56]
  let imageElements = 64 * 56 * 56  // 200_704

  @Test func reluIsOneComparePerElement() throws {
    let out = try OpTesting.infer("Relu", [image])
    #expect(out.outputs[0].shape == image)
    #expect(out.cost == Cost(compares: imageElements))
  }

  @Test func sigmoidCountsItsFormula() throws {
    // 1 / (1 + e^-x): one exponential, one add, one divide per element.
    let out = try OpTesting.infer("Sigmoid", [image])
    #expect(out.cost == Cost(adds: imageElements, divides: imageElements, exponentials: imageElements))
  }

  @Test func tanhIsTwoExponentials() throws {
    // (e^x - e^-x) / (e^x + e^-x) on 2x3 = 6 elements.
    let out = try OpTesting.infer("Tanh", [[2, 3]])
    #expect(out.cost == Cost(adds: 2 * 6, divides: 6, exponentials: 2 * 6))
  }

  @Test func geluApproximationChangesTheCost() throws {
    // none: 0.5*x * (1 + erf(x/sqrt 2)): 3 multiplies, 1 add, 1 erf per element.
    let exact = try OpTesting.infer("Gelu", [[10]])
    #expect(exact.cost == Cost(adds: 10, multiplies: 30, others: 10))
    // tanh: 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3))): x*x, *x, *0.044715, *sqrt(2/pi),
    // 0.5*x and the product are 6 multiplies; + x and 1 + are 2 adds; tanh adds 2, 1, 2.
    let tanh = try OpTesting.infer("Gelu", [[10]], ["approximate": .string("tanh")])
    #expect(tanh.cost == Cost(adds: 10 * (2 + 2), multiplies: 10 * 6, divides: 10, exponentials: 10 * 2))
    #expect(throws: OpError.self) { try OpTesting.infer("Gelu", [[10]], ["approximate": .string("erf")]) }
  }

  @Test func predicatesGiveBool() throws {
    #expect(try OpTesting.infer("IsNaN", [[3, 4]]).outputs[0].dataType == .bool)
    #expect(try OpTesting.infer("IsInf", [[3, 4]]).outputs[0].dataType == .bool)
    #expect(try OpTesting.infer("Sqrt", [[3, 4]]).outputs[0].dataType == .float32)
    #expect(try OpTesting.infer("Not", [[3]], types: [.bool]).outputs[0].dataType == .bool)
  }

  @Test func everyUnaryMathOpKeepsTheShape() throws {
    for op in [
      "Erf", "Exp", "Log", "Abs", "Neg", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos",
      "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Elu", "Selu", "Celu",
      "Softplus", "Softsign", "Mish", "ThresholdedRelu", "Shrink", "HardSigmoid", "HardSwish", "LeakyRelu",
    ] {
      let out = try OpTesting.infer(op, [[2, 3, 5]])
      #expect(out.outputs[0].shape == [2, 3, 5], "\(op)")
      #expect(try out.cost.flops() > 0, "\(op) counted nothing")
    }
  }

  @Test func unknownDimsLeaveTheNodeUnresolved() {
    do {
      _ = try OpTesting.infer("Relu", [[.symbolic("N"), 3]])
      Issue.record("expected an unknown-shape error")
    } catch {
      #expect((error as? OpError)?.isUnknownShape == true)
    }
  }

  @Test func integerShapeMathFolds() throws {
    let negated = try OpTesting.infer("Neg", [[2]], constants: [0: .int64s([2, -3])])
    #expect(negated.outputs[0].constant?.ints == [-2, 3])
    let inverted = try OpTesting.infer(
      "Not", [[2]], constants: [0: ConstantTensor(dataType: .bool, dims: [2], values: .ints([1, 0]))])
    #expect(inverted.outputs[0].constant?.ints == [0, 1])
    let floored = try OpTesting.infer(
      "Floor", [[3]], constants: [0: ConstantTensor(dataType: .float32, dims: [3], values: .floats([2.5, -2.5, 3]))])
    #expect(floored.outputs[0].constant?.floats == [2, -3, 3])
    // Round is half to even (ONNX).
    let rounded = try OpTesting.infer(
      "Round", [[3]], constants: [0: ConstantTensor(dataType: .float32, dims: [3], values: .floats([0.5, 1.5, 2.5]))])
    #expect(rounded.outputs[0].constant?.floats == [0, 2, 2])
  }

  @Test func preluSlopeIsAWeightBroadcastToX() throws {
    let slope = ConstantTensor(dataType: .float32, dims: [64, 1, 1])
    let out = try OpTesting.infer("PRelu", [image, [64, 1, 1]], constants: [1: slope])
    #expect(out.outputs[0].shape == image)
    #expect(out.cost == Cost(multiplies: imageElements, compares: imageElements))
    #expect(out.inputRoles[1] == .weight)
    #expect(out.paramFormula == "64*1*1 = 64")
  }

  @Test func preluSlopeMustBroadcastToX() {
    #expect(throws: OpError.self) { try OpTesting.infer("PRelu", [image, [32]]) }
    // The slope may not grow X.
    #expect(throws: OpError.self) { try OpTesting.infer("PRelu", [[64, 1], [64, 8]]) }
  }

  @Test func clipCountsOneComparePerBound() throws {
    // ReLU6 (opset 11+: bounds are inputs): 2 compares per element.
    let relu6 = try OpTesting.infer("Clip", [[1, 32, 112, 112], [], []], opset: 13)
    #expect(relu6.cost == Cost(compares: 2 * 32 * 112 * 112))
    #expect(relu6.inputRoles[1] == .configuration && relu6.inputRoles[2] == .configuration)
    // Only max given (min omitted).
    let upper = try OpTesting.infer("Clip", [[4, 5], nil, []], opset: 13)
    #expect(upper.cost == Cost(compares: 20))
    // Before opset 11 the bounds are attributes.
    let attributes = try OpTesting.infer("Clip", [[4, 5]], ["min": .float(0)], opset: 6)
    #expect(attributes.cost == Cost(compares: 20))
  }

  @Test func softmaxOverTheLastAxisFromOpset13() throws {
    // 1x12x128x128 attention scores: 12*128 = 1_536 rows of n = 128.
    let rows = 12 * 128
    let n = 128
    let out = try OpTesting.infer("Softmax", [[1, 12, 128, 128]], opset: 13)
    #expect(out.outputs[0].shape == [1, 12, 128, 128])
    #expect(
      out.cost == Cost(adds: rows * (n + n - 1), divides: rows * n, compares: rows * (n - 1), exponentials: rows * n))
  }

  @Test func softmaxBeforeOpset13CoercesTo2D() throws {
    // axis 1 (default) on 2x3x4: rows of 3*4 = 12, two rows.
    let old = try OpTesting.infer("Softmax", [[2, 3, 4]], opset: 11)
    #expect(old.cost.exponentials == 2 * 12)
    #expect(old.cost.compares == 2 * 11)
    // opset 13 default axis -1: rows of 4, 6 rows.
    let new = try OpTesting.infer("Softmax", [[2, 3, 4]], opset: 13)
    #expect(new.cost.exponentials == 24)
    #expect(new.cost.compares == 6 * 3)
  }

  @Test func logSoftmaxAndHardmax() throws {
    // One row of 10: LogSoftmax subtracts max (10), sums (9), subtracts the log (10).
    let log = try OpTesting.infer("LogSoftmax", [[1, 10]], opset: 13)
    #expect(log.cost == Cost(adds: 10 + 9 + 10, compares: 9, exponentials: 10, others: 1))
    let hard = try OpTesting.infer("Hardmax", [[3, 10]], opset: 13)
    #expect(hard.cost == Cost(compares: 3 * 9))
    #expect(throws: OpError.self) { try OpTesting.infer("Softmax", [[3, 10]], ["axis": .int(2)]) }
  }
}
