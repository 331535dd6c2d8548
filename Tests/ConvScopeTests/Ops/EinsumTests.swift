import ConvScope
import Testing

@Suite struct EinsumTests {
  private func einsum(_ equation: String, _ shapes: [Shape]) throws -> OpOutcome {
    try OpTesting.infer("Einsum", shapes, ["equation": .string(equation)])
  }

  // The examples of the ONNX Einsum page and its node tests.

  @Test func batchMatmul() throws {
    let out = try einsum("bij, bjk -> bik", [[5, 2, 3], [5, 3, 4]])
    #expect(out.outputs[0].shape == [5, 2, 4])
    #expect(out.cost == Cost(macs: 5 * 2 * 3 * 4))  // b*i*j*k
  }

  @Test func innerProductHasAnImplicitScalarOutput() throws {
    let out = try einsum("i,i", [[5], [5]])
    #expect(out.outputs[0].shape == [])
    #expect(out.cost.macs == 5)
  }

  @Test func transposeCostsNothing() throws {
    let out = try einsum("ij->ji", [[3, 4]])
    #expect(out.outputs[0].shape == [4, 3])
    #expect(out.cost == .zero)
  }

  @Test func sumAddsAllButOnePerRow() throws {
    let out = try einsum("ij->i", [[3, 4]])
    #expect(out.outputs[0].shape == [3])
    #expect(out.cost == Cost(adds: 3 * (4 - 1)))
  }

  @Test func batchDiagonalWithEllipsis() throws {
    let out = try einsum("...ii ->...i", [[3, 5, 5]])
    #expect(out.outputs[0].shape == [3, 5])
    #expect(out.cost == .zero)  // reads the diagonal, sums nothing
  }

  @Test func implicitOutputIsAlphabetical() throws {
    // "ij,jk" → "ik"; "ba" alone → "ab", a transpose.
    #expect(try einsum("ij,jk", [[2, 3], [3, 4]]).outputs[0].shape == [2, 4])
    #expect(try einsum("ba", [[2, 3]]).outputs[0].shape == [3, 2])
    // Trace: "ii" → scalar, n-1 adds.
    let trace = try einsum("ii", [[4, 4]])
    #expect(trace.outputs[0].shape == [])
    #expect(trace.cost == Cost(adds: 3))
  }

  @Test func ellipsisDimsBroadcast() throws {
    let out = try einsum("...ij,...jk->...ik", [[2, 1, 3, 4], [5, 4, 6]])
    #expect(out.outputs[0].shape == [2, 5, 3, 6])
    #expect(out.cost.macs == 2 * 5 * 3 * 4 * 6)
  }

  @Test func threeOperandsMultiplyTwicePerPoint() throws {
    // "i,j,k->ijk": 2*3*4 = 24 points; each one MAC plus one extra multiply.
    let out = try einsum("i,j,k->ijk", [[2], [3], [4]])
    #expect(out.outputs[0].shape == [2, 3, 4])
    #expect(out.cost == Cost(macs: 24, multiplies: 24))
  }

  @Test func malformedEquationsAreErrors() {
    #expect(throws: OpError.self) { try einsum("ij,jk->ik", [[2, 3], [4, 5]]) }  // j is 3 and 4
    #expect(throws: OpError.self) { try einsum("ij,jk->ik", [[2, 3]]) }  // one input for two terms
    #expect(throws: OpError.self) { try einsum("ij->ik", [[2, 3]]) }  // k appears in no input
    #expect(throws: OpError.self) { try einsum("ijk->i", [[2, 3]]) }  // rank 2 for three letters
    #expect(throws: OpError.self) { try einsum("i1->i", [[2, 3]]) }
    #expect(throws: OpError.self) { try einsum("i->ii", [[2]]) }  // an output index twice
    #expect(throws: OpError.self) { try OpTesting.infer("Einsum", [[2]]) }  // no equation
  }
}
