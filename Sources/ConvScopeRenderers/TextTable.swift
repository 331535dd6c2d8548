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
struct TextTable {
  enum Alignment { case left, right }

  struct Column {
    var title: String
    var alignment: Alignment
    /// Longer cells are shortened in the middle with `…`.
    var maxWidth: Int = .max
    /// How narrow the column may get when the table must shrink to fit (`nil`: never shrinks).
    /// Shrinkable columns give way in order, left to right.
    var minWidth: Int? = nil
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

  /// How wide detail lines may make a table whose columns are narrower.
  static let detailWidth = 96

  /// The table's lines. Detail lines wrap to the columns' width, or to ``detailWidth`` when that is wider.
  func render(style: TerminalStyle, maxWidth: Int) -> [String] {
    var lines: [String] = []
    render(style: style, maxWidth: maxWidth) { lines.append($0) }
    return lines
  }

  /// The table's lines (those ``render(style:maxWidth:)`` returns), handed to `emit` one by one.
  func render<E: Error>(style: TerminalStyle, maxWidth: Int, emit: (String) throws(E) -> Void) throws(E) {
    var widths = columns.map(\.title.count)
    var longestDetail = 0
    for row in rows { measure(row, &widths, &longestDetail) }
    if let footer { measure(footer, &widths, &longestDetail) }
    // Too wide for the terminal: shrinkable columns give way, down to their minimum widths.
    var excess = widths.reduce(0, +) + 2 * max(0, widths.count - 1) - (maxWidth - 4)
    for i in columns.indices where excess > 0 {
      guard let minimum = columns[i].minWidth, widths[i] > minimum else { continue }
      let cut = min(excess, widths[i] - minimum)
      widths[i] -= cut
      excess -= cut
    }
    let columnsWidth = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
    // Detail lines may widen the frame up to `detailWidth`; the first column takes up the slack.
    let inner = max(columnsWidth, min(longestDetail, Self.detailWidth, maxWidth - 4))
    if let first = widths.indices.first { widths[first] += inner - columnsWidth }

    func line(_ text: String, visibleCount: Int) -> String {
      "│ " + text + String(repeating: " ", count: max(0, inner - visibleCount)) + " │"
    }
    func cellsLine(_ cells: [String], isWarning: Bool, isHeader: Bool) -> String {
      let padded = cells.enumerated().map { i, cell in
        Self.pad(Self.shorten(cell, to: widths[i]), widths[i], columns[i].alignment)
      }
      let plain = padded.joined(separator: "  ")
      let styled = isHeader ? style.bold(plain) : isWarning ? style.yellow(plain) : plain
      return line(styled, visibleCount: plain.count)
    }
    func rowLines(_ row: Row, isFooter: Bool) -> [String] {
      var out = [cellsLine(row.cells, isWarning: row.isWarning, isHeader: isFooter)]
      for detail in row.details {
        for wrapped in Self.wrap(detail, width: inner - 2) {
          out.append(line("  " + style.dim(wrapped), visibleCount: wrapped.count + 2))
        }
      }
      return out
    }

    let rule = String(repeating: "─", count: inner + 2)
    let header = cellsLine(columns.map(\.title), isWarning: false, isHeader: true)
    try emit("╭" + rule + "╮")
    try emit(header)
    try emit("├" + rule + "┤")
    for row in rows { for line in rowLines(row, isFooter: false) { try emit(line) } }
    if let footer {
      try emit("├" + rule + "┤")
      for line in rowLines(footer, isFooter: true) { try emit(line) }
    }
    try emit("╰" + rule + "╯")
  }

  /// Widens `widths` to `row`'s cells (up to each column's maximum) and `longestDetail` to its detail lines.
  private func measure(_ row: Row, _ widths: inout [Int], _ longestDetail: inout Int) {
    for (i, cell) in row.cells.enumerated() where i < widths.count {
      widths[i] = max(widths[i], min(cell.count, columns[i].maxWidth))
    }
    for detail in row.details { longestDetail = max(longestDetail, Self.join(detail).count + 2) }
  }

  /// Segments joined with ` · ` into lines of at most `width` characters; continuation
  /// lines are indented, and a segment longer than a line is broken at its spaces.
  static func wrap(_ segments: [String], width: Int) -> [String] {
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
        let pieces = wrapWords(current, width: width, indent: 4)
        lines += pieces.dropLast()
        current = pieces.last ?? ""
      }
    }
    if !current.isEmpty { lines.append(current) }
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

  static func join(_ segments: [String]) -> String { segments.filter { !$0.isEmpty }.joined(separator: " · ") }

  static func pad(_ text: String, _ width: Int, _ alignment: Alignment) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return alignment == .left ? text + fill : fill + text
  }

  /// `text` cut in the middle to `limit` characters: `/layer1/…/conv1/Conv`.
  static func shorten(_ text: String, to limit: Int) -> String {
    guard text.count > limit, limit >= 3 else { return text }
    let head = (limit - 1) / 2
    let tail = limit - 1 - head
    return String(text.prefix(head)) + "…" + String(text.suffix(tail))
  }
}
