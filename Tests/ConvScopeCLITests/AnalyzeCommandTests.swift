import Foundation
import Testing

/// `Examples/seed-resnet.yaml`, found from this file's path.
private let seedExample = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("Examples/seed-resnet.yaml").path

/// `convscope analyze` end to end on the seed example, whose numbers come from the
/// article's table as corrected in shared/seed/NOTES.md: 326,260 parameters, Conv1
/// 57x57x16 with `1*5*1*16+16 = 96` parameters and `57*57*16 * 1*5*1` MACs.
@Suite struct AnalyzeCommandTests {
  static let seed = seedExample

  @Test func tableOnAPipeHasNoColourAndTheArticleTotal() throws {
    // 100 columns: at 80 the detail lines (and the formulas) give way (TerminalWidthTests).
    let result = try CommandRunner.run([Self.seed], environment: ["COLUMNS": "100"])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    #expect(!result.stdout.contains("\u{1B}["))  // not a terminal: no colour
    #expect(result.stdout.contains("326,260"))
    #expect(result.stdout.contains("57x57x16"))
    #expect(result.stdout.contains("params 1*5*1*16+16 = 96"))
  }

  @Test func jsonCarriesTheExactCounts() throws {
    let result = try CommandRunner.run(["analyze", Self.seed, "--format", "json"])
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let totals = try #require(object["totals"] as? [String: Any])
    // NOTES.md's corrected column: 96 + 1296 + 4*2320 + 4640 + 5*9248 + 262656 + 2052.
    #expect(totals["params"] as? Int == 96 + 1296 + 4 * 2320 + 4640 + 5 * 9248 + 262_656 + 2052)
    let layers = try #require(object["layers"] as? [[String: Any]])
    let conv1 = try #require(layers.first { $0["name"] as? String == "Conv1" })
    #expect(conv1["macs"] as? Int == 57 * 57 * 16 * (1 * 5 * 1))
  }

  @Test func outputFileQuietAndLayout() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-\(getpid()).csv")
    defer { try? FileManager.default.removeItem(at: file) }
    let written = try CommandRunner.run([Self.seed, "-f", "csv", "-o", file.path])
    #expect(written.status == 0 && written.stdout.isEmpty)
    let csv = String(decoding: try Data(contentsOf: file), as: UTF8.self)
    #expect(csv.hasPrefix("layer,op,"))
    #expect(csv.contains("\nConv1,Conv,"))

    let quiet = try CommandRunner.run([Self.seed, "--quiet"])
    #expect(quiet.status == 0 && !quiet.stdout.contains("╭") && quiet.stdout.contains("326,260"))

    let nchw = try CommandRunner.run([Self.seed, "--layout", "NCHW"])
    #expect(nchw.stdout.contains("1x16x57x57"))
  }

  @Test func inputShapeInTheModelsLayout() throws {
    // 64x64x1 as the HWC table shows it: Conv1 then makes 64*64*16 outputs of 1*5*1 MACs each.
    let result = try CommandRunner.run([Self.seed, "--input-shape", "64x64x1", "-f", "csv"])
    #expect(result.status == 0, "\(result.stderr)")
    let conv1 = result.stdout.split(separator: "\n").first { $0.hasPrefix("Conv1,") } ?? ""
    #expect(conv1.contains(",64x64x16,"))
    #expect(conv1.contains(",\(64 * 64 * 16 * (1 * 5 * 1)),"))
  }

  @Test func anOutputFileThatCannotBeWrittenIsOneLine() throws {
    let result = try CommandRunner.run([Self.seed, "-o", "/no/such/folder/report.txt"])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "convscope: error: /no/such/folder/report.txt: field '--output': cannot write the report: "
        + "no folder /no/such/folder\n")
  }

  @Test func dashReadsTheModelFromStandardInput() throws {
    // The header comment is left out: the format is recognised from the first bytes.
    let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.seed)), as: UTF8.self)
    let body = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    let result = try CommandRunner.run(["-", "--quiet"], stdin: Data(body.utf8))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("326,260"))
  }
}
