import ConvScope
import Testing

/// The math rules inside a whole analysis: weights found by their role, shape
/// arithmetic folded, costs summed.
@Suite struct MathAnalysisTests {
  /// X[1,8] → Gemm(W1 16x8, transB, b1 16) → Relu → MatMul(W2 16x4) → Add(b2 4);
  /// beside it, shape math on int64 constants: Mul(s, 2) then Equal(_, [2, 8]).
  private func graph() -> Graph {
    let weight = { (dims: [Int]) in ConstantTensor(dataType: .float32, dims: dims) }
    let nodes = [
      Node(name: "fc1", opType: "Gemm", inputs: ["x", "w1", "b1"], outputs: ["h"], attributes: ["transB": .int(1)]),
      Node(name: "act", opType: "Relu", inputs: ["h"], outputs: ["r"]),
      Node(name: "fc2", opType: "MatMul", inputs: ["r", "w2"], outputs: ["y"]),
      Node(name: "bias2", opType: "Add", inputs: ["y", "b2"], outputs: ["z"]),
      Node(name: "double", opType: "Mul", inputs: ["s", "two"], outputs: ["d"]),
      Node(name: "check", opType: "Equal", inputs: ["d", "expected"], outputs: ["e"]),
    ]
    return Graph(
      name: "mlp", inputs: [TensorInfo(name: "x", shape: [1, 8])],
      outputs: [TensorInfo(name: "z", shape: [1, 4]), TensorInfo(name: "e", dataType: .bool, shape: [2])],
      nodes: nodes,
      initializers: [
        "w1": weight([16, 8]), "b1": weight([16]), "w2": weight([16, 4]), "b2": weight([4]),
        "s": .int64s([1, 4]), "two": .scalar(2), "expected": .int64s([2, 8]),
      ],
      opsetVersion: 17)
  }

  @Test func weightsAreParametersAndCostsSum() throws {
    let report = try Analyzer.analyze(graph())
    // Gemm 8*16 + 16, MatMul 16*4, Add's constant bias 4.
    #expect(report.totals.params == 8 * 16 + 16 + 16 * 4 + 4)
    #expect(report.totals.macs == 1 * 16 * 8 + 1 * 4 * 16)
    let rows = Dictionary(uniqueKeysWithValues: report.layers.map { ($0.name, $0) })
    #expect(rows["fc1"]?.paramFormula == "8*16+16 = 144")
    #expect(rows["fc2"]?.paramFormula == "16*4 = 64")
    #expect(rows["act"]?.cost == Cost(compares: 16))
    #expect(rows["bias2"]?.cost == Cost(adds: 4))
  }

  @Test func shapeArithmeticFoldsAndCostsNothing() throws {
    let report = try Analyzer.analyze(graph())
    let rows = Dictionary(uniqueKeysWithValues: report.layers.map { ($0.name, $0) })
    #expect(rows["double"]?.folded == true)
    #expect(rows["check"]?.folded == true)
    #expect(rows["check"]?.outputs.first?.dtype == .bool)
    #expect(rows["check"]?.cost == .zero)
  }
}
