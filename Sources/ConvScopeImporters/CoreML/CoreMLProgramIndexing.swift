import ConvScopeCore

/// ML Program operations that index, select, rearrange or attend (``CoreMLProgramOps`` lists them).
enum CoreMLProgramIndexing {
  /// `gather(x, indices, axis)` → Gather (an embedding table read by token ids).
  static func gather(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let attributes: [String: AttributeValue] = ["axis": .int(try c.int("axis", default: 0))]
    return [c.node("Gather", [try c.tensor("x"), try c.tensor("indices")], attributes)]
  }

  /// `select(cond, a, b)` → Where.
  static func select(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    [c.node("Where", [try c.tensor("cond"), try c.tensor("a"), try c.tensor("b")])]
  }

  /// `einsum(values, equation)` → Einsum.
  static func einsum(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let equation = c.string("equation", default: "")
    guard !equation.isEmpty else { throw c.error("equation", "the einsum has no equation") }
    return [c.node("Einsum", try c.tensors("values"), ["equation": .string(equation)])]
  }

  /// `scaled_dot_product_attention(query, key, value, attn_mask)` → the 4-D Attention of opset 23
  /// (`[B, heads, L, E]` operands).
  static func attention(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    var inputs = [try c.tensor("query"), try c.tensor("key"), try c.tensor("value")]
    if let mask = c.optionalTensor("attn_mask") { inputs.append(mask) }
    return [c.node("Attention", inputs)]
  }

  /// `pixel_shuffle(x, upscale_factor)`, `depth_to_space(x, block_size)` → DepthToSpace
  /// (`CRD` for the pixel shuffle, PyTorch's order), `space_to_depth(x, block_size)` → SpaceToDepth.
  static func blocks(_ op: String, argument: String, mode: String?) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      var attributes: [String: AttributeValue] = ["blocksize": .int(try c.int(argument, default: 1))]
      if let mode { attributes["mode"] = .string(mode) }
      return [c.node(op, [try c.tensor("x")], attributes)]
    }
  }
}
