import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Sequences, maps and optionals (`TypeProto` fields 4, 5, 9) import as what they are.
@Suite struct ONNXValueKindTests {
  static let floatPair = ONNXBytes.tensorType(elemType: 1, dimensions: [2, 3].map(ONNXBytes.dimension))

  @Test func containerTypesKeepTheirKindAndElementType() throws {
    let int64Vector = ONNXBytes.tensorType(elemType: 7, dimensions: [ONNXBytes.dimension(4)])
    let inputs = [
      ONNXBytes.valueInfo("seq", type: ONNXBytes.containerType(4, of: int64Vector)),
      ONNXBytes.valueInfo("map", type: ONNXBytes.containerType(5, of: Self.floatPair)),
      ONNXBytes.valueInfo("opt", type: ONNXBytes.containerType(9, of: int64Vector)),
      ONNXBytes.valueInfo(
        "optseq", type: ONNXBytes.containerType(9, of: ONNXBytes.containerType(4, of: Self.floatPair))),
      ONNXBytes.valueInfo("x", type: Self.floatPair),
    ]
    let model = ONNXBytes.model(ONNXBytes.graph(nodes: [], inputs: inputs, outputs: []))
    let graph = try ONNXImporter().importGraph(from: model.data, fileName: "k.onnx", directory: nil)
    #expect(graph.inputs.map(\.kind) == [.sequence, .map, .optional, .optional, .tensor])
    #expect(graph.inputs.map(\.dataType) == [.int64, .float32, .int64, .float32, .float32])
    // A sequence keeps its elements' fixed declared shape, a map has none; an optional tensor
    // declares the tensor's, an optional sequence none.
    #expect(graph.inputs.map(\.shape) == [[4], [], [4], [], [2, 3]])
  }

  @Test func theJSONSaysWhichValuesAreSequences() throws {
    let sequence = ONNXBytes.containerType(4, of: Self.floatPair)
    let model = ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [ONNXBytes.node("SequenceInsert", ["s", "x"], ["t"], name: "insert")],
        inputs: [ONNXBytes.valueInfo("s", type: sequence), ONNXBytes.valueInfo("x", type: Self.floatPair)],
        outputs: [ONNXBytes.valueInfo("t", type: sequence)]))
    let report = try Pipeline.report(for: AnalysisRequest(model: .data(model.data, name: "k.onnx")))
    #expect(report.inputs.map(\.kind) == [.sequence, nil])
    #expect(report.outputs.map(\.kind) == [.sequence])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(try JSONRenderer.render(report).utf8)) as? [String: Any])
    let inputs = try #require(json["inputs"] as? [[String: Any]])
    #expect(inputs.map { $0["kind"] as? String } == ["sequence", nil])
    #expect((json["outputs"] as? [[String: Any]])?.first?["kind"] as? String == "sequence")
    // The table and Markdown write the kind instead of a shape the sequence does not have.
    let table = TableRenderer.render(report, options: RenderOptions(color: false))
    #expect(table.contains("  input   s sequence of float32\n          x 2x3 float32\n"))
    let markdown = MarkdownRenderer.render(report)
    #expect(markdown.contains("| `s` |  | sequence of float32 |\n| `x` | `2x3` | float32 |"))
  }
}
