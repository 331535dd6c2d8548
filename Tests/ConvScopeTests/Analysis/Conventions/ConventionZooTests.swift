import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Every PyTorch-side tool's total for the seven zoo models, reproduced exactly from the
/// ONNX graph (reference numbers: `Tests/Fixtures/conventions/NAME.totals.json`, copied from
/// `reference/zoo/public/NAME.ref.json`, where each tool ran on the PyTorch model).
@Suite struct ConventionZooTests {
  static let models = ["lenet5", "alexnet", "vgg16", "seed_resnet", "resnet18", "resnet50", "mobilenet_v2"]
  static let tools: [Convention] = [
    .fvcore, .ptflops, .ptflopsAten, .thop, .torchinfo, .onnxTool, .torchFlopCounter, .calflops,
  ]

  @Test(arguments: models)
  func everyToolTotalMatchesTheReference(model: String) throws {
    let rows = try ConventionFixtures.zooRows(model)
    let totals = try ConventionFixtures.zooTotals(model)
    for tool in Self.tools {
      let result = try ConventionFixtures.apply(tool, rows)
      #expect(result.figure == totals[tool.rawValue], "\(model) \(tool.rawValue)")
    }
  }

  @Test(arguments: models)
  func paramsMatchTheTorchModelAndOnnxToolTheGraph(model: String) throws {
    let rows = try ConventionFixtures.zooRows(model)
    let totals = try ConventionFixtures.zooTotals(model)
    for tool in Self.tools where tool != .onnxTool {
      #expect(try ConventionFixtures.apply(tool, rows).params == totals["torch_params"], "\(model) \(tool.rawValue)")
    }
    #expect(try ConventionFixtures.apply(.onnxTool, rows).params == totals["onnx-tool_params"])
  }

  @Test(arguments: models)
  func calflopsMacsAreTheConvAndLinearMacs(model: String) throws {
    let result = try ConventionFixtures.apply(.calflops, try ConventionFixtures.zooRows(model))
    #expect(result.components["MACs"] == (try ConventionFixtures.zooTotals(model))["calflops_macs"])
  }

  /// Without reading the exporter's names, a folded BatchNorm is invisible: fvcore then misses
  /// exactly its `batch_norm` share (2 x elements, reported by fvcore itself in `by_operator`).
  @Test(arguments: ["resnet18", "resnet50", "mobilenet_v2"])
  func withoutProvenanceFvcoreMissesExactlyItsBatchNormShare(model: String) throws {
    let rows = try ConventionFixtures.zooRows(model)
    let totals = try ConventionFixtures.zooTotals(model)
    let asStored = try ConventionFixtures.apply(.fvcore, rows, options: .init(infersTorchProvenance: false))
    let missing = try #require(totals["fvcore_batch_norm"])
    #expect(missing > 0)
    #expect(asStored.figure == (totals["fvcore"] ?? 0) - missing)
  }

  @Test func foldedBatchNormsAreNamedInTheNotes() throws {
    let result = try ConventionFixtures.apply(.fvcore, try ConventionFixtures.zooRows("resnet18"))
    // ResNet-18: 20 convolutions, each followed by a BatchNorm; 4,800 BN channels (meta.json).
    #expect(result.notes.contains { $0.hasPrefix("20 Conv nodes") && $0.contains("4800 channels") })
  }

  /// LeNet-5's torchinfo rows (`lenet5.layers.csv`) give Mult-Adds per layer.
  @Test func lenetTorchinfoRowsMatchPerLayer() throws {
    let result = try ConventionFixtures.apply(.torchinfo, try ConventionFixtures.zooRows("lenet5"))
    let expected = try csvColumn("lenet5.layers.csv", key: "layer", value: "mult_adds")
    for (layer, mults) in expected where mults > 0 {
      let node = layer == "fc1" || layer == "fc2" || layer == "fc3" ? "/\(layer)/Gemm" : "/\(layer)/Conv"
      #expect(result.layers[node] == mults, "\(layer)")
    }
    #expect(result.layers.count == expected.values.filter { $0 > 0 }.count)
  }

  /// LeNet-5's onnx-tool table (`lenet5.onnxtool.csv`) gives MACs per node.
  @Test func lenetOnnxToolRowsMatchPerNode() throws {
    let result = try ConventionFixtures.apply(.onnxTool, try ConventionFixtures.zooRows("lenet5"))
    let expected = try csvColumn("lenet5.onnxtool.csv", key: "Name", value: "Forward_MACs").filter { $0.key != "Total" }
    #expect(expected.count == 12)
    for (node, macs) in expected {
      #expect((result.layers[node] ?? 0) == macs, "\(node)")
    }
  }

  private func csvColumn(_ file: String, key: String, value: String) throws -> [String: Int] {
    let lines = String(decoding: try Fixtures.data("conventions/\(file)"), as: UTF8.self).split(
      whereSeparator: \.isNewline)
    let header = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
    guard let k = header.firstIndex(of: key), let v = header.firstIndex(of: value) else { return [:] }
    var out: [String: Int] = [:]
    for line in lines.dropFirst() {
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if f.count > max(k, v), let n = Int(f[v]) { out[f[k]] = n }
    }
    return out
  }
}
