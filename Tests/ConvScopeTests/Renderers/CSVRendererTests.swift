import ConvScope
import ConvScopeTestSupport
import Testing

@Suite struct CSVRendererTests {
  @Test func matchesTheGoldenFile() throws {
    let text = CSVRenderer.render(try SampleReport.report())
    #expect(try GoldenFile.mismatch(text, name: "layers.csv") == nil)
  }

  /// The CSV's cell in `column` for the row of `layer`.
  static func cell(_ text: String, layer: String, column: String) -> String? {
    let rows = text.split(separator: "\n").map(Self.fields)
    guard let header = rows.first, let index = header.firstIndex(of: column) else { return nil }
    return rows.first { $0.first == layer }.map { $0[index] }
  }

  /// One RFC 4180 record split into fields (quotes removed, doubled quotes undone).
  static func fields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var previous: Character?
    for character in line {
      if character == "\"" {
        if quoted && previous == "\"" { current.append("\"") }
        quoted.toggle()
      } else if character == "," && !quoted {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
      previous = character
    }
    return fields + [current]
  }

  @Test func conv1RowHasTheHandDerivedCounts() throws {
    let text = CSVRenderer.render(try SampleReport.report())
    let cell = { (column: String) in Self.cell(text, layer: "Conv1", column: column) }
    let outputs: Int = 57 * 57 * 16
    let macs: Int = outputs * (1 * 5 * 1)
    #expect(cell("params") == String(1 * 5 * 1 * 16 + 16))  // 96
    #expect(cell("macs") == String(macs))  // 259,920
    #expect(cell("flops") == String(2 * macs + outputs))  // 2 per MAC + one bias add per output
    #expect(cell("adds") == String(outputs))
    #expect(cell("activation_elements") == String(outputs))
    #expect(cell("activation_bytes") == String(outputs * 4))
    #expect(cell("weight_bytes") == String(96 * 4))
    #expect(cell("output_shape") == "57x57x16")
    #expect(cell("input_shape") == "57x57x1")
    #expect(cell("kernel") == "1x5")
    #expect(cell("padding") == "0+0, 2+2")
    #expect(cell("output_size_formula") == "H: (57-1+0+0)/1+1 = 57; W: (57-5+2+2)/1+1 = 57")
    #expect(cell("param_formula") == "1*5*1*16+16 = 96")
    #expect(cell("supported") == "true")
  }

  @Test func everyLayerButTheFoldedOneHasARow() throws {
    let text = CSVRenderer.render(try SampleReport.report())
    let names = text.split(separator: "\n").dropFirst().map { Self.fields($0)[0] }
    #expect(names == ["Conv1", "Conv2", "Conv3", "Vendor"])
    #expect(Self.cell(text, layer: "Vendor", column: "supported") == "false")
    #expect(Self.cell(text, layer: "Conv3", column: "output_shape") == "28x28x32")  // floor(55/2)+1
  }

  @Test func quotesFieldsAsRFC4180Says() {
    #expect(CSVRenderer.quote("plain") == "plain")
    #expect(CSVRenderer.quote("0+0, 2+2") == "\"0+0, 2+2\"")
    #expect(CSVRenderer.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVRenderer.quote("two\nlines") == "\"two\nlines\"")
  }

  @Test func totalsOnlyIsQuantityValuePairs() throws {
    let text = CSVRenderer.render(try SampleReport.report(), options: RenderOptions(totalsOnly: true))
    #expect(text.hasPrefix("quantity,value\n"))
    #expect(text.contains("\nparams,\(96 + 1_296 + 2_080)\n"))
  }
}
