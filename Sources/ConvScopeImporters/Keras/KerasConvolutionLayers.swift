import ConvScopeCore

/// Keras convolutions and Dense. Weights are laid out as ONNX wants them
/// (`[out, in/group, k...]`); only their dims matter.
enum KerasConvolutionLayers {
  /// `ConvND(filters, kernel_size, strides, padding, dilation_rate, groups, use_bias, activation)` → Conv.
  static func convolution(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    try grouped(&c, op: "Conv") { filters, groups in [filters, nil] }
  }

  /// A grouped convolution layer as `op`, its kernel `[weightDims(filters, groups)] + window` (the
  /// input channels deferred to the op rule), optional bias and folded activation. Shared by
  /// ``convolution(_:)`` and ``transposed(_:)``.
  private static func grouped(
    _ c: inout KerasLayerContext, op: String, extra: [String: AttributeValue] = [:],
    weightDims: (_ filters: Int, _ groups: Int) -> [Int?]
  ) throws(ConvScopeError) -> [String] {
    let spatial = try c.spatialRank()
    let window = try KerasWindow(c.layer, spatial: spatial, kernelKey: "kernel_size")
    let filters = try c.layer.count("filters")
    let groups = try c.layer.int("groups", default: 1)
    guard groups > 0, filters % groups == 0 else {
      throw c.layer.error("groups", "groups \(groups) must divide the \(filters) filters")
    }
    c.produces(c.withChannels(filters))
    let kernel = c.weight("kernel", weightDims(filters, groups) + window.kernel.map(Optional.some))
    var inputs = [try c.input().name, kernel]
    if try c.layer.bool("use_bias", default: true) { inputs.append(c.weight("bias", [filters])) }
    var attributes = window.convolutionAttributes.merging(extra) { _, new in new }
    attributes["group"] = .int(groups)
    let y = c.node(op, inputs, attributes)
    return [try KerasActivations.folded(into: y, rank: spatial + 2, &c)]
  }

  /// `DepthwiseConvND(kernel_size, depth_multiplier)` → Conv with one group per input channel.
  static func depthwise(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.spatialRank() + 2
    let window = try KerasWindow(c.layer, spatial: rank - 2, kernelKey: "kernel_size")
    let channels = try c.channels()
    let outputs = try c.product([channels, try c.layer.int("depth_multiplier", default: 1)], field: "depth_multiplier")
    c.produces(c.withChannels(outputs))
    var inputs = [try c.input().name, c.weight("depthwise_kernel", [outputs, 1] + window.kernel)]
    if try c.layer.bool("use_bias", default: true) { inputs.append(c.weight("bias", [outputs])) }
    var attributes = window.convolutionAttributes
    attributes["group"] = .int(channels)
    let y = c.node("Conv", inputs, attributes)
    return [try KerasActivations.folded(into: y, rank: rank, &c)]
  }

  /// `SeparableConvND` → a depthwise Conv (the layer's window) then a 1x1 Conv to `filters`.
  static func separable(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let spatial = try c.spatialRank()
    let rank = spatial + 2
    let window = try KerasWindow(c.layer, spatial: spatial, kernelKey: "kernel_size")
    let channels = try c.channels()
    let middle = try c.product([channels, try c.layer.int("depth_multiplier", default: 1)], field: "depth_multiplier")
    let filters = try c.layer.count("filters")
    c.produces(c.withChannels(filters))
    var depthwiseAttributes = window.convolutionAttributes
    depthwiseAttributes["group"] = .int(channels)
    let depthwise = c.node(
      "Conv", [try c.input().name, c.weight("depthwise_kernel", [middle, 1] + window.kernel)], depthwiseAttributes)
    let ones = Array(repeating: 1, count: spatial)
    var inputs = [depthwise, c.weight("pointwise_kernel", [filters, middle] + ones)]
    if try c.layer.bool("use_bias", default: true) { inputs.append(c.weight("bias", [filters])) }
    let y = c.node("Conv", inputs, ["kernel_shape": .ints(ones)])
    return [try KerasActivations.folded(into: y, rank: rank, &c)]
  }

  /// `ConvNDTranspose(filters, kernel_size, strides, padding, output_padding)` → ConvTranspose.
  static func transposed(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    var extra: [String: AttributeValue] = [:]
    if c.layer.has("output_padding") {
      extra["output_padding"] = .ints(try c.layer.tuple("output_padding", count: try c.spatialRank()))
    }
    return try grouped(&c, op: "ConvTranspose", extra: extra) { filters, groups in [nil, filters / groups] }
  }

  /// `Dense(units)`: Gemm on a matrix; on higher ranks MatMul + Add over the last Keras axis.
  /// The kernel's input features (`[K, units]`) are deferred to the Gemm / MatMul rule.
  static func dense(_ c: inout KerasLayerContext) throws(ConvScopeError) -> [String] {
    let rank = try c.rank()
    guard rank >= 2 else { throw c.layer.error("inbound_nodes", "Dense needs an input of rank 2 or more") }
    let units = try c.layer.count("units")
    var output = try c.shape()
    output[rank - 1] = .fixed(units)
    c.produces(output)
    let kernel = c.weight("kernel", [nil, units])
    let bias = try c.layer.bool("use_bias", default: true) ? c.weight("bias", [units]) : nil
    let x = try c.input().name
    var y: String
    if rank == 2 {
      y = c.node("Gemm", [x, kernel] + (bias.map { [$0] } ?? []))
    } else {
      y = c.node("MatMul", [c.toKerasOrder(x, rank: rank), kernel])
      if let bias { y = c.node("Add", [y, bias]) }
      y = c.fromKerasOrder(y, rank: rank)
    }
    return [try KerasActivations.folded(into: y, rank: rank, &c)]
  }
}

/// A Keras window (`kernel_size`/`pool_size`, `strides`, `dilation_rate`, `padding`)
/// as ONNX attributes.
struct KerasWindow {
  var kernel: [Int]
  var strides: [Int]
  var dilations: [Int]
  var padding: String

  init(_ layer: KerasLayer, spatial: Int, kernelKey: String, defaultKernel: [Int]? = nil) throws(ConvScopeError) {
    guard spatial >= 1 else { throw layer.error("inbound_nodes", "the input needs spatial axes") }
    kernel = try layer.tuple(kernelKey, count: spatial, default: defaultKernel)
    strides = try layer.tuple(
      "strides", count: spatial, default: kernelKey == "pool_size" ? kernel : Array(repeating: 1, count: spatial))
    dilations = try layer.tuple("dilation_rate", count: spatial, default: Array(repeating: 1, count: spatial))
    padding = try layer.string("padding", default: "valid").lowercased()
    guard ["valid", "same", "causal"].contains(padding) else {
      throw layer.error("padding", "expected \"valid\", \"same\" or \"causal\", got \"\(padding)\"")
    }
  }

  /// `kernel_shape`, `strides`, `dilations` and the padding.
  var convolutionAttributes: [String: AttributeValue] {
    var attributes = poolAttributes
    attributes["dilations"] = .ints(dilations)
    if padding == "causal" {
      let left = zip(kernel, dilations).map { ($0 - 1).multipliedReportingOverflow(by: $1).partialValue }
      attributes["pads"] = .ints(left + Array(repeating: 0, count: kernel.count))
    }
    return attributes
  }

  /// `kernel_shape`, `strides` and the padding (`same` → `SAME_UPPER`, as TensorFlow pads).
  var poolAttributes: [String: AttributeValue] {
    var attributes: [String: AttributeValue] = ["kernel_shape": .ints(kernel), "strides": .ints(strides)]
    if padding == "same" { attributes["auto_pad"] = .string("SAME_UPPER") }
    return attributes
  }
}
