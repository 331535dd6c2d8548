import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeReport

/// Model-local functions (`ModelProto.functions`, `FunctionProto`) are expanded at import.
@Suite struct ONNXFunctionTests {
  /// `FunctionProto`: name 1, input 4, output 5, attribute 6, node 7, domain 10, attribute_proto 11,
  /// value_info 12.
  static func function(
    _ name: String, inputs: [String], outputs: [String], nodes: [ProtoBytes], attributes: [String] = [],
    defaults: [ProtoBytes] = [], valueInfo: [ProtoBytes] = [], domain: String = "local"
  ) -> ProtoBytes {
    var f = ProtoBytes()
    f.string(1, name)
    for i in inputs { f.string(4, i) }
    for o in outputs { f.string(5, o) }
    for a in attributes { f.string(6, a) }
    for n in nodes { f.message(7, n) }
    f.string(10, domain)
    for d in defaults { f.message(11, d) }
    for v in valueInfo { f.message(12, v) }
    return f
  }

  /// The model `graph` with `functions` (field 25).
  static func model(_ graph: ProtoBytes, functions: [ProtoBytes]) -> Data {
    var m = ONNXBytes.model(graph)
    for f in functions { m.message(25, f) }
    return m.data
  }

  static let inputs = [ONNXBytes.valueInfo("x", dims: [1, 3, 16, 16])]
  static let weights = [ONNXBytes.tensor("w1", dims: [8, 3, 3, 3]), ONNXBytes.tensor("w2", dims: [4, 8, 3, 3])]

  /// `Inner(X, W) = Relu(Conv(X, W, strides: stride))`, `stride` defaulting to 1x1, and
  /// `Outer(X, W1, W2) = Inner(Inner(X, W1, stride 2x2), W2)`, called once as `block`.
  /// (Computed on each use: a stored static Data is reported by LeakSanitizer, its storage
  /// being reachable only through the lazy global's once-token.)
  static var withFunctions: Data {
    let inner = function(
      "Inner", inputs: ["X", "W"], outputs: ["Y"],
      nodes: [
        ONNXBytes.node(
          "Conv", ["X", "W"], ["c"], name: "conv",
          attributes: [ONNXBytes.referenceAttribute("strides", to: "stride", type: 7)]),
        ONNXBytes.node("Relu", ["c"], ["Y"], name: "act"),
      ],
      defaults: [ONNXBytes.intsAttribute("stride", [1, 1])],
      valueInfo: [ONNXBytes.valueInfo("c", dims: ["N", "C", "H", "W"]), ONNXBytes.valueInfo("Y", dims: [1])])
    let outer = function(
      "Outer", inputs: ["X", "W1", "W2"], outputs: ["Z"],
      nodes: [
        ONNXBytes.node(
          "Inner", ["X", "W1"], ["t"], name: "first", attributes: [ONNXBytes.intsAttribute("stride", [2, 2])],
          domain: "local"),
        ONNXBytes.node("Inner", ["t", "W2"], ["Z"], name: "second", domain: "local"),
      ])
    let graph = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Outer", ["x", "w1", "w2"], ["z"], name: "block", domain: "local")], inputs: inputs,
      outputs: [ONNXBytes.valueInfo("z", dims: nil)], initializers: weights)
    return model(graph, functions: [outer, inner])
  }

  /// The same network written out node by node.
  static var inlined: Data {
    ONNXBytes.model(
      ONNXBytes.graph(
        nodes: [
          ONNXBytes.node("Conv", ["x", "w1"], ["c1"], attributes: [ONNXBytes.intsAttribute("strides", [2, 2])]),
          ONNXBytes.node("Relu", ["c1"], ["t"]),
          ONNXBytes.node("Conv", ["t", "w2"], ["c2"], attributes: [ONNXBytes.intsAttribute("strides", [1, 1])]),
          ONNXBytes.node("Relu", ["c2"], ["z"]),
        ], inputs: inputs, outputs: [ONNXBytes.valueInfo("z", dims: nil)], initializers: weights)
    ).data
  }

  @Test func callsAreExpandedWithTheirNamesAndAttributes() throws {
    let graph = try ONNXImporter().importGraph(from: Self.withFunctions, fileName: "f.onnx", directory: nil)
    #expect(
      graph.nodes.map(\.name) == ["block/first/conv", "block/first/act", "block/second/conv", "block/second/act"])
    #expect(graph.nodes.map(\.opType) == ["Conv", "Relu", "Conv", "Relu"])
    #expect(graph.nodes.map(\.inputs) == [["x", "w1"], ["block/first/c"], ["block/t", "w2"], ["block/second/c"]])
    #expect(graph.nodes.map(\.outputs) == [["block/first/c"], ["block/t"], ["block/second/c"], ["z"]])
    // The call's stride, then the function's default.
    #expect(graph.nodes[0].attributes["strides"] == .ints([2, 2]))
    #expect(graph.nodes[2].attributes["strides"] == .ints([1, 1]))
    #expect(graph.nodes.allSatisfy { $0.sourceLayer == "block" })
    // The body's declared types follow its values' new names; the call's tensors are not the body's to declare.
    #expect(graph.valueInfo["block/first/c"]?.shape == ["N", "C", "H", "W"])
    #expect(graph.valueInfo["block/second/c"]?.shape == ["N", "C", "H", "W"])
    #expect(graph.valueInfo["block/t"] == nil && graph.valueInfo["z"] == nil)
  }

  @Test func theExpansionAnalysesToTheInlinedGraphsTotals() throws {
    let expanded = try Pipeline.report(for: AnalysisRequest(model: .data(Self.withFunctions, name: "f.onnx")))
    let inlined = try Pipeline.report(for: AnalysisRequest(model: .data(Self.inlined, name: "i.onnx")))
    // Conv 1: (16-3)/2+1 = 7, 8x7x7 outputs of 3*3*3 MACs; conv 2: 7-3+1 = 5, 4x5x5 outputs of 8*3*3.
    #expect(expanded.totals.macs == 8 * 7 * 7 * 27 + 4 * 5 * 5 * 72)
    #expect(expanded.totals.macs == inlined.totals.macs && expanded.totals.flops == inlined.totals.flops)
    #expect(expanded.totals.params == 8 * 27 + 4 * 72 && expanded.totals.params == inlined.totals.params)
    #expect(expanded.totals.activationBytes == inlined.totals.activationBytes)
    #expect(expanded.outputs.map(\.shape) == [[1, 4, 5, 5]])
    let shapes = { (report: Report) in report.layers.map { $0.outputs.map(\.shape) } }
    #expect(shapes(expanded) == shapes(inlined))
    #expect(expanded.layers.allSatisfy { $0.group == "block" })
  }

  @Test func callsInsideSubgraphsAreExpanded() throws {
    let act = Self.function(
      "Act", inputs: ["X"], outputs: ["Y"], nodes: [ONNXBytes.node("Relu", ["X"], ["Y"], name: "relu")])
    let thenBranch = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Act", ["x"], ["t"], name: "call", domain: "local")], inputs: [],
      outputs: [ONNXBytes.valueInfo("t", dims: nil)])
    var branch = ProtoBytes()
    branch.string(1, "then_branch")
    branch.message(6, thenBranch)
    branch.int(20, 5)
    let graph = ONNXBytes.graph(
      nodes: [ONNXBytes.node("If", ["c"], ["y"], name: "if", attributes: [branch])], inputs: Self.inputs, outputs: [])
    let imported = try ONNXImporter().importGraph(
      from: Self.model(graph, functions: [act]), fileName: "s.onnx", directory: nil)
    guard case .graph(let body)? = imported.nodes.first?.attributes["then_branch"] else {
      Issue.record("then_branch is not a graph")
      return
    }
    #expect(body.nodes.map(\.name) == ["call/relu"])
    #expect(body.nodes.map(\.inputs) == [["x"]] && body.nodes.map(\.outputs) == [["t"]])
  }

  @Test func aNameInTwoDomainsIsTwoFunctions() throws {
    // outer.Act calls inner.Act: not a recursion.
    let outer = Self.function(
      "Act", inputs: ["X"], outputs: ["Y"], nodes: [ONNXBytes.node("Act", ["X"], ["Y"], name: "call", domain: "inner")],
      domain: "outer")
    let inner = Self.function(
      "Act", inputs: ["X"], outputs: ["Y"], nodes: [ONNXBytes.node("Relu", ["X"], ["Y"], name: "relu")],
      domain: "inner")
    let graph = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Act", ["x"], ["y"], name: "top", domain: "outer")], inputs: Self.inputs, outputs: [])
    let imported = try ONNXImporter().importGraph(
      from: Self.model(graph, functions: [outer, inner]), fileName: "d.onnx", directory: nil)
    #expect(imported.nodes.map(\.name) == ["top/call/relu"])
    #expect(imported.nodes.map(\.opType) == ["Relu"])
  }

  @Test func anExpansionPastTheNodeLimitIsRefused() throws {
    // F0 calls F1 twice, F1 calls F2 twice, ... F4 is one Relu: 2^4 = 16 Relus.
    let levels = 4
    let doubling = (0..<levels).map { level in
      ONNXFunction(
        name: "F\(level)", domain: "local", inputs: ["X"], outputs: ["Y"], attributes: [], defaults: [:],
        nodes: [
          Node(name: "a", opType: "F\(level + 1)", domain: "local", inputs: ["X"], outputs: ["t"]),
          Node(name: "b", opType: "F\(level + 1)", domain: "local", inputs: ["t"], outputs: ["Y"]),
        ])
    }
    let leaf = ONNXFunction(
      name: "F\(levels)", domain: "local", inputs: ["X"], outputs: ["Y"], attributes: [], defaults: [:],
      nodes: [Node(name: "r", opType: "Relu", inputs: ["X"], outputs: ["Y"])])
    let functions = (doubling + [leaf]).enumerated().map { (function: $1, offset: 100 * $0) }
    let call = [Node(name: "top", opType: "F0", domain: "local", inputs: ["x"], outputs: ["y"])]
    var enough = ONNXFunctionExpansion(functions, nodeLimit: 16)
    #expect(try enough.expand(call).count == 16)
    var tooFew = ONNXFunctionExpansion(functions, nodeLimit: 15)
    do {
      _ = try tooFew.expand(call)
      Issue.record("16 nodes were accepted under a limit of 15")
    } catch {
      #expect(error.message == "expanding the model's functions gives more than 15 nodes")
      // The error points at the function whose body was being expanded: the leaf, defined at byte 400.
      #expect(error.offset == 400)
    }
  }

  @Test func anExpansionWhoseNamesGrowPastTheirLimitIsRefused() throws {
    // F0 calls F1 twice, ... F15 is one Relu, each call named with 4,000 characters: 2^15 Relus,
    // within the node limit, each named by the 15 calls around it (60,000 characters). The
    // names alone would take gigabytes (found by a hostile-input audit: the process aborted).
    let levels = 15
    let long = String(repeating: "n", count: 4_000)
    let doubling = (0..<levels).map { level in
      ONNXFunction(
        name: "F\(level)", domain: "local", inputs: ["X"], outputs: ["Y"], attributes: [], defaults: [:],
        nodes: [
          Node(name: "a" + long, opType: "F\(level + 1)", domain: "local", inputs: ["X"], outputs: ["t"]),
          Node(name: "b" + long, opType: "F\(level + 1)", domain: "local", inputs: ["t"], outputs: ["Y"]),
        ])
    }
    let leaf = ONNXFunction(
      name: "F\(levels)", domain: "local", inputs: ["X"], outputs: ["Y"], attributes: [], defaults: [:],
      nodes: [Node(name: "r", opType: "Relu", inputs: ["X"], outputs: ["Y"])])
    let functions = (doubling + [leaf]).enumerated().map { (function: $1, offset: 100 * $0) }
    let call = [Node(name: "top", opType: "F0", domain: "local", inputs: ["x"], outputs: ["y"])]
    var expansion = ONNXFunctionExpansion(functions)
    do {
      _ = try expansion.expand(call)
      Issue.record("names of gigabytes were built")
    } catch {
      #expect(error.message == "expanding the model's functions gives names of more than 67,108,864 bytes in all")
    }
    // The same functions with short names expand.
    let short = functions.map { entry in
      var function = entry.function
      for index in function.nodes.indices { function.nodes[index].name = String(function.nodes[index].name.prefix(1)) }
      return (function: function, offset: entry.offset)
    }
    var shortExpansion = ONNXFunctionExpansion(short)
    #expect(try shortExpansion.expand(call).count == 1 << levels)
  }

  @Test(arguments: [["Ping", "Pong"], ["Ping"]])
  func aRecursiveFunctionIsRefused(cycle: [String]) throws {
    let functions = cycle.indices.map { index in
      let callee = cycle[(index + 1) % cycle.count]
      return Self.function(
        cycle[index], inputs: ["X"], outputs: ["Y"],
        nodes: [ONNXBytes.node(callee, ["X"], ["Y"], name: "call", domain: "local")])
    }
    let graph = ONNXBytes.graph(
      nodes: [ONNXBytes.node("Ping", ["x"], ["y"], name: "top", domain: "local")], inputs: Self.inputs, outputs: [])
    do {
      _ = try ONNXImporter().importGraph(
        from: Self.model(graph, functions: functions), fileName: "r.onnx", directory: nil)
      Issue.record("a recursive function was accepted")
    } catch {
      let names = (cycle + ["Ping"]).joined(separator: " → ")
      #expect(error.message == "function 'Ping' calls itself: \(names)")
      #expect(error.field == "FunctionProto")
      #expect(!error.description.contains("\n"))
    }
  }
}
