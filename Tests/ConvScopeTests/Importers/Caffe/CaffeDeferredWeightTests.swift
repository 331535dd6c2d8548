import ConvScope
import Testing

/// Caffe does not write the channel or feature counts its weights depend on: the importer
/// defers them and the analysis completes them at whatever input shape it binds.
@Suite("Caffe importer: weights sized by the analysis")
struct CaffeDeferredWeightTests {
  static let net = """
    input: "data"
    input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
    layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 4 kernel_size: 3 } }
    layer { name: "ip" type: "InnerProduct" bottom: "conv" top: "ip" inner_product_param { num_output: 10 } }
    """

  static func params(_ report: Report, _ layer: String) -> Int? {
    report.layers.first { $0.name == layer }?.params
  }

  @Test func anInnerProductAfterAConvFollowsTheInputShapeWithoutReimporting() throws {
    let graph = try CaffeImporterTests.graph(Self.net)
    #expect(graph.initializers["conv.weight"]?.shape == [4, .deferred, 3, 3])
    #expect(graph.initializers["ip.weight"]?.shape == [10, .deferred])

    let declared = try Analyzer.analyze(graph)
    // conv 3x3 valid: 8 → 6, K = 4*6*6 = 144 (weights [10, K], transB = 1).
    #expect(Self.params(declared, "conv") == 3 * 3 * 3 * 4 + 4)
    #expect(Self.params(declared, "ip") == 10 * 4 * 6 * 6 + 10)

    let rebound = try Analyzer.analyze(graph, options: AnalysisOptions(inputShapes: ["data": [1, 3, 12, 12]]))
    // 12 → 10, K = 4*10*10 = 400.
    #expect(Self.params(rebound, "ip") == 10 * 4 * 10 * 10 + 10)
    #expect(rebound.totals.params == (3 * 3 * 3 * 4 + 4) + (10 * 4 * 10 * 10 + 10))
  }

  @Test func theGraphDoesNotDependOnTheInputSize() throws {
    let small = try CaffeImporterTests.graph(Self.net)
    var large = try CaffeImporterTests.graph(Self.net.replacingOccurrences(of: "dim: 8 dim: 8", with: "dim: 64 dim: 64"))
    #expect(large.inputs.map(\.shape) == [[1, 3, 64, 64]])
    large.inputs = small.inputs
    #expect(small == large)
  }
}
