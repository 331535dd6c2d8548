import ConvScope
import Testing

/// `--batch N` on a model whose batch is fixed (an export at batch 1): the batch is
/// replaced, the report says so, and a Reshape whose target was baked at batch 1
/// fails with an error that names the cause and the way out.
@Suite struct BatchOverrideTests {
  /// x [1, 3, 4, 4] → Reshape to `target` → Gemm (48 → 10).
  private func net(target: [Int]) -> Graph {
    var b = GraphBuilder(input: [1, 3, 4, 4])
    let reshaped = b.add("Reshape", inputs: ["x", "target"])
    b.add("Gemm", inputs: [reshaped], weights: [[10, 48], [10]], attributes: ["transB": .int(1)])
    b.output()
    var graph = b.graph
    graph.initializers["target"] = .int64s(target)
    return graph
  }

  @Test func fixedBatchIsReplacedAndTheAssumptionListed() throws {
    let report = try Analyzer.analyze(net(target: [-1, 48]), options: AnalysisOptions(batch: 8))
    #expect(report.inputs.first?.shape == [8, 3, 4, 4])
    #expect(report.totals.macs == 8 * 10 * 48)
    #expect(report.assumptions == ["x: batch 1 replaced by 8 (batch asked for)"])
  }

  @Test func batchWinsOverTheLeadingDimOfAnInputShapeNamedOrNot() throws {
    // `--input-shape 1x3x8x8 --batch 8` and `x=1x3x8x8 --batch 8` both analyse 8 images
    // (a batch sweep over a given shape must vary the batch).
    for key in ["", "x"] {
      let options = AnalysisOptions(inputShapes: [key: [1, 3, 8, 8]], batch: 8)
      let report = try Analyzer.analyze(net(target: [-1, 48]), options: options)
      #expect(report.inputs.first?.shape == [8, 3, 8, 8], "key '\(key)'")
    }
  }

  @Test func reshapeBakedAtBatchOneExplainsTheBatch() throws {
    // [8, 3, 4, 4] holds 384 elements; the target [1, 48] holds 48.
    let error = #expect(throws: ConvScopeError.self) {
      try Analyzer.analyze(self.net(target: [1, 48]), options: AnalysisOptions(batch: 8))
    }
    let text = error.map { "\($0)" } ?? ""
    #expect(text.contains("the batch 8 asked for"), "\(text)")
    #expect(text.contains("replaced the declared batch 1"), "\(text)")
  }
}

@Suite struct InputShapeRankTests {
  @Test func shapeWithoutItsBatchSuggestsTheFullShape() throws {
    var b = GraphBuilder(input: [1, 3, 8, 8])
    b.conv(channels: 3, filters: 4, kernel: 3)
    b.output()
    let error = #expect(throws: ConvScopeError.self) {
      try Analyzer.analyze(b.graph, options: AnalysisOptions(inputShapes: ["": [3, 16, 16]]))
    }
    #expect(error?.message.hasSuffix("with its batch dim: 1x3x16x16") == true, "\(String(describing: error))")
  }
}
