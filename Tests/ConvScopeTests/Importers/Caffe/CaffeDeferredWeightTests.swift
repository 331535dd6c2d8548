import ConvScope
import Testing

/// Caffe does not write the channel or feature counts its weights depend on: the importer
/// defers them and the analysis completes them at whatever input shape it binds.
@Suite("Caffe importer: weights sized by the analysis")
struct CaffeDeferredWeightTests {
  static let net = """
    input: "data"
    input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
    layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
      convolution_param { num_output: 4 kernel_size: 3 } }
    layer { name: "ip" type: "InnerProduct" bottom: "conv" top: "ip" inner_product_param { num_output: 10 } }
    """

  @Test func anInnerProductAfterAConvFollowsTheInputShapeWithoutReimporting() throws {
    let graph = try CaffeImporterTests.graph(Self.net)
    #expect(graph.initializers["conv.weight"]?.shape == [4, .deferred, 3, 3])
    #expect(graph.initializers["ip.weight"]?.shape == [10, .deferred])
    let conv = 3 * 3 * 3 * 4 + 4
    // conv 3x3 valid: 8 → 6, K = 4*6*6 = 144 (weights [10, K], transB = 1); at 12x12, K = 4*10*10.
    let (ip8, ip12) = (10 * 4 * 6 * 6 + 10, 10 * 4 * 10 * 10 + 10)
    let params = try ReboundAnalysis.params(of: ["conv", "ip"], in: graph, at: [[:], ["data": [1, 3, 12, 12]]])
    let expected: [[Int?]] = [[conv, ip8, conv + ip8], [conv, ip12, conv + ip12]]
    #expect(params == expected)
  }

  @Test func theGraphDoesNotDependOnTheInputSize() throws {
    let large = try CaffeImporterTests.graph(
      Self.net.replacingOccurrences(of: "dim: 8 dim: 8", with: "dim: 64 dim: 64"))
    #expect(large.inputs.map(\.shape) == [[1, 3, 64, 64]])
    #expect(ReboundAnalysis.differOnlyInInputs(try CaffeImporterTests.graph(Self.net), large))
  }
}
