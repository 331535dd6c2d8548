import ConvScope
import Testing

@testable import convscope

/// The start-up shortcuts for `analyze` (``AnalyzeShortcut``, and
/// ``ConvScopeCommand/analyzeSettings(_:)`` which parses `analyze` without the root
/// command): each must give exactly the settings the argument parser gives, and leave every
/// other line to it.
@Suite struct AnalyzeShortcutTests {
  /// Lines the shortcut reads: every option it knows, in each spelling, with the files
  /// anywhere.
  static let shortcutLines: [[String]] = [
    ["model.onnx"],
    ["model.onnx", "--format", "json", "--batch", "8", "--dtype", "fp16"],
    ["-f", "MARKDOWN", "model.onnx", "--wide", "--no-color"],
    ["--format=csv", "model.onnx", "-q", "--units", "raw"],
    ["a.onnx", "b.onnx", "--strict", "--convention", "fvcore", "--compact"],
    ["m.yaml", "--input-shape", "1x3x160x160", "--layout", "NHWC", "--quiet", "--batch=4"],
    ["m.onnx", "--input-shape", "a=1x3x8x8", "--input-shape", "b=Nx4", "-o", "out.md"],
    ["-", "--output", "report.json"],
    ["m.onnx", "--units=si", "--dtype=int8", "--layout=CHW"],
  ]

  @Test(arguments: shortcutLines) func shortcutGivesTheParsersSettings(_ line: [String]) throws {
    let shortcut = try #require(AnalyzeShortcut.settings(line))
    let parsed = try AnalyzeCommand.parse(line).settings
    #expect(shortcut == parsed)
    let root = try #require(try ConvScopeCommand.parseAsRoot(line) as? AnalyzeCommand)
    #expect(root.settings == parsed)
  }

  /// Lines `analyze` accepts that the shortcut leaves to the parser: options it does not
  /// read, lists, repeats, `--`, combined or attached short flags.
  @Test(arguments: [
    ["m.onnx", "--batch", "1,8"], ["m.onnx", "--resolution", "160,224"], ["m.onnx", "--train"],
    ["m.onnx", "--depth", "2"], ["m.onnx", "--reconcile"], ["m.onnx", "--device", "l4"],
    ["m.onnx", "--wide", "--wide"], ["m.onnx", "-f", "json", "-f", "csv"], ["--", "m.onnx"],
    ["m.onnx", "-qf", "json"], ["m.onnx", "--mode", "training"], ["m.onnx", "--as-stored"],
  ])
  func parserReadsWhatTheShortcutDoesNot(_ line: [String]) throws {
    #expect(AnalyzeShortcut.settings(line) == nil)
    let settings = try #require(ConvScopeCommand.analyzeSettings(line))
    #expect(settings == (try AnalyzeCommand.parse(line).settings))
  }

  /// Mistakes: nil from both shortcuts, so that the root parser prints its message.
  @Test(arguments: [
    [], ["--quiet"], ["m.onnx", "--bogus"], ["m.onnx", "--batch", "0"], ["m.onnx", "--batch", "-1"],
    ["m.onnx", "--format", "pdf"], ["m.onnx", "--wide", "--compact"], ["m.onnx", "--dtype", "float7"],
    ["a.onnx", "-"], ["m.onnx", "--input-shape", "1x-3"], ["m.onnx", "-o"], ["m.onnx", "--quiet=yes"],
  ])
  func mistakesGoToTheRootParser(_ line: [String]) {
    #expect(AnalyzeShortcut.settings(line) == nil)
    #expect(ConvScopeCommand.analyzeSettings(line) == nil)
  }

  /// Other subcommands, help, the version and completion scripts: the root parser's.
  @Test(arguments: [
    ["compare", "a.onnx", "b.onnx"], ["ops"], ["devices"], ["calibrate"], ["llm", "--help"], ["help"],
    ["help", "analyze"], ["--version"], ["--help"], ["model.onnx", "--help"], ["analyze", "-h"],
    ["--generate-completion-script", "bash"], ["--experimental-dump-help"], ["analyze"],
  ])
  func leavesEverythingElseToTheRootParser(_ line: [String]) {
    #expect(ConvScopeCommand.analyzeSettings(line) == nil)
  }

  @Test func analyzeByNameOrByDefault() throws {
    let named = try #require(ConvScopeCommand.analyzeSettings(["analyze", "m.onnx", "--quiet"]))
    #expect(named == ConvScopeCommand.analyzeSettings(["m.onnx", "--quiet"]))
    #expect(named.files == ["m.onnx"] && named.rows.quiet)
  }
}
