import ConvScope
import ConvScopeTestSupport
import Testing

@Suite struct TableRendererTests {
  @Test func matchesTheGoldenFile() throws {
    let text = TableRenderer.render(try SampleReport.report())
    #expect(try GoldenFile.mismatch(text, name: "table.txt") == nil)
  }

  @Test func totalsOnlyMatchesTheGoldenFile() throws {
    let text = TableRenderer.render(try SampleReport.report(), options: RenderOptions(totalsOnly: true))
    #expect(try GoldenFile.mismatch(text, name: "table-quiet.txt") == nil)
    #expect(!text.contains("╭") && !text.contains("kernel 1x5"))  // no layer table
    #expect(text.contains("Parameters") && text.contains(" 3,472 "))  // 96 + 1,296 + 2,080
  }

  @Test func showsTheSeedConvolutionWithItsFormulas() throws {
    let text = TableRenderer.render(try SampleReport.report())
    // Output shape in the model's HWC layout, and the article's formulas as numbers.
    #expect(text.contains("Conv1 ") && text.contains("57x57x16"))
    #expect(text.contains("in 57x57x1 · kernel 1x5 · stride 1 · pad 0+0, 2+2"))
    #expect(text.contains("H: (57-1+0+0)/1+1 = 57"))
    #expect(text.contains("W: (57-5+2+2)/1+1 = 57"))
    #expect(text.contains("params 1*5*1*16+16 = 96 (2.8% of params)"))  // 96 / 3,472
    // 57*57*16 * 1*5*1 MACs and 2*MACs + 57*57*16 bias adds FLOPs, in short units.
    #expect(text.contains("259.92 K") && text.contains("571.82 K"))
    // Output activation: 57*57*16 = 51,984 float32 elements = 207,936 B = 203.1 KiB.
    #expect(text.contains("51,984 elements") && text.contains("203.1 KiB"))
  }

  @Test func marksInexactDivisionsAndUnsupportedOps() throws {
    let text = TableRenderer.render(try SampleReport.report())
    // (57-2)/2 + 1 = 28.5 is floored; the row is marked and the footnote says so.
    #expect(text.contains("Conv3*"))
    #expect(text.contains("(57-2+0+0)/2+1 = 28.5 → 28 (floor)"))
    // Both axes' floor warnings collapse into one footnote with a count.
    #expect(text.contains("* 2 output sizes rounded down (floor, the last input elements unread) in 1 layer: Conv3;"))
    #expect(!text.contains("floor leaves"))
    #expect(text.contains("Vendor?"))
    #expect(text.contains("Vendor ×1"))
    #expect(text.contains("partial"))
    // The folded convolution of constants is hidden and counted in a footnote.
    #expect(!text.contains("ShapeConv"))
    #expect(text.contains("1 layer of constant shape arithmetic folded away"))
    #expect(text.contains("Conv1: a 1x5 kernel with 'same' padding along W"))
    #expect(text.contains("image: N = 1"))
  }

  @Test func fitsOneHundredColumns() throws {
    let text = TableRenderer.render(try SampleReport.report())
    #expect(text.split(separator: "\n").filter { $0.count > 100 }.map(String.init) == [])
  }

  @Test func longExporterNamesAreShortenedToFit() throws {
    // A ResNet stem as PyTorch exports it: 7x7/2 conv, 3 → 64 channels, on 224x224.
    let name = "/backbone/stage1/block0/downsample/conv_stem/Conv"
    let graph = Graph(
      name: "stem", inputs: [TensorInfo(name: "pixel_values", shape: [1, 3, 224, 224])], outputs: [],
      nodes: [
        Node(
          name: name, opType: "Conv", inputs: ["pixel_values", "w"], outputs: ["/backbone/stage1/Conv_output_0"],
          attributes: ["strides": .ints([2, 2]), "pads": .ints([3, 3, 3, 3])])
      ],
      initializers: ["w": ConstantTensor(dataType: .float32, dims: [64, 3, 7, 7])])
    let text = TableRenderer.render(try Analyzer.analyze(graph))
    #expect(text.split(separator: "\n").filter { $0.count > 100 }.map(String.init) == [])
    // The module path without the op suffix, shortened from the left by whole components to fit.
    #expect(text.contains("│ …block0/downsample/conv_stem "))
    #expect(!text.split(separator: "\n").contains { $0.hasPrefix("│") && $0.contains(name) })
    // Floor drops one padded position per axis, no input pixel: nothing to warn about.
    #expect(!text.contains("is not whole"))
    // (224-7+3+3)/2+1 = 112.5, floored to 112 per axis (as PyTorch does);
    // 64*112*112 * 3*7*7 MACs = 118,013,952 = 118.01 M.
    #expect(text.contains("1x64x112x112"))
    #expect(text.contains("118.01 M"))
    #expect(text.contains("H: (224-7+3+3)/2+1 = 112.5 → 112 (floor)"))
  }

  @Test func colourOnlyWhenAsked() throws {
    let report = try SampleReport.report()
    #expect(!TableRenderer.render(report).contains("\u{1B}["))
    let coloured = TableRenderer.render(report, options: RenderOptions(color: true))
    #expect(coloured.contains("\u{1B}[2m"))  // detail lines dimmed
    // Removing the escapes gives back the plain table: colour never shifts a column.
    #expect(Self.strippingANSI(coloured) == TableRenderer.render(report))
  }

  static func strippingANSI(_ text: String) -> String {
    var out = ""
    var inEscape = false
    for character in text {
      if character == "\u{1B}" {
        inEscape = true
      } else if inEscape {
        if character == "m" { inEscape = false }
      } else {
        out.append(character)
      }
    }
    return out
  }
}
