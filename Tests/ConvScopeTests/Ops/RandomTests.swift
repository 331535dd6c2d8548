import ConvScope
import Testing

/// The random generators and BitCast and CumProd: shapes and types as the spec gives them.
@Suite struct RandomTests {
  @Test func randomOpsTakeTheirShapeAndType() throws {
    // test_bernoulli_double: float probabilities, dtype double → [10] doubles; a draw and a compare each.
    let bernoulli = try OpTesting.infer("Bernoulli", [[10]], ["dtype": .int(11)])
    #expect(bernoulli.outputs[0] == .init(dataType: .float64, shape: [10]))
    #expect(bernoulli.cost == Cost(compares: 10, others: 10))
    // test_bernoulli_expanded: RandomUniformLike keeps the input's type; low + (high-low)*u is a MAC.
    let uniform = try OpTesting.infer("RandomUniformLike", [[10]], types: [.float64])
    #expect(uniform.outputs[0] == .init(dataType: .float64, shape: [10]))
    #expect(uniform.cost == Cost(macs: 10, others: 10))
    let normal = try OpTesting.infer("RandomNormal", [], ["shape": .ints([2, 3])])
    #expect(normal.outputs[0] == .init(dataType: .float32, shape: [2, 3]))
    #expect(throws: OpError.self) { try OpTesting.infer("RandomUniform", []) }
    #expect(OpRegistry.isNondeterministic(domain: "", opType: "Bernoulli"))
  }

  @Test func bitCastNeedsTheSameWidth() throws {
    // test_bitcast_float32_to_int32 (to = 6) and test_bitcast_bool_to_uint8 (to = 2).
    #expect(try OpTesting.infer("BitCast", [[3]], ["to": .int(6)]).outputs[0] == .init(dataType: .int32, shape: [3]))
    let bool = try OpTesting.infer("BitCast", [[4]], ["to": .int(2)], types: [.bool])
    #expect(bool.outputs[0] == .init(dataType: .uint8, shape: [4]))
    // float32 → int64 changes the width; the values of a known constant are not reinterpreted.
    #expect(throws: OpError.self) { try OpTesting.infer("BitCast", [[3]], ["to": .int(7)]) }
    let known = try OpTesting.infer("BitCast", [[2]], ["to": .int(11)], constants: [0: .int64s([1, 2])], opset: 26)
    #expect(known.outputs[0].constant == nil)
  }

  @Test func cumProdMultipliesAlongTheAxis() throws {
    // test_cumprod_2d_axis_1: 2x3 along axis 1 → 2x3, 2 lines of 2 multiplies.
    let axis = ConstantTensor(dataType: .int32, dims: [], values: .ints([1]))
    let out = try OpTesting.infer("CumProd", [[2, 3], []], constants: [1: axis], opset: 26)
    #expect(out.outputs[0].shape == [2, 3])
    #expect(out.cost == Cost(multiplies: 2 * (3 - 1)))
  }
}

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
