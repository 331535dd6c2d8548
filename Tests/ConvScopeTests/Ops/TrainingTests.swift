import ConvScope
import Testing

/// The `ai.onnx.preview.training` optimisers: outputs shaped as the spec lists them (new X and
/// new state per tensor) and their update formulas counted term by term.
@Suite struct TrainingTests {
  static let domain = "ai.onnx.preview.training"

  @Test func adagradUpdatesEachTensorAndItsAccumulator() throws {
    // test_adagrad_multiple: R, T, X1 [1], X2 [2], G1, G2, H1, H2 → X1', X2', H1', H2'.
    let out = try OpTesting.infer(
      "Adagrad", [[], [], [1], [2], [1], [2], [1], [2]],
      types: [.float32, .int64] + Array(repeating: .float32, count: 6),
      domain: Self.domain)
    #expect(out.outputs.map(\.shape) == [[1], [2], [1], [2]])
    // Per element: G' = c*X + G (MAC); H' = H + G'^2 (MAC); sqrt(H') + eps (other, add);
    // X - r * G' / sqrt (multiply, divide, add).
    let perElement = Cost(macs: 1 + 1, adds: 1 + 1, multiplies: 1, divides: 1, others: 1)
    #expect(out.cost == (try perElement.scaled(by: 1 + 2)))
  }

  @Test func momentumCountsNesterovsExtraTerm() throws {
    // test_momentum: R, T, X [2], G [2], V [2] → X', V'.
    let shapes: [Shape?] = [[], [], [2], [2], [2]]
    let standard = try OpTesting.infer("Momentum", shapes, ["mode": .string("standard")], domain: Self.domain)
    #expect(standard.outputs.map(\.shape) == [[2], [2]])
    // G' = c*X + G (MAC); V' = alpha*V + beta*G' (multiply, MAC); X - R*V' (MAC).
    #expect(standard.cost == Cost(macs: 2 * 3, multiplies: 2 * 1))
    // test_nesterov_momentum: X - R * (G' + alpha*V') is one MAC more.
    let nesterov = try OpTesting.infer("Momentum", shapes, ["mode": .string("nesterov")], domain: Self.domain)
    #expect(nesterov.cost == Cost(macs: 2 * 4, multiplies: 2 * 1))
  }

  @Test func adamKeepsTwoMoments() throws {
    // test_adam: R, T, X, G, V, H of 2 → X', V', H'.
    let out = try OpTesting.infer("Adam", [[], [], [2], [2], [2], [2]], domain: Self.domain)
    #expect(out.outputs.map(\.shape) == [[2], [2], [2]])
    // G' (MAC); V' = alpha*V + (1-alpha)*G' (multiply, MAC); H' = beta*H + (1-beta)*G'^2
    // (2 multiplies, MAC); sqrt(H') + eps (other, add); X - R'*V'/sqrt (multiply, divide, add);
    // (1 - c_post) * X (multiply).
    let perElement = Cost(macs: 3, adds: 2, multiplies: 1 + 2 + 1 + 1, divides: 1, others: 1)
    #expect(out.cost == (try perElement.scaled(by: 2)))
  }

  @Test func mismatchedGroupsAreErrors() {
    #expect(throws: OpError.self) { try OpTesting.infer("Adam", [[], [], [2], [2], [2]], domain: Self.domain) }
    #expect(throws: OpError.self) { try OpTesting.infer("Momentum", [[], [], [2], [3], [2]], domain: Self.domain) }
    // The optimisers live in the training domain only.
    #expect(throws: OpError.self) { try OpTesting.infer("Adam", [[], [], [2], [2], [2], [2]]) }
  }
}
