import ConvScopeCore
import ConvScopeReport

/// A terminal table with a rounded Unicode frame, a header rule, columns two
/// spaces apart, optional indented detail lines under each row (dimmed in
/// colour) and an optional footer row:
///
/// ```text
/// ╭──────────────────────────────────╮
/// │ Layer  Op    Output     Params   │
/// ├──────────────────────────────────┤
/// │ Conv1  Conv  57x57x16       96   │
/// │   in 57x57x1 · kernel 1x5        │
/// ╰──────────────────────────────────╯
/// ```
///
/// A table wider than its `maxWidth` is fitted, in this order: shrinkable columns narrow to
/// their minimum widths (left to right); then the detail lines are dropped and columns with a
/// drop rank are left out, lowest rank first, until the table fits. Detail lines that are kept
/// wrap at the frame.
struct TextTable {
  enum Alignment { case left, right }

  /// How a cell longer than its column is cut.
  enum Shortening {
    /// In the middle: `/layer1…v1/Conv`.
    case middle
    /// From the left by whole module-path components (`.` and `/`): `…0.downsample.0`.
    case path
  }

  struct Column {
    var title: String
    var alignment: Alignment
    /// Longer cells are shortened with `…` (see ``shortening``).
    var maxWidth: Int = .max
    /// How narrow the column may get when the table must shrink to fit (`nil`: never shrinks).
    /// Shrinkable columns give way in order, left to right.
    var minWidth: Int? = nil
    /// When the table still does not fit, columns with a rank are left out, lowest first (`nil`: always shown).
    var dropRank: Int? = nil
    var shortening: Shortening = .middle
  }

  struct Row {
    var cells: [String]
    /// Lines under the row, each a list of segments joined by ` · ` and wrapped at the frame.
    var details: [[String]] = []
    /// Shows the row in a warning colour.
    var isWarning = false
  }

  var columns: [Column]
  var rows: [Row]
  var footer: Row?

  /// How wide detail lines may make a table whose columns are narrower (`.max` for `--wide`).
  var detailWidth = 96

  /// The table's lines. Detail lines wrap to the columns' width, or to ``detailWidth`` when that is wider.
  func render(style: TerminalStyle, maxWidth: Int) -> [String] {
    var text = TextBytes()
    render(style: style, maxWidth: maxWidth, into: &text) { _ in }
    // Split at the newline bytes (not by `Character`, which would segment every grapheme).
    return text.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map {
      String(decoding: $0, as: UTF8.self)
    }
  }

  /// Appends the table's lines (those ``render(style:maxWidth:)`` returns), each with a newline, to
  /// `text`, and hands `text` to `flush` as rows are added: the lines go straight into the caller's
  /// buffer, no string made for each, and `flush` may write the buffer out and empty it. A table
  /// of many thousand rows is laid out on several threads (``ParallelRows``), a few hundred rows
  /// a thread at a time, in the same order and to the same text.
  func render<E: Error>(
    style: TerminalStyle, maxWidth: Int, into text: inout TextBytes, flush: (inout TextBytes) throws(E) -> Void
  ) throws(E) {
    let layout = TextTableLayout(self, style: style, maxWidth: maxWidth)
    var scratch = TextBytes()
    layout.appendRule("╭", "╮", to: &text)
    layout.appendCells(layout.titles, isWarning: false, isHeader: true, to: &text, scratch: &scratch)
    layout.appendRule("├", "┤", to: &text)
    let workers = ParallelRows.workers(for: rows.count)
    if workers == 1 {
      for row in rows {
        layout.appendRow(row, isFooter: false, to: &text, scratch: &scratch)
        try flush(&text)
      }
    } else {
      // Each round lays out `workers` runs of rows side by side, then appends them in order.
      try ParallelRows.rounds(count: rows.count, workers: workers) { _, indices in
        var piece = TextBytes()
        var scratch = TextBytes()
        for index in indices { layout.appendRow(rows[index], isFooter: false, to: &piece, scratch: &scratch) }
        return piece
      } consume: { (piece) throws(E) in
        text.append(piece)
        try flush(&text)
      }
    }
    if let footer {
      layout.appendRule("├", "┤", to: &text)
      layout.appendRow(footer, isFooter: true, to: &text, scratch: &scratch)
    }
    layout.appendRule("╰", "╯", to: &text)
    try flush(&text)
  }

  /// Segments joined with ` · ` into lines of at most `width` characters, as bytes, each with
  /// its character count; continuation lines are indented, and a segment longer than a line is
  /// broken at its spaces.
  static func wrappedLines(_ segments: [String], width: Int) -> [MeasuredLine] {
    var lines: [MeasuredLine] = []
    var current = MeasuredLine()
    for segment in segments where !segment.isEmpty {
      let segmentWidth = Self.simpleWidth(segment)
      if current.text.isEmpty && lines.isEmpty {
        current.append("", 0, segment, segmentWidth)
      } else if !current.text.isEmpty && current.width + 3 + (segmentWidth ?? segment.count) <= width {
        current.append(" · ", 3, segment, segmentWidth)
      } else {
        if !current.text.isEmpty { lines.append(current) }
        current = MeasuredLine()
        current.append("  ", 2, segment, segmentWidth)
      }
      if current.width > width {
        let pieces = wrapWords(current.text.string, width: width, indent: 4)
        lines += pieces.dropLast().map(MeasuredLine.init)
        current = MeasuredLine(pieces.last ?? "")
      }
    }
    if !current.text.isEmpty { lines.append(current) }
    return lines
  }

  /// `text` broken at spaces into lines of at most `width` characters, continuation
  /// lines indented by `indent` spaces; a word longer than a line is left whole.
  static func wrapWords(_ text: String, width: Int, indent: Int) -> [String] {
    wrapTokens(text.split(separator: " ").map(String.init), width: width, indent: indent)
  }

  /// `tokens` joined by spaces into lines of at most `width` characters (a token is never
  /// broken), continuation lines indented by `indent` spaces.
  static func wrapTokens(_ tokens: [String], width: Int, indent: Int) -> [String] {
    var lines: [String] = []
    var current = MeasuredLine()
    for token in tokens {
      let tokenWidth = Self.simpleWidth(token)
      if current.text.isEmpty {
        current.append("", 0, token, tokenWidth)
      } else if current.width + 1 + (tokenWidth ?? token.count) <= width {
        current.append(" ", 1, token, tokenWidth)
      } else {
        lines.append(current.text.string)
        current = MeasuredLine()
        current.append(Self.spaces(indent), max(0, indent), token, tokenWidth)
      }
    }
    return lines + [current.text.string]
  }

  /// A line being filled, as bytes, and its character count, added up while the line is simple
  /// (see ``simpleWidth(_:)``), else counted.
  struct MeasuredLine {
    private(set) var text = TextBytes()
    private(set) var width = 0
    private var isSimple = true

    init(_ line: String = "") {
      text.append(line)
      isSimple = TextTable.simpleWidth(line) != nil
      width = TextTable.width(line)
    }

    /// Appends `prefix` (`prefixWidth` simple characters) and `piece` (`pieceWidth` characters
    /// when simple, `nil` otherwise).
    mutating func append(_ prefix: String, _ prefixWidth: Int, _ piece: String, _ pieceWidth: Int?) {
      text.append(prefix)
      text.append(piece)
      if isSimple, let pieceWidth {
        width += prefixWidth + pieceWidth
      } else {
        isSimple = false
        width = text.string.count
      }
    }
  }

  /// The non-empty `segments` joined by ` · `.
  static func join(_ segments: [String]) -> String {
    var text = TextBytes()
    join(segments, into: &text)
    return text.string
  }

  /// ``join(_:)``, written to `text`.
  static func join(_ segments: [String], into text: inout TextBytes) {
    var first = true
    for segment in segments where !segment.isEmpty {
      if !first { text.append(" · ") }
      text.append(segment)
      first = false
    }
  }

  /// `width(join(segments))`, added up from the segments' widths when they are simple (` · `
  /// is three simple characters), without joining them.
  static func joinedWidth(_ segments: [String]) -> Int { simpleJoinedWidth(segments) ?? width(join(segments)) }

  /// ``joinedWidth(_:)`` when every segment is simple (see ``simpleWidth(_:)``), else `nil`.
  static func simpleJoinedWidth(_ segments: [String]) -> Int? {
    var sum = 0
    var count = 0
    for segment in segments where !segment.isEmpty {
      guard let width = simpleWidth(segment) else { return nil }
      sum += width
      count += 1
    }
    return count == 0 ? 0 : sum + 3 * (count - 1)
  }

  static func pad(_ text: String, _ width: Int, _ alignment: Alignment) -> String {
    let fill = Self.spaces(width - Self.width(text))
    return alignment == .left ? text + fill : fill + text
  }

  /// `text` cut in the middle to `limit` characters: `/layer1/…/conv1/Conv`.
  static func shorten(_ text: String, to limit: Int) -> String {
    guard Self.width(text) > limit, limit >= 3 else { return text }
    let head = (limit - 1) / 2
    let tail = limit - 1 - head
    return String(text.prefix(head)) + "…" + String(text.suffix(tail))
  }

  /// `text` shortened from the left by whole module-path components (split at `.` and `/`) to
  /// at most `limit` characters: `layer1.0.downsample.0` at 15 is `…0.downsample.0`. A last
  /// component longer than the limit keeps its end.
  static func shortenPath(_ text: String, to limit: Int) -> String {
    guard Self.width(text) > limit, limit >= 2 else { return text }
    let utf8 = text.utf8
    if utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
      // One character a byte: the first separator with at most `limit - 1` bytes after it.
      let cut = utf8.count - (limit - 1)
      let start = utf8.indices.dropFirst(max(0, cut - 1)).first {
        utf8[$0] == UInt8(ascii: ".") || utf8[$0] == UInt8(ascii: "/")
      }
      var short = "…"
      short.append(contentsOf: start.map { text[text.utf8.index(after: $0)...] } ?? text.suffix(limit - 1))
      return short
    }
    var rest = Substring(text)
    while let separator = rest.firstIndex(where: { $0 == "." || $0 == "/" }) {
      rest = rest[rest.index(after: separator)...]
      if Self.width(String(rest)) + 1 <= limit { return "…" + rest }
    }
    return "…" + String(text.suffix(limit - 1))
  }

  /// `text.count` (characters, as the table counts them), without Unicode's grapheme rules where
  /// they cannot matter: see ``simpleWidth(_:)``.
  static func width(_ text: String) -> Int { simpleWidth(text) ?? text.count }

  /// The character count of `text` when every scalar is below U+0300 or is the ellipsis `…`
  /// (U+2026, which ``shorten(_:to:)`` and ``shortenPath(_:to:)`` put in), and none is a carriage
  /// return: then each scalar is one character (no combining marks, no CR LF pair), and so is it
  /// after a space is put before it. `nil` otherwise.
  static func simpleWidth(_ text: String) -> Int? {
    var text = text  // its UTF-8 in place (no copy)
    return text.withUTF8 { utf8 in
      var scalars = 0
      for index in utf8.indices where utf8[index] & 0xC0 != 0x80 {  // a scalar's first byte
        let byte = utf8[index]
        if byte >= 0xCC || byte == 0x0D {  // 0xCC 0x80 is U+0300; 0xE2 0x80 0xA6 is U+2026
          guard byte == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA6 else {
            return nil
          }
        }
        scalars += 1
      }
      return scalars
    }
  }

  /// `count` spaces (none for a negative count).
  static func spaces(_ count: Int) -> String { String(repeating: " ", count: max(0, count)) }
}
