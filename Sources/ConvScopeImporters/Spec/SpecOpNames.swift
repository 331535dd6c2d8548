import ConvScopeCore

/// What a friendly spec op name translates to. The ONNX op each case emits is
/// named in the case or in ``SpecOpNames/table``.
enum SpecOp: Hashable, Sendable {
  /// `Conv`; `rank` is the spatial rank the name fixes (`conv2d` → 2), if any.
  case conv(rank: Int?)
  /// `Conv` with `group` = input channels.
  case depthwiseConv(rank: Int?)
  /// `ConvTranspose`.
  case convTranspose(rank: Int?)
  /// `MaxPool` or `AveragePool`.
  case pool(String, rank: Int?)
  /// `GlobalAveragePool` or `GlobalMaxPool`.
  case globalPool(String)
  /// `Gemm` (after a `Flatten` when the input has rank > 2).
  case dense
  /// `BatchNormalization`, `LayerNormalization`, `InstanceNormalization`, `GroupNormalization`, `LRN`.
  case batchNorm, layerNorm, instanceNorm, groupNorm, lrn
  /// A one-input op with optional attributes: spec key → ONNX attribute name.
  case unary(String, floats: [String: String] = [:], strings: [String: String] = [:])
  /// `PRelu` with a per-channel slope.
  case prelu
  /// `Clip` with `min`/`max` inputs; `relu6` fixes them to 0 and 6.
  case clip(min: Double?, max: Double?)
  /// `Softmax` or `LogSoftmax` over an axis given in the spec's layout.
  case softmax(String)
  /// `Sigmoid` then `Mul` (x * sigmoid(x)): ONNX has no Swish before opset 24.
  case swish
  /// A broadcasting op on two inputs (`Add`, `Sub`...); `variadic` is the op for more than two.
  case elementwise(String, variadic: String?)
  case concat, flatten, reshape, transpose, pad, dropout, identity
  /// `Resize`; `mode` is the default interpolation (`nearest` for upsample).
  case resize(mode: String)
}

/// The spec's friendly op names and the ONNX ops they become.
enum SpecOpNames {
  /// Friendly name (lower case) → translation.
  static let table: [String: SpecOp] = [
    // Convolution
    "conv": .conv(rank: nil), "conv1d": .conv(rank: 1), "conv2d": .conv(rank: 2), "conv3d": .conv(rank: 3),
    "depthwise_conv": .depthwiseConv(rank: nil), "depthwise_conv1d": .depthwiseConv(rank: 1),
    "depthwise_conv2d": .depthwiseConv(rank: 2), "depthwise_conv3d": .depthwiseConv(rank: 3),
    "conv_transpose": .convTranspose(rank: nil), "conv_transpose1d": .convTranspose(rank: 1),
    "conv_transpose2d": .convTranspose(rank: 2), "conv_transpose3d": .convTranspose(rank: 3),
    "deconv": .convTranspose(rank: nil),
    // Pooling
    "maxpool": .pool("MaxPool", rank: nil), "maxpool1d": .pool("MaxPool", rank: 1),
    "maxpool2d": .pool("MaxPool", rank: 2), "maxpool3d": .pool("MaxPool", rank: 3),
    "avgpool": .pool("AveragePool", rank: nil), "avgpool1d": .pool("AveragePool", rank: 1),
    "avgpool2d": .pool("AveragePool", rank: 2), "avgpool3d": .pool("AveragePool", rank: 3),
    "global_avgpool": .globalPool("GlobalAveragePool"), "global_maxpool": .globalPool("GlobalMaxPool"),
    // Linear
    "dense": .dense, "fc": .dense, "linear": .dense,
    // Normalization
    "batchnorm": .batchNorm, "layernorm": .layerNorm, "instancenorm": .instanceNorm,
    "groupnorm": .groupNorm, "lrn": .lrn,
    // Activations
    "relu": .unary("Relu"), "leaky_relu": .unary("LeakyRelu", floats: ["alpha": "alpha"]), "prelu": .prelu,
    "sigmoid": .unary("Sigmoid"), "tanh": .unary("Tanh"),
    "hard_sigmoid": .unary("HardSigmoid", floats: ["alpha": "alpha", "beta": "beta"]),
    "hard_swish": .unary("HardSwish"), "gelu": .unary("Gelu", strings: ["approximate": "approximate"]),
    "clip": .clip(min: nil, max: nil), "relu6": .clip(min: 0, max: 6),
    "softmax": .softmax("Softmax"), "log_softmax": .softmax("LogSoftmax"),
    "elu": .unary("Elu", floats: ["alpha": "alpha"]),
    "selu": .unary("Selu", floats: ["alpha": "alpha", "gamma": "gamma"]),
    "celu": .unary("Celu", floats: ["alpha": "alpha"]), "softplus": .unary("Softplus"),
    "softsign": .unary("Softsign"), "mish": .unary("Mish"), "swish": .swish, "silu": .swish,
    // Elementwise
    "add": .elementwise("Add", variadic: "Sum"), "sub": .elementwise("Sub", variadic: nil),
    "mul": .elementwise("Mul", variadic: nil), "div": .elementwise("Div", variadic: nil),
    "max": .elementwise("Max", variadic: "Max"), "min": .elementwise("Min", variadic: "Min"),
    "average": .elementwise("Mean", variadic: "Mean"),
    // Shape
    "concat": .concat, "flatten": .flatten, "reshape": .reshape, "transpose": .transpose, "pad": .pad,
    "upsample": .resize(mode: "nearest"), "resize": .resize(mode: "nearest"),
    "dropout": .dropout, "identity": .identity,
  ]

  /// The activations `activation:` accepts on conv, deconv and dense layers.
  static func isActivation(_ op: SpecOp) -> Bool {
    switch op {
    case .unary, .prelu, .clip, .softmax, .swish: true
    default: false
    }
  }

  /// Ops of the default ONNX domain (opset 1 to 21), accepted verbatim as `op: Conv`.
  static let onnxOps: Set<String> = [
    "Abs", "Acos", "Acosh", "Add", "AffineGrid", "And", "ArgMax", "ArgMin", "Asin", "Asinh", "Atan", "Atanh",
    "AveragePool", "BatchNormalization", "Bernoulli", "BitShift", "BitwiseAnd", "BitwiseNot", "BitwiseOr",
    "BitwiseXor", "BlackmanWindow", "Cast", "CastLike", "Ceil", "Celu", "CenterCropPad", "Clip", "Col2Im",
    "Compress", "Concat", "ConcatFromSequence", "Constant", "ConstantOfShape", "Conv", "ConvInteger",
    "ConvTranspose", "Cos", "Cosh", "CumSum", "DFT", "DeformConv", "DepthToSpace", "DequantizeLinear", "Det",
    "Div", "Dropout", "DynamicQuantizeLinear", "Einsum", "Elu", "Equal", "Erf", "Exp", "Expand", "EyeLike",
    "Flatten", "Floor", "GRU", "Gather", "GatherElements", "GatherND", "Gelu", "Gemm", "GlobalAveragePool",
    "GlobalLpPool", "GlobalMaxPool", "Greater", "GreaterOrEqual", "GridSample", "GroupNormalization",
    "HammingWindow", "HannWindow", "HardSigmoid", "HardSwish", "Hardmax", "Identity", "If", "ImageDecoder",
    "InstanceNormalization", "IsInf", "IsNaN", "LRN", "LSTM", "LayerNormalization", "LeakyRelu", "Less",
    "LessOrEqual", "Log", "LogSoftmax", "Loop", "LpNormalization", "LpPool", "MatMul", "MatMulInteger", "Max",
    "MaxPool", "MaxRoiPool", "MaxUnpool", "Mean", "MeanVarianceNormalization", "MelWeightMatrix", "Min", "Mish",
    "Mod", "Mul", "Multinomial", "Neg", "NegativeLogLikelihoodLoss", "NonMaxSuppression", "NonZero", "Not",
    "OneHot", "Optional", "OptionalGetElement", "OptionalHasElement", "Or", "PRelu", "Pad", "Pow",
    "QLinearConv", "QLinearMatMul", "QuantizeLinear", "RNN", "RandomNormal", "RandomNormalLike",
    "RandomUniform", "RandomUniformLike", "Range", "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum",
    "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare",
    "RegexFullMatch", "Relu", "Reshape", "Resize", "ReverseSequence", "RoiAlign", "Round", "STFT", "Scan",
    "Scatter", "ScatterElements", "ScatterND", "Selu", "SequenceAt", "SequenceConstruct", "SequenceEmpty",
    "SequenceErase", "SequenceInsert", "SequenceLength", "SequenceMap", "Shape", "Shrink", "Sigmoid", "Sign",
    "Sin", "Sinh", "Size", "Slice", "Softmax", "SoftmaxCrossEntropyLoss", "Softplus", "Softsign",
    "SpaceToDepth", "Split", "SplitToSequence", "Sqrt", "Squeeze", "StringConcat", "StringNormalizer",
    "StringSplit", "Sub", "Sum", "Tan", "Tanh", "TfIdfVectorizer", "ThresholdedRelu", "Tile", "TopK",
    "Transpose", "Trilu", "Unique", "Unsqueeze", "Upsample", "Where", "Xor",
  ]

  /// ONNX ops whose output has the shape of their first input: a verbatim
  /// layer of one of these keeps its input's tracked shape.
  static let shapePreservingOnnxOps: Set<String> = [
    "Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "BatchNormalization", "Cast", "Ceil", "Celu",
    "Clip", "Cos", "Cosh", "CumSum", "Dropout", "Elu", "Erf", "Exp", "Floor", "Gelu", "HardSigmoid",
    "HardSwish", "Hardmax", "Identity", "InstanceNormalization", "LRN", "LayerNormalization", "LeakyRelu",
    "Log", "LogSoftmax", "LpNormalization", "MeanVarianceNormalization", "Mish", "Neg", "PRelu", "Reciprocal",
    "Relu", "Round", "Selu", "Shrink", "Sigmoid", "Sign", "Sin", "Sinh", "Softmax", "Softplus", "Softsign",
    "Sqrt", "Tan", "Tanh", "ThresholdedRelu", "GroupNormalization",
  ]
}
