import ConvScope
import Testing

/// A spec is imported once: weights sized by the input are deferred to the op rules, and the
/// analysis completes them at whatever input shape it binds.
@Suite("Spec importer: weights sized by the analysis")
struct SpecDeferredWeightTests {
  static func spec(side: Int) -> String {
    """
    input: {shape: [1, 3, \(side), \(side)]}
    layers:
      - {name: c, op: conv, filters: 4, kernel: 3}
      - {name: fc, op: dense, units: 10}
    """
  }

  @Test func aDenseLayerAfterAFlattenFollowsTheInputShapeWithoutReimporting() throws {
    let graph = try SpecTesting.graph(Self.spec(side: 8))
    #expect(graph.initializers["fc.weight"]?.shape == [.deferred, 10])
    #expect(graph.initializers["c.weight"]?.shape == [4, .deferred, 3, 3])
    let conv = 3 * 3 * 3 * 4 + 4
    // conv 3x3 valid: 8 → 6, K = 4*6*6 = 144; at 16x16, 14 and K = 4*14*14 = 784.
    let (dense8, dense16) = (4 * 6 * 6 * 10 + 10, 4 * 14 * 14 * 10 + 10)
    let params = try ReboundAnalysis.params(of: ["c", "fc"], in: graph, at: [[:], ["input": [1, 3, 16, 16]]])
    let expected: [[Int?]] = [[conv, dense8, conv + dense8], [conv, dense16, conv + dense16]]
    #expect(params == expected)
    // The conv's input channels are completed from the bound input as well.
    let wider = try ReboundAnalysis.params(of: ["c"], in: graph, at: [["input": [1, 5, 8, 8]]])
    let widerConv = 3 * 3 * 5 * 4 + 4
    #expect(wider.first?.first == widerConv)
  }

  @Test func theGraphDoesNotDependOnTheInputSize() throws {
    let large = try SpecTesting.graph(Self.spec(side: 64))
    #expect(large.inputs.map(\.shape) == [[1, 3, 64, 64]])
    #expect(ReboundAnalysis.differOnlyInInputs(try SpecTesting.graph(Self.spec(side: 32)), large))
  }

  @Test func completingWeightsGivesTheWeightsAtTheBoundShapes() throws {
    let graph = try SpecTesting.graph(Self.spec(side: 8))
    let completed = try Analyzer.completingWeights(
      graph, options: AnalysisOptions(inputShapes: ["input": [1, 3, 10, 10]]))
    #expect(completed.initializers["fc.weight"]?.dims == [4 * 8 * 8, 10])
    #expect(completed.initializers["fc.weight"]?.isComplete == true)
    #expect(completed.initializers["c.weight"]?.dims == [4, 3, 3, 3])
  }

  @Test func inFeaturesThatDisagreeWithTheInputAreAnAnalysisErrorAtTheLayer() throws {
    let text = """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - {name: c, op: conv, filters: 4, kernel: 3}
        - {name: fc, op: dense, units: 10, in_features: 100}
      """
    let graph = try SpecTesting.graph(text)
    #expect(graph.initializers["fc.weight"]?.shape == [100, 10])
    let error = try #require(SpecTesting.error(text))
    #expect(error.layer == "fc")
    #expect(error.message.contains("144"))
  }
}
