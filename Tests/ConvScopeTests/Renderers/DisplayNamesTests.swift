import Testing

@testable import ConvScopeCore
@testable import ConvScopeRenderers
@testable import ConvScopeReport

@Suite struct DisplayNamesTests {
  /// A row named `name` with op `op`; nothing else matters to the names.
  private func row(_ name: String, _ op: String) -> LayerRow {
    LayerRow(
      name: name, op: op, inputs: [], inputShapes: [], outputs: [], window: nil, shapeFormulas: [],
      paramFormula: nil, params: 0, nonTrainableParams: 0, weightBytes: 0, cost: .zero, macs: 0, flops: 0,
      activationElements: 0, activationBytes: 0, macsShare: 0, paramsShare: 0, supported: true, folded: false,
      warnings: [], group: nil)
  }

  /// Random names built from the characters module paths are made of (and op types that
  /// the last part may repeat), so `/`, `.`, `_`, digits and repeated parents all occur.
  private func randomName(_ generator: inout some RandomNumberGenerator, ops: [String]) -> String {
    let pieces = ["/", ".", "_", "0", "1", "12", "a", "ab", "layer1", "layer1.0", "conv"] + ops
    return (0..<Int.random(in: 0...7, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
      .joined()
  }

  @Test func asciiNamesCompactAsTheCharacterRulesSay() {
    // compactName reads printable ASCII names byte by byte; the character rules are the reference.
    var generator = SystemRandomNumberGenerator()
    let ops = ["Conv", "Relu", "", "a"]
    for _ in 0..<20_000 {
      let name = randomName(&generator, ops: ops)
      let op = Bool.random(using: &generator) ? ops.randomElement(using: &generator) : nil
      #expect(
        LayerRow.compactName(name, op: op) == LayerRow.compactCharacterName(name, op: op), "\(name) \(op ?? "nil")")
    }
    #expect(LayerRow.compactName("/blocks.12/conv/Conv", op: "Conv") == "blocks.12/conv")
    #expect(LayerRow.compactName("/features/features.0/Conv_2", op: "Conv") == "features.0")
    #expect(LayerRow.compactName("/features/features.0/Conv_2x", op: "Conv") == "features.0/Conv_2x")
  }

  @Test func namesAreUniqueByLayerAndByName() {
    // A Keras conv and its fused ReLU compact to one name, so the ReLU keeps its op part; a
    // repeated name shows as its first layer does; other names compact.
    let layers = [
      row("conv2d", "Conv"), row("conv2d/Relu", "Relu"), row("/layer1/layer1.0/conv1/Conv", "Conv"),
      row("conv2d", "Relu"), row("fc6", "Gemm"), row("fc6/Flatten", "Flatten"), row("/a/b/Relu", "Relu"),
    ]
    let names = DisplayNames(layers)
    #expect(
      names.byLayer == ["conv2d", "conv2d/Relu", "layer1.0/conv1", "conv2d", "fc6", "fc6/Flatten", "a/b"])
    #expect(names["conv2d/Relu"] == "conv2d/Relu")
    #expect(names["/layer1/layer1.0/conv1/Conv"] == "layer1.0/conv1")
    #expect(names["missing"] == nil)
  }

  @Test func randomNamesShowAsTheirFirstNamesakeCompacts() {
    var generator = SystemRandomNumberGenerator()
    let layers = (0..<2_000).map { _ in row(randomName(&generator, ops: ["Conv"]), "Conv") }
    let names = DisplayNames(layers)
    // Every layer shows its first namesake's name: its compact form, or, where two names compact
    // to one, the name compacted without dropping the op part.
    var first: [String: Int] = [:]
    var uses: [String: Int] = [:]
    for (index, layer) in layers.enumerated() where first[layer.name] == nil {
      first[layer.name] = index
      uses[LayerRow.compactName(layer.name, op: layer.op), default: 0] += 1
    }
    for (index, layer) in layers.enumerated() {
      let compact = LayerRow.compactName(layer.name, op: layer.op)
      let expected = uses[compact, default: 0] > 1 ? LayerRow.compactName(layer.name, op: nil) : compact
      #expect(names.byLayer[index] == expected, "\(layer.name)")
      #expect(names[layer.name] == expected)
    }
  }
}
