import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis

/// Parameters are the tensors the file stores: a value folded from them is never a parameter,
/// and what it was folded from counts once (issue 11, item 7); weights of any type count at
/// their own width; a node without a rule still counts the stored tensors it reads.
@Suite struct StoredParameterTests {
  /// A BERT/GPT-2 export's position rows: `Gather(table [V, D], constant positions)` folds to
  /// `[T, D]`, which the Add reads. The table is what is stored: `V * D` parameters, not `T * D`.
  @Test func aFoldedGatherCountsTheStoredTableNotItsRows() throws {
    var graph = Graph(
      name: "positions", inputs: [TensorInfo(name: "x", shape: [1, 3, 4])], outputs: [], nodes: [])
    graph.initializers["table"] = ConstantTensor(dataType: .float32, dims: [10, 4])
    graph.initializers["positions"] = .int64s([0, 1, 2])
    graph.nodes = [
      Node(name: "rows", opType: "Gather", inputs: ["table", "positions"], outputs: ["rows"]),
      Node(name: "add", opType: "Add", inputs: ["x", "rows"], outputs: ["y"]),
    ]
    graph.outputs = [TensorInfo(name: "y", shape: [])]
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 10 * 4)
    #expect(report.totals.weightBytes == 10 * 4 * 4)
    #expect(report.layers.first { $0.name == "add" }?.params == 40)
  }

  /// A transposed copy of a weight, folded, is read by a MatMul: the stored weight counts once,
  /// even when a second node reads the stored weight itself (a tied embedding and its head).
  @Test func aFoldedTransposeOfATiedWeightCountsItOnce() throws {
    var graph = Graph(
      name: "tied", inputs: [TensorInfo(name: "ids", dataType: .int64, shape: [1, 5])], outputs: [], nodes: [])
    graph.initializers["embedding"] = ConstantTensor(dataType: .float32, dims: [50, 8])
    graph.nodes = [
      Node(name: "embed", opType: "Gather", inputs: ["embedding", "ids"], outputs: ["h"]),
      Node(
        name: "transpose", opType: "Transpose", inputs: ["embedding"], outputs: ["head_weight"],
        attributes: ["perm": .ints([1, 0])]),
      Node(name: "head", opType: "MatMul", inputs: ["h", "head_weight"], outputs: ["logits"]),
    ]
    graph.outputs = [TensorInfo(name: "logits", shape: [])]
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 50 * 8)
    #expect(report.totals.macs == 5 * 8 * 50)
  }

  /// A weight the graph makes from nothing stored (`ConstantOfShape`, as the ONNX backend's
  /// light models do) has no other storage: it counts as itself.
  @Test func aWeightMadeFromAShapeCountsAsItself() throws {
    var graph = Graph(name: "made", inputs: [TensorInfo(name: "x", shape: [1, 3, 8, 8])], outputs: [], nodes: [])
    graph.initializers["wshape"] = .int64s([16, 3, 3, 3])
    graph.nodes = [
      Node(name: "make", opType: "ConstantOfShape", inputs: ["wshape"], outputs: ["w"]),
      Node(name: "conv", opType: "Conv", inputs: ["x", "w"], outputs: ["y"]),
    ]
    graph.outputs = [TensorInfo(name: "y", shape: [])]
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 16 * 3 * 3 * 3)
  }

  /// A one-element `Constant` node read as a weight (a PReLU slope) is stored in the file.
  @Test func aConstantNodeScalarWeightCounts() throws {
    var graph = Graph(name: "slope", inputs: [TensorInfo(name: "x", shape: [1, 4])], outputs: [], nodes: [])
    let slope = ConstantTensor(dataType: .float32, dims: [1], values: .floats([0.25]))
    graph.nodes = [
      Node(name: "const", opType: "Constant", inputs: [], outputs: ["slope"], attributes: ["value": .tensor(slope)]),
      Node(name: "prelu", opType: "PRelu", inputs: ["x", "slope"], outputs: ["y"]),
    ]
    graph.outputs = [TensorInfo(name: "y", shape: [])]
    #expect(try Analyzer.analyze(graph).totals.params == 1)
  }

  /// An int8 weight of `MatMulInteger` is a parameter at one byte an element.
  @Test func anInt8WeightCountsAtOneByte() throws {
    var graph = Graph(
      name: "int8", inputs: [TensorInfo(name: "a", dataType: .uint8, shape: [2, 16])], outputs: [], nodes: [])
    graph.initializers["b"] = ConstantTensor(dataType: .int8, dims: [16, 32])
    graph.nodes = [Node(name: "mm", opType: "MatMulInteger", inputs: ["a", "b"], outputs: ["y"])]
    graph.outputs = [TensorInfo(name: "y", shape: [])]
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 16 * 32)
    #expect(report.totals.weightBytes == 16 * 32)
    #expect(report.totals.macs == 2 * 32 * 16)
  }

  /// A node without a rule still counts the stored weights it reads, and the layers after it
  /// keep their shapes and costs from the file's declared `value_info`.
  @Test func aNodeWithoutARuleCountsItsWeightsAndTheNextLayersGoOn() throws {
    var graph = Graph(name: "custom", inputs: [TensorInfo(name: "x", shape: [1, 8])], outputs: [], nodes: [])
    graph.initializers["custom.w"] = ConstantTensor(dataType: .float32, dims: [8, 8])
    graph.initializers["fc.w"] = ConstantTensor(dataType: .float32, dims: [8, 3])
    graph.valueInfo["h"] = TensorInfo(name: "h", shape: [1, 8])
    graph.nodes = [
      Node(name: "custom", opType: "MyOp", domain: "com.example", inputs: ["x", "custom.w"], outputs: ["h"]),
      Node(name: "fc", opType: "MatMul", inputs: ["h", "fc.w"], outputs: ["y"]),
    ]
    graph.outputs = [TensorInfo(name: "y", shape: [])]
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.partial)
    #expect(report.layers.first { $0.name == "custom" }?.params == 64)
    #expect(report.totals.params == 64 + 24)
    #expect(report.totals.macs == 8 * 3)
  }

  /// An exporter that cannot share storage writes a tied embedding twice, the head's copy
  /// transposed: both are stored, both count, and the report says why.
  @Test func aTransposedCopyOfATiedEmbeddingCountsAndIsNamed() throws {
    var graph = Graph(
      name: "tied-copy", inputs: [TensorInfo(name: "ids", dataType: .int64, shape: [1, 5])], outputs: [], nodes: [])
    graph.initializers["wte"] = ConstantTensor(dataType: .float32, dims: [50, 8])
    graph.initializers["head"] = ConstantTensor(dataType: .float32, dims: [8, 50])
    graph.nodes = [
      Node(name: "embed", opType: "Gather", inputs: ["wte", "ids"], outputs: ["h"]),
      Node(name: "lm_head", opType: "MatMul", inputs: ["h", "head"], outputs: ["logits"]),
    ]
    graph.outputs = [TensorInfo(name: "logits", shape: [])]
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == 2 * 50 * 8)
    #expect(report.notes.contains { $0.hasPrefix("'wte' 50x8 and 'head' 8x50 are both stored") })
  }
}
