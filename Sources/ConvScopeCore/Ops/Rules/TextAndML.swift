/// The string ops and the decoders of encoded input: `StringConcat`, `RegexFullMatch`,
/// `StringSplit`, `StringNormalizer`, `TfIdfVectorizer`, `ImageDecoder`.
/// <https://onnx.ai/onnx/operators/onnx__StringSplit.html>,
/// <https://onnx.ai/onnx/operators/onnx__TfIdfVectorizer.html>,
/// <https://onnx.ai/onnx/operators/onnx__ImageDecoder.html>
///
/// Shape:
/// - `StringConcat`: the broadcast of its two inputs, strings; `RegexFullMatch`: `X`'s, bool.
/// - `StringSplit`: `Y [X..., ?]` strings (the most substrings of any element, a value) and
///   `Z` of `X`'s shape, int64.
/// - `StringNormalizer`: `X` (`[C]` or `[1, C]`), its last dim unknown when `stopwords` may
///   remove some.
/// - `TfIdfVectorizer`: `X [C]` → `[max(ngram_indexes) + 1]`, `[N, C]` → `[N, max + 1]`, float.
/// - `ImageDecoder`: `[H, W, 3]` (`RGB`, `BGR`) or `[H, W, 1]` (`Grayscale`) uint8; `H` and `W`
///   are in the encoded bytes, so unknown.
///
/// Cost: none counted: text processing, n-gram lookups and image decoding are not arithmetic in
/// ConvScope's sense (no multiply-add, compare or transcendental of tensor values is defined).
///
/// Example: StringSplit of 2x2 strings → Y 2x2x?, Z 2x2; TfIdfVectorizer of 2x6 ints with
/// ngram_indexes 0...6 → 2x7 floats.
public struct TextRule: OpRule {
  public init() {}
  public var opTypes: [String] {
    ["StringConcat", "RegexFullMatch", "StringSplit", "StringNormalizer", "TfIdfVectorizer", "ImageDecoder"]
  }
  public func family(of opType: String) -> OpFamily { opType == "ImageDecoder" ? .imageDecoding : .text }
  public var summary: String {
    "string and decoding ops: shapes as the spec gives them, value-dependent dims unknown; no arithmetic"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    switch context.node.opType {
    case "StringConcat":
      let shape = try Shape.broadcast([x.shape, try context.input(1).shape])
      return OpOutcome(outputs: [.init(dataType: .string, shape: shape)])
    case "RegexFullMatch":
      return OpOutcome(outputs: [.init(dataType: .bool, shape: x.shape)])
    case "StringSplit":
      return OpOutcome(outputs: [
        .init(dataType: .string, shape: Shape(x.shape.dims + [.unknown])), .init(dataType: .int64, shape: x.shape),
      ])
    case "StringNormalizer":
      var dims = x.shape.dims
      guard dims.count == 1 || (dims.count == 2 && dims[0] == 1) else {
        throw OpError(field: "inputs[0]", "X must be [C] or [1, C], got \(x.shape)")
      }
      if case .strings(let words)? = context.node.attributes["stopwords"], !words.isEmpty {
        dims[dims.count - 1] = .unknown
      }
      return OpOutcome(outputs: [.init(dataType: .string, shape: Shape(dims))])
    case "TfIdfVectorizer":
      return OpOutcome(outputs: [.init(dataType: .float32, shape: try Self.tfIdfShape(context, x.shape))])
    default:
      let format = try context.string("pixel_format", default: "RGB")
      guard ["RGB", "BGR", "Grayscale"].contains(format) else {
        throw OpError(field: "pixel_format", "expected RGB, BGR or Grayscale, got '\(format)'")
      }
      return OpOutcome(outputs: [
        .init(dataType: .uint8, shape: [.unknown, .unknown, .fixed(format == "Grayscale" ? 1 : 3)])
      ])
    }
  }

  /// `[max(ngram_indexes) + 1]` after `X`'s batch dim, if it has one.
  private static func tfIdfShape(_ context: NodeContext, _ x: Shape) throws(OpError) -> Shape {
    guard let indexes = try context.ints("ngram_indexes"), let top = indexes.max(), top >= 0 else {
      throw OpError(field: "ngram_indexes", "TfIdfVectorizer needs ngram_indexes")
    }
    guard x.rank == 1 || x.rank == 2 else { throw OpError(field: "inputs[0]", "X must be [C] or [N, C], got \(x)") }
    return Shape(Array(x.dims.dropLast()) + [.fixed(try Checked.add(top, 1))])
  }
}

/// The `ai.onnx.ml` ops the ONNX node tests use: `Binarizer`, `ArrayFeatureExtractor`,
/// `LabelEncoder`, `TreeEnsemble`. <https://onnx.ai/onnx/operators/onnx_aionnxml_Binarizer.html>,
/// <https://onnx.ai/onnx/operators/onnx_aionnxml_TreeEnsemble.html>
///
/// Shape:
/// - `Binarizer`: `X`'s; one compare per element (`x > threshold`).
/// - `ArrayFeatureExtractor`: `X [..., F]` with `k` indices → `[..., k]` (`[1, k]` for a 1-D `X`).
/// - `LabelEncoder`: `X`'s, of the type of its `values_*` attribute (`values_tensor`'s type);
///   opset 1's `classes_strings` turns strings into int64 and int64 into strings.
/// - `TreeEnsemble`: `X [N, F]` → `[N, n_targets]` of `X`'s type. Cost, an upper bound: each
///   sample tests every branch node once (`N * count(nodes_modes)` compares) and sums one leaf
///   per tree and target (`N * n_targets * (trees - 1)` adds).
///
/// Example: TreeEnsemble of X 3x2 with n_targets 2 and one tree of 3 branch nodes → 3x2, 9 compares.
public struct MLRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Binarizer", "ArrayFeatureExtractor", "LabelEncoder", "TreeEnsemble"] }
  public func family(of opType: String) -> OpFamily { .classicalML }
  public var domain: String { "ai.onnx.ml" }
  public var summary: String {
    "ai.onnx.ml: Binarizer a compare per element; ArrayFeatureExtractor [...,k]; LabelEncoder X's shape;"
      + " TreeEnsemble [N,n_targets]"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let x = try context.input(0)
    switch context.node.opType {
    case "Binarizer":
      let count = try ElementCounting.count(x.shape, field: "inputs[0]")
      return OpOutcome(outputs: [.init(dataType: x.dataType, shape: x.shape)], cost: Cost(compares: count))
    case "ArrayFeatureExtractor":
      let picked = try ElementCounting.count(try context.input(1).shape, field: "inputs[1]")
      let leading = x.shape.rank <= 1 ? [Dim.fixed(1)] : Array(x.shape.dims.dropLast())
      return OpOutcome(
        outputs: [.init(dataType: x.dataType, shape: Shape(leading + [.fixed(picked)]))],
        inputRoles: [1: .configuration])
    case "LabelEncoder":
      return OpOutcome(outputs: [.init(dataType: try Self.labelType(context), shape: x.shape)])
    default:
      return try Self.treeEnsemble(context, x)
    }
  }

  /// The type LabelEncoder's values have.
  private static func labelType(_ context: NodeContext) throws(OpError) -> DataType {
    if let tensor = try context.tensor("values_tensor") { return tensor.dataType }
    let attributes = context.node.attributes
    if attributes["values_int64s"] != nil { return .int64 }
    if attributes["values_floats"] != nil { return .float32 }
    if attributes["values_strings"] != nil { return .string }
    // ai.onnx.ml opset 1: `classes_strings` maps strings to their int64 positions and back.
    if attributes["classes_strings"] != nil { return try context.input(0).dataType == .string ? .int64 : .string }
    throw OpError(field: "values_tensor", "LabelEncoder needs values_tensor or values_int64s/floats/strings")
  }

  private static func treeEnsemble(_ context: NodeContext, _ x: TensorInfo) throws(OpError) -> OpOutcome {
    let sizes = try context.sizes(0)
    guard sizes.count == 2 else { throw OpError(field: "inputs[0]", "X must be [N, F], got \(x.shape)") }
    let targets = try context.int("n_targets", default: -1)
    guard targets > 0 else { throw OpError(field: "n_targets", "TreeEnsemble needs n_targets ≥ 1") }
    let branches: Int
    switch context.node.attributes["nodes_modes"] {
    case .tensor(let modes)?: branches = modes.elementCount
    case .ints(let modes)?: branches = modes.count
    default: branches = 0
    }
    let trees = try context.ints("tree_roots")?.count ?? 1
    let cost = Cost(
      adds: try Checked.product([sizes[0], targets, max(trees - 1, 0)]),
      compares: try Checked.multiply(sizes[0], branches))
    return OpOutcome(outputs: [.init(dataType: x.dataType, shape: Shape([sizes[0], targets]))], cost: cost)
  }
}
