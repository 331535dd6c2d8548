import ConvScope
import Testing

/// The random generators: shapes and types as the spec gives them, a draw per element.
@Suite struct RandomTests {
  @Test func randomOpsTakeTheirShapeAndType() throws {
    // test_bernoulli_double: float probabilities, dtype double → [10] doubles; a draw and a compare each.
    let bernoulli = try OpTesting.infer("Bernoulli", [[10]], ["dtype": .int(11)])
    #expect(bernoulli.outputs[0] == .init(dataType: .float64, shape: [10]))
    #expect(bernoulli.cost == Cost(compares: 10, others: 10))
    // test_bernoulli_expanded: RandomUniformLike keeps the input's type; low + (high-low)*u is a MAC.
    let uniform = try OpTesting.infer("RandomUniformLike", [[10]], types: [.float64])
    #expect(uniform.outputs[0] == .init(dataType: .float64, shape: [10]))
    #expect(uniform.cost == Cost(macs: 10, others: 10))
    let normal = try OpTesting.infer("RandomNormal", [], ["shape": .ints([2, 3])])
    #expect(normal.outputs[0] == .init(dataType: .float32, shape: [2, 3]))
    #expect(throws: OpError.self) { try OpTesting.infer("RandomUniform", []) }
    #expect(OpRegistry.isNondeterministic(domain: "", opType: "Bernoulli"))
  }
}
