import ConvScopeCore

/// Normalizations: `aten.batch_norm` (the export IR), `aten._native_batch_norm_legit_no_training`,
/// `_native_batch_norm_legit`, `native_batch_norm` (the Core ATen IR) → `BatchNormalization`;
/// `aten.layer_norm` / `native_layer_norm` → `LayerNormalization` over the last
/// `len(normalized_shape)` axes; `aten.group_norm` / `native_group_norm` → `GroupNormalization`;
/// `aten.instance_norm` → `InstanceNormalization`. An input torch leaves out (a norm without
/// affine weights, a BatchNorm that tracks no running statistics) is a configuration constant
/// of the size ONNX needs, counted neither as a parameter nor as a statistic. Only the first
/// output of the `native_*` forms (the normalized tensor) is made; their saved mean and
/// inverse deviation are training internals.
enum PT2NormalizationOps {
  static let mappings: [String: PT2Mapping] = [
    "aten.batch_norm": batchNorm,
    "aten._native_batch_norm_legit_no_training": batchNorm,
    "aten._native_batch_norm_legit": batchNorm,
    "aten.native_batch_norm": batchNorm,
    "aten.layer_norm": layerNorm,
    "aten.native_layer_norm": layerNorm,
    "aten.group_norm": groupNorm,
    "aten.native_group_norm": groupNorm,
    "aten.instance_norm": instanceNorm,
  ]

  static func batchNorm(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("input")
    let channels = try channelCount(e, input)
    var inputs = [input]
    for (name, suffix) in [("weight", "ones"), ("bias", "zeros"), ("running_mean", "mean"), ("running_var", "var")] {
      inputs.append(try e.optionalTensor(name) ?? e.constant(suffix, filler(channels), role: .configuration))
    }
    e.finish("BatchNormalization", inputs, ["epsilon": .float(try e.double("eps", default: 1e-5))])
  }

  static func layerNorm(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("input")
    let normalized = try e.ints("normalized_shape")
    let scale = try e.optionalTensor("weight") ?? e.constant("ones", filler(normalized), role: .configuration)
    var inputs = [input, scale]
    if let bias = try e.optionalTensor("bias") { inputs.append(bias) }
    let attributes: [String: AttributeValue] = [
      "axis": .int(-normalized.count), "epsilon": .float(try e.double("eps", default: 1e-5)),
    ]
    e.finish("LayerNormalization", inputs, attributes)
  }

  static func groupNorm(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("input")
    let channels = try channelCount(e, input)
    let groups = try e.int(e.argument("group") == nil ? "num_groups" : "group")
    let scale = try e.optionalTensor("weight") ?? e.constant("ones", filler(channels), role: .configuration)
    let bias = try e.optionalTensor("bias") ?? e.constant("zeros", filler(channels), role: .configuration)
    let attributes: [String: AttributeValue] = [
      "num_groups": .int(groups), "epsilon": .float(try e.double("eps", default: 1e-5)),
    ]
    e.finish("GroupNormalization", [input, scale, bias], attributes)
  }

  static func instanceNorm(_ e: inout PT2Emitter) throws(ConvScopeError) {
    let input = try e.tensor("input")
    let channels = try channelCount(e, input)
    let scale = try e.optionalTensor("weight") ?? e.constant("ones", filler(channels), role: .configuration)
    let bias = try e.optionalTensor("bias") ?? e.constant("zeros", filler(channels), role: .configuration)
    e.finish("InstanceNormalization", [input, scale, bias], ["epsilon": .float(try e.double("eps", default: 1e-5))])
  }

  /// The channel axis (1) of a normalized input, which must be known.
  private static func channelCount(_ e: PT2Emitter, _ input: String) throws(ConvScopeError) -> [Int] {
    let shape = try e.shape(of: input)
    guard shape.rank >= 2, let channels = shape.dims[1].value else {
      throw e.error("the input's channel axis must be known, found \(shape)", argument: "input")
    }
    return [channels]
  }

  /// A float tensor of `dims` with no stored values.
  private static func filler(_ dims: [Int]) -> ConstantTensor { ConstantTensor(dataType: .float32, dims: dims) }
}
