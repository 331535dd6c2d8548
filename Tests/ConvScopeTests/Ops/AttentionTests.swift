import ConvScope
import Testing

@Suite struct AttentionTests {
  @Test func multiHeadFourDimensional() throws {
    // B 1, 8 heads, 128 queries and keys, head size 64.
    let out = try OpTesting.infer("Attention", [[1, 8, 128, 64], [1, 8, 128, 64], [1, 8, 128, 64]], opset: 23)
    #expect(out.outputs[0].shape == [1, 8, 128, 64])
    let scores = 1 * 8 * 128 * 128
    let rows = 8 * 128
    let n = 128
    #expect(out.cost.macs == scores * (64 + 64))  // Q·Kᵀ and scores·V
    #expect(out.cost.multiplies == scores)  // the scale
    #expect(out.cost.exponentials == rows * n)
    #expect(out.cost.divides == rows * n)
    #expect(out.cost.adds == rows * (2 * n - 1))  // softmax only: no mask
  }

  @Test func groupedQueryThreeDimensional() throws {
    // Q [2, 10, 8 heads * 16], K [2, 12, 2 heads * 16], V [2, 12, 2 heads * 20].
    let out = try OpTesting.infer(
      "Attention", [[2, 10, 128], [2, 12, 32], [2, 12, 40]], ["q_num_heads": .int(8), "kv_num_heads": .int(2)],
      opset: 23)
    #expect(out.outputs[0].shape == Shape([2, 10, 8 * 20]))
    #expect(out.cost.macs == 2 * 8 * 10 * 12 * (16 + 20))
    #expect(out.outputs[1].shape == [2, 2, 12, 16])  // present_key
    #expect(out.outputs[2].shape == [2, 2, 12, 20])  // present_value
  }

  @Test func pastKeysLengthenTheContext() throws {
    // 1 new token after 5 cached ones: T = 6.
    let out = try OpTesting.infer(
      "Attention", [[1, 4, 1, 8], [1, 4, 1, 8], [1, 4, 1, 8], nil, [1, 4, 5, 8], [1, 4, 5, 8]], opset: 23)
    #expect(out.outputs[0].shape == [1, 4, 1, 8])
    #expect(out.outputs[1].shape == [1, 4, 6, 8])
    #expect(out.cost.macs == 4 * 1 * 6 * (8 + 8))
  }

  @Test func maskAndSoftcapAddWork() throws {
    let shapes: [Shape?] = [[1, 2, 4, 8], [1, 2, 6, 8], [1, 2, 6, 8]]
    let scores = 2 * 4 * 6
    let plain = try OpTesting.infer("Attention", shapes, opset: 23)
    let causal = try OpTesting.infer("Attention", shapes, ["is_causal": .int(1)], opset: 23)
    #expect(causal.cost.adds - plain.cost.adds == scores)
    let capped = try OpTesting.infer("Attention", shapes, ["softcap": .float(30)], opset: 23)
    // c * tanh(s / c): a divide, a tanh (2 exps, 2 adds, 1 divide), a multiply per score.
    #expect(capped.cost.exponentials - plain.cost.exponentials == 2 * scores)
    #expect(capped.cost.divides - plain.cost.divides == 2 * scores)
  }

  @Test func inconsistentInputsAreErrors() {
    // Head sizes differ between Q and K.
    #expect(throws: OpError.self) {
      try OpTesting.infer("Attention", [[1, 2, 4, 8], [1, 2, 6, 16], [1, 2, 6, 8]], opset: 23)
    }
    // 5 query heads over 2 key/value heads.
    #expect(throws: OpError.self) {
      try OpTesting.infer("Attention", [[1, 5, 4, 8], [1, 2, 6, 8], [1, 2, 6, 8]], opset: 23)
    }
    // 3-D without head counts.
    #expect(throws: OpError.self) {
      try OpTesting.infer("Attention", [[1, 4, 24], [1, 6, 24], [1, 6, 24]], opset: 23)
    }
  }
}
