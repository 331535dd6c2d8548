import ConvScope
import Testing

/// The subgraph `torch.flatten(x, 1)` / `x.view(x.size(0), -1)` exports to:
/// `Shape(x) → Gather(0) → Unsqueeze → Concat(·, [-1]) → Reshape(x, ·)`.
@Suite struct ShapeFoldingTests {
  private func exportedFlatten(opset: Int) -> Graph {
    let axesAsInput = opset >= 13
    var initializers: [String: ConstantTensor] = [
      "zero": .scalar(0), "minus_one": .int64s([-1]),
    ]
    if axesAsInput { initializers["axes"] = .int64s([0]) }
    let nodes = [
      Node(name: "shape", opType: "Shape", inputs: ["x"], outputs: ["dims"]),
      Node(
        name: "gather", opType: "Gather", inputs: ["dims", "zero"], outputs: ["batch"], attributes: ["axis": .int(0)]),
      Node(
        name: "unsqueeze", opType: "Unsqueeze", inputs: axesAsInput ? ["batch", "axes"] : ["batch"],
        outputs: ["batch1"],
        attributes: axesAsInput ? [:] : ["axes": .ints([0])]),
      Node(
        name: "concat", opType: "Concat", inputs: ["batch1", "minus_one"], outputs: ["target"],
        attributes: ["axis": .int(0)]),
      Node(name: "reshape", opType: "Reshape", inputs: ["x", "target"], outputs: ["y"]),
    ]
    return Graph(
      name: "flatten", inputs: [TensorInfo(name: "x", shape: [2, 3, 4, 4])],
      outputs: [TensorInfo(name: "y", shape: [])],
      nodes: nodes, initializers: initializers, opsetVersion: opset)
  }

  @Test(arguments: [11, 13])
  func exportedFlattenResolvesToAConcreteShape(opset: Int) throws {
    let report = try Analyzer.analyze(exportedFlatten(opset: opset))
    let rows = Dictionary(uniqueKeysWithValues: report.layers.map { ($0.name, $0) })
    #expect(rows["reshape"]?.outputs.first?.shape == [2, 48])  // 3*4*4 = 48
    #expect(rows["reshape"]?.folded == false)
    for name in ["shape", "gather", "unsqueeze", "concat"] {
      #expect(rows[name]?.folded == true, "\(name) should fold")
      #expect(rows[name]?.cost == .zero)
      #expect(rows[name]?.flops == 0)
    }
    #expect(rows["concat"]?.outputs.first?.shape == [2])
    #expect(report.outputs.first?.shape == [2, 48])
    #expect(report.unsupported.isEmpty)
  }

  /// `x.view(x.size(0), x.size(1) * x.size(2), -1)`: two Gathers, a Mul, Unsqueezes, a Concat.
  @Test func exportedViewWithArithmeticResolves() throws {
    let initializers: [String: ConstantTensor] = [
      "i0": .scalar(0), "i1": .scalar(1), "i2": .scalar(2), "axes": .int64s([0]), "minus_one": .int64s([-1]),
    ]
    let nodes = [
      Node(name: "shape", opType: "Shape", inputs: ["x"], outputs: ["dims"]),
      Node(name: "n", opType: "Gather", inputs: ["dims", "i0"], outputs: ["n"]),
      Node(name: "c", opType: "Gather", inputs: ["dims", "i1"], outputs: ["c"]),
      Node(name: "h", opType: "Gather", inputs: ["dims", "i2"], outputs: ["h"]),
      Node(name: "ch", opType: "Mul", inputs: ["c", "h"], outputs: ["ch"]),
      Node(name: "n1", opType: "Unsqueeze", inputs: ["n", "axes"], outputs: ["n1"]),
      Node(name: "ch1", opType: "Unsqueeze", inputs: ["ch", "axes"], outputs: ["ch1"]),
      Node(
        name: "target", opType: "Concat", inputs: ["n1", "ch1", "minus_one"], outputs: ["target"],
        attributes: ["axis": .int(0)]),
      Node(name: "view", opType: "Reshape", inputs: ["x", "target"], outputs: ["y"]),
    ]
    let graph = Graph(
      name: "view", inputs: [TensorInfo(name: "x", shape: [2, 3, 4, 5])], outputs: [TensorInfo(name: "y", shape: [])],
      nodes: nodes, initializers: initializers, opsetVersion: 17)
    let report = try Analyzer.analyze(graph)
    #expect(report.outputs.first?.shape == [2, 12, 5])  // 3*4 = 12; 120 / (2*12) = 5
    #expect(report.layers.filter(\.folded).map(\.name) == ["shape", "n", "c", "h", "ch", "n1", "ch1", "target"])
    #expect(report.totals.flops == 0)
  }
}
