import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

@Suite struct TextTableTests {
  @Test func segmentsJoinWithDotsAndWrapWithAnIndent() {
    let lines = TextTable.wrappedLines(["in 57x57x1", "kernel 1x5", "stride 1"], width: 24).map(\.text.string)
    #expect(lines == ["in 57x57x1 · kernel 1x5", "  stride 1"])
  }

  @Test func aSegmentLongerThanALineBreaksAtSpaces() {
    // A Concat of six inputs: its input list alone is longer than a line.
    let shapes = "in " + Array(repeating: "1x64x56x56", count: 6).joined(separator: ", ")
    let lines = TextTable.wrappedLines([shapes, "kernel 3x3"], width: 40).map(\.text.string)
    #expect(lines.allSatisfy { $0.count <= 40 })
    let words = lines.flatMap { $0.split(separator: " ") }.filter { $0 != "·" }
    #expect(words.count == 7 + 2)  // "in", six shapes, "kernel", "3x3": nothing lost
  }

  @Test func namesAreShortenedInTheMiddle() {
    #expect(TextTable.shorten("/layer1/layer1.0/conv1/Conv", to: 15) == "/layer1…v1/Conv")
    #expect(TextTable.shorten("Conv1", to: 15) == "Conv1")
  }

  @Test func modulePathsAreShortenedFromTheLeftByWholeComponents() {
    #expect(TextTable.shortenPath("layer1.0.downsample.0", to: 15) == "…0.downsample.0")
    #expect(TextTable.shortenPath("layer1.0.downsample.0", to: 14) == "…downsample.0")
    #expect(TextTable.shortenPath("layer1.0/conv1", to: 14) == "layer1.0/conv1")
    #expect(TextTable.shortenPath("backbone/stage1/block0/downsample/conv_stem", to: 21) == "…downsample/conv_stem")
    #expect(TextTable.shortenPath("backbone/stage1/block0/downsample/conv_stem", to: 20) == "…conv_stem")
    // A last component longer than the limit keeps its end: there is no whole component to show.
    #expect(TextTable.shortenPath("a.very_long_component_name", to: 10) == "…nent_name")
  }

  @Test func droppedColumnsGoLowestRankFirstAndTakeTheDetailLinesWithThem() {
    let table = TextTable(
      columns: [
        .init(title: "Layer", alignment: .left), .init(title: "Params", alignment: .right),
        .init(title: "Second", alignment: .right, dropRank: 2), .init(title: "First", alignment: .right, dropRank: 1),
      ],
      rows: [.init(cells: ["conv", "1,000,000", "2,000,000", "3,000,000"], details: [["in 1x3x224x224"]])])
    let style = TerminalStyle(enabled: false)
    let all = table.render(style: style, maxWidth: 100)
    #expect(all[1].contains("First") && all.contains { $0.contains("in 1x3x224x224") })
    let narrow = table.render(style: style, maxWidth: 40)
    #expect(!narrow[1].contains("First") && narrow[1].contains("Second"))
    #expect(!narrow.contains { $0.contains("in 1x3x224x224") })
    let narrower = table.render(style: style, maxWidth: 28)
    #expect(!narrower[1].contains("Second") && narrower[1].contains("Params"))
    #expect((all + narrow + narrower).allSatisfy { $0.count <= 100 } && narrower.allSatisfy { $0.count <= 28 })
  }

  @Test func columnsAlignAndTheFrameIsClosed() {
    let table = TextTable(
      columns: [.init(title: "Layer", alignment: .left), .init(title: "Params", alignment: .right)],
      rows: [.init(cells: ["Conv1", "96"]), .init(cells: ["FC1", "262,656"])])
    let lines = table.render(style: TerminalStyle(enabled: false), maxWidth: 100)
    #expect(
      lines == [
        "╭────────────────╮",
        "│ Layer   Params │",
        "├────────────────┤",
        "│ Conv1       96 │",
        "│ FC1    262,656 │",
        "╰────────────────╯",
      ])
  }

  @Test func exporterModulePathsBecomeCompactNames() {
    // PyTorch's exporter names a node by its module path, repeating each parent and the op type.
    #expect(LayerRow.compactName("/layer1/layer1.0/conv1/Conv", op: "Conv") == "layer1.0/conv1")
    #expect(
      LayerRow.compactName("/layer2/layer2.0/downsample/downsample.0/Conv", op: "Conv") == "layer2.0/downsample.0")
    #expect(LayerRow.compactName("/layer1/layer1.0/relu_1/Relu", op: "Relu") == "layer1.0/relu_1")
    #expect(LayerRow.compactName("/features/features.0/Conv_2", op: "Conv") == "features.0")
    // Plain names are left alone.
    #expect(LayerRow.compactName("Conv1", op: "Conv") == "Conv1")
    #expect(LayerRow.compactName("/Conv", op: "Conv") == "/Conv")
    #expect(LayerRow.compactName("FC1/flatten", op: "Flatten") == "FC1/flatten")
  }
}
