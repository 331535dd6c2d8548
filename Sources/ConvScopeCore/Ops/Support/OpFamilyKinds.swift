/// The forms of ``OpFamily/matrixProduct(_:)``.
public enum MatrixProductKind: Sendable, Hashable {
  /// `MatMul`.
  case float
  /// `MatMulInteger`: int8/uint8 operands, int32 result.
  case integer
  /// `QLinearMatMul`: quantized operands with scales and zero points.
  case quantized
}

/// The forms of ``OpFamily/normalization(_:)``.
public enum NormalizationKind: Sendable, Hashable {
  /// `BatchNormalization`: per channel, with running statistics.
  case batch
  /// `InstanceNormalization`: per sample and channel.
  case instance
  /// `LayerNormalization`: over the trailing axes.
  case layer
  /// `GroupNormalization`: per group of channels.
  case group
  /// `RMSNormalization`: scale by the root mean square, no centring.
  case rootMeanSquare
  /// `MeanVarianceNormalization`: no learned scale or shift.
  case meanVariance
  /// `LRN`: local response normalisation across neighbouring channels.
  case localResponse
  /// `LpNormalization`: divide by the L1 or L2 norm along an axis.
  case lp
}

/// The forms of ``OpFamily/activation(_:)``.
public enum ActivationKind: Sendable, Hashable {
  case relu, leakyRelu, parametricRelu, thresholdedRelu
  /// `Clip` (ReLU6 is `Clip(0, 6)`).
  case clip
  case sigmoid, hardSigmoid, hardSwish, tanh, gelu, elu, selu, celu, softplus, softsign, mish, shrink
  /// `Swish`: `x * sigmoid(alpha * x)`.
  case swish
  /// `SwiGLU`: `Swish(A) * B`, a gated activation of two inputs.
  case swiGLU
}

/// The forms of ``OpFamily/unaryMath(_:)``.
public enum UnaryMathKind: Sendable, Hashable {
  case exp, log, sqrt, reciprocal, neg, abs, sign, ceil, floor, round, erf
  case sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh
  /// `Not` (logical) and `BitwiseNot`.
  case logicalNot, bitwiseNot
  /// `IsNaN` and `IsInf`: tests, bool out.
  case isNaN, isInf
}

/// The forms of ``OpFamily/elementwise(_:)``.
public enum ElementwiseKind: Sendable, Hashable {
  case add, sub, mul, div, pow, mod
  /// Variadic `Max`, `Min`, `Sum`, `Mean`.
  case max, min, sum, mean
  /// `Equal`, `Greater`, `Less`, `GreaterOrEqual`, `LessOrEqual`: bool out.
  case comparison
  /// `And`, `Or`, `Xor`.
  case logical
  /// `BitShift`, `BitwiseAnd`, `BitwiseOr`, `BitwiseXor`.
  case bitwise
  /// `Where`: `condition ? X : Y`.
  case select
}

/// The forms of ``OpFamily/softmax(_:)``.
public enum SoftmaxKind: Sendable, Hashable {
  case softmax, logSoftmax, hardmax
}

/// The forms of ``OpFamily/pooling(_:)``.
public enum PoolingKind: Sendable, Hashable {
  /// `MaxPool`, `AveragePool`, `LpPool`: a sliding window.
  case max, average, lp
  /// `GlobalMaxPool`, `GlobalAveragePool`, `GlobalLpPool`: the whole spatial extent.
  case globalMax, globalAverage, globalLp
  /// `MaxRoiPool`, `RoiAlign`: pooling over regions of interest.
  case regionMax, regionAlign
}

/// The forms of ``OpFamily/reduction(_:)``.
public enum ReductionKind: Sendable, Hashable {
  case sum, mean, max, min, product, l1, l2, sumSquare, logSum, logSumExp
  /// `CumSum`: running sums along an axis.
  case cumulativeSum
  /// `CumProd`: running products along an axis.
  case cumulativeProduct
}

/// The forms of ``OpFamily/indexing(_:)``.
public enum IndexingKind: Sendable, Hashable {
  case argMax, argMin, topK, nonZero, nonMaxSuppression, oneHot
  /// `Unique`: the distinct values, their positions and counts.
  case unique
}

/// The forms of ``OpFamily/dataMovement(_:)``.
public enum DataMovementKind: Sendable, Hashable {
  case reshape, flatten, squeeze, unsqueeze, transpose, concat, split, slice
  case gather, gatherElements, gatherND
  /// `Scatter`, `ScatterElements`, `ScatterND`, `TensorScatter`, `MaxUnpool`.
  case scatter
  /// `ReverseSequence`: each sequence's first elements in reverse order.
  case reverse
  case pad, tile, expand, depthToSpace, spaceToDepth
  /// `Compress`: the slices a bool mask keeps.
  case compress
  /// `Trilu`: a triangle kept, the rest zeroed.
  case triangle
  /// `Identity`.
  case identity
  /// `Cast`, `CastLike`.
  case cast
}

/// The forms of ``OpFamily/shapeArithmetic(_:)``.
public enum ShapeArithmeticKind: Sendable, Hashable {
  case shape, size, constant, constantOfShape, range
  /// `EyeLike`: an identity matrix of a given shape.
  case eyeLike
}
