import ConvScope
import Testing

/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss against the ONNX spec's shapes
/// (`none` keeps the target's shape, `mean`/`sum` give a scalar) and a loop that counts the
/// reference implementation's operations target element by target element.
@Suite struct LossesTests {
  /// The reference loss counted one target element at a time: gather and negate (1 add), times
  /// the class weight (1 multiply), the ignore test (1 compare); then the reduction.
  static func bruteForce(elements: Int, weighted: Bool, ignores: Bool, reduction: String) -> Cost {
    var cost = Cost()
    var lossSum = false
    var weightSum = false
    for _ in 0..<elements {
      if ignores { cost.compares += 1 }
      cost.adds += 1  // -input[n, target, d...]
      if weighted { cost.multiplies += 1 }
      if reduction != "none" {
        if lossSum { cost.adds += 1 }
        lossSum = true
        if reduction == "mean" && (weighted || ignores) {
          if weightSum { cost.adds += 1 }
          weightSum = true
        }
      }
    }
    if reduction == "mean" && elements > 0 { cost.divides += 1 }
    return cost
  }

  @Test func nllShapesFollowTheReduction() throws {
    // test_nllloss_NCd1d2: input 3x5x6x6, target 3x6x6, reduction none → 3x6x6.
    let none = try OpTesting.infer(
      "NegativeLogLikelihoodLoss", [[3, 5, 6, 6], [3, 6, 6]], ["reduction": .string("none")], types: [.float32, .int64])
    #expect(none.outputs.map(\.shape) == [[3, 6, 6]])
    #expect(none.cost == Self.bruteForce(elements: 108, weighted: false, ignores: false, reduction: "none"))
    // test_nllloss_NCd1d2_reduction_mean (mean is the default) → a scalar.
    let mean = try OpTesting.infer("NegativeLogLikelihoodLoss", [[3, 5, 6, 6], [3, 6, 6]])
    #expect(mean.outputs[0].shape == Shape([Int]()))
    #expect(mean.cost == Self.bruteForce(elements: 108, weighted: false, ignores: false, reduction: "mean"))
    #expect(mean.cost == Cost(adds: 108 + 107, divides: 1))
  }

  @Test func weightsAndIgnoredClassesAreCounted() throws {
    // test_nllloss_NCd1_mean_weight_negative_ii: input 3x5x6, target 3x6, weight 5, ignore_index -1.
    let out = try OpTesting.infer(
      "NegativeLogLikelihoodLoss", [[3, 5, 6], [3, 6], [5]], ["ignore_index": .int(-1)])
    #expect(out.outputs[0].shape == Shape([Int]()))
    #expect(out.cost == Self.bruteForce(elements: 18, weighted: true, ignores: true, reduction: "mean"))
    #expect(out.inputRoles[2] == .configuration)
    let sum = try OpTesting.infer(
      "NegativeLogLikelihoodLoss", [[3, 5], [3], [5]], ["reduction": .string("sum")])
    #expect(sum.cost == Self.bruteForce(elements: 3, weighted: true, ignores: false, reduction: "sum"))
  }

  @Test func softmaxCrossEntropyAddsALogSoftmaxAndItsOutput() throws {
    // test_sce_mean_3d_log_prob: scores 3x5x2, labels 3x2 → loss scalar, log_prob 3x5x2.
    let out = try OpTesting.infer("SoftmaxCrossEntropyLoss", [[3, 5, 2], [3, 2]])
    #expect(out.outputs.map(\.shape) == [Shape([Int]()), [3, 5, 2]])
    // LogSoftmax over C = 5 at each of the 6 positions: 4 compares, 5 + 4 + 5 adds, 5 exps, 1 log.
    var expected = Self.bruteForce(elements: 6, weighted: false, ignores: false, reduction: "mean")
    expected.compares += 6 * 4
    expected.adds += 6 * 14
    expected.exponentials += 6 * 5
    expected.others += 6
    #expect(out.cost == expected)
  }

  @Test func aTargetThatDoesNotMatchIsAnError() {
    #expect(throws: OpError.self) { try OpTesting.infer("NegativeLogLikelihoodLoss", [[3, 5, 2], [3, 5]]) }
    #expect(throws: OpError.self) {
      try OpTesting.infer("NegativeLogLikelihoodLoss", [[3, 5], [3], [4]])
    }
    #expect(throws: OpError.self) {
      try OpTesting.infer("NegativeLogLikelihoodLoss", [[3, 5], [3]], ["reduction": .string("max")])
    }
  }
}
