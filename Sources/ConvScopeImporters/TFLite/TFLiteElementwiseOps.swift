import ConvScopeCore

/// Elementwise arithmetic, activations, softmax and (de)quantisation. TFLite broadcasts like
/// numpy (the lower-rank operand aligned with the trailing axes); with channels moved to axis 1
/// a lower-rank operand is first reshaped to the full rank in graph order.
enum TFLiteElementwiseOps {
  /// Input `index` brought to rank `rank` for broadcasting: its file shape with leading 1s, in
  /// graph order (a Reshape, which folds for a stored tensor).
  static func aligned(_ c: inout TFLiteOpContext, _ index: Int, rank: Int) throws(FlatBufferError) -> String {
    let shape = try c.shape(index)
    let x = try c.data(index)
    guard shape.count < rank, c.builder.axes.isPermuted(rank: rank) else { return x }
    let padded = Array(repeating: 1, count: rank - shape.count) + shape
    return c.node("Reshape", [x, c.ints("shape\(index)", c.builder.axes.toGraph(padded))], helper: true)
  }

  /// All inputs aligned to the highest rank among them.
  static func alignedInputs(_ c: inout TFLiteOpContext, count: Int) throws(FlatBufferError) -> [String] {
    var rank = 0
    for index in 0..<count { rank = max(rank, try c.rank(index)) }
    var inputs: [String] = []
    for index in 0..<count { inputs.append(try aligned(&c, index, rank: rank)) }
    return inputs
  }

  /// A broadcasting binary op (ADD, SUB, MUL, DIV, MAXIMUM, comparisons...) as `opType`; the
  /// fused activation, when the options have one, is field `activationID` (0 for ADD/SUB/MUL/DIV).
  static func binary(_ opType: String, activationID: Int? = nil) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      let y = c.node(opType, try alignedInputs(&c, count: 2))
      guard let activationID else { return [y] }
      let code = try c.option(activationID, "fused_activation_function", Int8.self)
      return [try c.activated(y, code: code)]
    }
  }

  /// `opType` on aligned inputs, then `then` on its result (FLOOR_DIV = Div + Floor,
  /// SQUARED_DIFFERENCE = Sub + Mul by itself).
  static func composite(_ opType: String, then: String, squared: Bool = false) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      let y = c.node(opType, try alignedInputs(&c, count: 2))
      return [c.node(then, squared ? [y, y] : [y])]
    }
  }

  /// SELECT / SELECT_V2(condition, x, y) → Where; ADD_N → Sum of every input.
  static func variadic(_ opType: String) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      [c.node(opType, try alignedInputs(&c, count: c.op.inputs.count))]
    }
  }

  /// A one-input op as `opType` (RELU → Relu, LOGISTIC → Sigmoid...).
  static func unary(_ opType: String, _ attributes: [String: AttributeValue] = [:]) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in [c.node(opType, [try c.data(0)], attributes)] }
  }

  /// RELU6, RELU_N1_TO_1, RELU_0_TO_1 → Clip(min, max).
  static func clip(_ low: Double, _ high: Double) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      [c.node("Clip", [try c.data(0), c.float("min", low), c.float("max", high)])]
    }
  }

  /// RSQRT → Sqrt then Reciprocal; SQUARE → Mul by itself.
  static func rsqrt(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    [c.node("Reciprocal", [c.node("Sqrt", [try c.data(0)])])]
  }

  static func square(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let x = try c.data(0)
    return [c.node("Mul", [x, x])]
  }

  /// LEAKY_RELU → LeakyRelu; `LeakyReluOptions` 0 alpha.
  static func leakyRelu(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let alpha = try c.op.options?.float(0, "alpha", default: 0.2) ?? 0.2
    return [c.node("LeakyRelu", [try c.data(0)], ["alpha": .float(Double(alpha))])]
  }

  /// PRELU(input, alpha) → PRelu, the slope (stored `[1,1,C]` or `[C]`) aligned with the input.
  static func prelu(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    [c.node("PRelu", try alignedInputs(&c, count: 2))]
  }

  /// SOFTMAX / LOG_SOFTMAX / L2_NORMALIZATION over the last axis → Softmax / LogSoftmax /
  /// LpNormalization (`p = 2`) on its graph axis.
  static func lastAxis(_ opType: String) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      var attributes: [String: AttributeValue] = ["axis": .int(try c.graphAxis(-1, rank: try c.rank(0)))]
      if opType == "LpNormalization" { attributes["p"] = .int(2) }
      return [c.node(opType, [try c.data(0)], attributes)]
    }
  }

  /// The ONNX `TensorProto.DataType` code of `type`.
  static func onnxCode(_ type: DataType) -> Int { (0...26).first { DataType(onnxCode: $0) == type } ?? 0 }

  /// CAST → Cast to the output's type.
  static func cast(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let type = TFLiteGraphBuilder.dataType(try c.output().type)
    return [c.node("Cast", [try c.data(0)], ["to": .int(onnxCode(type))])]
  }

  /// QUANTIZE → QuantizeLinear with the output's scale and zero point; DEQUANTIZE of a computed
  /// tensor → DequantizeLinear with the input's (a float16 input: a Cast to float32). DEQUANTIZE
  /// of a stored tensor never gets here: it is folded into the weight.
  static func quantization(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let dequantize = c.opName == "DEQUANTIZE"
    let quantized = dequantize ? try c.input(0).tensor : try c.output()
    let type = TFLiteGraphBuilder.dataType(quantized.type)
    let x = try c.data(0)
    if dequantize && type.isFloatingPoint {
      return [c.node("Cast", [x], ["to": .int(onnxCode(TFLiteGraphBuilder.dataType(try c.output().type)))])]
    }
    let scale = c.builder.assembler.constant(
      "\(c.emission.name).scale", ConstantTensor(dataType: .float32, dims: []), role: .quantization)
    let zeroPoint = c.builder.assembler.constant(
      "\(c.emission.name).zero_point", ConstantTensor(dataType: type, dims: []), role: .quantization)
    return [c.node(dequantize ? "DequantizeLinear" : "QuantizeLinear", [x, scale, zeroPoint])]
  }
}
