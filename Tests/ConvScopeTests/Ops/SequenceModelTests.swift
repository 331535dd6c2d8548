import ConvScope
import Testing

@Suite struct SequenceModelTests {
  // MARK: RotaryEmbedding

  /// The spec's `rotary_embedding` reference, walked one scalar at a time: for every batch item,
  /// position, head and rotated pair, `real = cos*x1 - sin*x2` and `imag = sin*x1 + cos*x2`.
  static func walkRotary(batch: Int, sequence: Int, heads: Int, rotary: Int) -> Cost {
    var cost = Cost()
    for _ in 0..<batch {
      for _ in 0..<sequence {
        for _ in 0..<heads {
          for _ in 0..<(rotary / 2) {
            cost.multiplies += 2  // cos*x1, sin*x2
            cost.adds += 1  // real
            cost.multiplies += 2  // sin*x1, cos*x2
            cost.adds += 1  // imag
          }
        }
      }
    }
    return cost
  }

  @Test func rotaryEmbeddingNodeTests() throws {
    // test_rotary_embedding: X [2, 4, 3, 8] (B, H, S, D), caches [50, 4], position_ids [2, 3].
    let full = try OpTesting.infer("RotaryEmbedding", [[2, 4, 3, 8], [50, 4], [50, 4], [2, 3]], opset: 23)
    #expect(full.outputs[0].shape == [2, 4, 3, 8])
    #expect(full.cost == Self.walkRotary(batch: 2, sequence: 3, heads: 4, rotary: 8))
    #expect(full.inputRoles[1] == .statistic && full.inputRoles[3] == .configuration)
    // test_rotary_embedding_3d_input: X [2, 3, 32] with num_heads 4: head size 8.
    let packed = try OpTesting.infer(
      "RotaryEmbedding", [[2, 3, 32], [50, 4], [50, 4], [2, 3]], ["num_heads": .int(4)], opset: 23)
    #expect(packed.outputs[0].shape == [2, 3, 32])
    #expect(packed.cost == Self.walkRotary(batch: 2, sequence: 3, heads: 4, rotary: 8))
    // test_rotary_embedding_no_position_ids_rotary_dim: caches [B, S, R/2] = [2, 3, 2], R = 4.
    let partial = try OpTesting.infer(
      "RotaryEmbedding", [[2, 4, 3, 8], [2, 3, 2], [2, 3, 2]], ["rotary_embedding_dim": .int(4)], opset: 23)
    #expect(partial.outputs[0].shape == [2, 4, 3, 8])
    #expect(partial.cost == Self.walkRotary(batch: 2, sequence: 3, heads: 4, rotary: 4))
  }

  @Test func rotaryEmbeddingRefusesWhatTheSpecForbids() {
    // Caches sized for the full head (4 = 8/2) under rotary_embedding_dim 4.
    #expect(throws: OpError.self) {
      try OpTesting.infer(
        "RotaryEmbedding", [[2, 4, 3, 8], [50, 4], [50, 4], [2, 3]], ["rotary_embedding_dim": .int(4)])
    }
    #expect(throws: OpError.self) {
      try OpTesting.infer("RotaryEmbedding", [[2, 3, 32], [50, 4], [50, 4], [2, 3]])
    }
    #expect(throws: OpError.self) {
      try OpTesting.infer("RotaryEmbedding", [[2, 4, 3, 7], [50, 3], [50, 3], [2, 3]])
    }
    #expect(throws: OpError.self) {
      try OpTesting.infer("RotaryEmbedding", [[2, 4, 3, 8], [50, 4], [50, 4], [3, 2]])
    }
    #expect(throws: OpError.self) { try OpTesting.infer("RotaryEmbedding", [[2, 4, 3, 8], [2, 4, 4], [2, 4, 4]]) }
  }

  // MARK: LinearAttention

  /// A LinearAttention node as a test draws it.
  struct Linear: CustomStringConvertible {
    var rule = "gated_delta"
    var batch = 2
    var tokens = 3
    var qHeads = 4
    var kvHeads = 2
    var keySize = 3
    var valueSize = 5
    var past = false
    var perKeyDecay = true
    var scalarBeta = false

    var gated: Bool { rule == "gated" || rule == "gated_delta" }
    var delta: Bool { rule == "delta" || rule == "gated_delta" }
    var description: String {
      "\(rule) B\(batch) T\(tokens) Hq\(qHeads) Hkv\(kvHeads) dk\(keySize) dv\(valueSize) past \(past)"
        + " perKey \(perKeyDecay) scalarBeta \(scalarBeta)"
    }

    func infer() throws -> OpOutcome {
      let (b, t) = (batch, tokens)
      let shapes: [Shape?] = [
        Shape([b, t, qHeads * keySize]), Shape([b, t, kvHeads * keySize]), Shape([b, t, kvHeads * valueSize]),
        past ? Shape([b, kvHeads, keySize, valueSize]) : nil,
        gated ? Shape([b, t, perKeyDecay ? kvHeads * keySize : kvHeads]) : nil,
        delta ? Shape([b, t, scalarBeta ? 1 : kvHeads]) : nil,
      ]
      return try OpTesting.infer(
        "LinearAttention", shapes,
        ["update_rule": .string(rule), "q_num_heads": .int(qHeads), "kv_num_heads": .int(kvHeads)], opset: 27)
    }

    /// The reference's loop (`op_linear_attention.py`), one scalar operation at a time.
    func walk() -> Cost {
      var cost = Cost()
      for _ in 0..<tokens {
        for _ in 0..<batch {
          for _ in 0..<kvHeads {
            if gated {
              cost.exponentials += perKeyDecay ? keySize : 1  // exp(g_t)
              for _ in 0..<keySize { for _ in 0..<valueSize { cost.multiplies += 1 } }  // state * exp(g_t)
            }
            if delta {
              for _ in 0..<valueSize {
                for _ in 0..<keySize { cost.macs += 1 }  // retrieved = Sᵀ k
                cost.adds += 1  // v_t - retrieved
                cost.multiplies += 1  // beta * (...)
              }
            }
            for _ in 0..<keySize { for _ in 0..<valueSize { cost.macs += 1 } }  // state += k ⊗ v
          }
          for _ in 0..<qHeads {
            for _ in 0..<valueSize {
              for _ in 0..<keySize { cost.macs += 1 }  // qᵀ S
              cost.multiplies += 1  // scale
            }
          }
        }
      }
      return cost
    }
  }

  @Test func linearAttentionNodeTestShapes() throws {
    // test_linear_attention_gated_delta_mqa: query [2, 4, 64], key/value [2, 4, 8], 8 query heads
    // over 1 key/value head: dk = 64/8 = 8, dv = 8 → output [2, 4, 64], present_state [2, 1, 8, 8].
    let mqa = try OpTesting.infer(
      "LinearAttention", [[2, 4, 64], [2, 4, 8], [2, 4, 8], nil, [2, 4, 8], [2, 4, 1]],
      ["q_num_heads": .int(8), "kv_num_heads": .int(1)], opset: 27)
    #expect(mqa.outputs.map(\.shape) == [[2, 4, 64], [2, 1, 8, 8]])
    // test_linear_attention_linear: 4 heads of 8 → 2*4*(4*64 + 4*64) MACs and 2*4*4*8 scale multiplies.
    let linear = try Linear(rule: "linear", batch: 2, tokens: 4, qHeads: 4, kvHeads: 4, keySize: 8, valueSize: 8)
      .infer()
    #expect(linear.outputs.map(\.shape) == [[2, 4, 32], [2, 4, 8, 8]])
    #expect(linear.cost == Cost(macs: 4_096, multiplies: 256))
  }

  @Test func linearAttentionMatchesTheReferenceLoopOn20RandomConfigurations() throws {
    var rng = SeededGenerator(state: 27)
    for _ in 0..<20 {
      var c = Linear()
      c.rule = ["linear", "gated", "delta", "gated_delta"][Int.random(in: 0..<4, using: &rng)]
      c.batch = Int.random(in: 1...3, using: &rng)
      c.tokens = Int.random(in: 1...4, using: &rng)
      c.kvHeads = Int.random(in: 1...3, using: &rng)
      c.qHeads = c.kvHeads * Int.random(in: 1...3, using: &rng)
      c.keySize = Int.random(in: 2...5, using: &rng)
      c.valueSize = Int.random(in: 1...5, using: &rng)
      c.past = Bool.random(using: &rng)
      c.perKeyDecay = Bool.random(using: &rng)
      c.scalarBeta = Bool.random(using: &rng)
      let out = try c.infer()
      #expect(out.cost == c.walk(), "\(c)")
      #expect(
        out.outputs.map(\.shape)
          == [
            Shape([c.batch, c.tokens, c.qHeads * c.valueSize]), Shape([c.batch, c.kvHeads, c.keySize, c.valueSize]),
          ],
        "\(c)")
    }
  }

  @Test func linearAttentionInputsFollowTheUpdateRule() {
    let qkv: [Shape?] = [[1, 2, 8], [1, 2, 8], [1, 2, 8]]
    let heads: [String: AttributeValue] = ["q_num_heads": .int(2), "kv_num_heads": .int(2)]
    // gated_delta (the default) needs decay and beta; linear forbids them.
    #expect(throws: OpError.self) { try OpTesting.infer("LinearAttention", qkv, heads) }
    var linear = heads
    linear["update_rule"] = .string("linear")
    #expect(throws: OpError.self) { try OpTesting.infer("LinearAttention", qkv + [nil, nil, [1, 2, 2]], linear) }
    #expect(throws: OpError.self) { try OpTesting.infer("LinearAttention", qkv, ["q_num_heads": .int(3)]) }
    // A past state of the wrong size: dk = dv = 4 here.
    #expect(throws: OpError.self) { try OpTesting.infer("LinearAttention", qkv + [[1, 2, 4, 5]], linear) }
  }

  // MARK: CausalConvWithState

  /// The reference (`op_causal_conv_with_state.py`): a depthwise valid convolution over the
  /// `k - 1` past positions and the input, then the optional SiLU, walked output by output.
  static func walkCausalConv(batch: Int, channels: Int, length: Int, kernel: Int, bias: Bool, silu: Bool) -> Cost {
    var cost = Cost()
    for _ in 0..<batch {
      for _ in 0..<channels {
        for _ in 0..<length {
          for _ in 0..<kernel { cost.macs += 1 }
          if bias { cost.adds += 1 }
          if silu {  // x * 1/(1 + e^-x)
            cost.exponentials += 1
            cost.adds += 1
            cost.divides += 1
            cost.multiplies += 1
          }
        }
      }
    }
    return cost
  }

  @Test func causalConvWithStateNodeTestsAndBruteForce() throws {
    // test_causal_conv_with_state_kernel_size_one: k 1 → present_state [2, 4, 0].
    let one = try OpTesting.infer("CausalConvWithState", [[2, 4, 8], [4, 1, 1]], opset: 27)
    #expect(one.outputs.map(\.shape) == [[2, 4, 8], [2, 4, 0]])
    var rng = SeededGenerator(state: 5)
    for _ in 0..<20 {
      let (b, c, l, k) = (
        Int.random(in: 1...3, using: &rng), Int.random(in: 1...5, using: &rng), Int.random(in: 1...6, using: &rng),
        Int.random(in: 1...5, using: &rng)
      )
      let bias = Bool.random(using: &rng)
      let past = Bool.random(using: &rng)
      let activation = ["none", "silu", "swish"][Int.random(in: 0..<3, using: &rng)]
      let shapes: [Shape?] = [
        Shape([b, c, l]), Shape([c, 1, k]), bias ? Shape([c]) : nil, past ? Shape([b, c, k - 1]) : nil,
      ]
      let out = try OpTesting.infer("CausalConvWithState", shapes, ["activation": .string(activation)], opset: 27)
      #expect(out.outputs.map(\.shape) == [Shape([b, c, l]), Shape([b, c, k - 1])])
      let walked = Self.walkCausalConv(
        batch: b, channels: c, length: l, kernel: k, bias: bias, silu: activation != "none")
      #expect(out.cost == walked, "B\(b) C\(c) L\(l) k\(k) bias \(bias) \(activation)")
    }
  }

  @Test func causalConvWithStateParamsAndErrors() throws {
    let weight = ConstantTensor(dataType: .float32, dims: [4, 1, 4])
    let bias = ConstantTensor(dataType: .float32, dims: [4])
    let out = try OpTesting.infer(
      "CausalConvWithState", [[2, 4, 8], [4, 1, 4], [4]], constants: [1: weight, 2: bias], opset: 27)
    #expect(out.paramFormula == "4*1*4+4 = 20")
    #expect(out.inputRoles[1] == .weight && out.inputRoles[2] == .bias)
    #expect(throws: OpError.self) { try OpTesting.infer("CausalConvWithState", [[2, 4, 8], [3, 1, 4]]) }
    #expect(throws: OpError.self) { try OpTesting.infer("CausalConvWithState", [[2, 4, 8], [4, 2, 4]]) }
    #expect(throws: OpError.self) {
      try OpTesting.infer("CausalConvWithState", [[2, 4, 8], [4, 1, 4], nil, [2, 4, 4]])
    }
    #expect(throws: OpError.self) {
      try OpTesting.infer("CausalConvWithState", [[2, 4, 8], [4, 1, 4]], ["activation": .string("gelu")])
    }
  }

  // MARK: FlexAttention

  /// Runs the `ai.onnx.preview` FlexAttention rule on inputs of the given shapes.
  static func flex(_ shapes: [Shape], _ attributes: [String: AttributeValue] = [:]) throws -> OpOutcome {
    guard let rule = OpRegistry.standard.rule(domain: "ai.onnx.preview", opType: "FlexAttention") else {
      throw OpError("no FlexAttention rule in ai.onnx.preview")
    }
    let inputs = shapes.enumerated().map { TensorInfo(name: "in\($0)", dataType: .float32, shape: $1) }
    let node = Node(
      name: "flex", opType: "FlexAttention", domain: "ai.onnx.preview", inputs: inputs.map(\.name), outputs: ["Y"],
      attributes: attributes)
    return try rule.infer(NodeContext(node: node, inputs: inputs, constants: inputs.map { _ in nil }, opset: 26))
  }

  @Test func flexAttentionIsScaledDotProductAttention() throws {
    // test_flexattention_gqa: Q [2, 8, 4, 16], K and V [2, 2, 6, 16]: 2*8*4 rows of 6 scores.
    let out = try Self.flex([[2, 8, 4, 16], [2, 2, 6, 16], [2, 2, 6, 16]])
    #expect(out.outputs[0].shape == [2, 8, 4, 16])
    let (rows, n) = (2 * 8 * 4, 6)
    #expect(out.cost.macs == rows * n * (16 + 16))
    #expect(out.cost.multiplies == rows * n)  // the scale
    #expect(out.cost.exponentials == rows * n && out.cost.divides == rows * n)
    #expect(out.warnings.isEmpty)
    // The same shapes through Attention (no mask) cost the same.
    let plain = try OpTesting.infer("Attention", [[2, 8, 4, 16], [2, 2, 6, 16], [2, 2, 6, 16]], opset: 23)
    #expect(out.cost == plain.cost)
    // test_flexattention_diff_head_sizes: V's head size 32 gives Y's.
    #expect(try Self.flex([[2, 4, 8, 16], [2, 4, 6, 16], [2, 4, 6, 32]]).outputs[0].shape == [2, 4, 8, 32])
  }

  @Test func flexAttentionNamesTheSubgraphsItDoesNotCount() throws {
    let body = Graph(name: "score_mod", inputs: [], outputs: [], nodes: [])
    let out = try Self.flex([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]], ["score_mod": .graph(body)])
    #expect(out.warnings == ["the score_mod subgraph's work is not counted"])
    #expect(throws: OpError.self) { try Self.flex([[1, 3, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]) }  // 3 heads over 2
    #expect(throws: OpError.self) { try Self.flex([[1, 2, 3, 4], [1, 2, 3, 5], [1, 2, 3, 4]]) }  // E differs
    #expect(throws: OpError.self) { try Self.flex([[2, 3, 4], [2, 3, 4], [2, 3, 4]]) }
  }
}
