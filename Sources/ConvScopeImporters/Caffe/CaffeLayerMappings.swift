import ConvScopeCore

/// Caffe's weighted layers, activations and normalizations as ONNX ops.
enum CaffeLayerMappings {
  /// `Convolution(num_output, kernel, stride, pad, dilation, group, bias_term)` → Conv; the
  /// output rounds down, as ONNX's does.
  static func convolution(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("convolution_param")
    let (window, outputs, group) = try convolutionWindow(p, &c)
    var inputs = [try c.input(), c.weight("weight", [outputs, nil] + window.kernel)]
    if try p.bool("bias_term", default: true) { inputs.append(c.weight("bias", [outputs])) }
    return [c.node("Conv", inputs, window.attributes(group: group))]
  }

  /// `Deconvolution` → ConvTranspose (weights `[C_in, num_output/group, k...]`).
  static func deconvolution(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("convolution_param")
    let (window, outputs, group) = try convolutionWindow(p, &c)
    var inputs = [try c.input(), c.weight("weight", [nil, outputs / group] + window.kernel)]
    if try p.bool("bias_term", default: true) { inputs.append(c.weight("bias", [outputs])) }
    return [c.node("ConvTranspose", inputs, window.attributes(group: group))]
  }

  /// The window, `num_output` and `group`; the input channels (the weight's deferred dim) and
  /// whether `group` divides them are the Conv rule's to tell.
  private static func convolutionWindow(_ p: CaffeParameters, _ c: inout CaffeLayerContext) throws(ConvScopeError) -> (
    CaffeWindow, outputs: Int, group: Int
  ) {
    let rank = try c.rank()
    guard rank >= 3 else { throw c.layer.error("bottom", "expected an N x C x spatial blob, got rank \(rank)") }
    let window = try CaffeWindow(p, spatial: rank - 2, dilated: true)
    let outputs = try p.int("num_output", default: 0)
    let group = try p.int("group", default: 1)
    guard outputs > 0 else { throw c.layer.error("num_output", "must be positive", in: p.block) }
    guard group > 0, outputs % group == 0 else {
      throw c.layer.error("group", "group \(group) must divide the \(outputs) outputs", in: p.block)
    }
    return (window, outputs, group)
  }

  /// `Pooling(pool, kernel, stride, pad, global_pooling)` → MaxPool / AveragePool with
  /// `ceil_mode = 1` (Caffe rounds the output up), or a global pool.
  static func pooling(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("pooling_param")
    let method = p.word("pool", default: "MAX")
    guard method == "MAX" || method == "AVE" else {
      throw c.layer.error("pool", "only MAX and AVE pooling are supported, got \(method)", in: p.block)
    }
    if try p.bool("global_pooling", default: false) {
      return [c.node(method == "MAX" ? "GlobalMaxPool" : "GlobalAveragePool", [try c.input()])]
    }
    let window = try CaffeWindow(p, spatial: 2, dilated: false)
    var attributes = window.attributes(group: nil)
    attributes["ceil_mode"] = .int(1)
    if method == "AVE" { attributes["count_include_pad"] = .int(1) }
    return [c.node(method == "MAX" ? "MaxPool" : "AveragePool", [try c.input()], attributes)]
  }

  /// `InnerProduct(num_output, axis, bias_term)` → Flatten from `axis` + Gemm with weights
  /// `[num_output, K]` (`transB = 1`); `K`, the product of the bottom's dims from `axis`, is
  /// deferred to the Gemm rule.
  static func innerProduct(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("inner_product_param")
    let outputs = try p.int("num_output", default: 0)
    guard outputs > 0 else { throw c.layer.error("num_output", "must be positive", in: p.block) }
    let rank = try c.rank()
    let axis = try p.int("axis", default: 1)
    let start = axis < 0 ? axis + rank : axis
    guard start >= 1 && start < rank else {
      throw c.layer.error("axis", "axis \(axis) is out of range for a rank-\(rank) blob", in: p.block)
    }
    var x = try c.input()
    if rank != 2 || start != 1 { x = c.node("Flatten", [x], ["axis": .int(start)], helper: true) }
    c.outputRank = 2
    let transposed = try p.bool("transpose", default: false)
    var inputs = [x, c.weight("weight", transposed ? [nil, outputs] : [outputs, nil])]
    if try p.bool("bias_term", default: true) { inputs.append(c.weight("bias", [outputs])) }
    return [c.node("Gemm", inputs, ["transB": .int(transposed ? 0 : 1)])]
  }

  /// `ReLU(negative_slope)` → Relu, or LeakyRelu when the slope is not zero.
  static func relu(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let slope = try c.layer.parameters("relu_param").double("negative_slope", default: 0)
    if slope == 0 { return [c.node("Relu", [try c.input()])] }
    return [c.node("LeakyRelu", [try c.input()], ["alpha": .float(slope)])]
  }

  /// `PReLU(channel_shared)` → PRelu with a slope per channel (`[C, 1, 1]`) or one shared slope.
  static func prelu(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let shared = try c.layer.parameters("prelu_param").bool("channel_shared", default: false)
    let slope = shared ? [1] : try c.perChannel()
    return [c.node("PRelu", [try c.input(), c.weight("slope", slope)])]
  }

  static func elu(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let alpha = try c.layer.parameters("elu_param").double("alpha", default: 1)
    return [c.node("Elu", [try c.input()], ["alpha": .float(alpha)])]
  }

  /// Element-wise ops without parameters.
  static func unary(_ op: String) -> CaffeLayerMapping {
    { (c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] in [c.node(op, [try c.input()])] }
  }

  /// `LRN(local_size, alpha, beta, k)` across channels → LRN.
  static func lrn(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("lrn_param")
    guard p.word("norm_region", default: "ACROSS_CHANNELS") == "ACROSS_CHANNELS" else {
      throw c.layer.error("norm_region", "only ACROSS_CHANNELS normalization is supported", in: p.block)
    }
    let attributes: [String: AttributeValue] = [
      "size": .int(try p.int("local_size", default: 5)), "alpha": .float(try p.double("alpha", default: 1)),
      "beta": .float(try p.double("beta", default: 0.75)), "bias": .float(try p.double("k", default: 1)),
    ]
    return [c.node("LRN", [try c.input()], attributes)]
  }

  /// `BatchNorm` (+ the `Scale` after it) → BatchNormalization. BatchNorm's blobs (mean,
  /// variance) are statistics; Scale's gamma and beta are the parameters. Without a Scale the
  /// unit scale and zero shift ONNX needs are constants, not counted.
  static func batchNormalization(_ c: inout CaffeLayerContext, scale: CaffeLayer?) throws(ConvScopeError) -> [String] {
    let channels: [Int?] = [nil]
    let epsilon = try c.layer.parameters("batch_norm_param").double("eps", default: 1e-5)
    let gamma: String
    let beta: String
    if let scale {
      gamma = c.state.assembler.weight("\(scale.name).gamma", channels)
      beta =
        try scale.parameters("scale_param").bool("bias_term", default: false)
        ? c.state.assembler.weight("\(scale.name).beta", channels)
        : c.filler("zero_shift", channels)
    } else {
      gamma = c.filler("unit_scale", channels)
      beta = c.filler("zero_shift", channels)
    }
    let statistics = [
      c.weight("mean", channels, role: .statistic), c.weight("variance", channels, role: .statistic),
    ]
    return [c.node("BatchNormalization", [try c.input(), gamma, beta] + statistics, ["epsilon": .float(epsilon)])]
  }

  /// A `Scale` not fused into a BatchNorm → Mul by a per-channel `[C, 1, 1]` blob (+ Add of the bias).
  static func scale(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("scale_param")
    guard c.inputs.count == 1 else {
      throw c.layer.error("bottom", "a Scale whose factor is a second bottom blob is not supported")
    }
    guard try p.int("axis", default: 1) == 1, try p.int("num_axes", default: 1) == 1 else {
      throw c.layer.error("axis", "only a per-channel Scale (axis 1, num_axes 1) is supported", in: p.block)
    }
    let shape = try c.perChannel()
    var y = c.node("Mul", [try c.input(), c.weight("gamma", shape)])
    if try p.bool("bias_term", default: false) { y = c.node("Add", [y, c.weight("beta", shape)]) }
    return [y]
  }
}

extension CaffeLayerMappings {
  /// `Bias` with a learned blob → Add of a per-channel `[C, 1, 1]` bias.
  static func bias(_ c: inout CaffeLayerContext) throws(ConvScopeError) -> [String] {
    let p = c.layer.parameters("bias_param")
    guard c.inputs.count == 1 else {
      throw c.layer.error("bottom", "a Bias whose values are a second bottom blob is not supported")
    }
    guard try p.int("axis", default: 1) == 1, try p.int("num_axes", default: 1) == 1 else {
      throw c.layer.error("axis", "only a per-channel Bias (axis 1, num_axes 1) is supported", in: p.block)
    }
    return [c.node("Add", [try c.input(), c.weight("bias", try c.perChannel())])]
  }
}

/// A Caffe window (kernel, stride, pad, dilation) as ONNX attributes; pads are symmetric.
struct CaffeWindow {
  var kernel: [Int]
  var strides: [Int]
  var pads: [Int]
  var dilations: [Int]?

  init(_ p: CaffeParameters, spatial: Int, dilated: Bool) throws(ConvScopeError) {
    kernel = try p.spatial("kernel_size", height: "kernel_h", width: "kernel_w", spatial: spatial, default: nil)
    strides = try p.spatial("stride", height: "stride_h", width: "stride_w", spatial: spatial, default: 1)
    pads = try p.spatial("pad", height: "pad_h", width: "pad_w", spatial: spatial, default: 0)
    dilations =
      dilated ? try p.spatial("dilation", height: "dilation_h", width: "dilation_w", spatial: spatial, default: 1) : nil
    guard kernel.allSatisfy({ $0 > 0 }), strides.allSatisfy({ $0 > 0 }), pads.allSatisfy({ $0 >= 0 }) else {
      throw p.layer.error("kernel_size", "kernel sizes and strides must be positive, pads not negative", in: p.block)
    }
  }

  func attributes(group: Int?) -> [String: AttributeValue] {
    var attributes: [String: AttributeValue] = [
      "kernel_shape": .ints(kernel), "strides": .ints(strides), "pads": .ints(pads + pads),
    ]
    if let dilations { attributes["dilations"] = .ints(dilations) }
    if let group { attributes["group"] = .int(group) }
    return attributes
  }
}
