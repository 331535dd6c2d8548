import ConvScope
import ConvScopeTestSupport
import Foundation
import Testing

@Suite struct CLITests {
  @Test func findsTheBuiltExecutable() {
    #expect(CommandRunner.executable != nil, "convscope should be built next to the test bundle")
  }

  @Test func helpTextMatchesTheGoldenFiles() throws {
    for (arguments, golden) in [
      (["--help"], "help.txt"), (["analyze", "--help"], "help-analyze.txt"), (["llm", "--help"], "help-llm.txt"),
    ] {
      let result = try CommandRunner.run(arguments)
      #expect(result.status == 0)
      #expect(try GoldenFile.mismatch(result.stdout, name: golden) == nil)
    }
  }

  @Test func missingFileIsOneLineOnStandardErrorAndExitOne() throws {
    let result = try CommandRunner.run(["no/such/model.onnx"])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == "convscope: error: no/such/model.onnx: no such file\n")
  }

  @Test func analyzeSubcommandIsTheDefault() throws {
    let short = try CommandRunner.run(["no/such/model.onnx"])
    let long = try CommandRunner.run(["analyze", "no/such/model.onnx"])
    #expect(short.status == long.status && short.stderr == long.stderr)
  }

  @Test func unreadableInputIsOneLineNamingTheFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-cli-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("garbage.xyz")
    try Data([0x00, 0xFF, 0x13, 0x37]).write(to: file)
    for arguments in [[file.path], [folder.path]] {
      let result = try CommandRunner.run(arguments)
      #expect(result.status == 1)
      #expect(result.stderr.hasPrefix("convscope: error: \(arguments[0]): "))
      #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }
  }

  @Test func dashReadsStandardInput() throws {
    let result = try CommandRunner.run(["-"], stdin: Data("not a model".utf8))
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("convscope: error: -: "))
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
  }

  @Test func argumentErrorsAreOneLineWithAHelpHintAndExit64() throws {
    for arguments in [
      ["--no-such-flag"], ["model.onnx", "--format", "pdf"], ["model.onnx", "--batch", "0"],
      ["model.onnx", "--dtype", "float7"], ["model.onnx", "--input-shape", "1x3x-2"],
      ["model.onnx", "--layout", "XYZ"],
    ] {
      let result = try CommandRunner.run(arguments)
      #expect(result.status == 64, "\(arguments)")
      // One error line, then one line naming the help to read (it was the parser's multi-line usage).
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == 2 && lines[0].hasPrefix("convscope: error: "), "\(arguments): \(result.stderr)")
      #expect(lines.last?.hasPrefix("convscope: see 'convscope") == true, "\(arguments)")
      #expect(result.stdout.isEmpty)
    }
  }

  @Test func opsListsEveryRuleWithItsSummary() throws {
    let result = try CommandRunner.run(["ops"])
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == OpRegistry.standard.all.count)
    #expect(lines.contains { $0.hasPrefix("Conv ") && $0.contains("MACs=N*Cout*prod(O)*Cin/g*prod(K)") })
  }

  @Test func versionIsTheLibraryVersion() throws {
    let result = try CommandRunner.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout == ConvScopeVersion.current + "\n")
  }
}
