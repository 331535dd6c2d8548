import ConvScope
import Testing

@testable import convscope

/// `ConvScopeCommand.parsedAsAnalyze`, the start-up shortcut that parses `analyze` without
/// the root command: it must take exactly the command lines the root parser would send to
/// `analyze`, with the same result, and leave every other line to the root parser.
@Suite struct AnalyzeShortcutTests {
  /// Lines the root parser sends to `analyze` (by name or as the default subcommand).
  static let analyzeLines: [[String]] = [
    ["model.onnx"],
    ["analyze", "model.onnx"],
    ["model.onnx", "--format", "json", "--batch", "8", "--dtype", "fp16"],
    ["--format", "markdown", "model.onnx", "--wide"],
    ["analyze", "a.onnx", "b.onnx", "--strict", "--convention", "fvcore"],
    ["m.yaml", "--input-shape", "1x3x160x160", "--device", "l4", "--quiet"],
    ["-", "-o", "out.csv"],
  ]

  @Test(arguments: analyzeLines) func sameRequestAsTheRootParser(_ line: [String]) throws {
    let shortcut = try #require(ConvScopeCommand.parsedAsAnalyze(line))
    let root = try #require(try ConvScopeCommand.parseAsRoot(line) as? AnalyzeCommand)
    #expect(shortcut.files == root.files)
    #expect(shortcut.request(source: .file("m")) == root.request(source: .file("m")))
  }

  /// Other subcommands, help, the version, completion scripts and mistakes: the root parser's.
  @Test(arguments: [
    ["compare", "a.onnx", "b.onnx"], ["ops"], ["devices"], ["calibrate"], ["llm", "--help"], ["help"],
    ["help", "analyze"], ["--version"], ["--help"], ["model.onnx", "--help"], ["analyze", "-h"],
    ["--generate-completion-script", "bash"], ["--experimental-dump-help"], [], ["analyze"],
    ["model.onnx", "--bogus"], ["model.onnx", "--batch", "0"],
  ])
  func leavesEverythingElseToTheRootParser(_ line: [String]) {
    #expect(ConvScopeCommand.parsedAsAnalyze(line) == nil)
  }
}
