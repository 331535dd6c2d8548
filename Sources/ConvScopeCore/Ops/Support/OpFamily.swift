/// What kind of computation an op is, as counting conventions and analysis passes need to
/// know it: declared by the op's rule (``OpRule/family(of:)``), so no pass or convention
/// has to recognise op types by name.
///
/// The kinds are as fine as the tools we reproduce tell them apart (onnx-tool weighs
/// `Tanh` 76 and `Sigmoid` 32; ptflops hooks `Relu` twice but `Clip` once), and no finer.
/// A rule that declares nothing is ``other``; a family a convention has no decision for
/// is named in that convention's notes, never silently counted 0.
///
/// Example: `ConvRule` declares `.convolution`; `ActivationRule` declares
/// `.activation(.relu)` for `Relu` and `.unaryMath(.exp)` for `Exp`.
public enum OpFamily: Sendable, Hashable {
  /// `Conv`: a sliding-window product with a weight.
  case convolution
  /// `ConvTranspose`: the gradient of a convolution (an upsampling product).
  case transposedConvolution
  /// `Gemm`: a fully connected layer, `alpha * A * B + beta * C`.
  case linear
  /// `MatMul` and its integer and quantized forms: a product of two tensors.
  case matrixProduct(MatrixProductKind)
  /// `Einsum`: a product written as an index equation.
  case einsum
  /// `Attention`: scaled dot-product attention in one op.
  case attention
  /// `LSTM`, `GRU`, `RNN`: recurrent layers, and the sequence layers that carry a state from
  /// step to step or call to call (`LinearAttention`, `CausalConvWithState`).
  case recurrent
  /// Statistics normalisation (`BatchNormalization`, `LayerNormalization`, `LRN`...).
  case normalization(NormalizationKind)
  /// A nonlinearity applied per element (`Relu`, `Sigmoid`, `Gelu`, `Clip`, `PRelu`...).
  case activation(ActivationKind)
  /// A one-input elementwise math function that is not an activation (`Exp`, `Sqrt`, `Sin`...).
  case unaryMath(UnaryMathKind)
  /// A broadcasting elementwise combination of inputs (`Add`, `Mul`, `Max`, `Equal`, `Where`...).
  case elementwise(ElementwiseKind)
  /// `Softmax`, `LogSoftmax`, `Hardmax`.
  case softmax(SoftmaxKind)
  /// Window, global and region pooling.
  case pooling(PoolingKind)
  /// Reductions over axes (`ReduceMean`, `ReduceSum`...) and running sums.
  case reduction(ReductionKind)
  /// Ops whose result is positions or built from positions (`ArgMax`, `TopK`, `NonZero`, `OneHot`...).
  case indexing(IndexingKind)
  /// `Resize` and `Upsample`: spatial resampling.
  case resize
  /// Ops that move, copy, select or retype elements without arithmetic (`Reshape`, `Concat`, `Pad`...).
  case dataMovement(DataMovementKind)
  /// `Dropout`: the identity at inference.
  case dropout
  /// Ops that make tensors from shapes and constants rather than from data (`Shape`, `Range`...).
  case shapeArithmetic(ShapeArithmeticKind)
  /// `If`, `Loop`, `Scan`: the node itself computes nothing; its bodies' rows, analysed
  /// under it, carry their own families and costs.
  case controlFlow
  /// `NegativeLogLikelihoodLoss`, `SoftmaxCrossEntropyLoss`: a class-indexed loss.
  case loss
  /// `GridSample`, `AffineGrid`, `Col2Im`: reading or summing values at computed positions.
  case sampling
  /// `DeformConv`: a convolution whose taps are moved by offsets and read by interpolation.
  case deformableConvolution
  /// `DFT`, `STFT` and the tables they use (`HannWindow`, `MelWeightMatrix`...).
  case spectral
  /// `Adagrad`, `Momentum`, `Adam` (`ai.onnx.preview.training`): one optimiser step.
  case optimizer
  /// `Bernoulli`, `RandomUniformLike`...: random draws.
  case random
  /// `StringSplit`, `StringNormalizer`, `TfIdfVectorizer`...: operations on text.
  case text
  /// `ImageDecoder`: encoded bytes to pixels.
  case imageDecoding
  /// `ai.onnx.ml` ops (`Binarizer`, `LabelEncoder`, `TreeEnsemble`...): classical machine learning.
  case classicalML
  /// `Det`: matrix factorisation.
  case linearAlgebra
  /// A rule that declares no family: every convention names it in its notes.
  case other
}

extension OpFamily {
  /// True for global pooling (`GlobalAveragePool`, `GlobalMaxPool`, `GlobalLpPool`): the
  /// window is the whole spatial extent.
  public var isGlobalPooling: Bool {
    switch self {
    case .pooling(.globalAverage), .pooling(.globalMax), .pooling(.globalLp): true
    default: false
    }
  }
}
