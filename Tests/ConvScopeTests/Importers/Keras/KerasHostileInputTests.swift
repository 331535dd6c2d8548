import ConvScope
import Testing

/// Keras configs with absurd values: an error naming the layer and field, never a trap.
@Suite struct KerasHostileInputTests {
  private typealias K = KerasTesting

  @Test func layerNormalizationOnAnAxisPastTheRankIsAnError() throws {
    // axis 5 on a rank-4 input made the range 5..<4, which traps.
    let json = K.sequential(input: "[null, 8, 8, 3]", [K.layer("LayerNormalization", "ln", #""axis": 5"#)])
    let error = try #require(throws: ConvScopeError.self) { try K.graph(json) }
    #expect(error.layer == "ln" && error.field == "axis")
  }
}
