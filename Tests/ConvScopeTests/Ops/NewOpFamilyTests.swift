import ConvScope
import Testing

/// Each new rule declares the family conventions and passes decide by.
@Suite struct NewOpFamilyTests {
  @Test(arguments: [
    ("NegativeLogLikelihoodLoss", "", OpFamily.loss), ("SoftmaxCrossEntropyLoss", "", .loss),
    ("GridSample", "", .sampling), ("AffineGrid", "", .sampling), ("Col2Im", "", .sampling),
    ("MaxUnpool", "", .dataMovement(.scatter)), ("TensorScatter", "", .dataMovement(.scatter)),
    ("ReverseSequence", "", .dataMovement(.reverse)), ("CenterCropPad", "", .dataMovement(.pad)),
    ("DeformConv", "", .deformableConvolution), ("DFT", "", .spectral), ("STFT", "", .spectral),
    ("HannWindow", "", .spectral), ("MelWeightMatrix", "", .spectral),
    ("Adam", "ai.onnx.preview.training", .optimizer), ("Bernoulli", "", .random), ("Unique", "", .indexing(.unique)),
    ("LpNormalization", "", .normalization(.lp)), ("Det", "", .linearAlgebra), ("Swish", "", .activation(.swish)),
    ("SwiGLU", "", .activation(.swiGLU)), ("CumProd", "", .reduction(.cumulativeProduct)),
    ("BitCast", "", .dataMovement(.cast)), ("StringSplit", "", .text), ("TfIdfVectorizer", "", .text),
    ("ImageDecoder", "", .imageDecoding), ("TreeEnsemble", "ai.onnx.ml", .classicalML),
  ])
  func familyOf(op: String, domain: String, family: OpFamily) throws {
    let rule = try #require(OpRegistry.standard.rule(domain: domain, opType: op))
    #expect(rule.family(of: op) == family)
  }
}
