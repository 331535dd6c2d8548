import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis

/// `If`, `Loop` and `Scan`: bodies analysed with the enclosing values in scope, their rows
/// shown under the node, their costs counted as many times as they run.
@Suite struct ControlFlowTests {
  /// A body graph `y = x @ W` with its own stored `W [k, n]`.
  static func matmulBranch(_ name: String, k: Int, n: Int) -> Graph {
    var graph = Graph(
      name: name, inputs: [], outputs: [TensorInfo(name: "\(name).y", shape: [])],
      nodes: [Node(name: "mm", opType: "MatMul", inputs: ["x", "\(name).w"], outputs: ["\(name).y"])])
    graph.initializers["\(name).w"] = ConstantTensor(dataType: .float32, dims: [k, n])
    return graph
  }

  static func ifGraph(condition: Node?) -> Graph {
    var graph = Graph(
      name: "if", inputs: [TensorInfo(name: "x", shape: [2, 4]), TensorInfo(name: "c", dataType: .bool, shape: [])],
      outputs: [TensorInfo(name: "y", shape: [])], nodes: [])
    graph.nodes =
      (condition.map { [$0] } ?? []) + [
        Node(
          name: "if", opType: "If", inputs: [condition?.outputs[0] ?? "c"], outputs: ["y"],
          attributes: [
            "then_branch": .graph(matmulBranch("then", k: 4, n: 3)),
            "else_branch": .graph(matmulBranch("else", k: 4, n: 3)),
          ])
      ]
    return graph
  }

  /// A condition folded to a constant runs one branch: its rows count, the other branch's
  /// stored weight still counts as parameters (it is in the file).
  @Test func aConstantConditionCountsTheTakenBranch() throws {
    let truth = ConstantTensor(dataType: .bool, dims: [], values: .ints([0]))
    let constant = Node(
      name: "cond", opType: "Constant", inputs: [], outputs: ["k"], attributes: ["value": .tensor(truth)])
    let report = try Analyzer.analyze(Self.ifGraph(condition: constant))
    #expect(report.layers.map(\.name).contains("if/else_branch/mm"))
    #expect(!report.layers.map(\.name).contains("if/then_branch/mm"))
    #expect(report.totals.macs == 2 * 4 * 3)
    #expect(report.totals.params == 4 * 3 + 4 * 3)
    #expect(report.outputs.first?.shape == [2, 3])
    #expect(!report.totals.partial)
  }

  /// An unknown condition: both branches analysed, the larger counted and the choice stated.
  @Test func anUnknownConditionCountsTheLargerBranchAndSaysSo() throws {
    var graph = Self.ifGraph(condition: nil)
    guard case .graph(var larger)? = graph.nodes[0].attributes["else_branch"] else { return }
    larger.initializers["else.w"] = ConstantTensor(dataType: .float32, dims: [4, 3])
    larger.nodes.append(Node(name: "relu", opType: "Relu", inputs: ["else.y"], outputs: ["else.z"]))
    larger.outputs = [TensorInfo(name: "else.z", shape: [])]
    graph.nodes[0].attributes["else_branch"] = .graph(larger)
    let report = try Analyzer.analyze(graph)
    let row = try #require(report.layers.first { $0.name == "if" })
    #expect(row.warnings.contains { $0.contains("the totals count else_branch") })
    #expect(report.totals.macs == 2 * 4 * 3)
    #expect(report.totals.flops == 2 * (2 * 4 * 3) + 2 * 3)  // MACs twice, one compare per ReLU output
    #expect(report.totals.params == 24)
    #expect(row.params == 12)  // the then branch's weight, stored, its cost not counted
  }

  /// ONNX's own `test_if` (a runtime condition, a constant [5] in each branch).
  @Test func theNodeTestIfResolves() throws {
    let path = Fixtures.url("onnx-node-tests/models/test_if/model.onnx").path
    let report = try Analyzer.analyze(try ModelLoader.standard.load(path: path).graph)
    #expect(report.outputs.first?.shape == [5])
    #expect(report.unsupported.isEmpty)
  }

  /// A loop body `v = v @ W` (W from the enclosing graph) run M = 4 times, with `v` also
  /// stacked as a scan output.
  static func loopGraph(tripCount: String) -> Graph {
    let body = Graph(
      name: "body",
      inputs: [
        TensorInfo(name: "i", dataType: .int64, shape: []), TensorInfo(name: "c_in", dataType: .bool, shape: []),
        TensorInfo(name: "v_in", shape: []),
      ],
      outputs: [
        TensorInfo(name: "c_in", shape: []), TensorInfo(name: "v_out", shape: []), TensorInfo(name: "v_out", shape: []),
      ],
      nodes: [Node(name: "mm", opType: "MatMul", inputs: ["v_in", "w"], outputs: ["v_out"])])
    var graph = Graph(
      name: "loop",
      inputs: [TensorInfo(name: "v", shape: [2, 3]), TensorInfo(name: "m", dataType: .int64, shape: [])],
      outputs: [TensorInfo(name: "final", shape: []), TensorInfo(name: "stacked", shape: [])],
      nodes: [
        Node(
          name: "loop", opType: "Loop", inputs: [tripCount, "", "v"], outputs: ["final", "stacked"],
          attributes: ["body": .graph(body)])
      ])
    graph.initializers["w"] = ConstantTensor(dataType: .float32, dims: [3, 3])
    graph.initializers["four"] = .scalar(4)
    return graph
  }

  @Test func aLoopOfKnownTripCountCountsItsBodyThatOften() throws {
    let report = try Analyzer.analyze(Self.loopGraph(tripCount: "four"))
    #expect(report.outputs.map(\.shape) == [[2, 3], [4, 2, 3]])
    #expect(report.totals.macs == 4 * (2 * 3 * 3))
    #expect(report.totals.params == 9)  // the outer weight, read in the body, counted once
    #expect(report.layers.first { $0.name == "loop/body/mm" }?.macs == 4 * 18)
  }

  @Test func aLoopOfUnknownTripCountCountsOneIterationAndSaysSo() throws {
    let report = try Analyzer.analyze(Self.loopGraph(tripCount: "m"))
    #expect(report.outputs[1].shape.rank == 3)
    #expect(report.outputs[1].shape.dims[0].value == nil)
    #expect(report.totals.macs == 2 * 3 * 3)
    let row = try #require(report.layers.first { $0.name == "loop" })
    #expect(row.warnings == ["the trip count is not known before running: the body's cost counts once"])
  }

  /// Scan at opset 9+ and at opset 8 (batch axis, leading `sequence_lens`), ONNX's node tests.
  @Test(arguments: [("test_scan9_sum", [[2], [3, 2]]), ("test_scan_sum", [[1, 2], [1, 3, 2]])])
  func scanNodeTests(name: String, shapes: [[Int]]) throws {
    let path = Fixtures.url("onnx-node-tests/models/\(name)/model.onnx").path
    let report = try Analyzer.analyze(try ModelLoader.standard.load(path: path).graph)
    #expect(report.outputs.map(\.shape) == shapes.map { Shape($0) })
    // The body adds one state [2] to one step [2]: 2 adds per step, 3 steps (times batch 1).
    #expect(report.totals.flops == 3 * 2)
  }

  /// The corpus' scripted models (Scripts/onnx-corpus): a Loop whose trip count folds from
  /// `x.size(0) = 2`, and an If on `x.mean() > 0` with a Linear 16→8 in each branch.
  @Test func scriptedControlFlowFromTorch() throws {
    let loop = try Analyzer.analyze(
      try ModelLoader.standard.load(path: Fixtures.url("corpus/loop_three.onnx").path).graph)
    #expect(loop.totals.macs == 2 * (2 * 12 * 12))  // 2 iterations of Linear 12→12 on [2, 12]
    #expect(loop.totals.params == 12 * 12 + 12)
    #expect(!loop.totals.partial)
    let branches = try Analyzer.analyze(
      try ModelLoader.standard.load(path: Fixtures.url("corpus/if_branches.onnx").path).graph)
    #expect(branches.totals.params == 2 * (16 * 8 + 8) + (8 * 4 + 4))  // both branches' Linears, the head
    #expect(branches.totals.macs == 2 * 16 * 8 + 2 * 8 * 4)  // one branch, then the head
    #expect(!branches.totals.partial)
  }
}
