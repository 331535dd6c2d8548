import ConvScopeCore

/// Convolutions and pools: the layers with a sliding window.
extension SpecGraphBuilder {
  /// `padding:` as ONNX attributes, and the explicit pads (a `pad` layer's input).
  struct Padding {
    var attributes: [String: AttributeValue] = [:]
    var pads: [Int]?
  }

  /// Reads `padding:`: `same` (SAME_UPPER: TF/Keras put the odd unit at the end),
  /// `same_lower`, `valid`, an int for every side, one int per spatial axis
  /// (both sides), or one per side in ONNX order (all begins, then all ends:
  /// `[top, left, bottom, right]` in 2-D). Absent: no padding.
  func padding(_ layer: SpecLayer, rank: Int) throws(ConvScopeError) -> Padding {
    let fields = layer.fields
    guard let value = fields.value("padding") else { return Padding() }
    if value.int == nil, let word = value.text {
      let modes: [String: AutoPad] = [
        "same": .sameUpper, "same_upper": .sameUpper, "same_lower": .sameLower, "valid": .valid,
      ]
      guard let mode = modes[word.lowercased()] else {
        throw layer.error(
          "padding",
          "unknown padding '\(word)'\(NameSuggestion.hint(for: word, among: modes.keys.sorted())); expected same, same_lower, valid, an integer or a list"
        )
      }
      return Padding(attributes: ["auto_pad": .string(mode.rawValue)])
    }
    guard let numbers = try fields.ints("padding") else { return Padding() }
    if let negative = numbers.first(where: { $0 < 0 }) {
      throw layer.error("padding", "must not be negative, got \(negative)")
    }
    let pads: [Int]
    switch numbers.count {
    case 1: pads = Array(repeating: numbers[0], count: 2 * rank)
    case rank: pads = numbers + numbers
    case 2 * rank: pads = numbers
    default:
      throw layer.error(
        "padding",
        "has \(numbers.count) values; give 1, \(rank) (one per spatial axis) or \(2 * rank) (begins then ends, e.g. [top, left, bottom, right])"
      )
    }
    return Padding(attributes: ["pads": .ints(pads)], pads: pads)
  }

  /// `conv`, `conv1d`..`conv3d` and `depthwise_conv`: ONNX `Conv`.
  mutating func convolution(_ layer: SpecLayer, rank fixedRank: Int?, depthwise: Bool) throws(ConvScopeError) -> String
  {
    let fields = layer.fields
    let rank = try spatialRank(layer, fixed: fixedRank)
    let kernel = try fields.perAxis("kernel", rank: rank, required: true) ?? []
    let strides = try fields.perAxis("stride", rank: rank) ?? Array(repeating: 1, count: rank)
    let dilations = try fields.perAxis("dilation", rank: rank) ?? Array(repeating: 1, count: rank)
    let padding = try padding(layer, rank: rank)
    let group: Int
    let outChannels: Int
    var perGroup: Int?
    if depthwise {
      let inChannels = try inputChannels(layer)
      group = inChannels
      perGroup = 1
      let multiplier = try fields.positiveInt("depth_multiplier") ?? 1
      outChannels = try located(layer, "depth_multiplier") { () throws(OpError) in
        try Checked.multiply(inChannels, multiplier)
      }
    } else {
      outChannels = width(try fields.positiveInt("filters", required: true) ?? 0)
      group = try fields.positiveInt("groups") ?? 1
      let inChannels = try givenChannels(layer)
      try Self.checkGroups(group, inChannels: inChannels, outChannels: outChannels, layer: layer)
      perGroup = inChannels.map { $0 / group }
    }
    let weightDims = [outChannels, perGroup] + kernel.map(Optional.some)
    var inputs = [layer.inputs[0], try weight(layer, "weight", weightDims, hint: "in_channels")]
    if try fields.bool("bias") ?? true { inputs.append(try weight(layer, "bias", [outChannels])) }
    let attributes = Self.convolutionAttributes(
      padding: padding.attributes, kernel: kernel, strides: strides, dilations: dilations, group: group)
    let shape = windowShape(layer, channels: outChannels, spatial: rank)
    let output = try emit(layer, name: layer.name, "Conv", inputs: inputs, attributes: attributes, shape: shape)
    return try appendActivation(layer, after: output)
  }

  /// `group` must divide the filters, and the input channels when `in_channels:` gives them (else
  /// the op rule checks them during analysis).
  private static func checkGroups(_ group: Int, inChannels: Int?, outChannels: Int, layer: SpecLayer)
    throws(ConvScopeError)
  {
    guard (inChannels ?? 0) % group == 0, outChannels % group == 0 else {
      let channels = inChannels.map { "the \($0) input channels and " } ?? ""
      throw layer.error("groups", "\(group) groups must divide \(channels)the \(outChannels) filters")
    }
  }

  /// The ONNX attributes shared by Conv and ConvTranspose.
  private static func convolutionAttributes(
    padding: [String: AttributeValue], kernel: [Int], strides: [Int], dilations: [Int], group: Int
  ) -> [String: AttributeValue] {
    var attributes = padding
    attributes["kernel_shape"] = .ints(kernel)
    attributes["strides"] = .ints(strides)
    attributes["dilations"] = .ints(dilations)
    if group != 1 { attributes["group"] = .int(group) }
    return attributes
  }

  /// `conv_transpose` / `deconv`: ONNX `ConvTranspose`, weight `[Cin, Cout/group, k..]`.
  mutating func convolutionTranspose(_ layer: SpecLayer, rank fixedRank: Int?) throws(ConvScopeError) -> String {
    let fields = layer.fields
    let rank = try spatialRank(layer, fixed: fixedRank)
    let inChannels = try givenChannels(layer)
    let outChannels = width(try fields.positiveInt("filters", required: true) ?? 0)
    let kernel = try fields.perAxis("kernel", rank: rank, required: true) ?? []
    let ones = Array(repeating: 1, count: rank)
    let strides = try fields.perAxis("stride", rank: rank) ?? ones
    let dilations = try fields.perAxis("dilation", rank: rank) ?? ones
    let group = try fields.positiveInt("groups") ?? 1
    try Self.checkGroups(group, inChannels: inChannels, outChannels: outChannels, layer: layer)
    let outputPadding = try fields.ints("output_padding").map {
      $0.count == 1 ? Array(repeating: $0[0], count: rank) : $0
    }
    if let outputPadding, outputPadding.count != rank || outputPadding.contains(where: { $0 < 0 }) {
      throw layer.error("output_padding", "expected \(rank) non-negative integers, got \(outputPadding)")
    }
    let padding = try padding(layer, rank: rank)
    let weightDims = [inChannels, outChannels / group] + kernel.map(Optional.some)
    var inputs = [layer.inputs[0], try weight(layer, "weight", weightDims, hint: "in_channels")]
    if try fields.bool("bias") ?? true { inputs.append(try weight(layer, "bias", [outChannels])) }
    var attributes = Self.convolutionAttributes(
      padding: padding.attributes, kernel: kernel, strides: strides, dilations: dilations, group: group)
    if let outputPadding { attributes["output_padding"] = .ints(outputPadding) }
    let shape = windowShape(layer, channels: outChannels, spatial: rank)
    let output = try emit(
      layer, name: layer.name, "ConvTranspose", inputs: inputs, attributes: attributes, shape: shape)
    return try appendActivation(layer, after: output)
  }

  /// `maxpool` / `avgpool`: ONNX `MaxPool` / `AveragePool`; the stride defaults to the kernel (Keras, PyTorch).
  mutating func pool(_ layer: SpecLayer, _ opType: String, rank fixedRank: Int?) throws(ConvScopeError) -> String {
    let fields = layer.fields
    let rank = try spatialRank(layer, fixed: fixedRank)
    let kernel = try fields.perAxis("kernel", rank: rank, required: true) ?? []
    let strides = try fields.perAxis("stride", rank: rank) ?? kernel
    let padding = try padding(layer, rank: rank)
    let ceilMode = try fields.bool("ceil_mode") ?? false
    var attributes = padding.attributes
    attributes["kernel_shape"] = .ints(kernel)
    attributes["strides"] = .ints(strides)
    if ceilMode { attributes["ceil_mode"] = .int(1) }
    if opType == "MaxPool", let given = try fields.perAxis("dilation", rank: rank) {
      attributes["dilations"] = .ints(given)
    }
    if opType == "AveragePool", let include = try fields.bool("count_include_pad") {
      attributes["count_include_pad"] = .int(include ? 1 : 0)
    }
    let shape = windowShape(layer, channels: nil, spatial: rank)
    return try emit(layer, name: layer.name, opType, inputs: [layer.inputs[0]], attributes: attributes, shape: shape)
  }

  /// `global_avgpool` / `global_maxpool`: every spatial axis becomes 1 (ONNX keeps the dims).
  mutating func globalPool(_ layer: SpecLayer, _ opType: String) throws(ConvScopeError) -> String {
    let shape = shapes[layer.inputs[0]].map { input in
      Array(input.prefix(2)) + Array(repeating: Dim.fixed(1), count: max(0, input.count - 2))
    }
    return try emit(layer, name: layer.name, opType, inputs: [layer.inputs[0]], shape: shape)
  }

  /// What translation follows of a window's output: `[N, channels, ?..]` (channels kept when nil),
  /// nil when the input's rank is not followed. The spatial sizes are the analysis' to compute.
  private func windowShape(_ layer: SpecLayer, channels: Int?, spatial: Int) -> [Dim]? {
    guard let input = shapes[layer.inputs[0]], input.count == spatial + 2 else { return nil }
    return [input[0], channels.map(Dim.fixed) ?? input[1]] + Array(repeating: Dim.unknown, count: spatial)
  }

  /// Runs `body`, turning an ``OpError`` into an error at the spec field it is about.
  func located<T>(_ layer: SpecLayer, _ defaultField: String, _ body: () throws(OpError) -> T) throws(ConvScopeError)
    -> T
  {
    do {
      return try body()
    } catch {
      throw layer.error(error.field.flatMap { Self.attributeKeys[$0] } ?? defaultField, error.message)
    }
  }
}
