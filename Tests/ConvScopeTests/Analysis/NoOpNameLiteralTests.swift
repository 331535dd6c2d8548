import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// Passes, conventions, the report and the renderers ask the rules what an op is
/// (``OpFacts``), never its name: no source file of the Analysis, Report, Renderers or ConvScope targets
/// holds a string literal that is an op type the standard rules handle. Op types belong in
/// `Ops/`, next to their rules.
@Suite struct NoOpNameLiteralTests {
  /// English words that are also op types, where a renderer uses them as column titles
  /// (`| Input | Shape | Type |`, the training-memory table's `Size`), by file name.
  static let columnTitles: [String: Set<String>] = [
    "MarkdownRenderer.swift": ["Shape"], "ComparisonRenderer.swift": ["Shape"], "PassSections.swift": ["Size"],
    "LanguageModelSections.swift": ["Attention"],
  ]

  /// The targets checked: everything downstream of the op rules (the pipeline included).
  static let folders: Set<String> = ["ConvScopeAnalysis", "ConvScopeReport", "ConvScopeRenderers", "ConvScope"]

  @Test func noPassConventionOrRendererNamesAnOpType() throws {
    let opTypes = Set(OpRegistry.standard.all.map(\.opType))
    let files = try Self.sourceFiles()
    #expect(files.count > 40, "found only \(files.count) files: did the sources move?")
    var offences: [String] = []
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      let allowed = Self.columnTitles[file.lastPathComponent] ?? []
      for literal in SwiftLiterals.strings(in: text)
      where opTypes.contains(literal.text) && !allowed.contains(literal.text) {
        offences.append("\(file.lastPathComponent):\(literal.line): \"\(literal.text)\"")
      }
    }
    #expect(
      offences.isEmpty,
      "op types named outside Ops/ (declare an OpFamily fact instead):\n\(offences.joined(separator: "\n"))")
  }

  @Test func theScannerFindsLiteralsButNotComments() {
    let source = """
      /// "Conv" in a doc comment
      let a = "Relu" // "Gemm" in a comment
      /* "Add" in a block */ let b = "x\\(y)Mul"
      let c = \"\"\"
        Tanh
        \"\"\"
      """
    #expect(SwiftLiterals.strings(in: source).map(\.text) == ["Relu", "x", "Mul", "  Tanh"])
    #expect(SwiftLiterals.strings(in: source).map(\.line) == [2, 3, 3, 5])
  }

  /// Every `.swift` file in a folder named like one of ``folders`` under `Sources/`.
  static func sourceFiles() throws -> [URL] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    return walker.compactMap { $0 as? URL }.filter { url in
      url.pathExtension == "swift" && !url.pathComponents.contains("Ops")
        && !Set(url.pathComponents.dropLast()).isDisjoint(with: folders)
    }
  }
}

/// The string literals of Swift source, with comments skipped: each literal's text between
/// interpolations (`"a\(b)c"` gives `a` and `c`), with its line. Multi-line literals keep
/// their lines joined by newlines, without the opening and closing delimiter lines.
enum SwiftLiterals {
  struct Literal: Equatable {
    var text: String
    var line: Int
  }

  static func strings(in source: String) -> [Literal] {
    let chars = Array(source)
    var found: [Literal] = []
    var i = 0
    var line = 1
    func at(_ k: Int) -> Character? { k < chars.count ? chars[k] : nil }
    while i < chars.count {
      let c = chars[i]
      if c == "\n" {
        line += 1
        i += 1
      } else if c == "/" && at(i + 1) == "/" {
        while i < chars.count && chars[i] != "\n" { i += 1 }
      } else if c == "/" && at(i + 1) == "*" {
        i += 2
        while i < chars.count && !(chars[i] == "*" && at(i + 1) == "/") {
          if chars[i] == "\n" { line += 1 }
          i += 1
        }
        i += 2
      } else if c == "\"" {
        let multiline = at(i + 1) == "\"" && at(i + 2) == "\""
        i += multiline ? 3 : 1
        var text = ""
        var start = line
        if multiline {  // the text starts on the next line
          while i < chars.count && chars[i] != "\n" { i += 1 }
          i += 1
          line += 1
          start = line
        }
        while i < chars.count {
          let d = chars[i]
          if multiline && d == "\"" && at(i + 1) == "\"" && at(i + 2) == "\"" {
            i += 3
            break
          }
          if !multiline && d == "\"" {
            i += 1
            break
          }
          if d == "\\" && at(i + 1) == "(" {  // interpolation: close the segment, skip the expression
            if !text.isEmpty { found.append(Literal(text: text, line: start)) }
            text = ""
            var depth = 0
            i += 1
            repeat {
              if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
              i += 1
            } while i < chars.count && depth > 0
            start = line
            continue
          }
          if d == "\\" {
            text.append(d)
            if let next = at(i + 1) { text.append(next) }
            i += 2
            continue
          }
          if d == "\n" { line += 1 }
          text.append(d)
          i += 1
        }
        if multiline, let last = text.lastIndex(of: "\n") { text = String(text[..<last]) }
        if !text.isEmpty || !multiline { found.append(Literal(text: text, line: start)) }
      } else {
        i += 1
      }
    }
    return found
  }
}
