import ConvScope
import Testing

/// String ops, ImageDecoder and the `ai.onnx.ml` ops against the node tests' expected dims and
/// the spec's shape rules.
@Suite struct TextAndMLTests {
  @Test func stringOpsKeepTheShapesTheSpecGives() throws {
    // test_string_concat_broadcasting: [3] ++ [1] → [3].
    let concat = try OpTesting.infer("StringConcat", [[3], [1]], types: [.string, .string])
    #expect(concat.outputs[0] == .init(dataType: .string, shape: [3]))
    // test_regex_full_match_email_domain: [2, 2] strings → [2, 2] bools.
    let regex = try OpTesting.infer("RegexFullMatch", [[2, 2]], types: [.string])
    #expect(regex.outputs[0] == .init(dataType: .bool, shape: [2, 2]))
    // test_string_split_maxsplit: [2, 2] → Y [2, 2, ?] (the substring count is in the values), Z [2, 2].
    let split = try OpTesting.infer("StringSplit", [[2, 2]], types: [.string])
    #expect(split.outputs.map(\.shape) == [[2, 2, .unknown], [2, 2]])
    #expect(split.outputs[1].dataType == .int64)
    // Stop words may remove any number of strings; without them nothing is removed.
    let stop = try OpTesting.infer("StringNormalizer", [[1, 6]], ["stopwords": .strings(["monday"])], types: [.string])
    #expect(stop.outputs[0].shape == [1, .unknown])
    #expect(try OpTesting.infer("StringNormalizer", [[2]], types: [.string]).outputs[0].shape == [2])
    #expect(throws: OpError.self) { try OpTesting.infer("StringNormalizer", [[2, 2]], types: [.string]) }
    for op in ["StringConcat", "RegexFullMatch", "StringSplit"] {
      #expect(try OpTesting.infer(op, [[4], [4]], types: [.string, .string]).cost == .zero)
    }
  }

  @Test func tfIdfVectorizerSizesByTheLargestIndex() throws {
    // test_tfidfvectorizer_tf_batch_onlybigrams_skip0: [2, 6] ints, ngram_indexes 0...6 → [2, 7].
    let attributes: [String: AttributeValue] = ["ngram_indexes": .ints([0, 1, 2, 3, 4, 5, 6])]
    let batch = try OpTesting.infer("TfIdfVectorizer", [[2, 6]], attributes, types: [.int32])
    #expect(batch.outputs[0] == .init(dataType: .float32, shape: Shape([2, 6 + 1])))
    #expect(try OpTesting.infer("TfIdfVectorizer", [[12]], attributes).outputs[0].shape == [7])
    #expect(throws: OpError.self) { try OpTesting.infer("TfIdfVectorizer", [[12]]) }
  }

  @Test func imageDecoderKnowsOnlyTheChannels() throws {
    let rgb = try OpTesting.infer("ImageDecoder", [[1058]], types: [.uint8])
    #expect(rgb.outputs[0] == .init(dataType: .uint8, shape: [.unknown, .unknown, 3]))
    let gray = try OpTesting.infer("ImageDecoder", [[1058]], ["pixel_format": .string("Grayscale")], types: [.uint8])
    #expect(gray.outputs[0].shape == [.unknown, .unknown, 1])
  }

  @Test func mlOpsLiveInTheirDomain() throws {
    let ml = "ai.onnx.ml"
    // test_ai_onnx_ml_binarizer: x > threshold per element.
    let binarizer = try OpTesting.infer("Binarizer", [[3, 4, 5]], domain: ml)
    #expect(binarizer.outputs[0].shape == [3, 4, 5])
    #expect(binarizer.cost == Cost(compares: 3 * 4 * 5))
    // test_ai_onnx_ml_array_feature_extractor: X 3x4, 2 indices → 3x2; a 1-D X gives one row.
    let picked = try OpTesting.infer("ArrayFeatureExtractor", [[3, 4], [2]], types: [.float32, .int64], domain: ml)
    #expect(picked.outputs[0].shape == [3, 2])
    #expect(try OpTesting.infer("ArrayFeatureExtractor", [[4], [2]], domain: ml).outputs[0].shape == [1, 2])
    // test_ai_onnx_ml_label_encoder_string_int and ..._tensor_mapping.
    let ints = try OpTesting.infer(
      "LabelEncoder", [[5]], ["values_int64s": .ints([1, 2])], types: [.string], domain: ml)
    #expect(ints.outputs[0] == .init(dataType: .int64, shape: [5]))
    let tensor = ConstantTensor(dataType: .int16, dims: [2], values: .ints([1, 2]))
    let int16 = try OpTesting.infer("LabelEncoder", [[5]], ["values_tensor": .tensor(tensor)], domain: ml)
    #expect(int16.outputs[0].dataType == .int16)
    let classes: [String: AttributeValue] = ["classes_strings": .strings(["a", "b"])]
    #expect(
      try OpTesting.infer("LabelEncoder", [[5]], classes, types: [.string], domain: ml).outputs[0].dataType == .int64)
    #expect(
      try OpTesting.infer("LabelEncoder", [[5]], classes, types: [.int64], domain: ml).outputs[0].dataType == .string)
    #expect(throws: OpError.self) { try OpTesting.infer("LabelEncoder", [[5]], domain: ml) }
    #expect(throws: OpError.self) { try OpTesting.infer("Binarizer", [[3]]) }
  }

  @Test func treeEnsembleGivesOneRowPerSample() throws {
    // test_ai_onnx_ml_tree_ensemble_single_tree: X 3x2 doubles, n_targets 2, 3 branch nodes, 1 tree.
    let modes = ConstantTensor(dataType: .uint8, dims: [3], values: .ints([0, 0, 0]))
    let out = try OpTesting.infer(
      "TreeEnsemble", [[3, 2]], ["n_targets": .int(2), "nodes_modes": .tensor(modes), "tree_roots": .ints([0])],
      types: [.float64], domain: "ai.onnx.ml")
    #expect(out.outputs[0] == .init(dataType: .float64, shape: [3, 2]))
    // Every sample tests each of the 3 branch nodes at most once; one tree: no leaf sums.
    #expect(out.cost == Cost(compares: 3 * 3))
    let forest = try OpTesting.infer(
      "TreeEnsemble", [[3, 2]], ["n_targets": .int(4), "nodes_modes": .ints([0, 0]), "tree_roots": .ints([0, 1])],
      domain: "ai.onnx.ml")
    #expect(forest.cost == Cost(adds: 3 * 4 * (2 - 1), compares: 3 * 2))
  }
}
