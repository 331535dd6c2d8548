import ConvScopeCore

/// Convolutions, pooling, fully connected layers and matrix products. TFLite filters are
/// `[O,kH,kW,I/g]` (CONV_2D), `[1,kH,kW,C·m]` (DEPTHWISE_CONV_2D), `[O,kH,kW,I]` (TRANSPOSE_CONV)
/// and `[kD,kH,kW,I,O]` (CONV_3D); each is read in ONNX's order (`[O,I/g,k...]`, ConvTranspose's
/// `[I,O,k...]`), so the op rules see the shapes they expect.
enum TFLiteConvolutionOps {
  /// The file's axes of a `[O,kH,kW,I]` filter in ONNX Conv order `[O,I,kH,kW]`.
  static let convOrder = [0, 3, 1, 2]
  /// The file's axes of a `[1,kH,kW,C·m]` depthwise filter (or a `[O,kH,kW,I]` transposed-conv
  /// filter) in ONNX order `[C·m,1,kH,kW]` (`[I,O,kH,kW]`).
  static let channelFirstOrder = [3, 0, 1, 2]

  /// The window attributes of `Conv2DOptions`/`DepthwiseConv2DOptions`/`Pool2DOptions`: padding
  /// (0 SAME → `SAME_UPPER`, as TensorFlow pads; 1 VALID), stride_w at `strideID`, stride_h after
  /// it, and dilation_w/h at `dilationID` (default 1) when the options have them.
  static func window(_ c: TFLiteOpContext, kernel: [Int], strideID: Int, dilationID: Int?)
    throws(FlatBufferError) -> [String: AttributeValue]
  {
    let strides = [
      try c.option(strideID + 1, "stride_h", Int32.self, default: 1),
      try c.option(strideID, "stride_w", Int32.self, default: 1),
    ]
    var attributes: [String: AttributeValue] = ["kernel_shape": .ints(kernel), "strides": .ints(strides)]
    if let dilationID {
      attributes["dilations"] = .ints([
        try c.option(dilationID + 1, "dilation_h_factor", Int32.self, default: 1),
        try c.option(dilationID, "dilation_w_factor", Int32.self, default: 1),
      ])
    }
    let padding = try c.option(0, "padding", Int8.self)
    attributes["auto_pad"] = .string(padding == 0 ? "SAME_UPPER" : "VALID")
    return attributes
  }

  /// Emits `op` reading input `data`, the filter (input 1) in `order` and the bias (input
  /// `bias`, when given), then the fused activation at option `activationID`.
  private static func emit(
    _ c: inout TFLiteOpContext, _ op: String, _ attributes: [String: AttributeValue], data: Int, order: [Int],
    bias: Int, activationID: Int
  ) throws(FlatBufferError) -> [String] {
    var inputs = [try c.data(data), try c.weight(1, order: order)]
    if c.has(bias) { inputs.append(try c.data(bias)) }
    let y = c.node(op, inputs, attributes)
    let activation = try c.option(activationID, "fused_activation_function", Int8.self)
    return [try c.activated(y, code: activation)]
  }

  /// CONV_2D(input, filter `[O,kH,kW,I/g]`, bias?) → Conv, group `I / filter[3]`; options
  /// `Conv2DOptions` (0 padding, 1-2 strides, 3 fused activation, 4-5 dilations).
  static func conv2D(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let filter = try c.shape(1)
    let input = try c.shape(0)
    guard filter.count == 4, input.count == 4, filter[3] > 0, input[3] % filter[3] == 0 else {
      throw c.error(
        "inputs", "expects a rank-4 input and a [O,kH,kW,I/g] filter dividing its channels, got \(input) and \(filter)")
    }
    var attributes = try window(c, kernel: [filter[1], filter[2]], strideID: 1, dilationID: 4)
    attributes["group"] = .int(input[3] / filter[3])
    return try emit(&c, "Conv", attributes, data: 0, order: convOrder, bias: 2, activationID: 3)
  }

  /// DEPTHWISE_CONV_2D(input, filter `[1,kH,kW,C·m]`, bias?) → Conv with one group per input
  /// channel (the depth multiplier `m` makes `C·m` outputs); options 0 padding, 1-2 strides,
  /// 3 depth_multiplier, 4 fused activation, 5-6 dilations.
  static func depthwise(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let filter = try c.shape(1)
    let input = try c.shape(0)
    guard filter.count == 4, input.count == 4, input[3] > 0, filter[3] % input[3] == 0 else {
      throw c.error("inputs", "expects a rank-4 input and a [1,kH,kW,C*m] filter, got \(input) and \(filter)")
    }
    var attributes = try window(c, kernel: [filter[1], filter[2]], strideID: 1, dilationID: 5)
    attributes["group"] = .int(input[3])
    return try emit(&c, "Conv", attributes, data: 0, order: channelFirstOrder, bias: 2, activationID: 4)
  }

  /// TRANSPOSE_CONV(output_shape, filter `[O,kH,kW,I]`, input, bias?) → ConvTranspose with the
  /// stored output's spatial size as `output_shape`; options 0 padding, 1-2 strides, 3 fused activation.
  static func transposed(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let filter = try c.shape(1)
    let output = try c.output().shape
    guard filter.count == 4, output.count == 4 else {
      throw c.error("inputs", "expects a [O,kH,kW,I] filter and a rank-4 output, got \(filter) and \(output)")
    }
    var attributes = try window(c, kernel: [filter[1], filter[2]], strideID: 1, dilationID: nil)
    attributes["output_shape"] = .ints([output[1], output[2]])
    return try emit(&c, "ConvTranspose", attributes, data: 2, order: channelFirstOrder, bias: 3, activationID: 3)
  }

  /// CONV_3D(input, filter `[kD,kH,kW,I,O]`, bias?) → Conv; `Conv3DOptions` 0 padding,
  /// 1-3 strides d/w/h, 4 fused activation, 5-7 dilations d/w/h.
  static func conv3D(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let filter = try c.shape(1)
    let input = try c.shape(0)
    guard filter.count == 5, input.count == 5, filter[3] > 0, input[4] % filter[3] == 0 else {
      throw c.error("inputs", "expects a rank-5 input and a [kD,kH,kW,I,O] filter, got \(input) and \(filter)")
    }
    var attributes: [String: AttributeValue] = [
      "kernel_shape": .ints(Array(filter[0..<3])), "group": .int(input[4] / filter[3]),
      "strides": .ints([
        try c.option(1, "stride_d", Int32.self, default: 1), try c.option(3, "stride_h", Int32.self, default: 1),
        try c.option(2, "stride_w", Int32.self, default: 1),
      ]),
      "dilations": .ints([
        try c.option(5, "dilation_d_factor", Int32.self, default: 1),
        try c.option(7, "dilation_h_factor", Int32.self, default: 1),
        try c.option(6, "dilation_w_factor", Int32.self, default: 1),
      ]),
    ]
    attributes["auto_pad"] = .string(try c.option(0, "padding", Int8.self) == 0 ? "SAME_UPPER" : "VALID")
    return try emit(&c, "Conv", attributes, data: 0, order: [4, 3, 0, 1, 2], bias: 2, activationID: 4)
  }

  /// AVERAGE_POOL_2D / MAX_POOL_2D / L2_POOL_2D → AveragePool / MaxPool / LpPool; `Pool2DOptions`
  /// 0 padding, 1-2 strides, 3 filter_width, 4 filter_height, 5 fused activation.
  static func pool(_ opType: String) -> TFLiteMapping {
    { (c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] in
      let kernel = [
        try c.option(4, "filter_height", Int32.self, default: 1),
        try c.option(3, "filter_width", Int32.self, default: 1),
      ]
      var attributes = try window(c, kernel: kernel, strideID: 1, dilationID: nil)
      if opType == "LpPool" { attributes["p"] = .int(2) }
      let y = c.node(opType, [try c.data(0)], attributes)
      return [try c.activated(y, code: try c.option(5, "fused_activation_function", Int8.self))]
    }
  }

  /// FULLY_CONNECTED(input, weights `[O,I]`, bias?) → Gemm (`transB = 1`) on the input flattened
  /// to `[-1, I]`, or with `keep_num_dims` a MatMul + Add over the last axis; `FullyConnectedOptions`
  /// 0 fused activation, 2 keep_num_dims.
  static func fullyConnected(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let weights = try c.shape(1)
    guard weights.count == 2 else { throw c.error("inputs", "expects [O,I] weights, got \(weights)") }
    let rank = try c.rank(0)
    let activation = try c.option(0, "fused_activation_function", Int8.self)
    if try c.option(2, "keep_num_dims", Int8.self) != 0 && rank > 2 {
      var y = c.node("MatMul", [c.toFileOrder(try c.data(0), rank: rank), try c.weight(1, order: [1, 0])])
      if c.has(2) { y = c.node("Add", [y, try c.weight(2, order: nil, role: .bias)]) }
      return [try c.activated(c.fromFileOrder(y, rank: rank), code: activation)]
    }
    var x = try c.data(0)
    if rank != 2 {
      x = c.node("Reshape", [c.toFileOrder(x, rank: rank), c.ints("shape", [-1, weights[1]])], helper: true)
    }
    var inputs = [x, try c.weight(1, order: [0, 1])]
    if c.has(2) { inputs.append(try c.data(2)) }
    return [try c.activated(c.node("Gemm", inputs, ["transB": .int(1)]), code: activation)]
  }

  /// BATCH_MATMUL(x, y) → MatMul in the file's order; `BatchMatMulOptions` 0 adj_x, 1 adj_y
  /// transpose the last two axes of x or y first.
  static func batchMatMul(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    var operands: [String] = []
    for index in 0..<2 {
      let rank = try c.rank(index)
      var operand = c.toFileOrder(try c.data(index), rank: rank)
      if try c.option(index, index == 0 ? "adj_x" : "adj_y", Int8.self) != 0 && rank >= 2 {
        let perm = Array(0..<(rank - 2)) + [rank - 1, rank - 2]
        operand = c.node("Transpose", [operand], ["perm": .ints(perm)], helper: true)
      }
      operands.append(operand)
    }
    return [c.fromFileOrder(c.node("MatMul", operands), rank: try c.output().shape.count)]
  }
}
