import ConvScopeCore

/// `MultiHeadAttention(num_heads, key_dim, value_dim, use_bias, output_shape)` written with
/// plain ONNX ops, in Keras' axis order (`[batch, sequence, features]`):
///
/// ```text
/// q = query·Wq (+bq)   k = key·Wk (+bk)   v = value·Wv (+bv)     per-head width key_dim / value_dim
/// q, k, v → Reshape [N, T, heads, d] → Transpose [N, heads, T, d]  (k: [N, heads, d, S])
/// scores = Softmax((q / sqrt(key_dim)) · k)   context = scores · v → [N, T, heads*value_dim]
/// output = context·Wo (+bo)
/// ```
///
/// The weights hold Keras' counts: `Wq [Dq, heads*key_dim]` is Keras' `[Dq, heads, key_dim]`.
enum KerasAttention {
  static func multiHeadAttention(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let query = try named("query", position: 0, &c)
    let value = try named("value", position: 1, &c)
    let key = (try? named("key", position: 2, &c)) ?? value
    let heads = try c.layer.count("num_heads")
    let keyWidth = try c.layer.count("key_dim")
    let valueWidth = try c.layer.int("value_dim", default: keyWidth)
    let useBias = try c.layer.bool("use_bias", default: true)
    guard c.layer.config["attention_axes"]?.isNull ?? true else {
      throw c.layer.error("attention_axes", "only attention over the sequence axis (attention_axes=None) is supported")
    }
    let queryShape = try shape(query, &c)
    let keyShape = try shape(key, &c)
    let valueShape = try shape(value, &c)
    let outputWidth = try c.layer.int("output_shape", default: try feature(queryShape, &c))
    c.produces(Array(queryShape.dropLast()) + [.fixed(outputWidth)])

    func project(_ input: KerasTensor, _ inputShape: [Dim], _ name: String, width: Int, _ c: inout KerasLayerContext)
      throws(ConvScopeError) -> String
    {
      let x = c.toKerasOrder(input.name, rank: 3)
      var y = c.node("MatMul", [x, c.weight("\(name).kernel", [nil, width])])
      if useBias { y = c.node("Add", [y, c.weight("\(name).bias", [width])]) }
      return y
    }
    func splitHeads(_ tensor: String, width: Int, perm: [Int], _ c: inout KerasLayerContext) -> String {
      let split = c.node("Reshape", [tensor, c.ints("heads_\(width)", [0, 0, heads, width])])
      return c.node("Transpose", [split], ["perm": .ints(perm)])
    }

    let keysWidth = try c.product([heads, keyWidth], field: "key_dim")
    let valuesWidth = try c.product([heads, valueWidth], field: "value_dim")
    let q = try project(query, queryShape, "query", width: keysWidth, &c)
    let k = try project(key, keyShape, "key", width: keysWidth, &c)
    let v = try project(value, valueShape, "value", width: valuesWidth, &c)
    let scaled = c.node("Mul", [q, c.floats("scale", [1 / Double(keyWidth).squareRoot()])])
    let qHeads = splitHeads(scaled, width: keyWidth, perm: [0, 2, 1, 3], &c)
    let kHeads = splitHeads(k, width: keyWidth, perm: [0, 2, 3, 1], &c)
    let vHeads = splitHeads(v, width: valueWidth, perm: [0, 2, 1, 3], &c)
    let scores = c.node("Softmax", [c.node("MatMul", [qHeads, kHeads])], ["axis": .int(-1)])
    let context = c.node("Transpose", [c.node("MatMul", [scores, vHeads])], ["perm": .ints([0, 2, 1, 3])])
    let merged = c.node("Reshape", [context, c.ints("merge_heads", [0, 0, valuesWidth])])
    var y = c.node("MatMul", [merged, c.weight("output.kernel", [valuesWidth, outputWidth])])
    if useBias { y = c.node("Add", [y, c.weight("output.bias", [outputWidth])]) }
    return [c.fromKerasOrder(y, rank: 3)]
  }

  /// The input passed as `name=` or in `position`.
  private static func named(_ name: String, position: Int, _ c: inout KerasLayerContext) throws(ConvScopeError)
    -> KerasTensor
  {
    if let tensor = c.keywordInputs[name] { return tensor }
    guard position < c.inputs.count else { throw c.layer.error("inbound_nodes", "no '\(name)' input") }
    return c.inputs[position]
  }

  private static func shape(_ tensor: KerasTensor, _ c: inout KerasLayerContext) throws(ConvScopeError) -> [Dim] {
    guard let shape = tensor.shape, shape.count == 3 else {
      throw c.layer.error(
        "inbound_nodes", "input '\(tensor.name)' must have a known rank-3 shape [batch, sequence, features]")
    }
    return shape
  }

  private static func feature(_ shape: [Dim], _ c: inout KerasLayerContext) throws(ConvScopeError) -> Int {
    guard let size = shape.last?.value else {
      throw c.layer.error("inbound_nodes", "the feature size of input shape \(Shape(shape)) must be known")
    }
    return size
  }
}
