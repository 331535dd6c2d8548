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

  static func params(_ report: Report, _ layer: String) -> Int? {
    report.layers.first { $0.name == layer }?.params
  }

  @Test func aDenseLayerAfterAFlattenFollowsTheInputShapeWithoutReimporting() throws {
    let graph = try SpecTesting.graph(Self.spec(side: 8))
    #expect(graph.initializers["fc.weight"]?.shape == [.deferred, 10])
    #expect(graph.initializers["c.weight"]?.shape == [4, .deferred, 3, 3])

    let declared = try Analyzer.analyze(graph)
    // conv 3x3 valid: 8 → 6, K = 4*6*6 = 144; params 144*10+10.
    #expect(Self.params(declared, "fc") == 4 * 6 * 6 * 10 + 10)
    #expect(Self.params(declared, "c") == 3 * 3 * 3 * 4 + 4)

    let rebound = try Analyzer.analyze(graph, options: AnalysisOptions(inputShapes: ["input": [1, 3, 16, 16]]))
    // 16 → 14, K = 4*14*14 = 784.
    #expect(Self.params(rebound, "fc") == 4 * 14 * 14 * 10 + 10)
    #expect(rebound.totals.params == (3 * 3 * 3 * 4 + 4) + (4 * 14 * 14 * 10 + 10))
    // Weight bytes follow the completed shape too (float32).
    #expect(rebound.totals.weightBytes == 4 * rebound.totals.params)
    // The conv's input channels are completed from the bound input as well.
    let wider = try Analyzer.analyze(graph, options: AnalysisOptions(inputShapes: ["input": [1, 5, 8, 8]]))
    #expect(Self.params(wider, "c") == 3 * 3 * 5 * 4 + 4)
  }

  @Test func theGraphDoesNotDependOnTheInputSize() throws {
    let small = try SpecTesting.graph(Self.spec(side: 32))
    var large = try SpecTesting.graph(Self.spec(side: 64))
    #expect(small != large)
    #expect(large.inputs.map(\.shape) == [[1, 3, 64, 64]])
    large.inputs = small.inputs
    #expect(small == large)
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
