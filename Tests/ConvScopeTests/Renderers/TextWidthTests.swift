import Testing

@testable import ConvScopeRenderers

/// The table counts characters without Unicode's grapheme rules where they cannot matter (they
/// took a tenth of a large model's run): the counts and the wrapping must stay what
/// `String.count` gives, whatever the text.
@Suite struct TextWidthTests {
  private static let pieces = [
    "conv1", "in 1x16x8x8", "é", "e\u{301}", "\r\n", "\r", "漢字", "😇", "👩‍👩‍👧", "🇫🇷", "·", "©", "\u{AD}", "x\u{300}",
    "\u{600}1", "a b", "", " ", "long-segment-\(String(repeating: "w", count: 30))", "…", "…\u{301}", "\u{2026}x",
    "\u{2025}", "\u{2027}",
  ]

  /// A shortened name (``TextTable/shortenPath(_:to:)`` puts `…` in) is counted without the
  /// grapheme rules too.
  @Test func anEllipsisKeepsTheWidthSimple() {
    let short = TextTable.shortenPath("/features/features.1/features.1.0/block/block.0/Conv", to: 20)
    #expect(TextTable.simpleWidth(short) == short.count)
    #expect(short.count <= 20)
    #expect(TextTable.simpleWidth("…\u{301}") == nil)
  }

  @Test func widthIsTheCharacterCount() {
    for a in Self.pieces {
      for b in Self.pieces {
        for text in [a + b, a + " " + b, "  " + a + " · " + b] { #expect(TextTable.width(text) == text.count) }
      }
    }
  }

  /// The wrapping as it was written with `String.count`.
  private static func reference(_ segments: [String], width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for segment in segments where !segment.isEmpty {
      if current.isEmpty && lines.isEmpty {
        current = segment
      } else if !current.isEmpty && current.count + 3 + segment.count <= width {
        current += " · " + segment
      } else {
        if !current.isEmpty { lines.append(current) }
        current = "  " + segment
      }
      if current.count > width {
        let pieces = referenceWords(current.split(separator: " ").map(String.init), width: width, indent: 4)
        lines += pieces.dropLast()
        current = pieces.last ?? ""
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  private static func referenceWords(_ tokens: [String], width: Int, indent: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for token in tokens {
      if current.isEmpty {
        current = token
      } else if current.count + 1 + token.count <= width {
        current += " " + token
      } else {
        lines.append(current)
        current = String(repeating: " ", count: indent) + token
      }
    }
    return lines + [current]
  }

  @Test func wrappingIsAsWithCharacterCounts() {
    var generator = SeededGenerator(state: 18)
    for _ in 0..<2_000 {
      let count = Int.random(in: 1...8, using: &generator)
      let segments = (0..<count).map { _ in
        (0..<Int.random(in: 1...4, using: &generator)).map { _ in Self.pieces.randomElement(using: &generator)! }
          .joined()
      }
      let width = Int.random(in: 4...40, using: &generator)
      #expect(
        TextTable.wrappedLines(segments, width: width).map(\.text.string) == Self.reference(segments, width: width))
      let words = segments.joined(separator: " ")
      #expect(
        TextTable.wrapWords(words, width: width, indent: 4)
          == Self.referenceWords(words.split(separator: " ").map(String.init), width: width, indent: 4))
    }
  }
}
