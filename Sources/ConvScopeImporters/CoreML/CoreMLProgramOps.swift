import ConvScopeCore

/// Translates one ML Program operation into graph nodes; returns one tensor per declared output.
typealias CoreMLOperationMapping = @Sendable (inout CoreMLOperationContext) throws(ProtobufError) -> [String]

/// ML Program (MIL) operations as ONNX ops, by MIL type (coremltools' `mil/ops/defs`).
/// Weights are `const` values: their dims come from their declared type.
///
/// | MIL | ONNX |
/// |---|---|
/// | conv / conv_transpose | Conv / ConvTranspose (`pad_type` valid, same, same_lower, custom `pad` `[b0, e0, b1, e1]`) |
/// | linear | Gemm (`transB = 1`, weight `[out, in]`) for a matrix, else MatMul by the weight + Add of the bias |
/// | matmul | MatMul (a Transpose first for `transpose_x` / `transpose_y`) |
/// | batch_norm / instance_norm / layer_norm | BatchNormalization / InstanceNormalization / LayerNormalization |
/// | relu, relu6, sigmoid, tanh, silu, gelu, softplus, softsign, elu, leaky_relu, prelu, sigmoid_hard, clip, erf, exp, log, sqrt, abs | Relu, Clip, Sigmoid, Tanh, Swish, Gelu, Softplus, Softsign, Elu, LeakyRelu, PRelu, HardSigmoid, Clip, Erf, Exp, Log, Sqrt, Abs |
/// | add, sub, mul, real_div, maximum, minimum, pow | Add, Sub, Mul, Div, Max, Min, Pow |
/// | max_pool / avg_pool | MaxPool / AveragePool (`ceil_mode`, `exclude_padding_from_average`) |
/// | reduce_mean, reduce_sum, reduce_max, reduce_min | ReduceMean, ReduceSum, ReduceMax, ReduceMin |
/// | softmax, concat, reshape, transpose, squeeze, expand_dims, identity, cast | Softmax, Concat, Reshape, Transpose, Squeeze, Unsqueeze, Identity, Cast |
/// | upsample_nearest_neighbor / upsample_bilinear | Resize (nearest / linear) |
/// | pad | Pad |
/// | inverse, floor, ceil, round, sign, sin, cos, logical_not | Reciprocal, Floor, Ceil, Round, Sign, Sin, Cos, Not |
/// | greater, greater_equal, less, less_equal, equal, logical_and, logical_or, logical_xor | Greater, GreaterOrEqual, Less, LessOrEqual, Equal, And, Or, Xor |
/// | gather, select, einsum | Gather, Where, Einsum |
/// | scaled_dot_product_attention | Attention (opset 23, 4-D) |
/// | pixel_shuffle, depth_to_space, space_to_depth | DepthToSpace (CRD, DCR), SpaceToDepth |
/// | any other | a node of its MIL type in the `ai.coreml.mil` domain, with its declared output shapes |
enum CoreMLProgramOps {
  static let mappings: [String: CoreMLOperationMapping] = [
    "conv": CoreMLProgramOps.convolution(transposed: false),
    "conv_transpose": CoreMLProgramOps.convolution(transposed: true),
    "linear": CoreMLProgramOps.linear,
    "matmul": CoreMLProgramOps.matmul,
    "batch_norm": CoreMLProgramNormalization.batchNorm,
    "instance_norm": CoreMLProgramNormalization.instanceNorm,
    "layer_norm": CoreMLProgramNormalization.layerNorm,
    "max_pool": CoreMLProgramOps.pool("MaxPool"),
    "avg_pool": CoreMLProgramOps.pool("AveragePool"),
    "relu": unary("Relu"), "sigmoid": unary("Sigmoid"), "tanh": unary("Tanh"), "silu": unary("Swish"),
    "softplus": unary("Softplus"), "softsign": unary("Softsign"), "erf": unary("Erf"), "exp": unary("Exp"),
    "log": unary("Log"), "sqrt": unary("Sqrt"), "abs": unary("Abs"), "identity": unary("Identity"),
    "gelu": CoreMLProgramActivations.gelu, "relu6": CoreMLProgramActivations.relu6,
    "clip": CoreMLProgramActivations.clip, "elu": CoreMLProgramActivations.alpha("Elu", default: 1),
    "leaky_relu": CoreMLProgramActivations.alpha("LeakyRelu", default: 0.01),
    "prelu": CoreMLProgramActivations.prelu, "sigmoid_hard": CoreMLProgramActivations.sigmoidHard,
    "add": binary("Add"), "sub": binary("Sub"), "mul": binary("Mul"), "real_div": binary("Div"),
    "maximum": binary("Max"), "minimum": binary("Min"), "pow": binary("Pow"),
    "reduce_mean": CoreMLProgramShapes.reduce("ReduceMean"), "reduce_sum": CoreMLProgramShapes.reduce("ReduceSum"),
    "reduce_max": CoreMLProgramShapes.reduce("ReduceMax"), "reduce_min": CoreMLProgramShapes.reduce("ReduceMin"),
    "softmax": CoreMLProgramShapes.softmax, "concat": CoreMLProgramShapes.concat,
    "reshape": CoreMLProgramShapes.reshape, "transpose": CoreMLProgramShapes.transpose,
    "squeeze": CoreMLProgramShapes.axes("Squeeze"), "expand_dims": CoreMLProgramShapes.axes("Unsqueeze"),
    "cast": CoreMLProgramShapes.cast, "pad": CoreMLProgramShapes.pad,
    "upsample_nearest_neighbor": CoreMLProgramShapes.upsample("nearest"),
    "upsample_bilinear": CoreMLProgramShapes.upsample("linear"),
    "inverse": unary("Reciprocal"), "floor": unary("Floor"), "ceil": unary("Ceil"), "round": unary("Round"),
    "sign": unary("Sign"), "sin": unary("Sin"), "cos": unary("Cos"), "logical_not": unary("Not"),
    "greater": binary("Greater"), "greater_equal": binary("GreaterOrEqual"), "less": binary("Less"),
    "less_equal": binary("LessOrEqual"), "equal": binary("Equal"), "logical_and": binary("And"),
    "logical_or": binary("Or"), "logical_xor": binary("Xor"),
    "gather": CoreMLProgramIndexing.gather, "select": CoreMLProgramIndexing.select,
    "einsum": CoreMLProgramIndexing.einsum, "scaled_dot_product_attention": CoreMLProgramIndexing.attention,
    "pixel_shuffle": CoreMLProgramIndexing.blocks("DepthToSpace", argument: "upscale_factor", mode: "CRD"),
    "depth_to_space": CoreMLProgramIndexing.blocks("DepthToSpace", argument: "block_size", mode: "DCR"),
    "space_to_depth": CoreMLProgramIndexing.blocks("SpaceToDepth", argument: "block_size", mode: nil),
  ]

  /// The domain of the nodes an operation without a mapping becomes.
  static let domain = "ai.coreml.mil"

  /// An operation without a mapping: a node of its MIL type reading its tensor arguments, in
  /// the `ai.coreml.mil` domain (no rule), whose outputs take their declared types.
  static func unmapped(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    var inputs: [String] = []
    for key in c.arguments.keys.sorted() where c.arguments[key]?.contains(where: { !$0.isConstant }) == true {
      inputs += try c.tensors(key)
    }
    let outputs = c.emission.nodeOutputs(c.type, inputs: inputs, count: max(1, c.outputs.count))
    c.emission.update(node: c.emission.nodes.count - 1) { $0.domain = domain }
    return outputs
  }

  /// `x` through one ONNX op.
  static func unary(_ op: String) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in [c.node(op, [try c.tensor("x")])] }
  }

  /// `x` and `y` through one broadcasting ONNX op.
  static func binary(_ op: String) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      [c.node(op, [try c.tensor("x"), try c.tensor("y")])]
    }
  }

  /// `conv(x, weight, bias, strides, pad_type, pad, dilations, groups)` → Conv, or ConvTranspose
  /// (weight `[C_in, C_out/groups, k...]`); the kernel is the weight's trailing dims.
  static func convolution(transposed: Bool) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      let weightDims = try c.fixedDims("weight")
      guard weightDims.count >= 3 else { throw c.error("weight", "a convolution weight has rank 3 or more") }
      let kernel = Array(weightDims.dropFirst(2))
      var attributes = try window(&c, kernel: kernel, kernelArgument: nil)
      attributes["group"] = .int(try c.int("groups", default: 1))
      attributes["dilations"] = .ints(try c.ints("dilations", default: Array(repeating: 1, count: kernel.count)))
      var inputs = [try c.tensor("x"), try c.tensor("weight", role: .weight)]
      if let bias = c.optionalTensor("bias", role: .bias) { inputs.append(bias) }
      return [c.node(transposed ? "ConvTranspose" : "Conv", inputs, attributes)]
    }
  }

  /// `max_pool` / `avg_pool(x, kernel_sizes, strides, pad_type, pad, ceil_mode, exclude_padding_from_average)`.
  static func pool(_ op: String) -> CoreMLOperationMapping {
    { (c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] in
      let kernel = try c.ints("kernel_sizes")
      var attributes = try window(&c, kernel: kernel, kernelArgument: "kernel_sizes")
      attributes["ceil_mode"] = .int(try c.int("ceil_mode", default: 0))
      if op == "AveragePool" {
        attributes["count_include_pad"] = .int(try c.int("exclude_padding_from_average", default: 0) != 0 ? 0 : 1)
      }
      return [c.node(op, [try c.tensor("x")], attributes)]
    }
  }

  /// Kernel, strides and padding as ONNX attributes. MIL's custom `pad` interleaves each
  /// spatial axis' begin and end (`[b0, e0, b1, e1]`); ONNX lists the begins, then the ends.
  private static func window(_ c: inout CoreMLOperationContext, kernel: [Int], kernelArgument: String?)
    throws(ProtobufError) -> [String: AttributeValue]
  {
    var attributes: [String: AttributeValue] = [
      "kernel_shape": .ints(kernel),
      "strides": .ints(try c.ints("strides", default: Array(repeating: 1, count: kernel.count))),
    ]
    switch c.string("pad_type", default: "valid") {
    case "same": attributes["auto_pad"] = .string("SAME_UPPER")
    case "same_lower": attributes["auto_pad"] = .string("SAME_LOWER")
    case "valid": attributes["pads"] = .ints(Array(repeating: 0, count: kernel.count * 2))
    case "custom":
      let pad = try c.ints("pad", default: Array(repeating: 0, count: kernel.count * 2))
      guard pad.count == kernel.count * 2 else {
        throw c.error("pad", "gives \(pad.count) values for \(kernel.count) spatial axes")
      }
      attributes["pads"] = .ints(
        stride(from: 0, to: pad.count, by: 2).map { pad[$0] } + stride(from: 1, to: pad.count, by: 2).map { pad[$0] })
    case let other: throw c.error("pad_type", "unknown padding type '\(other)'")
    }
    return attributes
  }

  /// `linear(x, weight [out, in], bias)` → Gemm when `x` is a matrix; otherwise MatMul by the
  /// weight (stored transposed, the same elements) + Add of the bias.
  static func linear(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    let x = try c.tensor("x")
    let weight = try c.tensor("weight", role: .weight)
    let bias = c.optionalTensor("bias", role: .bias)
    if try c.rank("x") == 2 {
      return [c.node("Gemm", [x, weight] + (bias.map { [$0] } ?? []), ["transB": .int(1)])]
    }
    let transposed = c.node("Transpose", [weight], ["perm": .ints([1, 0])], helper: true)
    let y = c.node("MatMul", [x, transposed])
    guard let bias else { return [y] }
    return [c.node("Add", [y, bias])]
  }

  /// `matmul(x, y, transpose_x, transpose_y)` → MatMul, transposing the last two axes first as asked.
  static func matmul(_ c: inout CoreMLOperationContext) throws(ProtobufError) -> [String] {
    var operands: [String] = []
    for (argument, flag) in [("x", "transpose_x"), ("y", "transpose_y")] {
      var tensor = try c.tensor(argument)
      if try c.int(flag, default: 0) != 0 {
        let rank = try c.rank(argument)
        guard rank >= 2 else { throw c.error(flag, "transposes a tensor of rank \(rank)") }
        let perm = Array(0..<(rank - 2)) + [rank - 1, rank - 2]
        tensor = c.node("Transpose", [tensor], ["perm": .ints(perm)], helper: true)
      }
      operands.append(tensor)
    }
    return [c.node("MatMul", operands)]
  }
}
