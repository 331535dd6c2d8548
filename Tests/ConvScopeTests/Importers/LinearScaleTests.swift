import ConvScope
import Foundation
import Testing

/// Steps that used to be quadratic in the layer count, each on a 20,000-layer model: the
/// structure is checked here; the time is measured by hand (`Benchmarks/scale.sh`).
@Suite struct LinearScaleTests {
  /// Conv and in-place ReLU layers in a chain, as deploy prototxts write them.
  private static func prototxt(blocks: Int, name: (Int) -> String = { "conv\($0)" }) -> String {
    var text = """
      name: "chain"
      layer { name: "data" type: "Input" top: "data" input_param { shape: { dim: 1 dim: 4 dim: 8 dim: 8 } } }

      """
    var previous = "data"
    for block in 1...blocks {
      let conv = name(block)
      text += """
        layer { name: "\(conv)" type: "Convolution" bottom: "\(previous)" top: "c\(block)"
          convolution_param { num_output: 4 pad: 1 kernel_size: 3 } }
        layer { name: "relu\(block)" type: "ReLU" bottom: "c\(block)" top: "c\(block)" }

        """
      previous = "c\(block)"
    }
    return text
  }

  // The net's outputs were found by scanning every blob for every produced tensor.
  @Test func aTwentyThousandLayerPrototxtImportsAndAnalyses() throws {
    let text = Self.prototxt(blocks: 10_000)
    let graph = try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "chain.prototxt", directory: nil)
    #expect(graph.nodes.count == 20_000)
    #expect(graph.outputs.map(\.name) == ["relu10000"])
    let report = try Analyzer.analyze(graph)
    #expect(report.layers.count == 20_000)
    #expect(report.totals.params == 10_000 * (3 * 3 * 4 * 4 + 4))
  }

  // Each repeat of a layer name looked for a free suffix from `_1` up.
  @Test func twentyThousandLayersOfOneNameGetSuffixesInOrder() throws {
    let text = Self.prototxt(blocks: 10_000) { _ in "conv" }
    let graph = try CaffeImporter().importGraph(from: Data(text.utf8), fileName: "chain.prototxt", directory: nil)
    let convs = graph.nodes.filter { $0.opType == "Conv" }.map(\.name)
    #expect(convs.count == 10_000)
    #expect(convs.prefix(3) == ["conv", "conv_1", "conv_2"] && convs.last == "conv_9999")
  }

  // ONNX names repeated in the file: each repeat looked for a free suffix from `_2` up.
  @Test func twentyThousandONNXNodesOfOneNameGetSuffixesInOrder() throws {
    var nodes: [ProtoBytes] = []
    for index in 0..<20_000 {
      nodes.append(ONNXBytes.node("Relu", [index == 0 ? "x" : "t\(index - 1)"], ["t\(index)"], name: "relu"))
    }
    let model = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: nodes, inputs: [ONNXBytes.valueInfo("x", dims: [.fixed(1), .fixed(4)])],
        outputs: [ONNXBytes.valueInfo("t19999", dims: nil)]))
    let graph = try ONNXImporter().importGraph(from: model.data, fileName: "chain.onnx", directory: nil)
    #expect(graph.nodes.prefix(3).map(\.name) == ["relu", "relu_2", "relu_3"])
    #expect(graph.nodes.last?.name == "relu_20000")
    #expect(try Analyzer.analyze(graph).layers.count == 20_000)
  }

  // Every field of every layer was looked up by a linear scan that ran a regular expression.
  @Test func aTwentyThousandLayerSpecImportsAndAnalyses() throws {
    var text = "input: {name: x, shape: [1, 4, 8, 8]}\nlayers:\n"
    for block in 0..<10_000 {
      text += "  - {name: 'blocks.\(block).conv', op: conv, filters: 4, kernel: 3, padding: 1}\n"
      text += "  - {name: 'blocks.\(block).relu', op: relu}\n"
    }
    let graph = try SpecTesting.graph(text)
    #expect(graph.nodes.count == 20_000)
    #expect(graph.nodes.last?.name == "blocks.9999.relu")
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 10_000 * (3 * 3 * 4 * 4 + 4))
  }

  /// A Functional config of a chain of `count` ReLU layers (tf.keras 2 layout), listed in
  /// file order or reversed.
  private static func functional(count: Int, reversed: Bool) -> String {
    var layers = (1...count).map { index in
      let input = index == 1 ? "in" : "relu_\(index - 1)"
      return #"{"class_name": "ReLU", "name": "relu_\#(index)", "config": {"name": "relu_\#(index)"}, "#
        + #""inbound_nodes": [[["\#(input)", 0, 0, {}]]]}"#
    }
    if reversed { layers.reverse() }
    let input =
      #"{"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 8]}, "#
      + #""inbound_nodes": []}"#
    return #"{"class_name": "Functional", "config": {"name": "chain", "layers": [\#(input), "#
      + layers.joined(separator: ", ")
      + #"], "input_layers": [["in", 0, 0]], "output_layers": [["relu_\#(count)", 0, 0]]}}"#
  }

  // Each pass over the pending calls emitted one layer of a reversed config: n passes of n.
  @Test func aReversedTwentyThousandLayerKerasConfigImportsInChainOrder() throws {
    let graph = try KerasImporter().importGraph(
      from: Data(Self.functional(count: 20_000, reversed: true).utf8), fileName: "m.json", directory: nil)
    #expect(graph.nodes.count == 20_000)
    #expect(graph.nodes.prefix(2).map(\.name) == ["relu_1", "relu_2"] && graph.nodes.last?.name == "relu_20000")
    let small = { (reversed: Bool) in
      try KerasImporter().importGraph(
        from: Data(Self.functional(count: 50, reversed: reversed).utf8), fileName: "m.json", directory: nil)
    }
    #expect(try small(true) == small(false))
  }
}
