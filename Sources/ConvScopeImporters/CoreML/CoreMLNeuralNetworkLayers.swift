import ConvScopeCore

/// Translates one NeuralNetwork layer into graph nodes; returns one output tensor per output.
typealias CoreMLLayerMapping = @Sendable (inout CoreMLLayerContext) throws(ProtobufError) -> [String]

/// Every NeuralNetwork layer ConvScope reads, keyed by the `NeuralNetworkLayer.layer` oneof's
/// field number (`NeuralNetwork.proto`), with the layer's name for messages.
///
/// | Core ML layer (field) | ONNX |
/// |---|---|
/// | convolution (100) | Conv, or ConvTranspose when `isDeconvolution`; weights `[outputChannels, kernelChannels, k...]` |
/// | pooling (120) | MaxPool / AveragePool (`includeLastPixel` rounds up), GlobalMaxPool / GlobalAveragePool |
/// | activation (130) | Relu, LeakyRelu, PRelu, Tanh, Sigmoid, HardSigmoid, Elu, Softsign, Softplus; `linear` is Mul + Add |
/// | innerProduct (140) | Flatten + Gemm (`transB = 1`, weights `[outputChannels, inputChannels]`), reshaped back to the input's rank |
/// | batchnorm (160) | BatchNormalization (mean and variance are statistics), or InstanceNormalization |
/// | softmax (175) / softmaxND (950) | Softmax over the channels / over `axis` |
/// | padding (200) | Pad (constant, reflect, edge) |
/// | upsample (210) | Resize (nearest or linear) by the scaling factors |
/// | add (230) / multiply (231) / addBroadcastable (880) / multiplyBroadcastable (890) | Add / Mul (Sum for more than two inputs) |
/// | scale (245) / bias (250) | Mul by the stored scale (+ Add of the stored bias) / Add, each of its declared shape |
/// | reshape (300) / reshapeStatic (1140) | Reshape (the legacy layer keeps the leading batch dims) |
/// | flatten (301) / flattenTo2D (1130) | Reshape to `[..., C*H*W, 1, 1]` / Flatten |
/// | permute (310) / transpose (985) | Transpose |
/// | concat (320) / concatND (980) | Concat over the channels / over `axis` |
/// | batchedMatmul (1045) | MatMul with a stored `[first, second]` weight (+ Add of the bias), or of two inputs |
/// | reduceMean (1280) | ReduceMean |
/// | gelu (795) | Gelu |
enum CoreMLNeuralNetworkLayers {
  static let mappings: [Int: (name: String, map: CoreMLLayerMapping)] = [
    100: ("convolution", CoreMLNeuralNetworkLayers.convolution),
    120: ("pooling", CoreMLNeuralNetworkLayers.pooling),
    130: ("activation", CoreMLNeuralNetworkLayers.activation),
    140: ("innerProduct", CoreMLNeuralNetworkLayers.innerProduct),
    160: ("batchnorm", CoreMLNeuralNetworkLayers.batchnorm),
    175: ("softmax", CoreMLNeuralNetworkStructure.softmax(axisField: nil)),
    200: ("padding", CoreMLNeuralNetworkStructure.padding),
    210: ("upsample", CoreMLNeuralNetworkStructure.upsample),
    230: ("add", CoreMLNeuralNetworkStructure.elementwise("Add")),
    231: ("multiply", CoreMLNeuralNetworkStructure.elementwise("Mul")),
    245: ("scale", CoreMLNeuralNetworkStructure.scale),
    250: ("bias", CoreMLNeuralNetworkStructure.bias),
    300: ("reshape", CoreMLNeuralNetworkStructure.reshape(isStatic: false)),
    301: ("flatten", CoreMLNeuralNetworkStructure.flatten),
    310: ("permute", CoreMLNeuralNetworkStructure.transpose(axesField: 1)),
    320: ("concat", CoreMLNeuralNetworkStructure.concat(axisField: nil)),
    795: ("gelu", CoreMLNeuralNetworkStructure.unary("Gelu")),
    880: ("addBroadcastable", CoreMLNeuralNetworkStructure.elementwise("Add")),
    890: ("multiplyBroadcastable", CoreMLNeuralNetworkStructure.elementwise("Mul")),
    950: ("softmaxND", CoreMLNeuralNetworkStructure.softmax(axisField: 1)),
    980: ("concatND", CoreMLNeuralNetworkStructure.concat(axisField: 1)),
    985: ("transpose", CoreMLNeuralNetworkStructure.transpose(axesField: 1)),
    1045: ("batchedMatmul", CoreMLNeuralNetworkLayers.batchedMatmul),
    1130: ("flattenTo2D", CoreMLNeuralNetworkStructure.flattenTo2D),
    1140: ("reshapeStatic", CoreMLNeuralNetworkStructure.reshape(isStatic: true)),
    1280: ("reduceMean", CoreMLNeuralNetworkStructure.reduceMean),
  ]

  /// `convolution` → Conv (ConvTranspose when `isDeconvolution`, weights `[kernelChannels, out/groups, k...]`).
  static func convolution(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    let outputs = try c.positive(1, "outputChannels")
    let kernelChannels = try c.positive(2, "kernelChannels")
    let groups = max(1, try p.int(10, "nGroups"))
    let kernel = try sizes(p, 20, "kernelSize", default: [3, 3])
    var attributes = try window(p, c, kernel: kernel, validField: 50, sameField: 51)
    attributes["group"] = .int(groups)
    attributes["dilations"] = .ints(try sizes(p, 40, "dilationFactor", default: [1, 1]))
    let deconvolution = try p.bool(60, "isDeconvolution")
    let dims = deconvolution ? [kernelChannels, outputs / groups] + kernel : [outputs, kernelChannels] + kernel
    var inputs = [try c.input(), c.weight("weight", dims)]
    if try p.bool(70, "hasBias") { inputs.append(c.weight("bias", [outputs])) }
    if deconvolution {
      let shape = try p.ints(100, "outputShape")
      if shape.count == kernel.count { attributes["output_shape"] = .ints(shape) }
    }
    return [c.node(deconvolution ? "ConvTranspose" : "Conv", inputs, attributes)]
  }

  /// `pooling` → MaxPool / AveragePool, or a global pool. `includeLastPixel` pads symmetrically
  /// and rounds the output up (`ceil_mode`).
  static func pooling(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    let type = try p.int(1, "type")
    guard type == 0 || type == 1 else { throw c.error("type", "L2 pooling is not supported") }
    if try p.bool(60, "globalPooling") {
      return [c.node(type == 0 ? "GlobalMaxPool" : "GlobalAveragePool", [try c.input()])]
    }
    let kernel = try sizes(p, 10, "kernelSize", default: [3, 3])
    var attributes: [String: AttributeValue]
    if let complete = try p.message(32, "includeLastPixel", type: "ValidCompletePadding") {
      let pads = try complete.ints(10, "paddingAmounts")
      attributes = [
        "kernel_shape": .ints(kernel), "strides": .ints(try sizes(p, 20, "stride", default: [1, 1])),
        "pads": .ints(pads.count == kernel.count ? pads + pads : Array(repeating: 0, count: kernel.count * 2)),
        "ceil_mode": .int(1),
      ]
    } else {
      attributes = try window(p, c, kernel: kernel, validField: 30, sameField: 31, strideField: 20)
    }
    if type == 1 { attributes["count_include_pad"] = .int(try p.bool(50, "avgPoolExcludePadding") ? 0 : 1) }
    return [c.node(type == 0 ? "MaxPool" : "AveragePool", [try c.input()], attributes)]
  }

  /// `activation` → the ONNX activation of its `NonlinearityType`.
  static func activation(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let x = try c.input()
    guard let (kind, value) = c.params.oneof([5, 10, 15, 20, 25, 30, 31, 40, 41, 50, 60, 70, 71]) else {
      throw c.error("NonlinearityType", "the activation names no function")
    }
    let p = try ProtobufMessage(c.params.reader, range: value.range, name: "ActivationParams")
    switch kind {
    case 10: return [c.node("Relu", [x])]
    case 15: return [c.node("LeakyRelu", [x], ["alpha": .float(try p.float(1, "alpha"))])]
    case 20: return [c.node("ThresholdedRelu", [x], ["alpha": .float(try p.float(1, "alpha"))])]
    case 25:
      let slope = try c.rank() >= 3 ? [nil] + Array(repeating: 1, count: 2) : [nil]
      return [c.node("PRelu", [x, c.weight("alpha", slope)])]
    case 30: return [c.node("Tanh", [x])]
    case 40: return [c.node("Sigmoid", [x])]
    case 41:
      let attributes: [String: AttributeValue] = [
        "alpha": .float(try p.float(1, "alpha")), "beta": .float(try p.float(2, "beta")),
      ]
      return [c.node("HardSigmoid", [x], attributes)]
    case 50: return [c.node("Elu", [x], ["alpha": .float(try p.float(1, "alpha"))])]
    case 60: return [c.node("Softsign", [x])]
    case 70: return [c.node("Softplus", [x])]
    case 5:
      let scaled = c.node("Mul", [x, c.floats("alpha", [try p.float(1, "alpha")], dims: [])])
      return [c.node("Add", [scaled, c.floats("beta", [try p.float(2, "beta")], dims: [])])]
    default:
      throw c.error(
        "NonlinearityType", "activation \(kind == 31 ? "scaledTanh" : "parametricSoftplus") is not supported")
    }
  }

  /// `innerProduct` → Flatten of the channel axes + Gemm (`[outputChannels, inputChannels]`,
  /// `transB = 1`); an input of rank 3 or more (`[..., C, 1, 1]`) gets its rank back by a Reshape.
  static func innerProduct(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    let outputs = try c.positive(2, "outputChannels")
    let inputChannels = try c.positive(1, "inputChannels")
    let rank = try c.rank()
    var x = try c.input()
    if rank != 2 { x = c.node("Flatten", [x], ["axis": .int(rank >= 3 ? rank - 3 : 0)], helper: true) }
    var inputs = [x, c.weight("weight", [outputs, inputChannels])]
    if try p.bool(10, "hasBias") { inputs.append(c.weight("bias", [outputs])) }
    let y = c.node("Gemm", inputs, ["transB": .int(1)])
    guard rank >= 3 else {
      return [rank == 1 ? c.node("Reshape", [y, c.ints("shape", [-1])], helper: true) : y]
    }
    let shape = Array(repeating: 0, count: rank - 3) + [-1, 1, 1]
    return [c.node("Reshape", [y, c.ints("shape", shape)], helper: true)]
  }

  /// `batchnorm` → BatchNormalization over `channels`, or InstanceNormalization when
  /// `instanceNormalization` (gamma and beta only).
  static func batchnorm(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    let channels = try c.positive(1, "channels")
    let epsilon = try p.float(10, "epsilon", default: 1e-5)
    let gamma = c.weight("gamma", [channels])
    let beta = c.weight("beta", [channels])
    if try p.bool(6, "instanceNormalization") {
      return [c.node("InstanceNormalization", [try c.input(), gamma, beta], ["epsilon": .float(epsilon)])]
    }
    let statistics = [
      c.weight("mean", [channels], role: .statistic), c.weight("variance", [channels], role: .statistic),
    ]
    return [c.node("BatchNormalization", [try c.input(), gamma, beta] + statistics, ["epsilon": .float(epsilon)])]
  }

  /// `batchedMatmul` → MatMul: of the two inputs (transposed as asked), or of the input and the
  /// stored `[weightMatrixFirstDimension, weightMatrixSecondDimension]` weight, + Add of the bias.
  static func batchedMatmul(_ c: inout CoreMLLayerContext) throws(ProtobufError) -> [String] {
    let p = c.params
    var a = try c.input()
    if c.inputs.count >= 2 {
      var b = try c.input(1)
      if try p.bool(1, "transposeA") {
        a = c.node("Transpose", [a], ["perm": .ints(try swapLast(c.rank()))], helper: true)
      }
      if try p.bool(2, "transposeB") {
        b = c.node("Transpose", [b], ["perm": .ints(try swapLast(c.rank(1)))], helper: true)
      }
      return [c.node("MatMul", [a, b])]
    }
    let first = try c.positive(5, "weightMatrixFirstDimension")
    let second = try c.positive(6, "weightMatrixSecondDimension")
    let y = c.node("MatMul", [a, c.weight("weight", [first, second])])
    guard try p.bool(7, "hasBias") else { return [y] }
    return [c.node("Add", [y, c.weight("bias", [second])])]
  }

  /// The permutation that swaps the last two axes of a rank-`rank` tensor.
  private static func swapLast(_ rank: Int) -> [Int] {
    guard rank >= 2 else { return Array(0..<rank) }
    return Array(0..<(rank - 2)) + [rank - 1, rank - 2]
  }

  /// A repeated size field (`kernelSize`, `stride`), or `default` when absent.
  static func sizes(_ p: ProtobufMessage, _ number: Int, _ field: String, default value: [Int]) throws(ProtobufError)
    -> [Int]
  {
    let sizes = try p.ints(number, field)
    guard !sizes.isEmpty else { return value }
    guard sizes.allSatisfy({ $0 > 0 }) else { throw p.error(field, "sizes must be positive, got \(sizes)") }
    return sizes
  }

  /// Kernel, strides and padding as ONNX attributes: `valid` with its `BorderAmounts`
  /// (`[begin..., end...]`), or `same` as `SAME_UPPER` (`BOTTOM_RIGHT_HEAVY`) / `SAME_LOWER`.
  private static func window(
    _ p: ProtobufMessage, _ c: CoreMLLayerContext, kernel: [Int], validField: Int, sameField: Int,
    strideField: Int = 30
  ) throws(ProtobufError) -> [String: AttributeValue] {
    var attributes: [String: AttributeValue] = [
      "kernel_shape": .ints(kernel), "strides": .ints(try sizes(p, strideField, "stride", default: [1, 1])),
    ]
    if let same = try p.message(sameField, "same", type: "SamePadding") {
      attributes["auto_pad"] = .string(try same.int(1, "asymmetryMode") == 1 ? "SAME_LOWER" : "SAME_UPPER")
      return attributes
    }
    var begins = Array(repeating: 0, count: kernel.count)
    var ends = begins
    if let valid = try p.message(validField, "valid", type: "ValidPadding"),
      let amounts = try valid.message(1, "paddingAmounts", type: "BorderAmounts")
    {
      let edges = try amounts.messages(10, "borderAmounts", type: "EdgeSizes")
      guard edges.isEmpty || edges.count == kernel.count else {
        throw c.error("paddingAmounts", "gives \(edges.count) border amounts for \(kernel.count) spatial axes")
      }
      for (axis, edge) in edges.enumerated() {
        begins[axis] = try edge.int(1, "startEdgeSize")
        ends[axis] = try edge.int(2, "endEdgeSize")
      }
    }
    attributes["pads"] = .ints(begins + ends)
    return attributes
  }
}
