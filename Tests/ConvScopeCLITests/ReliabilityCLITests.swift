import Foundation
import Testing

/// What the fuzz campaign found at the command line (issue 18): every failure is one
/// `convscope: error:` line with exit 1 (64 for a wrong command line), write errors
/// included, and no message names a Foundation error domain.
@Suite struct ReliabilityCLITests {
  private static let lenet = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/lenet5.yaml").path

  /// Checks that `result` is exit 1 with the one line `convscope: error: ` + `expected`.
  private func expectOneLine(_ result: CommandRunner.Result, _ expected: String) {
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr == "convscope: error: \(expected)\n")
    #expect(!result.stderr.contains("Domain"))
  }

  @Test func aFailedWriteToStandardOutputIsAnError() throws {
    // `convscope analyze m.yaml > /dev/full` exited 0.
    guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
    guard let binary = CommandRunner.executable else { throw CocoaError(.fileNoSuchFile) }
    let process = Process()
    process.executableURL = binary
    process.arguments = [Self.lenet]
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
    let error = Pipe()
    process.standardError = error
    try process.run()
    let stderr = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(stderr == "convscope: error: standard output: cannot write the report: no space left on device\n")
  }

  @Test func anUnwritableOutputSaysWhatWentWrong() throws {
    // It said "NSCocoaErrorDomain error 512".
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-plain-\(getpid())")
    try Data("x".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let target = file.appendingPathComponent("report.txt").path
    let result = try CommandRunner.run([Self.lenet, "-o", target])
    expectOneLine(result, "\(target): field '--output': cannot write the report: not a directory")
  }

  @Test func anEmptyFileIsCalledEmpty() throws {
    // `/dev/null` said "You don't have permission" when run as root.
    expectOneLine(try CommandRunner.run(["/dev/null"]), "/dev/null: is empty; expected a model file")
    expectOneLine(try CommandRunner.run(["-"]), "-: is empty; expected a model file")
  }

  @Test func aRegularFileThatReportsNoSizeIsReadToItsEnd() throws {
    // `/proc` files are regular files of size 0 whose text comes when read: mapping the
    // reported size would call this one empty.
    guard FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
    let result = try CommandRunner.run(["/proc/self/status"])
    #expect(result.status == 1)
    #expect(
      result.stderr.hasPrefix("convscope: error: /proc/self/status: unrecognised model format"), "\(result.stderr)")
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-empty-\(getpid()).onnx")
    try Data().write(to: empty)
    defer { try? FileManager.default.removeItem(at: empty) }
    expectOneLine(try CommandRunner.run([empty.path]), "\(empty.path): is empty; expected a model file")
  }

  @Test func standardInputPastItsCapIsAnErrorNamingTheDash() throws {
    let result = try CommandRunner.run(
      ["-"], stdin: Data(repeating: 0, count: 4096), environment: ["CONVSCOPE_MAX_STDIN_BYTES": "1000"])
    expectOneLine(
      result,
      "-: holds more than 1,000 bytes, the limit for standard input and other streams (CONVSCOPE_MAX_STDIN_BYTES raises it)"
    )
  }

  @Test func aKerasArchiveWithABadEndRecordIsAnErrorFromAFileAndFromStandardInput() throws {
    // 26 bytes: a local-header signature and an end record pointing at offset 1000. It trapped (SIGILL).
    let bytes: [UInt8] = [
      0x50, 0x4B, 0x03, 0x04, 0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0xE8, 0x03, 0, 0, 0, 0,
    ]
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-bad-\(getpid()).keras")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let detail =
      "not a readable zip archive: the central directory (46 bytes at offset 1000) lies past the end of the data (26 bytes)"
    expectOneLine(try CommandRunner.run([file.path]), "\(file.path): \(detail)")
    expectOneLine(try CommandRunner.run(["-"], stdin: Data(bytes)), "-: \(detail)")
  }

  @Test func theLayerBudgetAppliesToEveryFormatAndCanBeRaised() throws {
    let small = try CommandRunner.run([Self.lenet, "--quiet"], environment: ["CONVSCOPE_MAX_LAYERS": "5"])
    #expect(small.status == 1)
    #expect(
      small.stderr.contains("more than the layer budget of 5 (CONVSCOPE_MAX_LAYERS raises it)"), "\(small.stderr)")
    let wrong = try CommandRunner.run([Self.lenet], environment: ["CONVSCOPE_MAX_LAYERS": "lots"])
    expectOneLine(wrong, "CONVSCOPE_MAX_LAYERS is 'lots'; expected a positive whole number")
  }

  @Test func theLayerBudgetCountsTheNodesOfASpecStreamedIntoTheAnalysis() throws {
    // Over 64 KiB, a spec is analysed while it is read; its 1,000 layers fit a budget of 1,500,
    // but each conv's activation is a node of its own: 2,000 nodes, every one of which the
    // analysis can walk before the reader's count refuses them.
    let layers = (0..<1_000).map {
      "  - {name: conv\($0), op: conv, filters: 4, kernel: 3, padding: 1, activation: relu}"
    }
    let text = "input: {shape: [4, 8, 8]}\nlayers:\n" + layers.joined(separator: "\n") + "\n"
    #expect(text.utf8.count > 64 << 10)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("budget-\(UUID().uuidString).yaml")
    try Data(text.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let result = try CommandRunner.run([file.path], environment: ["CONVSCOPE_MAX_LAYERS": "1500"])
    expectOneLine(
      result,
      "\(file.path): the model has 2,000 nodes, more than the layer budget of 1,500 (CONVSCOPE_MAX_LAYERS raises it)")
  }

  @Test func refusedOptionCombinationsAreOneLinePlusAHint() throws {
    let result = try CommandRunner.run([Self.lenet, "--resolution", "32,64", "--batch", "1,2"])
    #expect(result.status == 64)
    #expect(
      result.stderr == """
        convscope: error: sweep one thing at a time: --resolution or a --batch list
        convscope: see 'convscope analyze --help' for more information.

        """)
  }
}
