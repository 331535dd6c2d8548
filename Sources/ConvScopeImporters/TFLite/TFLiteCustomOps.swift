import ConvScopeCore

/// Custom operators with public semantics, by `custom_code`: MediaPipe's, whose custom options
/// are not FlexBuffers but the raw C structs of TFLite's builtin params (`TfLitePoolParams`:
/// i32 padding (1 SAME, 2 VALID), stride_w, stride_h, filter_w, filter_h, activation;
/// `TfLiteTransposeConvParams`: i32 padding, stride_w, stride_h). Any other custom op is
/// reported by name (``TFLiteOperatorTable/customDomain``).
enum TFLiteCustomOps {
  static let mappings: [String: TFLiteMapping] = [
    "Convolution2DTransposeBias": transposeConvolutionBias,
    "MaxPoolingWithArgmax2D": maxPoolingWithArgmax,
    "MaxUnpooling2D": maxUnpooling,
  ]

  /// The `count` little-endian i32 fields at the start of the custom options.
  static func fields(_ c: TFLiteOpContext, count: Int) throws(FlatBufferError) -> [Int] {
    guard let options = c.op.customOptions, options.count >= 4 * count else {
      throw c.error("custom_options", "needs \(4 * count) bytes of options (\(count) int32 fields)")
    }
    var values: [Int] = []
    for index in 0..<count {
      values.append(Int(try c.builder.reader.load(options.start + 4 * index, as: Int32.self, field: options.field)))
    }
    return values
  }

  /// The window attributes of a `TfLitePaddings` value and `[stride_h, stride_w]`.
  static func window(_ c: TFLiteOpContext, padding: Int, strides: [Int], kernel: [Int]) throws(FlatBufferError)
    -> [String: AttributeValue]
  {
    guard padding == 1 || padding == 2 else {
      throw c.error("custom_options", "padding \(padding) is neither 1 (SAME) nor 2 (VALID)")
    }
    return [
      "kernel_shape": .ints(kernel), "strides": .ints(strides),
      "auto_pad": .string(padding == 1 ? "SAME_UPPER" : "VALID"),
    ]
  }

  /// `Convolution2DTransposeBias(input, kernel [O,kH,kW,I], bias)` → ConvTranspose with bias, the
  /// stored output's spatial size as `output_shape`.
  static func transposeConvolutionBias(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let (kernel, output) = (try c.shape(1), try c.output().shape)
    guard kernel.count == 4, output.count == 4 else {
      throw c.error("inputs", "expects a [O,kH,kW,I] kernel and a rank-4 output, got \(kernel) and \(output)")
    }
    let options = try fields(c, count: 3)
    var attributes = try window(
      c, padding: options[0], strides: [options[2], options[1]], kernel: [kernel[1], kernel[2]])
    attributes["output_shape"] = .ints([output[1], output[2]])
    var inputs = [try c.data(0), try c.weight(1, order: TFLiteConvolutionOps.channelFirstOrder)]
    if c.has(2) { inputs.append(try c.data(2)) }
    return [c.node("ConvTranspose", inputs, attributes)]
  }

  /// `MaxPoolingWithArgmax2D(input)` → MaxPool with its `Indices` output.
  static func maxPoolingWithArgmax(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let options = try fields(c, count: 5)
    let attributes = try window(
      c, padding: options[0], strides: [options[2], options[1]], kernel: [options[4], options[3]])
    let x = try c.data(0)
    return c.emission.nodeOutputs("MaxPool", inputs: [x], attributes, count: min(2, c.op.outputs.count))
  }

  /// `MaxUnpooling2D(input, indices)` → MaxUnpool to the stored output's shape.
  static func maxUnpooling(_ c: inout TFLiteOpContext) throws(FlatBufferError) -> [String] {
    let options = try fields(c, count: 5)
    var attributes = try window(
      c, padding: options[0], strides: [options[2], options[1]], kernel: [options[4], options[3]])
    attributes["auto_pad"] = nil
    let shape = c.ints("output_shape", c.builder.axes.toGraph(try c.output().shape))
    return [c.node("MaxUnpool", [try c.data(0), try c.data(1), shape], attributes)]
  }
}
