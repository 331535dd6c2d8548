import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeReport

/// MediaPipe's custom ops get rules through their raw-struct options; an unknown custom op is
/// reported by name with the shapes the file stores, and the layers after it are analysed from
/// them. `custom_ops.tflite` (made by `Scripts/tflite-fixtures/make_tflite_fixtures.py`):
/// image 1x8x8x4 → MaxPoolingWithArgmax2D (2x2, stride 2, SAME) → MaxUnpooling2D →
/// Convolution2DTransposeBias (kernel [3,3,3,4], stride 2, SAME) → MyVendorOp → RELU.
@Suite struct TFLiteCustomOpTests {
  static func load() throws -> (graph: Graph, report: Report) {
    let path = Fixtures.url("tflite/custom_ops.tflite").path
    let (graph, _) = try ModelLoader.standard.load(path: path)
    return (graph, try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: path, format: .tflite)))
  }

  @Test func mediaPipeOpsAreAnalysed() throws {
    let (_, report) = try Self.load()
    // Rows by the file's name of their first output.
    let rows = Dictionary(
      report.layers.compactMap { row in row.outputs.first.map { ($0.name, row) } },
      uniquingKeysWith: { first, _ in first })
    let pooled = try #require(rows["pooled"])
    #expect(pooled.op == "MaxPool")
    #expect(pooled.outputs.map(\.displayShape) == [Shape([1, 4, 4, 4]), Shape([1, 4, 4, 4])])
    #expect(rows["unpooled"]?.outputs.first?.displayShape == Shape([1, 8, 8, 4]))
    let deconv = try #require(rows["deconv"])
    #expect(deconv.op == "ConvTranspose")
    #expect(deconv.outputs.first?.displayShape == Shape([1, 16, 16, 3]))
    // Every input pixel's 4 channels meet a 3x3 window of each of the 3 output channels.
    #expect(deconv.macs == 1 * 8 * 8 * 4 * 3 * 3 * 3)
    #expect(deconv.params == 3 * 3 * 3 * 4 + 3)
  }

  @Test func anUnknownCustomOpIsReportedByNameWithItsStoredShape() throws {
    let (graph, report) = try Self.load()
    let vendor = try #require(graph.nodes.first { $0.opType == "MyVendorOp" })
    #expect(vendor.domain == TFLiteOperatorTable.customDomain)
    #expect(report.unsupported.contains { $0.op.hasSuffix("MyVendorOp") })
    let relu = try #require(report.layers.first { $0.op == "Relu" })
    #expect(relu.supported)
    #expect(relu.outputs.first?.displayShape == Shape([1, 16, 16, 5]))
  }
}
