import ConvScope
import Testing

/// Keras configs with absurd values: an error naming the layer and field, never a trap.
@Suite struct KerasHostileInputTests {
  private typealias K = KerasTesting

  /// A Functional model `m0` whose layers call a nested Functional model `m1` twice in a row
  /// and add the results; `m1` calls `m2` so, and so on: 2^`levels` Dense calls once expanded.
  /// Model names are `padding` characters long.
  static func doublingModels(levels: Int, padding: Int = 1) -> String {
    func model(_ level: Int) -> String {
      let name = "m\(level)" + String(repeating: "n", count: padding)
      let input = "in\(level)"
      let inner: String
      let child: String
      // A nested model's calls are its nodes 1 and 2 (node 0 is the model itself); a layer's, 0 and 1.
      let first = level == levels - 1 ? 0 : 1
      if level == levels - 1 {
        child = "d"
        inner =
          #"{"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 4}, "#
          + #""inbound_nodes": [[["\#(input)", 0, 0, {}]], [["\#(input)", 0, 0, {}]]]}"#
      } else {
        child = "m\(level + 1)" + String(repeating: "n", count: padding)
        inner =
          #"{"class_name": "Functional", "name": "\#(child)", "config": \#(model(level + 1)), "#
          + #""inbound_nodes": [[["\#(input)", 0, 0, {}]], [["\#(input)", 0, 0, {}]]]}"#
      }
      let add =
        #"{"class_name": "Add", "name": "add\#(level)", "config": {"name": "add\#(level)"}, "#
        + #""inbound_nodes": [[["\#(child)", \#(first), 0, {}], ["\#(child)", \#(first + 1), 0, {}]]]}"#
      return #"{"name": "\#(name)", "layers": [{"class_name": "InputLayer", "name": "\#(input)", "#
        + #""config": {"name": "\#(input)", "batch_input_shape": [null, 4]}, "inbound_nodes": []}, "#
        + #"\#(inner), \#(add)], "input_layers": [["\#(input)", 0, 0]], "output_layers": [["add\#(level)", 0, 0]]}"#
    }
    return #"{"class_name": "Functional", "config": \#(model(0))}"#
  }

  @Test func nestedModelsCalledTwicePerLevelAreRefusedBeforeTheyAreExpanded() throws {
    // Three levels: 8 Dense calls and the Adds, imported.
    let small = try K.graph(Self.doublingModels(levels: 3))
    #expect(small.nodes.filter { $0.opType == "Gemm" || $0.opType == "MatMul" }.count == 8)
    // Sixty levels (a 9 KB config): 2^60 calls once expanded. Refused after twice the layer
    // budget's calls, not after expanding them all (found by a hostile-input audit: the run
    // grew past 4 GB).
    let deep = try #require(throws: ConvScopeError.self) { try K.graph(Self.doublingModels(levels: 60)) }
    #expect(
      deep.message
        == "the model makes more than 200,000 layer calls once its nested models are expanded, "
        + "more than twice the layer budget (CONVSCOPE_MAX_LAYERS raises it)")
    // Sixteen levels with 4,000-character model names: 65,536 calls, within twice the budget,
    // but every name repeats the names of the models around it.
    let named = try #require(throws: ConvScopeError.self) {
      try K.graph(Self.doublingModels(levels: 16, padding: 4_000))
    }
    #expect(named.message == "expanding the nested models gives names of more than 67,108,864 bytes in all")
  }

  @Test func layerNormalizationOnAnAxisPastTheRankIsAnError() throws {
    // axis 5 on a rank-4 input made the range 5..<4, which traps.
    let json = K.sequential(input: "[null, 8, 8, 3]", [K.layer("LayerNormalization", "ln", #""axis": 5"#)])
    let error = try #require(throws: ConvScopeError.self) { try K.graph(json) }
    #expect(error.layer == "ln" && error.field == "axis")
  }
}
