import ConvScope
import Foundation
import Testing

/// The `.pt2` fixtures (`Tests/Fixtures/pt2`, made by `Scripts/pt2-fixtures`) against torch's
/// own figures for the same modules: `sum(p.numel())`, the buffers, FlopCounterMode's and
/// fvcore's totals, and the output shape torch recorded for every node.
@Suite struct PT2ImporterTests {
  /// Every fixture: the six made for these tests and the torchvision classification models.
  static let models: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("pt2").path)) ?? [])
    .filter { $0.hasSuffix(".pt2") }.map { String($0.dropLast(4)) }.sorted()

  @Test func everyFixtureIsHere() {
    for model in ["resnet18", "resnet18_core", "mobilenet_v2", "transformer_encoder", "lstm", "dynamic_batch_cnn"] {
      #expect(Self.models.contains(model), "\(model)")
    }
    #expect(Self.models.count >= 25)
  }

  /// The reference torch wrote beside a fixture.
  struct Reference: Decodable {
    let params: Int
    let buffers: Int
    let integerBuffers: Int
    let torchFlopCounter: Int
    let fvcore: Int
    let inputShapes: [[Int]]
    let shapes: [String: [SizeValue]]

    enum CodingKeys: String, CodingKey {
      case params, buffers, fvcore, shapes
      case integerBuffers = "integer_buffers"
      case torchFlopCounter = "torch_flop_counter"
      case inputShapes = "input_shapes"
    }
  }

  /// A size torch recorded: a number, or a symbol's name for a dynamic one.
  enum SizeValue: Decodable, Equatable {
    case fixed(Int)
    case symbol(String)

    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let value = try? container.decode(Int.self) {
        self = .fixed(value)
      } else {
        self = .symbol(try container.decode(String.self))
      }
    }
  }

  static func reference(_ model: String) throws -> Reference {
    try JSONDecoder().decode(Reference.self, from: Fixtures.data("pt2/\(model).ref.json"))
  }

  static func graph(_ model: String) throws -> Graph {
    let path = Fixtures.url("pt2/\(model).pt2").path
    let (graph, format) = try ModelLoader.standard.load(path: path)
    #expect(format == .pt2)
    return graph
  }

  /// The analysis at the input torch ran (its batch bound to the symbolic dim, if any).
  static func analyze(_ model: String) throws -> Report {
    let reference = try reference(model)
    return try Analyzer.analyze(try graph(model), options: AnalysisOptions(batch: reference.inputShapes.first?.first))
  }

  @Test(arguments: models) func paramsAreTorchsParameterCount(model: String) throws {
    let report = try Self.analyze(model)
    let reference = try Self.reference(model)
    #expect(report.totals.params == reference.params)
    // Float buffers are non-trainable statistics; integer ones (num_batches_tracked counters,
    // Swin's relative-position indices) are neither.
    #expect(report.totals.nonTrainableParams == reference.buffers - reference.integerBuffers)
    #expect(report.unsupported.isEmpty, "\(report.unsupported.map(\.op))")
  }

  @Test(arguments: models) func everyStoredShapeEqualsInference(model: String) throws {
    let report = try Self.analyze(model)
    let reference = try Self.reference(model)
    let batch = reference.inputShapes.first?.first ?? 1
    var inferred: [String: Shape] = [:]
    for layer in report.layers {
      for output in layer.outputs { inferred[output.name] = output.shape }
    }
    var compared = 0
    for (name, sizes) in reference.shapes where !name.contains("[") {
      guard let shape = inferred[name] else { continue }
      // The one symbol in these fixtures is the dynamic batch, bound to torch's example batch.
      let expected = Shape(
        sizes.map { size -> Dim in
          if case .fixed(let value) = size { return .fixed(value) }
          return .fixed(batch)
        })
      #expect(shape == expected, "\(model): \(name)")
      compared += 1
    }
    // Every node with one tensor output is compared (multi-output nodes are keyed `name[i]`).
    #expect(compared == reference.shapes.keys.filter { !$0.contains("[") }.count)
    // The analysis cross-checks them too, and finds nothing to say.
    let disagreements = report.layers.flatMap(\.warnings).filter { $0.contains("the file declares") }
    #expect(disagreements.isEmpty, "\(disagreements)")
  }

  @Test(arguments: models) func conventionsGiveTorchsAndFvcoresTotals(model: String) throws {
    let report = try Self.analyze(model)
    let reference = try Self.reference(model)
    #expect(try Convention.torchFlopCounter.apply(to: report).figure == reference.torchFlopCounter)
    #expect(try Convention.fvcore.apply(to: report).figure == reference.fvcore)
  }

  @Test func theDynamicBatchIsASymbolBoundByTheBatch() throws {
    let graph = try Self.graph("dynamic_batch_cnn")
    let input = try #require(graph.inputs.first)
    guard case .symbolic(let symbol) = input.shape.dims[0] else {
      Issue.record("the batch dim is \(input.shape.dims[0]), not a symbol")
      return
    }
    #expect(Array(input.shape.dims.dropFirst()) == [3, 32, 32])
    let one = try Analyzer.analyze(graph, options: AnalysisOptions(batch: 1))
    let eight = try Analyzer.analyze(graph, options: AnalysisOptions(batch: 8))
    #expect(eight.totals.macs == 8 * one.totals.macs)
    #expect(eight.outputs.first?.shape == Shape([8, 10]))
    #expect(one.assumptions.contains { $0.contains(symbol) })
    // The program was exported for batch 1...256 (torch.export.Dim("batch", min=1, max=256)).
    #expect(graph.symbolRanges[symbol] == 1...256)
    #expect(!eight.assumptions.contains { $0.contains("outside") })
    let large = try Analyzer.analyze(graph, options: AnalysisOptions(batch: 300))
    #expect(large.assumptions.contains("x: \(symbol) = 300 is outside the range the model was exported for, 1...256"))
    // Every declared intermediate shape keeps the symbol in its batch axis.
    #expect(graph.valueInfo.values.allSatisfy { $0.shape.dims.first == .symbolic(symbol) })
  }

  @Test func nodesAreGroupedByTheirModulePath() throws {
    let graph = try Self.graph("resnet18")
    let conv = try #require(graph.nodes.first { $0.name == "conv2d_1" })
    #expect(conv.sourceLayer == "layer1.0.conv1")
    let report = try Analyzer.analyze(graph)
    let depth1 = try ModuleDepth.collapse(report, depth: 1)
    #expect(depth1.layers.map(\.name).contains("layer1"))
    #expect(depth1.totals.macs == report.totals.macs)
  }

  @Test func bufferCountersAreNotParameters() throws {
    let graph = try Self.graph("resnet18")
    let counter = try #require(graph.initializers["b_bn1_num_batches_tracked"])
    #expect(counter.dataType == .int64 && counter.dims.isEmpty)
    #expect(graph.initializerRoles["b_bn1_running_mean"] == .statistic)
    #expect(graph.initializerRoles["b_bn1_num_batches_tracked"] == .configuration)
    #expect(graph.initializerRoles["p_conv1_weight"] == nil)
  }
}
