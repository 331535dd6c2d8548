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

  @Test func aDenseLayerAfterFlattenFollowsTheInputShapeWithoutReimporting() throws {
    let graph = try K.graph(Self.model(side: 8))
    #expect(graph.initializers["d.kernel"]?.shape == [.deferred, 10])
    #expect(graph.initializers["c.kernel"]?.shape == [4, .deferred, 3, 3])
    let conv = 3 * 3 * 3 * 4 + 4
    // conv 3x3 valid: 8 → 6, Flatten gives 6*6*4 = 144 features. The graph is NCHW inside:
    // rebound to 1x3x16x16, 14x14x4 = 784 features.
    let (dense8, dense16) = (6 * 6 * 4 * 10 + 10, 14 * 14 * 4 * 10 + 10)
    let params = try ReboundAnalysis.params(of: ["c", "d"], in: graph, at: [[:], ["in": [1, 3, 16, 16]]])
    let expected: [[Int?]] = [[conv, dense8, conv + dense8], [conv, dense16, conv + dense16]]
    #expect(params == expected)
  }

  @Test func theGraphDoesNotDependOnTheInputSize() throws {
    let large = try K.graph(Self.model(side: 64))
    #expect(large.inputs.map(\.shape) == [["N", 3, 64, 64]])
    #expect(ReboundAnalysis.differOnlyInInputs(try K.graph(Self.model(side: 32)), large))
  }
}
