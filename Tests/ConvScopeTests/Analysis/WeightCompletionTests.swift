import ConvScope
import Testing

/// The analyzer completes weights an importer left deferred from the consuming rule's
/// declared weight shapes, before the rule runs; what it cannot complete is a located error.
@Suite("Analysis: deferred weight dims")
struct WeightCompletionTests {
  /// A graph of `op` on x `input` with the deferred weights `weights` (`nil` = deferred).
  static func graph(
    _ op: String, input: Shape, weights: [[Int?]], attributes: [String: AttributeValue] = [:], consumers: Int = 1
  ) -> Graph {
    var graph = Graph(name: "t", inputs: [TensorInfo(name: "x", shape: input)], outputs: [], nodes: [])
    let names = weights.indices.map { "w\($0)" }
    for (name, dims) in zip(names, weights) {
      graph.initializers[name] = .weight(dataType: .float32, dims: dims, hint: "give `in_features:`")
    }
    for index in 0..<consumers {
      graph.nodes.append(
        Node(name: "n\(index)", opType: op, inputs: ["x"] + names, outputs: ["y\(index)"], attributes: attributes))
    }
    graph.outputs = (0..<consumers).map { TensorInfo(name: "y\($0)", shape: []) }
    return graph
  }

  static func params(_ graph: Graph, options: AnalysisOptions = AnalysisOptions()) throws -> [Int] {
    try Analyzer.analyze(graph, options: options).layers.map(\.params)
  }

  @Test func convGemmMatMulAndNormsCompleteTheirWeights() throws {
    // Conv: W [M, C/group, k, k] with C = 8, group 2 → [4, 4, 3, 3], B [4].
    let conv = Self.graph(
      "Conv", input: [1, 8, 6, 6], weights: [[4, nil, 3, 3], [nil]], attributes: ["group": .int(2)])
    #expect(try Self.params(conv) == [4 * 4 * 3 * 3 + 4])
    // ConvTranspose: W [C, M/group, k, k] with C = 8 → [8, 2, 2, 2], B [M] = [2].
    let transposed = Self.graph("ConvTranspose", input: [1, 8, 4, 4], weights: [[nil, 2, 2, 2], [nil]])
    #expect(try Self.params(transposed) == [8 * 2 * 2 * 2 + 2])
    // Gemm with transB: B [N, K], K = 12 from A; C [N].
    let gemm = Self.graph("Gemm", input: [1, 12], weights: [[5, nil], [nil]], attributes: ["transB": .int(1)])
    #expect(try Self.params(gemm) == [5 * 12 + 5])
    // MatMul: B [K, N], K = 7, the last dim of A.
    #expect(try Self.params(Self.graph("MatMul", input: [2, 3, 7], weights: [[nil, 4]])) == [7 * 4])
    // BatchNormalization: scale, B, mean, var [C]; 2*C params, 2*C statistics.
    let statistics: [[Int?]] = Array(repeating: [nil], count: 4)
    let bn = try Analyzer.analyze(Self.graph("BatchNormalization", input: [1, 6, 2, 2], weights: statistics))
    #expect((bn.totals.params, bn.totals.nonTrainableParams) == (6 + 6, 6 + 6))
    // LayerNormalization over the last axis: scale [D].
    let layerNorm = Self.graph("LayerNormalization", input: [1, 5, 9], weights: [[nil], [nil]])
    #expect(try Self.params(layerNorm) == [9 + 9])
    // PRelu and Mul: the broadcast partner's dims, right-aligned: slope [C, 1, 1].
    #expect(try Self.params(Self.graph("PRelu", input: [1, 3, 4, 4], weights: [[nil, 1, 1]])) == [3])
    #expect(try Self.params(Self.graph("Mul", input: [1, 3, 4, 4], weights: [[nil, 1, 1]])) == [3])
  }

  @Test func theCompletedShapeFollowsTheBoundInput() throws {
    let gemm = Self.graph("Gemm", input: [1, 12], weights: [[nil, 5]])
    #expect(try Self.params(gemm, options: AnalysisOptions(inputShapes: ["x": [1, 20]])) == [20 * 5])
  }

  @Test func aSharedWeightIsCompletedOnceAndCountedOnce() throws {
    let report = try Analyzer.analyze(Self.graph("MatMul", input: [1, 6], weights: [[nil, 3]], consumers: 2))
    #expect(report.layers.map(\.params) == [6 * 3, 0])
    #expect(report.totals.weightBytes == 4 * 6 * 3)
  }

  @Test func aWeightOfAnotherRankNamesTheLayerAndTheWeight() throws {
    do {
      let weights: [[Int?]] = [[nil, 1], [nil], [nil], [nil]]
      _ = try Analyzer.analyze(Self.graph("BatchNormalization", input: [1, 6, 2, 2], weights: weights))
      Issue.record("a rank-2 scale should not complete")
    } catch {
      #expect((error.layer, error.field) == ("n0", "w0"))
      #expect(
        error.message
          == "cannot size the weight 'w0' ?x1: BatchNormalization expects 6 (rank 1), but it has rank 2; give `in_features:`"
      )
    }
  }

  @Test func anUncompletableDimIsAClearErrorWithTheImportersHint() throws {
    // No rule: the op's weights cannot be sized.
    do {
      _ = try Analyzer.analyze(Self.graph("FusedThing", input: [1, 4], weights: [[nil, 2]]))
      Issue.record("expected an error")
    } catch {
      #expect((error.layer, error.field) == ("n0", "w0"))
      #expect(
        error.message
          == "cannot size the weight 'w0' ?x2: there is no rule for FusedThing to complete it; give `in_features:`")
    }
    // A rule that declares no shape for that input.
    do {
      _ = try Analyzer.analyze(Self.graph("Relu", input: [1, 4], weights: [[nil]]))
      Issue.record("expected an error")
    } catch {
      #expect(error.message.contains("Relu declares no shape for its input 1"))
    }
  }
}
