import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeReport
import Foundation
import Testing

@testable import ConvScopeRenderers

/// A large model's table and JSON are laid out on several threads: the text must be what one
/// thread writes, every row once, in the report's order.
@Suite struct ParallelRowsTests {
  @Test(arguments: [0, 1, 7, 2_048, 10_001])
  func theWorkersRunsCoverEveryIndexOnceInOrder(count: Int) {
    for workers in 1...8 {
      let indices = (0..<workers).flatMap { ParallelRows.run($0, of: workers, in: count) }
      #expect(indices == Array(0..<count))
    }
  }

  @Test func anArrayBuiltOnSeveralThreadsIsTheArrayBuiltOnOne() {
    let parallel = ParallelRows.array(count: 50_000, workers: 4) { "row \($0)" }
    #expect(parallel == (0..<50_000).map { "row \($0)" })
  }

  // 3,000 blocks: 6,000 layers, past the size at which rows go to threads.
  @Test func aLargeTableShowsEveryLayerOnceInOrder() throws {
    let report = try LargeReport.chain(blocks: 3_000)
    #expect(ParallelRows.workers(for: report.layers.count) == min(2, ProcessInfo.processInfo.activeProcessorCount))
    let text = TableRenderer.render(report, options: RenderOptions(color: false, width: 120))
    // Each layer's row starts with its name: `│ blocks.12.conv ...`.
    let names = text.split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("│ blocks.") else { return nil }
      return String(line.dropFirst(2).prefix { $0 != " " })
    }
    #expect(names == report.layers.map(\.name))
  }

  @Test func aLargeReportsJSONListsEveryLayerOnceInOrder() throws {
    let report = try LargeReport.chain(blocks: 3_000)
    // Written in 64 KiB pieces, as the command line writes it, and whole, as the library returns it.
    var json = ""
    try JSONRenderer.render(report) { json += $0 }
    #expect(json == (try JSONRenderer.render(report)))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let layers = try #require(object["layers"] as? [[String: Any]])
    #expect(layers.compactMap { $0["name"] as? String } == report.layers.map(\.name))
    #expect(layers.compactMap { $0["macs"] as? Int } == report.layers.map(\.macs))
  }
}
