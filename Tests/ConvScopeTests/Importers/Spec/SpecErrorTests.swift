import ConvScope
import Testing

/// Every error names the file, line:column where there is one, the layer and the field.
/// Columns are counted by hand in the inline specs (1-based, as editors count).
@Suite("Spec importer: errors")
struct SpecErrorTests {
  @Test func unknownOpSaysWhereAndSuggests() throws {
    // Line 3: `  - {name: c1, op: covn, ...}`; "covn" starts at column 20.
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {name: c1, op: covn, filters: 4, kernel: 3}
        """, file: "net.yaml"))
    #expect((error.file, error.line, error.column) == ("net.yaml", 3, 20))
    #expect(error.layer == "c1" && error.field == "op")
    #expect(error.message.contains("unknown op 'covn'; did you mean 'conv'?"))
    #expect(error.description.hasPrefix("net.yaml:3:20: layer 'c1' (covn), field 'op': unknown op 'covn'"))
  }

  @Test func misspelledONNXOpSuggestsTheONNXName() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers: [{name: x, op: MaxPol}]
        """))
    #expect(error.message.contains("did you mean 'MaxPool'?"))
  }

  @Test func yamlSyntaxErrorHasLineAndColumn() throws {
    // The flow mapping on line 3 is never closed; libyaml reports where it noticed.
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {name: c1, op: conv, filters: 4
          - {name: c2}
        """))
    #expect(error.file == "test.yaml")
    #expect(error.line == 4)
    #expect(error.column != nil)
    #expect(error.message.hasPrefix("syntax error"))
  }

  @Test(arguments: [
    ("{name: c, op: conv, kernel: 3}", "filters"),
    ("{name: c, op: conv, filters: 4}", "kernel"),
    ("{name: c, op: maxpool}", "kernel"),
    ("{name: c, op: dense}", "units"),
    ("{name: c}", "op"),
  ])
  func missingRequiredKey(layer: String, field: String) throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - \(layer)
        """))
    #expect(error.field == field)
    #expect(error.message == "is required")
    #expect(error.line == 3)
    #expect(error.layer == "c")
  }

  @Test func unknownInputReferenceSuggestsADefinedName() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {name: Conv3, op: conv, filters: 4, kernel: 1}
          - {name: Conv5, op: conv, filters: 4, kernel: 1}
          - {name: Add1, op: add, inputs: [Conv3, Conv4]}
        """))
    #expect(error.layer == "Add1" && error.field == "inputs")
    #expect(error.line == 5)
    #expect(error.message.contains("'Conv4' (inputs[1]) is not an input or an earlier layer; did you mean 'Conv3'?"))
  }

  @Test func laterLayersCannotBeReferenced() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {name: a, op: add, inputs: [input, b]}
          - {name: b, op: relu}
        """))
    #expect(error.layer == "a")
    #expect(error.message.contains("'b' (inputs[1]) is not an input or an earlier layer"))
  }

  @Test func nonPositiveDimsAreRejected() throws {
    // Line 1 `input: {shape: [1, 0, 8, 8]}`: the 0 is at column 20.
    let shapeError = try #require(SpecTesting.error("input: {shape: [1, 0, 8, 8]}\nlayers: [{op: relu}]"))
    #expect((shapeError.line, shapeError.column, shapeError.field) == (1, 20, "shape[1]"))
    #expect(shapeError.message == "dims must be positive, got 0")

    let filters = try #require(
      SpecTesting.error("input: {shape: [1, 3, 8, 8]}\nlayers: [{name: c, op: conv, filters: 0, kernel: 3}]"))
    #expect(filters.field == "filters" && filters.message == "must be positive, got 0")
    let kernel = try #require(
      SpecTesting.error("input: {shape: [1, 3, 8, 8]}\nlayers: [{name: c, op: conv, filters: 2, kernel: [3, -1]}]"))
    #expect(kernel.field == "kernel" && kernel.message == "must be positive, got -1")
  }

  @Test func wrongTypesSayWhatWasExpected() throws {
    let text = try #require(
      SpecTesting.error("input: {shape: [1, 3, 8, 8]}\nlayers: [{name: c, op: conv, filters: many, kernel: 3}]"))
    #expect(text.field == "filters" && text.message == "expected an integer, got 'many'")
    let list = try #require(
      SpecTesting.error("input: {shape: [1, 3, 8, 8]}\nlayers: [{name: c, op: conv, filters: 2, kernel: [3, x]}]"))
    #expect(list.field == "kernel[1]" && list.message == "expected an integer, got 'x'")
    let layers = try #require(SpecTesting.error("input: {shape: [1, 3, 8, 8]}\nlayers: conv"))
    #expect(layers.field == "layers" && layers.message.hasPrefix("expected a non-empty list of layers"))
  }

  @Test func unknownKeySuggestsTheRightOne() throws {
    // `filter:` instead of `filters:`; the key is at line 3, column 25.
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {name: c, op: conv, filter: 4, kernel: 3}
        """))
    #expect((error.line, error.column, error.field, error.layer) == (3, 25, "filter", "c"))
    #expect(error.message == "unknown key 'filter'; did you mean 'filters'?")
  }

  @Test func duplicateLayerNames() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {name: a, op: relu}
          - {name: a, op: relu}
        """))
    #expect(error.line == 4 && error.field == "name")
    #expect(error.message.contains("already used"))
  }

  @Test func paddingWithTheWrongNumberOfValues() throws {
    let error = try #require(
      SpecTesting.error(
        "input: {shape: [1, 3, 8, 8]}\nlayers: [{name: c, op: conv, filters: 2, kernel: 3, padding: [1, 2, 3]}]"))
    #expect(error.field == "padding")
    #expect(error.message.contains("give 1, 2 (one per spatial axis) or 4"))
  }

  @Test func kernelLargerThanTheInput() throws {
    let error = try #require(
      SpecTesting.error("input: {shape: [1, 3, 4, 4]}\nlayers: [{name: c, op: conv, filters: 2, kernel: 5}]"))
    // Sizes are the analysis' to check (the importer knows none); the error still names the
    // spec's own key and points at it: line 2, column 50 is the `5` after `kernel:`.
    #expect(error.layer == "c" && error.field == "kernel")
    #expect(error.line == 2 && error.column == 50)
    #expect(error.message.contains("larger than the padded input 4"))
  }
}

@Suite("Spec importer: unknown keys")
struct SpecUnknownKeyTests {
  @Test func keysAnOpDoesNotTakeAreListed() throws {
    // `dilation` is a MaxPool key, not an AveragePool one.
    let error = try #require(
      SpecTesting.error("input: {shape: [1, 3, 8, 8]}\nlayers: [{name: p, op: avgpool, kernel: 2, dilation: 2}]"))
    #expect(error.field == "dilation")
    #expect(error.message.hasPrefix("unknown key 'dilation' (this takes: "))
    #expect(error.message.contains("count_include_pad"))
  }
}

@Suite("Spec importer: shapes lost after raw ONNX ops")
struct SpecLostShapeTests {
  static func spec(_ dense: String) -> String {
    """
    input: {shape: [1, 3, 8, 8]}
    layers:
      - {name: c, op: conv, filters: 4, kernel: 3}
      - {name: e, op: Flatten}
      - \(dense)
    """
  }

  @Test func denseAfterAShapeChangingRawOpIsSizedByTheAnalysis() throws {
    // The raw Flatten has a rule, so the analysis knows its output: 4 x 6 x 6 = 144 features.
    let graph = try SpecTesting.graph(Self.spec("{name: f, op: dense, units: 3}"))
    #expect(graph.initializers["f.weight"]?.shape == [.deferred, 3])
    #expect(try graph.dims("f.weight") == [144, 3])
  }

  @Test func denseAfterAnOpWithoutARuleAsksForInFeatures() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3, 8, 8]}
        layers:
          - {name: e, op: Fused, domain: com.example}
          - {name: f, op: dense, units: 3}
        """))
    #expect((error.layer, error.field) == ("f", "f.weight"))
    #expect(
      error.message.contains("cannot size the weight 'f.weight' ?x3: its size follows from the shape of 'f/flatten'"))
    #expect(error.message.hasSuffix("or give `in_features:` on layer 'f'"))
  }

  @Test func inFeaturesOrOutputShapeLetTheDenseLayerBeBuilt() throws {
    // conv 3x3 valid on 8x8 → 4 x 6 x 6 = 144 features.
    let given = try SpecTesting.graph(Self.spec("{name: f, op: dense, units: 3, in_features: 144}"))
    #expect(try given.dims("f.weight") == [144, 3])
    let declared = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - {name: c, op: conv, filters: 4, kernel: 3}
        - {name: e, op: Flatten, output_shape: [1, 144]}
        - {name: f, op: dense, units: 3}
      """)
    #expect(try declared.dims("f.weight") == [144, 3])
    #expect(declared.node("f/flatten") == nil)
    #expect(declared.valueInfo["e"]?.shape == [1, 144])
  }
}

@Suite("Spec importer: hostile numbers are errors, not crashes")
struct SpecOverflowTests {
  @Test(arguments: [
    "{name: l, op: deconv, filters: 1, kernel: 1, stride: 9223372036854775807}",
    "{name: l, op: upsample, scale: 1e300}",
    "{name: l, op: pad, padding: 9223372036854775807}",
    "{name: l, op: depthwise_conv, kernel: 1, depth_multiplier: 9223372036854775807}",
  ])
  func overflowingLayer(layer: String) throws {
    let error = try #require(SpecTesting.error("input: {shape: [1, 3, 8, 8]}\nlayers: [\(layer)]"))
    #expect(error.layer == "l")
  }

  @Test func nestedRepeatsThatUnrollTooFar() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3]}
        layers:
          - repeat: 10000
            layers:
              - repeat: 9223372036854775807
                layers: [{op: relu}]
        """))
    #expect(error.field == "repeat" && error.message.contains("100,000 layers, the layer budget"))
  }
}
