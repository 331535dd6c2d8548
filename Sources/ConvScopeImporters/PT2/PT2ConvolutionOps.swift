import ConvScopeCore

/// Convolutions: `aten.conv1d/2d/3d` (the export IR), `aten.convolution` and `aten._convolution`
/// (the Core ATen IR, `transposed` picks ConvTranspose) and `aten.conv_transpose1d/2d/3d`
/// → ONNX `Conv` / `ConvTranspose`. torch's symmetric `padding` [p...] becomes ONNX `pads`
/// [p..., p...]; `padding="same"` becomes `auto_pad = SAME_UPPER` (torch puts the odd pixel
/// at the end, as SAME_UPPER does) and `"valid"` no padding. The weight's stored shape
/// `[out, in/groups, k...]` (`[in, out/groups, k...]` transposed) is ONNX's own.
enum PT2ConvolutionOps {
  static let mappings: [String: PT2Mapping] = [
    "aten.conv1d": { e throws(ConvScopeError) in try convolution(&e, transposed: false) },
    "aten.conv2d": { e throws(ConvScopeError) in try convolution(&e, transposed: false) },
    "aten.conv3d": { e throws(ConvScopeError) in try convolution(&e, transposed: false) },
    "aten.conv_transpose1d": { e throws(ConvScopeError) in try convolution(&e, transposed: true) },
    "aten.conv_transpose2d": { e throws(ConvScopeError) in try convolution(&e, transposed: true) },
    "aten.conv_transpose3d": { e throws(ConvScopeError) in try convolution(&e, transposed: true) },
    "aten.convolution": { e throws(ConvScopeError) in
      try convolution(&e, transposed: try e.bool("transposed", default: false))
    },
    "aten._convolution": { e throws(ConvScopeError) in
      try convolution(&e, transposed: try e.bool("transposed", default: false))
    },
  ]

  static func convolution(_ e: inout PT2Emitter, transposed: Bool) throws(ConvScopeError) {
    let input = try e.tensor("input")
    let weight = try e.tensor("weight")
    let spatial = try e.rank(of: weight) - 2
    guard spatial >= 1 else { throw e.error("the weight must have a spatial axis", argument: "weight") }
    var attributes: [String: AttributeValue] = [
      "strides": .ints(try e.ints("stride", default: [1], count: spatial)),
      "dilations": .ints(try e.ints("dilation", default: [1], count: spatial)),
      "group": .int(try e.int("groups", default: 1)),
    ]
    switch e.string("padding") {
    case "same": attributes["auto_pad"] = .string("SAME_UPPER")
    case "valid": attributes["pads"] = .ints(Array(repeating: 0, count: 2 * spatial))
    case .some(let other): throw e.error("unknown padding '\(other)'", argument: "padding")
    case nil:
      let pads = try e.ints("padding", default: [0], count: spatial)
      attributes["pads"] = .ints(pads + pads)
    }
    if transposed { attributes["output_padding"] = .ints(try e.ints("output_padding", default: [0], count: spatial)) }
    var inputs = [input, weight]
    if let bias = try e.optionalTensor("bias") { inputs.append(bias) }
    e.finish(transposed ? "ConvTranspose" : "Conv", inputs, attributes)
  }
}
