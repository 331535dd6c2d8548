import ConvScope
import Foundation
import Testing

/// The summary of many models in each format, on a summary written by hand: two analysed
/// rows sharing a name and one failed row.
@Suite struct FolderSummaryRendererTests {
  static let summary: FolderSummary = {
    var a = FolderSummary.Row(source: "m/a.onnx", name: "lenet5", error: "")
    a.error = nil
    a.format = .onnx
    (a.params, a.macs, a.flops, a.weightBytes, a.peakActivationBytes) = (61_706, 416_520, 850_794, 246_824, 37_632)
    var b = a
    b.source = "m/b.tflite"
    b.format = .tflite
    b.unsupportedOps = ["tflite.custom:MyVendorOp"]
    b.partial = true
    let broken = FolderSummary.Row(source: "m/broken.onnx", name: "broken", error: "(byte 0): not a model")
    return FolderSummary(rows: [a, b, broken])
  }()

  @Test func csvHasExactCountsAndAnEmptyFigureForTheFailure() throws {
    let lines = try FolderSummaryRenderer.render(Self.summary, format: .csv).split(separator: "\n")
    #expect(lines.count == 4)
    #expect(lines[0].hasPrefix("source,name,format,params,macs,flops,weight_bytes,peak_activation_bytes"))
    #expect(lines[1] == "m/a.onnx,lenet5,onnx,61706,416520,850794,246824,37632,,false,")
    #expect(lines[2].hasSuffix(",tflite.custom:MyVendorOp,true,"))
    #expect(lines[3] == "m/broken.onnx,broken,,,,,,,,,(byte 0): not a model")
  }

  @Test func jsonHasTheVersionAndOneObjectPerModel() throws {
    let text = try FolderSummaryRenderer.render(Self.summary, format: .json)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["convscope_version"] as? String == ConvScopeVersion.current)
    let models = try #require(object["models"] as? [[String: Any]])
    #expect(models.count == 3)
    #expect(models[0]["params"] as? Int == 61_706 && models[0]["peak_activation_bytes"] as? Int == 37_632)
    #expect(models[2]["error"] as? String == "(byte 0): not a model" && models[2]["params"] == nil)
  }

  @Test func tableAndMarkdownShowEveryRowAndTheTally() throws {
    let table = try FolderSummaryRenderer.render(Self.summary, format: .table)
    for text in ["61.71 K", "416.52 K", "241.0 KiB", "\n  m/broken.onnx: (byte 0): not a model\n"] {
      #expect(table.contains(text), "\(text)")
    }
    #expect(table.hasSuffix("3 models, 1 failed\n"))
    // At 60 columns the op list narrows (shortened in the middle) and FLOPs, weights and
    // format go; the failed model's error still shows, wrapped below the table.
    let narrow = try FolderSummaryRenderer.render(Self.summary, format: .table, options: RenderOptions(width: 60))
    #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 60 })
    #expect(!narrow.contains("tflite.custom:MyVendorOp") && narrow.contains("…"))
    #expect(!narrow.contains("FLOPs") && narrow.contains("m/broken.onnx: (byte 0): not a model"))
    #expect(table.split(separator: "\n").allSatisfy { $0.count <= 100 })
    let wide = try FolderSummaryRenderer.render(Self.summary, format: .table, options: RenderOptions(width: 140))
    #expect(wide.contains("tflite.custom:MyVendorOp"))
    let exact = try FolderSummaryRenderer.render(
      Self.summary, format: .table, options: RenderOptions(exactCounts: true))
    #expect(exact.contains("416,520"))
    let markdown = try FolderSummaryRenderer.render(Self.summary, format: .markdown)
    #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("| m/") }.count == 3)
  }

  @Test func htmlIndexLinksEachAnalysedModelToAUniquePage() throws {
    let pages = FolderSummaryRenderer.pageNames(Self.summary)
    #expect(pages == ["lenet5.html", "lenet5-2.html", "broken.html"])
    let html = try FolderSummaryRenderer.render(Self.summary, format: .html, pages: pages)
    #expect(html.contains("<a href=\"lenet5.html\">lenet5</a>") && html.contains("<a href=\"lenet5-2.html\">"))
    #expect(!html.contains("href=\"broken.html\""))  // a failed model has no page
    #expect(html.contains("(byte 0): not a model"))
    #expect(
      FolderSummaryRenderer.pageNames(
        FolderSummary(
          rows: [Self.summary.rows[2]].map {
            var row = $0
            row.name = "index"
            return row
          })) == ["index-2.html"])
  }

  @Test func dotAndNetronAreRefused() {
    for format in [OutputFormat.dot, .netron] {
      #expect(throws: ConvScopeError.self) { try FolderSummaryRenderer.render(Self.summary, format: format) }
    }
  }
}
