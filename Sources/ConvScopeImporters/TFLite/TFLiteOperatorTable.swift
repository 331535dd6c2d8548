import ConvScopeCore

/// Which translation each TFLite builtin operator gets, by family: its code (`BuiltinOperator`
/// in TensorFlow's `schema.fbs`) to a ``TFLiteMapping``. An operator missing here becomes a node
/// of its own name in the `tflite` domain, a custom op one of its `custom_code` in `tflite.custom`;
/// neither has a rule, so the analyzer shows the file's stored output shapes for them.
enum TFLiteOperatorTable {
  /// The domain of builtin operators with no ONNX translation.
  static let domain = "tflite"
  /// The domain of custom operators.
  static let customDomain = "tflite.custom"
  /// `DEQUANTIZE` and `DENSIFY`, which are folded into a stored input.
  static let expanding: Set<Int> = [6, 124]
  /// `CUSTOM`.
  static let custom = 32

  /// The builtin operators' names by code (0-161).
  static let names: [String] = [
    "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE",
    "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D",
    "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU",
    "RELU_N1_TO_1", "RELU6", "RESHAPE", "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH",
    "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN", "SUB",
    "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN", "EXP", "TOPK_V2",
    "SPLIT", "LOG_SOFTMAX", "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM", "ARG_MAX",
    "MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE", "SIN",
    "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT", "RSQRT",
    "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK", "LOGICAL_OR", "ONE_HOT",
    "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL",
    "FLOOR_MOD", "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS",
    "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK", "ELU",
    "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH", "IF", "WHILE",
    "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM",
    "BATCH_MATMUL", "PLACEHOLDER_FOR_GREATER_OP_CODES", "CUMSUM", "CALL_ONCE", "BROADCAST_TO", "RFFT2D", "CONV_3D",
    "IMAG", "REAL", "COMPLEX_ABS", "HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT", "HASHTABLE_SIZE", "REDUCE_ALL",
    "CONV_3D_TRANSPOSE", "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "BROADCAST_ARGS", "RANDOM_STANDARD_NORMAL",
    "BUCKETIZE", "RANDOM_UNIFORM", "MULTINOMIAL", "GELU", "DYNAMIC_UPDATE_SLICE", "RELU_0_TO_1",
    "UNSORTED_SEGMENT_PROD", "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_SUM", "ATAN2", "UNSORTED_SEGMENT_MIN", "SIGN",
    "BITCAST", "BITWISE_XOR", "RIGHT_SHIFT",
  ]

  /// The name of builtin `code`.
  static func name(_ code: Int) -> String { code >= 0 && code < names.count ? names[code] : "BUILTIN_\(code)" }

  typealias E = TFLiteElementwiseOps
  typealias S = TFLiteShapeOps
  typealias V = TFLiteConvolutionOps

  /// Convolutions, pooling and matrix products.
  static let convolution: [Int: TFLiteMapping] = [
    3: V.conv2D, 4: V.depthwise, 67: V.transposed, 132: V.conv3D, 9: V.fullyConnected, 126: V.batchMatMul,
    1: V.pool("AveragePool"), 17: V.pool("MaxPool"), 12: V.pool("LpPool"),
  ]

  /// Elementwise arithmetic and comparisons (ADD, SUB, MUL, DIV carry a fused activation at option 0).
  static let arithmetic: [Int: TFLiteMapping] = [
    0: E.binary("Add", activationID: 0), 41: E.binary("Sub", activationID: 0), 18: E.binary("Mul", activationID: 0),
    42: E.binary("Div", activationID: 0), 55: E.binary("Max"), 57: E.binary("Min"), 78: E.binary("Pow"),
    58: E.binary("Less"), 61: E.binary("Greater"), 62: E.binary("GreaterOrEqual"), 63: E.binary("LessOrEqual"),
    71: E.binary("Equal"), 84: E.binary("Or"), 86: E.binary("And"), 95: E.binary("Mod", activationID: nil),
    90: E.composite("Div", then: "Floor"), 99: E.composite("Sub", then: "Mul", squared: true),
    64: E.variadic("Where"), 123: E.variadic("Where"), 106: E.variadic("Sum"),
  ]

  /// Activations and other one-input math.
  static let activation: [Int: TFLiteMapping] = [
    19: E.unary("Relu"), 21: E.clip(0, 6), 20: E.clip(-1, 1), 152: E.clip(0, 1), 14: E.unary("Sigmoid"),
    28: E.unary("Tanh"), 117: E.unary("HardSwish"), 111: E.unary("Elu"), 150: E.unary("Gelu"),
    98: E.leakyRelu, 54: E.prelu, 47: E.unary("Exp"), 73: E.unary("Log"), 75: E.unary("Sqrt"), 76: E.rsqrt,
    92: E.square, 101: E.unary("Abs"), 59: E.unary("Neg"), 8: E.unary("Floor"), 104: E.unary("Ceil"),
    116: E.unary("Round"), 66: E.unary("Sin"), 108: E.unary("Cos"), 158: E.unary("Sign"), 87: E.unary("Not"),
    25: E.lastAxis("Softmax"), 50: E.lastAxis("LogSoftmax"), 11: E.lastAxis("LpNormalization"),
    53: E.cast, 114: E.quantization, 6: E.quantization,
  ]

  /// Reshaping, slicing, padding, reductions and resizing.
  static let shape: [Int: TFLiteMapping] = [
    22: S.reshape, 39: S.transpose, 43: S.squeeze, 70: S.expandDims, 2: S.concatenation, 34: S.pad, 60: S.pad,
    100: S.pad, 40: S.reduce("ReduceMean"), 74: S.reduce("ReduceSum"), 82: S.reduce("ReduceMax"),
    89: S.reduce("ReduceMin"), 81: S.reduce("ReduceProd"), 91: S.reduce("ReduceMax"), 45: S.stridedSlice,
    65: S.slice, 36: S.gather, 56: S.argument("ArgMax"), 79: S.argument("ArgMin"),
    23: S.resize("linear"), 97: S.resize("nearest"), 26: S.blocks("SpaceToDepth"), 5: S.blocks("DepthToSpace"),
    69: S.tile, 77: S.shapeOf, 83: S.pack, 49: TFLiteSplitOps.split, 102: TFLiteSplitOps.split,
    88: TFLiteSplitOps.unpack,
  ]

  /// Every mapped builtin.
  static let mappings: [Int: TFLiteMapping] = convolution.merging(arithmetic) { a, _ in a }
    .merging(activation) { a, _ in a }.merging(shape) { a, _ in a }
}
