import ConvScope
import Testing

/// A Keras Dense layer after a Flatten is sized by the analysis: imported once, analysed at
/// any input shape.
@Suite("Keras importer: weights sized by the analysis")
struct KerasDeferredWeightTests {
  typealias K = KerasTesting

  static func model(side: Int) -> String {
    K.sequential(
      input: "[null, \(side), \(side), 3]",
      [
        K.layer("Conv2D", "c", #""filters": 4, "kernel_size": [3, 3], "data_format": "channels_last""#),
        K.layer("Flatten", "f"),
        K.layer("Dense", "d", #""units": 10"#),
      ])
  }

  static func params(_ report: Report, _ layer: String) -> Int? {
    report.layers.first { $0.name == layer }?.params
  }

  @Test func aDenseLayerAfterFlattenFollowsTheInputShapeWithoutReimporting() throws {
    let graph = try K.graph(Self.model(side: 8))
    #expect(graph.initializers["d.kernel"]?.shape == [.deferred, 10])
    #expect(graph.initializers["c.kernel"]?.shape == [4, .deferred, 3, 3])

    let declared = try Analyzer.analyze(graph)
    // conv 3x3 valid: 8 → 6, Flatten gives 6*6*4 = 144 features; params 144*10+10.
    #expect(Self.params(declared, "c") == 3 * 3 * 3 * 4 + 4)
    #expect(Self.params(declared, "d") == 6 * 6 * 4 * 10 + 10)

    // The graph is NCHW inside: rebind to 1x3x16x16 → 14x14x4 = 784 features.
    let rebound = try Analyzer.analyze(graph, options: AnalysisOptions(inputShapes: ["in": [1, 3, 16, 16]]))
    #expect(Self.params(rebound, "d") == 14 * 14 * 4 * 10 + 10)
    #expect(rebound.totals.params == (3 * 3 * 3 * 4 + 4) + (14 * 14 * 4 * 10 + 10))
  }

  @Test func theGraphDoesNotDependOnTheInputSize() throws {
    let small = try K.graph(Self.model(side: 32))
    var large = try K.graph(Self.model(side: 64))
    #expect(large.inputs.map(\.shape) == [["N", 3, 64, 64]])
    large.inputs = small.inputs
    #expect(small == large)
  }
}
