import ConvScopeTestSupport
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

@Suite struct SVGChartsTests {
  @Test func layerBarsMatchTheGoldenFile() throws {
    #expect(
      try GoldenFile.mismatch(LayerBarsChart.svg(try SampleReport.report()) + "\n", name: "chart-layers.svg") == nil)
  }

  @Test func memoryTimelineMatchesTheGoldenFile() throws {
    #expect(
      try GoldenFile.mismatch(MemoryTimelineChart.svg(try SampleReport.report()) + "\n", name: "chart-memory.svg")
        == nil)
  }

  @Test func oneBarPerLayerInEachPanel() throws {
    let report = try SampleReport.report()
    let svg = LayerBarsChart.svg(report)
    let layers = report.visibleLayers.count  // Conv1, Conv2, Conv3, Vendor
    #expect(layers == 4)
    #expect(count("class=\"mark bar\"", in: svg) == 3 * layers)
    #expect(count("class=\"hit\"", in: svg) == layers)
    // The tallest MACs bar is Conv2's, 57*57*16 * 5*1*16 = 4,158,720 MACs; the axis tops at 5 M.
    let (scale, ticks) = ChartScale.linear(upTo: Double(57 * 57 * 16 * 5 * 1 * 16), start: 140, end: 30)
    #expect(ticks.last == 5_000_000)
    #expect(svg.contains("y=\"\(SVGChart.n(scale(4_158_720)))\""))
  }

  @Test func peakMarkerSitsAtThePeakNode() throws {
    let report = try SampleReport.report()
    // While Conv2 runs, its input and output are both 57x57x16 float32: 2 * 57*57*16*4 bytes.
    #expect(report.memory.peakNode == "Conv2")
    #expect(report.memory.peakActivationBytes == 2 * 57 * 57 * 16 * 4)
    let index = try #require(report.memory.timeline.firstIndex { $0.node == "Conv2" })
    let svg = MemoryTimelineChart.svg(report)
    let x = SVGChart.n(MemoryTimelineChart.x(index, count: report.memory.timeline.count))
    #expect(svg.contains("<circle class=\"mark peak\" cx=\"\(x)\""))
    #expect(svg.contains("data-node=\"Conv2\""))
    #expect(svg.contains("peak 406.1 KiB at Conv2"))  // 415,872 B / 1024
  }

  @Test func aLongTimelineDrawsAsABand() {
    // 1,000 nodes alternating between 10 and 30 px: 858 px / 2 = 429 slices, so 3 nodes a slice.
    let points = (0..<1000).map { (MemoryTimelineChart.x($0, count: 1000), $0 % 2 == 0 ? 10.0 : 30.0) }
    let envelope = MemoryTimelineChart.envelope(points)
    #expect(envelope.count == 334)  // ceil(1000 / 3)
    #expect(envelope.dropLast().allSatisfy { $0.top == 10 })  // the last slice holds node 999 alone
    #expect(envelope.dropLast().allSatisfy { $0.bottom == 30 })
    // A short timeline keeps every point.
    #expect(MemoryTimelineChart.envelope(Array(points.prefix(100))).count == 100)
  }

  @Test func rooflineHasOnePointPerAnalysedLayer() throws {
    let report = try SampleReport.report()
    let device = try #require(DeviceProfile.builtIn(named: "h100-sxm"))
    let roofline = try Roofline.analyze(report, on: device)
    let svg = RooflineChart.svg(roofline)
    #expect(roofline.layers.count == 3)  // the three convolutions; Vendor has no rule
    #expect(count("class=\"mark point", in: svg) == 3)
    #expect(RooflineChart.svg(nil).contains("no layer does arithmetic"))
  }

  @Test func opShareKeepsTheLargestAndSumsTheRest() throws {
    var report = try SampleReport.report()
    report.byOpType = (1...12).map {
      OpTypeSummary(op: "Op\($0)", count: 1, params: 0, macs: $0, flops: 0, activationBytes: 0)
    }
    report.totals.macs = (1...12).reduce(0, +)  // 78
    let categories = ShareBarsChart.opTypeCategories(report, limit: 8)
    #expect(categories.count == 9)
    #expect(categories.first?.label == "Op12")
    #expect(categories.last?.label == "others (4 ops)")
    // Op1...Op4 together: (1+2+3+4)/78.
    #expect(abs((categories.last?.shares[0] ?? 0) - 10.0 / 78) < 1e-12)
  }

  @Test func ticksAreRoundNumbers() {
    #expect(ChartScale.niceTicks(upTo: 415_872) == [0, 100_000, 200_000, 300_000, 400_000, 500_000])
    let (_, bytes) = ChartScale.linearBytes(upTo: 415_872, start: 0, end: 1)
    #expect(bytes == [0, 100, 200, 300, 400, 500].map { $0 * 1024.0 })
    let (_, decades) = ChartScale.decades(from: 0.08, to: 170, start: 0, end: 1)
    #expect(decades == [0.01, 0.1, 1, 10, 100, 1000])
    #expect(TickLabel.count(150_000_000) == "150 M")
    #expect(TickLabel.bytes(2 * 1024 * 1024) == "2 MiB")
  }

  @Test func tickLabelsPastInt64Max() {
    // A layer of 5.2e18 MACs gets a top tick of 1e19 (past Int.max): its label used to trap.
    #expect(ChartScale.niceTicks(upTo: 5.2e18).last == 6e18)
    #expect(ChartScale.decades(from: 1, to: 5.2e18, start: 0, end: 1).ticks.last == 1e19)
    #expect(TickLabel.count(1e19) == "10 E")
    #expect(TickLabel.bytes(2 * 1_152_921_504_606_846_976.0 * 8) == "16 EiB")
  }

  private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
