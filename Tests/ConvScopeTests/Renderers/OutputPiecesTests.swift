import ConvScopeReport
import Testing

@testable import ConvScopeRenderers

/// The text formats reach their destination in pieces of about 64 KiB as they are written:
/// the pieces join to the text the whole-string call returns, and none holds the whole report.
@Suite struct OutputPiecesTests {
  @Test(arguments: [OutputFormat.table, .csv, .markdown, .json])
  func aLargeReportIsWrittenInPiecesThatJoinToTheWholeText(format: OutputFormat) throws {
    let report = try LargeReport.chain(blocks: 1_500)
    var pieces: [String] = []
    try format.render(report, to: { pieces.append($0) })
    let whole = try format.render(report)
    #expect(pieces.joined() == whole)
    #expect(whole.utf8.count > 4 * OutputPieces.size)
    #expect(pieces.count > 4)
    // A piece is handed on as soon as it reaches the size: it passes it by less than a row's text.
    #expect(pieces.allSatisfy { $0.utf8.count < OutputPieces.size + 16_384 })
  }
}
