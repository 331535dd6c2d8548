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

  @Test func theConvInputChannelsFollowTheBoundInput() throws {
    // (The dense layer at two input shapes, for every importer: DeferredWeightImportTests.)
    let graph = try SpecTesting.graph(Self.spec(side: 8))
    let wider = try ReboundAnalysis.params(of: ["c"], in: graph, at: [["input": [1, 5, 8, 8]]])
    let widerConv = 3 * 3 * 5 * 4 + 4
    #expect(wider.first?.first == widerConv)
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
