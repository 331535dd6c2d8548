import ConvScope
import Testing

@Suite("Spec importer: inputs and outputs")
struct SpecInputsTests {
  @Test func severalInputsWithSymbolicBatchAndNamedOutputs() throws {
    let graph = try SpecTesting.graph(
      """
      layout: NHWC
      dtype: fp16
      inputs:
        - {name: left, shape: [N, 32, 32, 3]}
        - {name: right, shape: [N, 32, 32, 3], dtype: float32}
      layers:
        - {name: a, op: conv, filters: 8, kernel: 3, inputs: left}
        - {name: b, op: conv, filters: 8, kernel: 3, inputs: right}
        - {name: joined, op: add, inputs: [a, b]}
      outputs: [a, joined]
      """)
    #expect(graph.inputs.map(\.name) == ["left", "right"])
    // NHWC [N, 32, 32, 3] → ONNX [N, 3, 32, 32]; the batch stays symbolic for --batch.
    #expect(graph.inputs[0].shape == [.symbolic("N"), 3, 32, 32])
    #expect(graph.inputs.map(\.dataType) == [.float16, .float32])
    #expect(graph.initializers["a.weight"]?.dataType == .float16)
    #expect(graph.outputs.map(\.name) == ["a", "joined"])
  }

  @Test func aLayerWithoutInputsInAModelWithSeveralMustNameThem() throws {
    let error = try #require(
      SpecTesting.error(
        """
        inputs: [{name: a, shape: [1, 3]}, {name: b, shape: [1, 3]}]
        layers: [{name: r, op: relu}]
        """))
    #expect(error.layer == "r" && error.field == "inputs")
    #expect(error.message.contains("several inputs"))
  }

  @Test func unknownOutputNameSuggests() throws {
    let error = try #require(
      SpecTesting.error(
        """
        input: {shape: [1, 3]}
        layers: [{name: logits, op: dense, units: 2}]
        outputs: [logit]
        """))
    #expect(error.field == "outputs" && error.line == 3)
    #expect(error.message == "no layer named 'logit'; did you mean 'logits'?")
  }

  @Test func inChannelsOverridesTheTrackedCount() throws {
    // A raw op whose output shape the importer cannot follow, then a conv told its input channels.
    let graph = try SpecTesting.graph(
      """
      input: {shape: [1, 3, 8, 8]}
      layers:
        - {name: s2d, op: SpaceToDepth, attributes: {blocksize: 2}}
        - {name: c, op: conv2d, filters: 4, kernel: 1, in_channels: 12}
      """)
    #expect(graph.node("s2d")?.attributes["blocksize"] == .int(2))
    #expect(try graph.dims("c.weight") == [4, 12, 1, 1])
  }
}
