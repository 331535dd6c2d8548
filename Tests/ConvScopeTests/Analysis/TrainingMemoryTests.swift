import ConvScope
import Testing

@Suite struct TrainingMemoryTests {
  @Test func adamKeepsTwoBuffersPerParameter() throws {
    var b = GraphBuilder(input: [2, 3, 8, 8])
    b.conv("conv", channels: 3, filters: 4, kernel: 3, pad: 1)
    b.output()
    let report = try Analyzer.analyze(b.graph)
    let estimate = try TrainingMemory.estimate(report, optimizer: .adam, precision: .fp32)
    let params = 4 * 3 * 3 * 3 + 4  // 112
    let saved = 2 * 4 * 8 * 8  // the conv output at batch 2
    #expect(estimate.lines.map(\.bytes) == [params * 4, params * 4, params * 2 * 4, saved * 4])
    #expect(estimate.totalBytes == params * 16 + saved * 4)
    #expect(estimate.batch == 2)
  }

  @Test func ampHalvesSavedActivationsButNotMasterWeights() throws {
    var b = GraphBuilder(input: [1, 3, 8, 8])
    b.conv("conv", channels: 3, filters: 4, kernel: 3, pad: 1)
    b.output()
    let report = try Analyzer.analyze(b.graph)
    let sgd = try TrainingMemory.estimate(report, optimizer: .sgd, precision: .amp)
    #expect(sgd.lines.map(\.bytes) == [112 * 4, 112 * 4, 0, 4 * 8 * 8 * 2])
  }
}
