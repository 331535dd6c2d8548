import ConvScope
import Testing

@Suite struct SweepTests {
  func convNet() -> Graph {
    var b = GraphBuilder(input: [.symbolic("N"), 3, 224, 224])
    b.conv("conv", channels: 3, filters: 8, kernel: 3, stride: 2, pad: 1)
    b.output()
    return b.graph
  }

  @Test func resolutionScalesMacsWithTheOutputArea() throws {
    let rows = try Sweep.run(convNet(), axis: .resolution, values: [160, 224], options: AnalysisOptions())
    // (160-3+1+1)/2+1 = 80 and 112 outputs per axis; 8 filters of 3*3*3 taps.
    #expect(rows.map(\.macs) == [80 * 80 * 8 * 27, 112 * 112 * 8 * 27])
    #expect(rows.map(\.params) == [8 * 27 + 8, 8 * 27 + 8])
  }

  @Test func batchScalesActivationsLinearly() throws {
    let rows = try Sweep.run(convNet(), axis: .batch, values: [1, 8], options: AnalysisOptions())
    #expect(rows[1].activationBytes == 8 * rows[0].activationBytes)
    #expect(rows[1].macs == 8 * rows[0].macs)
  }

  @Test func nonPositiveValuesAreRejected() {
    #expect(throws: ConvScopeError.self) {
      try Sweep.run(convNet(), axis: .batch, values: [0], options: AnalysisOptions())
    }
  }

  @Test func aFailingValueIsNamedInTheError() {
    // A dense layer sized for 224x224 (8 * 112 * 112 inputs) cannot take 160x160.
    var b = GraphBuilder(input: [1, 3, 224, 224])
    b.conv("conv", channels: 3, filters: 8, kernel: 3, stride: 2, pad: 1)
    b.add("Flatten")
    b.add("Gemm", weights: [[8 * 112 * 112, 10]])
    b.output()
    let error = #expect(throws: ConvScopeError.self) {
      try Sweep.run(b.graph, axis: .resolution, values: [224, 160], options: AnalysisOptions())
    }
    #expect(error?.message.hasPrefix("at --resolution 160: ") == true, "\(String(describing: error))")
  }
}
