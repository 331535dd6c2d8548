import ConvScope
import Foundation
import Testing

/// What keras.applications write beside plain layers: Keras 3 operations on a tensor and a
/// number, tf.keras `TFOpLambda` layers, keras.applications' own LayerScale and
/// CustomScaleLayer, nested models that tf.keras numbers from 1, and Keras' arithmetic for
/// Rescaling and Normalization (`keras/src/layers/preprocessing/*.py`).
@Suite struct KerasOperationLayerTests {
  typealias K = KerasTesting

  /// A Keras 3 functional model: `in` [null, 4, 4, 2], then `layers` (objects with `inbound_nodes`).
  static func functional(_ layers: [String], output: String) -> String {
    let input =
      #"{"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_shape": [null, 4, 4, 2]}, "inbound_nodes": []}"#
    return #"""
      {"class_name": "Functional", "config": {"name": "m", "layers": [\#(([input] + layers).joined(separator: ", "))],
       "input_layers": [["in", 0, 0]], "output_layers": [["\#(output)", 0, 0]]}}
      """#
  }

  /// A Keras 3 tensor reference to output 0 of `layer`'s first call.
  static func tensor(_ layer: String) -> String {
    #"{"class_name": "__keras_tensor__", "config": {"shape": [null, 4, 4, 2], "keras_history": ["\#(layer)", 0, 0]}}"#
  }

  @Test func aKeras3OperationTakesItsNumberAsAScalarOperand() throws {
    // MobileNetV3's hard_sigmoid: `x + 3.0`, written as the operation `Add` with args [x, 3.0].
    let add =
      #"{"module": "keras.src.ops.numpy", "class_name": "Add", "name": "add", "config": {"name": "add"}, "inbound_nodes": [{"args": [\#(Self.tensor("in")), 3.0], "kwargs": {}}]}"#
    let graph = try K.graph(Self.functional([add], output: "add"))
    let node = try #require(K.node(graph, "add"))
    #expect(node.opType == "Add")
    #expect(node.inputs.count == 2)
    #expect(graph.initializers[node.inputs[1]]?.values == .floats([3]))
    let report = try Analyzer.analyze(graph)
    #expect(report.outputs.first?.displayShape == [1, 4, 4, 2])
    // One AddV2 per element, as TensorFlow's profiler counts it.
    #expect(try Convention.keras.apply(to: report).figure == 4 * 4 * 2)
  }

  @Test func aTFOpLambdaAddsItsYWhetherANumberOrATensor() throws {
    // tf.keras writes a call on one tensor flat: ["in", 0, 0, {"y": ...}].
    let json = #"""
      {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 4, 4, 2]}, "inbound_nodes": []},
        {"class_name": "TFOpLambda", "name": "plus3", "config": {"name": "plus3", "function": "__operators__.add"},
         "inbound_nodes": [["in", 0, 0, {"y": 3.0, "name": null}]]},
        {"class_name": "TFOpLambda", "name": "times", "config": {"name": "times", "function": "math.multiply"},
         "inbound_nodes": [["plus3", 0, 0, {"y": ["in", 0, 0], "name": null}]]}],
       "input_layers": [["in", 0, 0]], "output_layers": [["times", 0, 0]]}}
      """#
    let graph = try K.graph(json)
    #expect(K.node(graph, "plus3")?.opType == "Add")
    #expect(K.node(graph, "times")?.opType == "Mul")
    #expect(K.node(graph, "times")?.inputs == ["plus3", "in"])
  }

  @Test func aTFOpLambdaOfAnotherFunctionIsRefusedByName() throws {
    let json = #"""
      {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 4]}, "inbound_nodes": []},
        {"class_name": "TFOpLambda", "name": "f", "config": {"name": "f", "function": "math.cumsum"},
         "inbound_nodes": [["in", 0, 0, {"name": null}]]}],
       "input_layers": [["in", 0, 0]], "output_layers": [["f", 0, 0]]}}
      """#
    #expect {
      try K.graph(json)
    } throws: { error in
      "\(error)".contains("math.cumsum")
    }
  }

  @Test func layerScaleAndCustomScaleLayerAreMultipliesAndAnAdd() throws {
    let scale =
      #"{"class_name": "LayerScale", "name": "ls", "config": {"name": "ls", "init_values": 1e-6, "projection_dim": 2}, "inbound_nodes": [{"args": [\#(Self.tensor("in"))], "kwargs": {}}]}"#
    let custom =
      #"{"class_name": "CustomScaleLayer", "name": "cs", "config": {"name": "cs", "scale": 0.17}, "inbound_nodes": [{"args": [[\#(Self.tensor("in")), \#(Self.tensor("ls"))]], "kwargs": {}}]}"#
    let graph = try K.graph(Self.functional([scale, custom], output: "cs"))
    let report = try Analyzer.analyze(graph)
    // LayerScale: gamma [projection_dim] trainable (convnext.py: LayerScale.build).
    #expect(report.totals.params == 2)
    #expect(graph.nodes.filter { $0.sourceLayer == "cs" }.map(\.opType) == ["Mul", "Add"])
    // TF: Mul (LayerScale), Mul + AddV2 (CustomScaleLayer), one per element each.
    #expect(try Convention.keras.apply(to: report).figure == 3 * 4 * 4 * 2)
  }

  @Test func tfKerasNumbersTheCallsOfANestedModelWithAnInputLayerFromOne() throws {
    // tf_keras/src/engine/functional.py: _should_skip_first_node; ConvNeXt's stem is such a Sequential.
    let json = #"""
      {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 4, 4, 2]}, "inbound_nodes": []},
        {"class_name": "Sequential", "name": "stem", "config": {"name": "stem", "layers": [
          {"class_name": "InputLayer", "config": {"name": "stem_in", "batch_input_shape": [null, 4, 4, 2]}},
          {"class_name": "Conv2D", "config": {"name": "conv", "filters": 3, "kernel_size": [1, 1]}}]},
         "inbound_nodes": [[["in", 0, 0, {}]]]},
        {"class_name": "ReLU", "name": "relu", "config": {"name": "relu"}, "inbound_nodes": [[["stem", 1, 0, {}]]]}],
       "input_layers": [["in", 0, 0]], "output_layers": [["relu", 0, 0]]}}
      """#
    let report = try Analyzer.analyze(try K.graph(json))
    #expect(report.outputs.first?.displayShape == [1, 4, 4, 3])
    #expect(report.totals.params == 2 * 3 + 3)
  }

  @Test func rescalingAlwaysAddsItsOffsetAndNormalizationDividesByTheStandardDeviation() throws {
    let json = K.sequential(
      input: "[null, 4, 4, 3]",
      [
        K.layer("Rescaling", "scale", #""scale": 0.5, "offset": 0.0"#),
        K.layer("Normalization", "norm", #""axis": -1"#, input: "[null, 4, 4, 3]"),
      ])
    let graph = try K.graph(json)
    // rescaling.py: `x * scale + offset`; normalization.py: `(x - mean) / max(sqrt(variance), 1e-7)`.
    #expect(graph.nodes.filter { $0.sourceLayer == "scale" }.map(\.opType) == ["Mul", "Add"])
    #expect(graph.nodes.filter { $0.sourceLayer == "norm" }.map(\.opType) == ["Sqrt", "Max", "Sub", "Div"])
    // Keras' `count` (read only by `adapt`) is no op's input: the Div holds it.
    #expect(graph.heldTensors == ["norm": ["norm.count"]])
    #expect(!graph.nodes.contains { $0.inputs.contains("norm.count") })
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.nonTrainableParams == 3 + 3 + 1)
    // The Div's row: the variance (through the folded Max) and the count it holds.
    #expect(report.layers.first { $0.name == "norm" }?.nonTrainableParams == 3 + 1)
    // TF: Mul + AddV2 (Rescaling), Sub + RealDiv (Normalization) per element, and the Maximum
    // over the 3 stored variances, which ConvScope folds and the profiler counts on every run.
    #expect(report.layers.first { $0.name == "norm/Max" }?.folded == true)
    #expect(try Convention.keras.apply(to: report).figure == 4 * (4 * 4 * 3) + 3)
  }
}
