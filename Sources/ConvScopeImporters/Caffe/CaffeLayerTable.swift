import ConvScopeCore

/// Translates one Caffe layer into graph nodes; returns one output tensor per top.
typealias CaffeLayerMapping = @Sendable (inout CaffeLayerContext) throws(ConvScopeError) -> [String]

/// Every Caffe layer type ConvScope reads, keyed by the type upper-cased without
/// underscores so that V2 names (`"InnerProduct"`) and V1 enums (`INNER_PRODUCT`) meet.
///
/// | Caffe | ONNX |
/// |---|---|
/// | Input (or `input:` / `input_shape` / `input_dim`) | a graph input |
/// | Convolution | Conv (group, dilation, pad/kernel/stride `_h`/`_w`; output rounds down) |
/// | Deconvolution | ConvTranspose |
/// | Pooling MAX/AVE | MaxPool / AveragePool with `ceil_mode = 1` (Caffe rounds up); global → GlobalMaxPool / GlobalAveragePool |
/// | InnerProduct | Flatten (from `axis`) + Gemm (`transB = 1`, weights `[num_output, K]`) |
/// | ReLU, PReLU, Sigmoid, TanH, ELU, BNLL, AbsVal, Exp, Log | Relu (LeakyRelu with `negative_slope`), PRelu, Sigmoid, Tanh, Elu, Softplus, Abs, Exp, Log |
/// | LRN | LRN (across channels) |
/// | BatchNorm followed by Scale | one BatchNormalization: Scale's blobs are gamma and beta, BatchNorm's are statistics |
/// | BatchNorm alone / Scale alone / Bias | BatchNormalization with a unit scale and zero shift / Mul (+ Add) / Add |
/// | Eltwise SUM/PROD/MAX | Add (Sum for more than two), Mul, Max |
/// | Concat, Softmax, Flatten, Reshape, Dropout | Concat, Softmax, Flatten, Reshape, Dropout |
/// | Split | no node: every top is the bottom tensor |
/// | Slice | one Slice per top (`slice_point`), or Split into equal pieces |
/// | Crop | Shape + Slice of the reference blob's dims, then Slice |
/// | Power | Mul, Add, Pow as needed |
enum CaffeLayerTable {
  static let mappings: [String: CaffeLayerMapping] = [
    "CONVOLUTION": CaffeLayerMappings.convolution,
    "DECONVOLUTION": CaffeLayerMappings.deconvolution,
    "POOLING": CaffeLayerMappings.pooling,
    "INNERPRODUCT": CaffeLayerMappings.innerProduct,
    "RELU": CaffeLayerMappings.relu,
    "PRELU": CaffeLayerMappings.prelu,
    "SIGMOID": CaffeLayerMappings.unary("Sigmoid"),
    "TANH": CaffeLayerMappings.unary("Tanh"),
    "BNLL": CaffeLayerMappings.unary("Softplus"),
    "ABSVAL": CaffeLayerMappings.unary("Abs"),
    "EXP": CaffeLayerMappings.unary("Exp"),
    "LOG": CaffeLayerMappings.unary("Log"),
    "ELU": CaffeLayerMappings.elu,
    "LRN": CaffeLayerMappings.lrn,
    "BATCHNORM": { (c: inout CaffeLayerContext) throws(ConvScopeError) in
      try CaffeLayerMappings.batchNormalization(&c, scale: nil)
    },
    "SCALE": CaffeLayerMappings.scale,
    "BIAS": CaffeLayerMappings.bias,
    "ELTWISE": CaffeStructureMappings.eltwise,
    "CONCAT": CaffeStructureMappings.concat,
    "SOFTMAX": CaffeStructureMappings.softmax,
    "FLATTEN": CaffeStructureMappings.flatten,
    "RESHAPE": CaffeStructureMappings.reshape,
    "DROPOUT": CaffeStructureMappings.dropout,
    "SLICE": CaffeStructureMappings.slice,
    "CROP": CaffeStructureMappings.crop,
    "POWER": CaffeStructureMappings.power,
  ]

  /// The V2 spellings, for "did you mean".
  static let typeNames = [
    "Input", "Convolution", "Deconvolution", "Pooling", "InnerProduct", "ReLU", "PReLU", "Sigmoid", "TanH",
    "BNLL", "AbsVal", "Exp", "Log", "ELU", "LRN", "BatchNorm", "Scale", "Bias", "Eltwise", "Concat", "Softmax",
    "Flatten", "Reshape", "Dropout", "Split", "Slice", "Crop", "Power", "Silence",
  ]
}
