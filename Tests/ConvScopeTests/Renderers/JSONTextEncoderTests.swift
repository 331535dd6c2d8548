import ConvScope
import Foundation
import Testing

@testable import ConvScopeRenderers

/// The JSON renderer writes its text itself (JSONEncoder's tree of boxed values took most of
/// the time and memory of a large model's report): the text must stay JSONEncoder's, byte for
/// byte, for every section a report can have.
@Suite struct JSONTextEncoderTests {
  private static func reference(_ report: Report) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // What the renderer wrote before: JSONEncoder with these options.
    return String(decoding: try encoder.encode(JSONRenderer.VersionedReport(report: report)), as: UTF8.self) + "\n"
  }

  private static func expectSame(_ report: Report) throws {
    let text = try JSONRenderer.render(report)
    #expect(text == (try reference(report)))
    var pieces: [String] = []
    try JSONRenderer.render(report) { pieces.append($0) }
    #expect(pieces.joined() == text)
  }

  @Test func theSampleReportIsJSONEncodersText() throws {
    try Self.expectSame(try SampleReport.report())
  }

  @Test(arguments: ["seed-resnet.yaml", "lenet5.yaml", "mobilenet-v1.yaml", "residual-block.yaml"])
  func everySectionIsJSONEncodersText(example: String) throws {
    var request = AnalysisRequest(model: .file(Fixtures.example(example).path))
    try Self.expectSame(try Pipeline.report(for: request))
    request.mode = .training
    request.training = TrainingSetup(optimizer: .adamw, precision: .amp)
    request.device = .named("a100-80gb")
    request.sweep = SweepRequest(.batch, [1, 8])
    try Self.expectSame(try Pipeline.report(for: request))
    request = AnalysisRequest(model: .file(Fixtures.example(example).path))
    request.convention = .fvcore
    request.reconcile = true
    request.depth = 1
    try Self.expectSame(try Pipeline.report(for: request))
  }

  @Test func namesWithQuotesControlsAndUnicodeAreEscapedAlike() throws {
    var report = try SampleReport.report()
    report.layers[0].name = "a \"quoted\" \\ back/slash\n\t\r\u{8}\u{C}\u{1}\u{1F}\u{7F} é 漢字 😇"
    report.notes.append("")
    report.assumptions = []
    try Self.expectSame(report)
  }
}
