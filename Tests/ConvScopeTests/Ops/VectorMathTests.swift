import ConvScope
import Testing

/// LpNormalization, Det, Swish and SwiGLU: the spec's shapes and their formulas counted by hand
/// or by loops over the reference algorithm.
@Suite struct VectorMathTests {
  @Test func lpNormalizationDividesEachLineByItsNorm() throws {
    // test_l2normalization_axis_0: 2x2x3 over axis 0: 6 lines of 2.
    let l2 = try OpTesting.infer("LpNormalization", [[2, 2, 3]], ["axis": .int(0)])
    #expect(l2.outputs[0].shape == [2, 2, 3])
    // sqrt(sum x^2): 2 squares, 1 add, 1 sqrt per line; then 2 divides.
    #expect(l2.cost == Cost(adds: 6 * 1, multiplies: 12, divides: 12, others: 6))
    // test_l1normalization_axis_last: 2x2x3, p = 1: sum |x|, 4 lines of 3.
    let l1 = try OpTesting.infer("LpNormalization", [[2, 2, 3]], ["p": .int(1)])
    #expect(l1.cost == Cost(adds: 4 * 2, divides: 12, compares: 12))
    #expect(throws: OpError.self) { try OpTesting.infer("LpNormalization", [[2, 2]], ["p": .int(3)]) }
  }

  /// Gaussian elimination with partial pivoting on one M x M matrix, step by step.
  static func eliminationCost(_ m: Int) -> Cost {
    var cost = Cost()
    for k in 0..<m {
      for _ in (k + 1)..<max(m, k + 1) { cost.compares += 1 }  // pivot search below the diagonal
      for _ in (k + 1)..<max(m, k + 1) {
        cost.divides += 1  // row factor
        for _ in (k + 1)..<m { cost.macs += 1 }  // row update
      }
    }
    cost.multiplies = max(m - 1, 0)  // product of the pivots
    return cost
  }

  @Test func detEliminatesEachMatrix() throws {
    // test_det_nd: 3 matrices of 2x2 → [3]; test_det_2d: one 2x2 → a scalar.
    let batch = try OpTesting.infer("Det", [[3, 2, 2]])
    #expect(batch.outputs[0].shape == [3])
    #expect(batch.cost == (try Self.eliminationCost(2).scaled(by: 3)))
    #expect(try OpTesting.infer("Det", [[2, 2]]).outputs[0].shape == Shape([Int]()))
    for m in [1, 3, 5, 8] {
      #expect(try OpTesting.infer("Det", [Shape([m, m])]).cost == Self.eliminationCost(m))
    }
    #expect(throws: OpError.self) { try OpTesting.infer("Det", [[2, 3]]) }
  }

  @Test func swishAndSwiGLU() throws {
    // test_swish: x * sigmoid(alpha * x) = x / (1 + e^-(alpha*x)) on 3 values:
    // alpha*x and x*... (2 multiplies), 1 exp, 1 add, 1 divide.
    let swish = try OpTesting.infer("Swish", [[3]])
    #expect(swish.outputs[0].shape == [3])
    #expect(swish.cost == Cost(adds: 3, multiplies: 6, divides: 3, exponentials: 3))
    // test_swiglu: Swish(A) * B on 2x4: one multiply more per element.
    let swiglu = try OpTesting.infer("SwiGLU", [[2, 4], [2, 4]], opset: 28)
    #expect(swiglu.outputs[0].shape == [2, 4])
    #expect(swiglu.cost == Cost(adds: 8, multiplies: 8 * 3, divides: 8, exponentials: 8))
    // SwiGLU does not broadcast.
    #expect(throws: OpError.self) { try OpTesting.infer("SwiGLU", [[2, 4], [1, 4]]) }
  }
}
