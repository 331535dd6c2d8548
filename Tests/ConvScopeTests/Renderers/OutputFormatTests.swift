import ConvScope
import Testing

@Suite struct OutputFormatTests {
  @Test func everyFormatWritesAModelWithoutLayers() throws {
    let graph = Graph(name: "empty", inputs: [TensorInfo(name: "x", shape: [1, 3])], outputs: [], nodes: [])
    let report = try Analyzer.analyze(graph)
    for format in OutputFormat.allCases {
      let text = try format.render(report)
      #expect(text.hasSuffix("\n"), "\(format)")
    }
    let table = try OutputFormat.table.render(report)
    #expect(table.contains("Parameters") && table.contains("Total"))
    // CSV: the header and no rows.
    #expect(try OutputFormat.csv.render(report) == CSVRenderer.columns.joined(separator: ",") + "\n")
  }

  @Test func formatNamesAreTheCommandLineSpellings() {
    #expect(OutputFormat.allCases.map(\.rawValue) == ["table", "markdown", "csv", "json", "html", "dot", "netron"])
  }
}
