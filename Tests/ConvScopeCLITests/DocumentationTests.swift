import Foundation
import Testing

/// The commands the documentation shows, run with the built binary, and the numbers the
/// documentation quotes compared with what it prints (docs/architecture.md, "Docs that are tested").
///
/// A fenced block with the info string `console` is a session: each `$ ` line is a command
/// (run by `/bin/sh` in a scratch folder that links the repository's `Examples`, `Tests` and
/// `docs`, with `convscope` on `PATH`, 100 columns, no colour), and the lines up to the next
/// `$ ` line are its output. Every number in that output must appear in what the command
/// prints, in the same order; a number in a trailing `# comment` on the command line must
/// appear somewhere in it. An HTML comment `<!-- doc-test: exact -->` just before the block
/// asks for the whole output byte for byte. A block whose commands cannot run here (a file
/// the repository does not have) is preceded by `<!-- doc-test: not run: REASON -->`. Every
/// `convscope` command in a `sh` block must be in one of the two.
@Suite struct DocumentationTests {
  /// One fenced code block of a Markdown file.
  struct Block: CustomTestStringConvertible {
    var file: String
    var line: Int
    var info: String
    var marker: String
    var lines: [String]
    var testDescription: String { "\(file):\(line)" }
  }

  /// A command and what the documentation says it prints.
  struct Command {
    var text: String
    var comment: String
    var output: [String]
  }

  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// README.md and docs/*.md, read at test time (the project's own files).
  static let blocks: [Block] = {
    let docs = root.appendingPathComponent("docs")
    let names =
      ["README.md"]
      + ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []).filter { $0.hasSuffix(".md") }
      .sorted().map { "docs/" + $0 }
    return names.flatMap { name in
      blocks(in: (try? String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)) ?? "", file: name)
    }
  }()

  static func blocks(in text: String, file: String) -> [Block] {
    var blocks: [Block] = []
    var current: Block?
    var lastComment = ""
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      .enumerated()
    {
      if current != nil {
        if line.trimmingCharacters(in: .whitespaces) == "```" {
          blocks.append(current!)
          current = nil
        } else {
          current!.lines.append(line)
        }
      } else if line.hasPrefix("```") {
        current = Block(file: file, line: number + 1, info: String(line.dropFirst(3)), marker: lastComment, lines: [])
      } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
        lastComment = line.hasPrefix("<!-- doc-test:") ? line : ""
      }
    }
    return blocks
  }

  static let sessions = blocks.filter { $0.info == "console" && !$0.marker.contains("not run") }

  /// The block's commands and their documented output.
  static func commands(of block: Block) -> [Command] {
    var commands: [Command] = []
    for line in block.lines {
      if line.hasPrefix("$ ") {
        let body = String(line.dropFirst(2))
        let hash = body.range(of: " # ")
        commands.append(
          Command(
            text: hash.map { String(body[..<$0.lowerBound]) } ?? body,
            comment: hash.map { String(body[$0.upperBound...]) } ?? "", output: []))
      } else if !commands.isEmpty {
        commands[commands.count - 1].output.append(line)
      }
    }
    return commands
  }

  /// The numbers in `text`: `326,260`, `17.90`, `57` (digits with grouping commas and a decimal part).
  static func numbers(in text: String) -> [String] {
    text.matches(of: /[0-9][0-9,]*(\.[0-9]+)?/).map { String($0.output.0).trimmingCharacters(in: [","]) }
  }

  /// Runs `command` by `/bin/sh` in a scratch folder; its standard output, or the exit status and error.
  static func run(_ command: String) throws -> (status: Int32, output: String, error: String) {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-doc-\(UUID())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    for folder in ["Examples", "Tests", "docs"] {
      try FileManager.default.createSymbolicLink(
        at: scratch.appendingPathComponent(folder), withDestinationURL: root.appendingPathComponent(folder))
    }
    guard let binary = CommandRunner.executable else { throw CocoaError(.fileNoSuchFile) }
    let path = binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
    let result = try CommandRunner.run(
      ["-c", command], directory: scratch, environment: ["PATH": path, "COLUMNS": "100", "NO_COLOR": "1"],
      executable: URL(fileURLWithPath: "/bin/sh"))
    return (result.status, result.stdout, result.stderr)
  }

  @Test func everyConvscopeCommandInAShellBlockIsRunOrMarked() {
    let unmarked = Self.blocks.filter { $0.info == "sh" && !$0.marker.contains("not run") }.flatMap { block in
      block.lines.filter { $0.hasPrefix("convscope ") || $0.contains("| convscope ") }.map { "\(block.file): \($0)" }
    }
    #expect(unmarked == [], "move these into a console block, or mark the block not run with a reason")
    #expect(Self.sessions.count >= 5)
  }

  /// The example lines of a command's help: the indented lines after `Examples` that run `convscope`.
  static func helpExamples(_ help: String) -> [String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Examples") })
    else { return [] }
    return lines[(start + 1)...].prefix { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { $0.hasPrefix("convscope ") || $0.contains("| convscope ") }
  }

  @Test(arguments: [[], ["analyze"], ["compare"], ["ops"]])
  func helpExamplesRunOnTheRepositorysFiles(command: [String]) throws {
    let help = try CommandRunner.run(command + ["--help"]).stdout
    let examples = Self.helpExamples(help)
    #expect(!examples.isEmpty)
    for example in examples {
      let result = try Self.run(example)
      #expect(result.status == 0, "`\(example)`: \(result.error)")
    }
  }

  @Test(arguments: sessions)
  func commandsPrintWhatTheDocumentationQuotes(block: Block) throws {
    for command in Self.commands(of: block) {
      let result = try Self.run(command.text)
      #expect(result.status == 0, "\(block.file):\(block.line): `\(command.text)`: \(result.error)")
      if block.marker.contains("exact") {
        let expected = command.output.joined(separator: "\n") + "\n"
        #expect(result.output == expected, "\(block.file):\(block.line): `\(command.text)` prints otherwise")
        continue
      }
      let printed = Self.numbers(in: result.output + result.error)
      var rest = printed[...]
      for number in Self.numbers(in: command.output.joined(separator: "\n")) {
        guard let at = rest.firstIndex(of: number) else {
          Issue.record("\(block.file):\(block.line): `\(command.text)` does not print \(number) (in order)")
          break
        }
        rest = rest[(at + 1)...]
      }
      for number in Self.numbers(in: command.comment) where !printed.contains(number) {
        Issue.record("\(block.file):\(block.line): `\(command.text)` does not print \(number)")
      }
    }
  }
}
