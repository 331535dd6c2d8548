import ConvScope
import Foundation
import Testing

@Suite struct SweepTests {
  func convNet() -> Graph {
    var b = GraphBuilder(input: [.symbolic("N"), 3, 224, 224])
    b.conv("conv", channels: 3, filters: 8, kernel: 3, stride: 2, pad: 1)
    b.output()
    return b.graph
  }

  func rows(_ graph: Graph, _ axis: Sweep.Axis, _ values: [Int]) throws -> [Sweep.Row] {
    var request = AnalysisRequest(model: .graph(graph, name: "net"))
    request.sweep = SweepRequest(axis, values)
    return try #require(try Pipeline.report(for: request).sweep).rows
  }

  @Test func resolutionScalesMacsWithTheOutputArea() throws {
    let rows = try rows(convNet(), .resolution, [160, 224])
    // (160-3+1+1)/2+1 = 80 and 112 outputs per axis; 8 filters of 3*3*3 taps.
    #expect(rows.map(\.macs) == [80 * 80 * 8 * 27, 112 * 112 * 8 * 27])
    #expect(rows.map(\.params) == [8 * 27 + 8, 8 * 27 + 8])
  }

  @Test func batchScalesActivationsLinearly() throws {
    let rows = try rows(convNet(), .batch, [1, 8])
    #expect(rows[1].activationBytes == 8 * rows[0].activationBytes)
    #expect(rows[1].macs == 8 * rows[0].macs)
  }

  @Test func nonPositiveValuesAreRejectedNamingTheField() {
    let error = #expect(throws: ConvScopeError.self) { try rows(convNet(), .batch, [0]) }
    #expect(error?.field == "batch")
  }

  @Test func aFailingValueIsNamedInTheError() {
    // A dense layer sized for 224x224 (8 * 112 * 112 inputs) cannot take 160x160.
    var b = GraphBuilder(input: [1, 3, 224, 224])
    b.conv("conv", channels: 3, filters: 8, kernel: 3, stride: 2, pad: 1)
    b.add("Flatten")
    b.add("Gemm", weights: [[8 * 112 * 112, 10]])
    b.output()
    let error = #expect(throws: ConvScopeError.self) { try rows(b.graph, .resolution, [224, 160]) }
    #expect(error?.message.hasPrefix("at resolution 160: ") == true, "\(String(describing: error))")
  }

  /// The acceptance check of one mode per report: the sweep row at the report's own batch
  /// (or resolution) holds the report's totals, whatever the mode.
  @Test(arguments: AnalysisMode.allCases)
  func theRowAtTheReportsOwnSettingEqualsItsTotals(mode: AnalysisMode) throws {
    for (axis, values) in [(Sweep.Axis.batch, [1, 2]), (.resolution, [57, 29])] {
      var request = AnalysisRequest(model: .file(Fixtures.example("seed-resnet.yaml").path))
      request.mode = mode
      request.training = TrainingSetup(optimizer: .adamw, precision: .amp)
      request.device = .named("a100-80gb")
      request.sweep = SweepRequest(axis, values)
      let report = try Pipeline.report(for: request)
      let first = try #require(report.sweep?.rows.first)
      #expect(first.macs == report.totals.macs, "\(mode) \(axis)")
      #expect(first.flops == report.totals.flops, "\(mode) \(axis)")
      #expect(first.params == report.totals.params, "\(mode) \(axis)")
      #expect(first.activationBytes == report.totals.activationBytes, "\(mode) \(axis)")
      #expect(first.peakActivationBytes == report.memory.peakActivationBytes, "\(mode) \(axis)")
      #expect(first.trainingBytes == report.memory.training?.totalBytes, "\(mode) \(axis)")
      #expect(first.latencyLowerBoundSeconds == report.roofline?.latencyLowerBoundSeconds, "\(mode) \(axis)")
    }
  }

  @Test func trainingRowsCountForwardAndBackward() throws {
    // The seed network at batch 1 and 2: training MACs scale with the batch like inference.
    var request = AnalysisRequest(model: .file(Fixtures.example("seed-resnet.yaml").path))
    request.mode = .training
    request.sweep = SweepRequest(.batch, [1, 2])
    let rows = try #require(try Pipeline.report(for: request).sweep).rows
    request.mode = .inference
    let inference = try #require(try Pipeline.report(for: request).sweep).rows
    #expect(rows[1].macs == 2 * rows[0].macs)
    // Backward doubles every product except the first conv's input gradient (seed: 259,920 MACs).
    #expect(rows[0].macs == 3 * inference[0].macs - 259_920)
  }
}
