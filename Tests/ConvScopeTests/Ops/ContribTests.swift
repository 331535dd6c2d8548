import ConvScope
import Testing

/// ONNX Runtime's `com.microsoft` ops, by the shapes and formulas of its ContribOperators.md.
@Suite struct ContribTests {
  static func infer(
    _ op: String, _ shapes: [Shape?], _ attributes: [String: AttributeValue] = [:], types: [DataType]? = nil,
    constants: [Int: ConstantTensor] = [:]
  ) throws -> OpOutcome {
    try OpTesting.infer(op, shapes, attributes, types: types, constants: constants, domain: "com.microsoft")
  }

  @Test func aContribOpIsFoundInItsDomainOnly() {
    let registry = OpRegistry.standard
    // ONNX's own Attention (opset 23) and ONNX Runtime's are different ops with different rules.
    let contrib = registry.rule(domain: "com.microsoft", opType: "Attention")
    let standard = registry.rule(domain: "", opType: "Attention")
    #expect(contrib is ContribAttentionRule && standard is AttentionRule)
    // The default domain's key is the op type alone: a colon in it cannot reach a custom domain.
    #expect(registry.rule(domain: "", opType: "com.microsoft:Attention") == nil)
    #expect(registry.rule(domain: "ai.onnx", opType: "com.microsoft:Attention") == nil)
    #expect(registry.rule(domain: "ai.onnx", opType: "Conv") != nil)
    #expect(registry.rule(domain: "", opType: "Conv") != nil)
    #expect(registry.rule(domain: "com.microsoft", opType: "Conv") == nil)
    let names = registry.all.map(\.opType)
    #expect(names.contains("Conv") && names.contains("SkipLayerNormalization"))
  }

  @Test func attentionProjectsThenAttends() throws {
    // input [2, 16, 32], merged weights [32, 96], 2 heads of 16, past of 4 positions.
    let out = try Self.infer(
      "Attention", [[2, 16, 32], [32, 96], [96], [2, 20], [2, 2, 2, 4, 16]], ["num_heads": .int(2)],
      constants: [1: ConstantTensor(dataType: .float32, dims: [32, 96])])
    #expect(out.outputs[0].shape == [2, 16, 32])
    #expect(out.outputs[1].shape == [2, 2, 2, 20, 16])  // present: T = 4 + 16
    let projection = 2 * 16 * 32 * 96
    let attention = 2 * 2 * 16 * 20 * (16 + 16)
    #expect(out.cost.macs == projection + attention)
    #expect(out.inputRoles[1] == .weight && out.inputRoles[2] == .bias)
    #expect(out.paramFormula == "32*96+96 = 3168")
  }

  @Test func multiHeadAttentionAcceptsSeparatePackedAndSplitKeys() throws {
    let attributes: [String: AttributeValue] = ["num_heads": .int(4)]
    let separate = try Self.infer("MultiHeadAttention", [[2, 10, 64], [2, 12, 64], [2, 12, 32]], attributes)
    #expect(separate.outputs[0].shape == [2, 10, 32])  // v hidden 32 = 4 heads of 8
    #expect(separate.outputs[1].shape == [2, 4, 12, 16])
    #expect(separate.cost.macs == 2 * 4 * 10 * 12 * (16 + 8))
    let packed = try Self.infer("MultiHeadAttention", [[2, 10, 4, 3, 16]])
    #expect(packed.outputs[0].shape == [2, 10, 64])
    #expect(packed.cost.macs == 2 * 4 * 10 * 10 * (16 + 16))
    let split = try Self.infer("MultiHeadAttention", [[2, 10, 64], [2, 4, 7, 16], [2, 4, 7, 16]], attributes)
    #expect(split.outputs[0].shape == [2, 10, 64])
    #expect(split.cost.macs == 2 * 4 * 10 * 7 * 32)
  }

  @Test func groupQueryAttentionUsesTheTotalSequenceLength() throws {
    // 1 new token, 8 query heads and 2 kv heads of 16, past 7, total 8.
    let shapes: [Shape?] = [[1, 1, 128], [1, 1, 32], [1, 1, 32], [1, 2, 7, 16], [1, 2, 7, 16], [1], []]
    let out = try Self.infer(
      "GroupQueryAttention", shapes, ["num_heads": .int(8), "kv_num_heads": .int(2)],
      types: [.float32, .float32, .float32, .float32, .float32, .int32, .int64], constants: [6: .int64s([8])])
    #expect(out.outputs[0].shape == [1, 1, 128])
    #expect(out.outputs[1].shape == [1, 2, 8, 16])
    #expect(out.cost.macs == 8 * 1 * 8 * (16 + 16))
    // Packed QKV: (8 + 2*2) heads of 16 in the query; no past: T = S.
    let packed = try Self.infer(
      "GroupQueryAttention", [[1, 4, 192], nil, nil, nil, nil, [1], []],
      ["num_heads": .int(8), "kv_num_heads": .int(2), "do_rotary": .int(1)])
    #expect(packed.outputs[0].shape == [1, 4, 128])
    #expect(packed.cost.macs == 8 * 4 * 4 * 32)
    // rotation of Q and K: (8 + 2) heads * 4 tokens * 16, 2 multiplies each (+ the score scale).
    #expect(packed.cost.multiplies == 2 * 10 * 4 * 16 + 8 * 4 * 4)
  }

  @Test func rotaryEmbeddingRotatesTheRotaryDimOfEachHead() throws {
    // 4 heads of 16 in [1, 6, 64]; caches [32, 4]: R = 8 of each 16 rotated.
    let out = try Self.infer("RotaryEmbedding", [[1, 6, 64], [1, 6], [32, 4], [32, 4]], ["num_heads": .int(4)])
    #expect(out.outputs[0].shape == [1, 6, 64])
    let rotated = 6 * 4 * 8
    #expect(out.cost == Cost(adds: rotated, multiplies: 2 * rotated))
    #expect(out.inputRoles[2] == .configuration)
  }

  @Test func skipLayerNormalizationAddsThenNormalizes() throws {
    let n = 2 * 8 * 32
    let groups = 2 * 8
    let out = try Self.infer("SkipLayerNormalization", [[2, 8, 32], [2, 8, 32], [32], [32], [32]])
    #expect(out.outputs.map(\.shape) == [[2, 8, 32], [2, 8, 1], [2, 8, 1]])
    // skip and bias adds, then LayerNorm: adds 4n - groups, multiplies 3n.
    #expect(out.cost.adds == 2 * n + 4 * n - groups)
    #expect(out.cost.multiplies == 3 * n)
    #expect(out.paramFormula == "32+32+32 = 96")
    let rms = try Self.infer("SkipSimplifiedLayerNormalization", [[2, 8, 32], [2, 8, 32], [32]])
    // RMS: adds n (sum of squares) + groups (epsilon), multiplies 3n; plus the skip add.
    #expect(rms.cost.adds == n + (n - groups) + groups)
    #expect(rms.cost.multiplies == 3 * n)
  }

  @Test func simplifiedLayerNormalizationIsTheDefaultDomainsRMSNorm() throws {
    let out = try OpTesting.infer("SimplifiedLayerNormalization", [[1, 4, 16], [16]])
    #expect(out.outputs.map(\.shape) == [[1, 4, 16], [1, 4, 1]])
    #expect(out.cost == (try OpTesting.infer("RMSNormalization", [[1, 4, 16], [16]], opset: 23).cost))
  }

  @Test func embedLayerNormalizationSumsThreeLookups() throws {
    let shapes: [Shape?] = [[2, 8], [2, 8], [100, 32], [64, 32], [2, 32], [32], [32]]
    let out = try Self.infer(
      "EmbedLayerNormalization", shapes, types: [.int32, .int32] + Array(repeating: .float32, count: 5))
    #expect(out.outputs.map(\.shape) == [[2, 8, 32], [2], [2, 8, 32]])
    #expect(out.outputs[1].dataType == .int32)
    let n = 2 * 8 * 32
    #expect(out.cost.adds == 2 * n + 4 * n - 16)
    #expect(out.paramFormula == "3200+2048+64+32+32 = 5376")
  }

  @Test func geluFormsCountTheirFormulas() throws {
    let n = 4 * 10
    let gelu = try Self.infer("Gelu", [[4, 10]])
    #expect(gelu.cost == Cost(adds: n, multiplies: 3 * n, others: n))  // 0.5x(1 + erf(x/√2))
    let bias = try Self.infer("BiasGelu", [[4, 10], [10]])
    #expect(bias.cost == Cost(adds: 2 * n, multiplies: 3 * n, others: n))
    #expect(bias.inputRoles[1] == .bias)
    let quick = try Self.infer("QuickGelu", [[4, 10]])
    #expect(quick.cost == Cost(adds: n, multiplies: 2 * n, divides: n, exponentials: n))  // x * 1/(1+e^-ax)
    let fast = try Self.infer("FastGelu", [[4, 10]])
    #expect(fast.cost.exponentials == 2 * n)  // one tanh
    #expect(try Self.infer("BiasAdd", [[2, 4, 10], [10], [2, 4, 10]]).cost == Cost(adds: 2 * 80))
  }

  @Test func fusedAndNhwcConvolutions() throws {
    let fused = try Self.infer(
      "FusedConv", [[1, 3, 8, 8], [4, 3, 3, 3], [4], [1, 4, 6, 6]], ["activation": .string("Relu")])
    #expect(fused.outputs[0].shape == [1, 4, 6, 6])
    let outputs = 4 * 6 * 6
    #expect(fused.cost.macs == outputs * 27)
    #expect(fused.cost.adds == 2 * outputs)  // bias and Z
    #expect(fused.cost.compares == outputs)
    // NhwcConv: X [N, H, W, C], W [M, kH, kW, C].
    let nhwc = try Self.infer("NhwcConv", [[1, 8, 8, 3], [4, 3, 3, 3]], ["strides": .ints([2, 2])])
    #expect(nhwc.outputs[0].shape == [1, 3, 3, 4])  // (8-3)/2+1 = 3
    #expect(nhwc.cost.macs == 3 * 3 * 4 * 27)
    let qlinear = try Self.infer(
      "QLinearConv", [[1, 8, 8, 3], [], [], [4, 3, 3, 3], [4], [4], [], []], ["channels_last": .int(1)],
      types: [.uint8, .float32, .uint8, .int8, .float32, .int8, .float32, .uint8])
    #expect(qlinear.outputs[0].shape == [1, 6, 6, 4])
  }

  @Test func matMulNBitsCountsTheLogicalWeights() throws {
    // K 64, N 128, 4 bits, blocks of 32: B [128, 2, 16].
    let out = try Self.infer(
      "MatMulNBits", [[1, 8, 64], [128, 2, 16], [128, 2], [128, 1]],
      ["K": .int(64), "N": .int(128), "bits": .int(4), "block_size": .int(32)],
      types: [.float32, .uint8, .float32, .uint8])
    #expect(out.outputs[0].shape == [1, 8, 128])
    #expect(out.cost.macs == 8 * 128 * 64)
    #expect(out.packedWeightElements[1] == 128 * 64)
    #expect(out.inputRoles[2] == .quantization && out.inputRoles[3] == .quantization)
    #expect(throws: OpError.self) {
      try Self.infer(
        "MatMulNBits", [[1, 8, 64], [128, 4, 16]], ["K": .int(64), "N": .int(128), "block_size": .int(32)])
    }
  }

  @Test func fusedAndQuantizedMatMuls() throws {
    let fused = try Self.infer(
      "FusedMatMul", [[2, 5, 3], [2, 4, 3]], ["transB": .int(1), "alpha": .float(0.5)])
    #expect(fused.outputs[0].shape == [2, 5, 4])
    #expect(fused.cost == Cost(macs: 2 * 5 * 4 * 3, multiplies: 2 * 5 * 4))
    let dynamic = try Self.infer(
      "DynamicQuantizeMatMul", [[3, 16], [16, 8], [8], [8], [8]], types: [.float32, .int8, .float32, .int8, .float32])
    #expect(dynamic.outputs[0].shape == [3, 8])
    #expect(dynamic.cost.macs == 3 * 8 * 16)
    #expect(dynamic.inputRoles[1] == .weight && dynamic.inputRoles[4] == .bias)
    let shapes: [Shape?] = [[2, 16], [], [], [10, 16], [10], [10], [10], [], []]
    let types: [DataType] = [.uint8, .float32, .uint8, .int8, .float32, .int8, .int32, .float32, .uint8]
    let gemm = try Self.infer("QGemm", shapes, ["transB": .int(1)], types: types)
    #expect(gemm.outputs[0].shape == [2, 10])
    #expect(gemm.outputs[0].dataType == .uint8)
    #expect(gemm.cost.macs == 2 * 10 * 16)
    #expect(gemm.inputRoles[3] == .weight && gemm.inputRoles[6] == .bias && gemm.inputRoles[7] == .quantization)
  }

  @Test func qLinearElementwiseAndPools() throws {
    let add = try Self.infer("QLinearAdd", [[1, 8, 4, 4], [], [], [1, 8, 1, 1], [], [], [], []])
    #expect(add.outputs[0].shape == [1, 8, 4, 4])
    // per output: two dequantisations (1 add each), the add, the quantisation's add.
    #expect(add.cost.adds == 128 * 4)
    let sigmoid = try Self.infer("QLinearSigmoid", [[2, 3], [], [], [], []])
    #expect(sigmoid.cost.exponentials == 6)
    let concat = try Self.infer(
      "QLinearConcat", [[], [], [1, 2, 4], [], [], [1, 3, 4], [], []], ["axis": .int(1)])
    #expect(concat.outputs[0].shape == [1, 5, 4])
    #expect(concat.inputRoles[6] == .quantization)
    let global = try Self.infer(
      "QLinearGlobalAveragePool", [[1, 7, 7, 64], [], [], [], []], ["channels_last": .int(1)])
    #expect(global.outputs[0].shape == [1, 1, 1, 64])
    #expect(global.cost.adds == 64 * 48 + 2 * 64)
    let pool = try Self.infer(
      "QLinearAveragePool", [[1, 2, 6, 6], [], [], [], []], ["kernel_shape": .ints([2, 2]), "strides": .ints([2, 2])])
    #expect(pool.outputs[0].shape == [1, 2, 3, 3])
  }

  @Test func dynamicQuantizeLSTMCountsEveryStep() throws {
    // X [5, 1, 8], hidden 16, forward: W [1, 8, 64], R [1, 16, 64], B [1, 128].
    let shapes: [Shape?] = [[5, 1, 8], [1, 8, 64], [1, 16, 64], [1, 128], nil, nil, nil, nil, [1], [1], [1], [1]]
    let out = try Self.infer("DynamicQuantizeLSTM", shapes, ["hidden_size": .int(16)])
    #expect(out.outputs.map(\.shape) == [[5, 1, 1, 16], [1, 1, 16], [1, 1, 16]])
    #expect(out.cost.macs == 5 * 64 * (8 + 16))
    #expect(out.inputRoles[1] == .weight && out.inputRoles[8] == .quantization)
    #expect(throws: OpError.self) {
      try Self.infer("DynamicQuantizeLSTM", [[5, 1, 8], [1, 8, 64], [1, 16, 60]])
    }
  }
}
