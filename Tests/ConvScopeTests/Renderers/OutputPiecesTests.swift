import ConvScopeReport
import Testing

@testable import ConvScopeRenderers

/// The text formats reach their destination in pieces of about 64 KiB as they are written:
/// the pieces join to the text the whole-string call returns, and none holds the whole report.
/// 6,000 layers: their rows are laid out on several threads; their names are not ASCII, so a
/// piece cut inside a character would show.
@Suite struct OutputPiecesTests {
  @Test(arguments: [OutputFormat.table, .csv, .markdown, .json])
  func aLargeReportIsWrittenInPiecesThatJoinToTheWholeText(format: OutputFormat) throws {
    let report = try LargeReport.chain(blocks: 3_000, prefix: "層ü")
    var pieces: [String] = []
    try format.render(report, to: { pieces.append($0) })
    let whole = try format.render(report)
    #expect(pieces.joined() == whole)
    #expect(whole.utf8.count > 4 * OutputPieces.size)
    #expect(pieces.count > 4)
    // A piece is handed on once it reaches the size: it passes it by at most the few hundred
    // rows a thread lays out at a time.
    #expect(pieces.allSatisfy { $0.utf8.count < 2 * OutputPieces.size })
    #expect(!whole.contains("\u{FFFD}"))
  }
}
