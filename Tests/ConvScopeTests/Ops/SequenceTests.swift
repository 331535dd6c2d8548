import Testing

@testable import ConvScope

/// Sequence and optional values are reported as what they are (issue 11): a sequence has the
/// shape its elements share, an optional the shape of what it holds.
@Suite struct SequenceTests {
  static func analyze(
    _ nodes: [Node], inputs: [TensorInfo], outputs: [String], constants: [String: ConstantTensor] = [:]
  )
    throws -> Report
  {
    var graph = Graph(
      name: "seq", inputs: inputs, outputs: outputs.map { TensorInfo(name: $0, shape: []) }, nodes: nodes)
    graph.initializers = constants
    return try Analyzer.analyze(graph)
  }

  /// `SequenceConstruct([2, 3], [2, 5])` holds elements that agree on dim 0 only; `SequenceAt`
  /// reads a tensor of that shape; `SequenceLength` an int64 scalar.
  @Test func aSequenceHasTheShapeItsElementsShare() throws {
    let report = try Self.analyze(
      [
        Node(name: "make", opType: "SequenceConstruct", inputs: ["a", "b"], outputs: ["s"]),
        Node(name: "at", opType: "SequenceAt", inputs: ["s", "zero"], outputs: ["t"]),
        Node(name: "count", opType: "SequenceLength", inputs: ["s"], outputs: ["n"]),
      ],
      inputs: [TensorInfo(name: "a", shape: [2, 3]), TensorInfo(name: "b", shape: [2, 5])], outputs: ["t", "n"],
      constants: ["zero": .scalar(0)])
    let made = try #require(report.layers.first { $0.name == "make" }?.outputs.first)
    #expect(made.kind == .sequence)
    #expect(made.shape == [2, .unknown])
    #expect(report.outputs.map(\.shape) == [[2, .unknown], []])
    #expect(report.outputs.map(\.dtype) == [.float32, .int64])
  }

  /// `SplitToSequence` of `x [3, 6]`: by a constant scalar 2 along axis 1, pieces `[3, 2]`;
  /// without `split`, pieces of 1 along axis 0, dropped by `keepdims = 0`: `[6]` (the spec's
  /// examples, onnx/backend/test/case/node/splittosequence.py).
  @Test func splitToSequencePieces() throws {
    let x = [TensorInfo(name: "x", shape: [3, 6])]
    let bySize = try Self.analyze(
      [
        Node(
          name: "split", opType: "SplitToSequence", inputs: ["x", "two"], outputs: ["s"],
          attributes: ["axis": .int(1)])
      ], inputs: x, outputs: ["s"], constants: ["two": .scalar(2)])
    #expect(bySize.outputs.first?.shape == [3, 2])
    let byOne = try Self.analyze(
      [
        Node(name: "split", opType: "SplitToSequence", inputs: ["x"], outputs: ["s"], attributes: ["keepdims": .int(0)])
      ],
      inputs: x, outputs: ["s"])
    #expect(byOne.outputs.first?.shape == [6])
  }

  /// `Optional(x)` holds `x`; `OptionalHasElement` of a plain tensor is known true;
  /// `OptionalGetElement` gives back the tensor.
  @Test func optionalsHoldWhatTheyWrap() throws {
    let report = try Self.analyze(
      [
        Node(name: "wrap", opType: "Optional", inputs: ["x"], outputs: ["o"]),
        Node(name: "get", opType: "OptionalGetElement", inputs: ["o"], outputs: ["y"]),
        Node(name: "has", opType: "OptionalHasElement", inputs: ["x"], outputs: ["h"]),
      ],
      inputs: [TensorInfo(name: "x", shape: [4])], outputs: ["y", "h"])
    #expect(report.layers.first { $0.name == "wrap" }?.outputs.first?.kind == .optional)
    #expect(report.outputs.map(\.shape) == [[4], []])
    #expect(report.outputs.first?.kind == nil)  // a plain tensor: no kind written
    #expect(report.outputs.last?.dtype == .bool)
  }

  /// A sequence graph input whose elements have no declared shape: what is read from it stays
  /// unknown instead of becoming a scalar.
  @Test func anUndeclaredSequenceIsNotAScalar() throws {
    let report = try Self.analyze(
      [Node(name: "at", opType: "SequenceAt", inputs: ["s", "zero"], outputs: ["t"])],
      inputs: [TensorInfo(name: "s", shape: Shape([Int]()), kind: .sequence)], outputs: ["t"],
      constants: ["zero": .scalar(0)])
    #expect(report.layers.first?.supported == false)
    #expect(report.totals.partial)
  }
}
