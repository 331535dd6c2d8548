import ConvScopeCore

/// Matrix products and attention:
/// - `aten.linear(input, weight [out, in], bias)` → `Gemm(transB = 1)` for a 2-D input, else
///   `MatMul(input, Transpose(weight))` and `Add(bias)`, as `torch.onnx` exports it (the
///   Transpose of a stored weight folds; the weight counts once).
/// - `aten.addmm(bias, mat1, mat2, beta, alpha)` → `Gemm(mat1, mat2, bias)`; `aten.mm`, `aten.bmm`,
///   `aten.matmul` → `MatMul`; `aten.baddbmm` → `MatMul` and `Add`; `aten.einsum` → `Einsum`.
/// - `aten.scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal, scale)` and
///   the CPU/flash/efficient kernels the Core ATen IR names → ONNX `Attention` (opset 23),
///   whose 4-D form is torch's `[B, H, S, D]`.
enum PT2LinearOps {
  static let mappings: [String: PT2Mapping] = [
    "aten.linear": linear,
    "aten.addmm": addmm,
    "aten.mm": { e throws(ConvScopeError) in try matmul(&e, "self", "mat2") },
    "aten.bmm": { e throws(ConvScopeError) in try matmul(&e, "self", "mat2") },
    "aten.matmul": { e throws(ConvScopeError) in try matmul(&e, "self", "other") },
    "aten.baddbmm": baddbmm,
    "aten.einsum": einsum,
    "aten.scaled_dot_product_attention": attention,
    "aten._scaled_dot_product_flash_attention_for_cpu": attention,
    "aten._scaled_dot_product_flash_attention": attention,
    "aten._scaled_dot_product_efficient_attention": attention,
  ]

  static func linear(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("input")
    let weight = try e.tensor("weight")
    let bias = try e.optionalTensor("bias")
    if try e.rank(of: input) == 2 {
      e.finish("Gemm", [input, weight] + (bias.map { [$0] } ?? []), ["transB": .int(1)])
      return
    }
    let transposed = e.emit("Transpose", [weight], ["perm": .ints([1, 0])], helper: true)
    var output = e.emit("MatMul", [input, transposed])
    if let bias { output = e.emit("Add", [output, bias]) }
    e.finish(output)
  }

  static func addmm(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let attributes: [String: AttributeValue] = [
      "alpha": .float(try e.double("alpha", default: 1)), "beta": .float(try e.double("beta", default: 1)),
    ]
    e.finish("Gemm", [try e.tensor("mat1"), try e.tensor("mat2"), try e.tensor("self")], attributes)
  }

  static func matmul(_ e: inout PT2Emitter, _ a: String, _ b: String) throws(ConvScopeError) {
    e.finish("MatMul", [try e.tensor(a), try e.tensor(b)])
  }

  static func baddbmm(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let product = e.emit("MatMul", [try e.tensor("batch1"), try e.tensor("batch2")])
    e.finish("Add", [product, try e.tensor("self")])
  }

  static func einsum(_ e: inout PT2Emitter) throws(ConvScopeError) {
    guard let equation = e.string("equation") else { throw e.error("expected the string argument 'equation'") }
    e.finish("Einsum", try e.tensors("tensors"), ["equation": .string(equation)])
  }

  static func attention(_ e: inout PT2Emitter) throws(ConvScopeError) {
    var inputs = [try e.tensor("query"), try e.tensor("key"), try e.tensor("value")]
    if let mask = try e.optionalTensor("attn_mask") { inputs.append(mask) }
    var attributes: [String: AttributeValue] = ["is_causal": .int(try e.bool("is_causal", default: false) ? 1 : 0)]
    if case .double(let scale) = e.argument("scale")?.value { attributes["scale"] = .float(scale) }
    e.finish("Attention", inputs, attributes)
  }
}
