import ConvScopeCore

/// A ``TextTable`` fitted to a terminal width (see ``TextTable`` for the rules): the columns
/// shown and their widths, the frame's inner width and whether detail lines are kept. It writes
/// rows as framed lines. It is immutable, so several threads may lay out rows of one table at
/// once, each with its own scratch buffer.
struct TextTableLayout {
  let style: TerminalStyle
  /// The columns shown, in order.
  let visible: [TextTable.Column]
  /// The indices in the table's columns of ``visible``.
  private let shown: [Int]
  /// The width of each visible column (the first takes any slack the detail lines leave).
  private let widths: [Int]
  /// The characters between the frame's `│ ` and ` │`.
  let inner: Int
  private let showsDetails: Bool
  private let columnCount: Int

  var titles: [String] { visible.map(\.title) }

  init(_ table: TextTable, style: TerminalStyle, maxWidth: Int) {
    let columns = table.columns
    self.style = style
    columnCount = columns.count
    var (widths, longestDetail) = Self.measure(table)
    let natural = widths
    // Too wide for the terminal: shrinkable columns give way, down to their minimum widths.
    var excess = widths.reduce(0, +) + 2 * max(0, widths.count - 1) - (maxWidth - 4)
    for i in columns.indices where excess > 0 {
      guard let minimum = columns[i].minWidth, widths[i] > minimum else { continue }
      let cut = min(excess, widths[i] - minimum)
      widths[i] -= cut
      excess -= cut
    }
    // Still too wide: no detail lines, and the droppable columns go, lowest rank first.
    var shown = Array(columns.indices)
    showsDetails = excess <= 0
    let droppable = columns.indices.compactMap { i in columns[i].dropRank.map { (column: i, rank: $0) } }
    for i in droppable.sorted(by: { $0.rank < $1.rank }).map(\.column) where excess > 0 {
      shown.removeAll { $0 == i }
      excess -= widths[i] + 2
    }
    // Room left by a dropped column goes back to the shrunk columns, left to right.
    for i in shown where excess < 0 && widths[i] < natural[i] {
      let grow = min(-excess, natural[i] - widths[i])
      widths[i] += grow
      excess += grow
    }
    self.shown = shown
    visible = shown.map { columns[$0] }
    widths = shown.map { widths[$0] }
    let columnsWidth = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
    // Detail lines may widen the frame up to `detailWidth`; the first column takes up the slack.
    inner = max(columnsWidth, min(showsDetails ? longestDetail : 0, table.detailWidth, maxWidth - 4))
    if let first = widths.indices.first { widths[first] += inner - columnsWidth }
    self.widths = widths
  }

  /// Each column's natural width (its widest cell or title, up to its maximum) and the widest
  /// detail line; a large table is measured a run of rows per thread.
  private static func measure(_ table: TextTable) -> (widths: [Int], longestDetail: Int) {
    let workers = ParallelRows.workers(for: table.rows.count)
    let runs = ParallelRows.array(count: workers, workers: workers) { worker in
      var widths = table.columns.map { TextTable.width($0.title) }
      var longestDetail = 0
      for index in ParallelRows.run(worker, of: workers, in: table.rows.count) {
        measure(table.rows[index], columns: table.columns, &widths, &longestDetail)
      }
      return (widths, longestDetail)
    }
    var widths = runs[0].0
    var longestDetail = runs.map(\.1).max() ?? 0
    for run in runs.dropFirst() {
      for i in widths.indices { widths[i] = max(widths[i], run.0[i]) }
    }
    if let footer = table.footer { measure(footer, columns: table.columns, &widths, &longestDetail) }
    return (widths, longestDetail)
  }

  /// Widens `widths` to `row`'s cells (up to each column's maximum) and `longestDetail` to its detail lines.
  private static func measure(
    _ row: TextTable.Row, columns: [TextTable.Column], _ widths: inout [Int], _ longestDetail: inout Int
  ) {
    for (i, cell) in row.cells.enumerated() where i < widths.count {
      widths[i] = max(widths[i], min(TextTable.width(cell), columns[i].maxWidth))
    }
    for detail in row.details { longestDetail = max(longestDetail, TextTable.joinedWidth(detail) + 2) }
  }

  /// A rule across the frame between the corner pieces `left` and `right`.
  func appendRule(_ left: String, _ right: String, to text: inout TextBytes) {
    text.append(left)
    text.append(String(repeating: "─", count: max(0, inner + 2)))
    text.append(right)
    text.append(byte: UInt8(ascii: "\n"))
  }

  /// `row`'s lines: its cells (in the visible columns), then its detail lines when they are kept.
  func appendRow(_ row: TextTable.Row, isFooter: Bool, to text: inout TextBytes, scratch: inout TextBytes) {
    if shown.count == columnCount && row.cells.count == columnCount {
      appendCells(row.cells, isWarning: row.isWarning, isHeader: isFooter, to: &text, scratch: &scratch)
    } else {
      let cells = shown.map { $0 < row.cells.count ? row.cells[$0] : "" }
      appendCells(cells, isWarning: row.isWarning, isHeader: isFooter, to: &text, scratch: &scratch)
    }
    guard showsDetails else { return }
    for detail in row.details {
      if let joined = TextTable.simpleJoinedWidth(detail), joined <= inner - 2 {
        // The usual case: the segments fit on one line, which is them joined by ` · `.
        appendDetail(detail, visibleCount: joined + 2, to: &text)
        continue
      }
      for wrapped in TextTable.wrappedLines(detail, width: inner - 2) {
        appendLine(indent: "  ", visibleCount: wrapped.width + 2, to: &text) { text in
          style.enabled ? text.append(style.dim(wrapped.text.string)) : text.append(wrapped.text)
        }
      }
    }
  }

  /// The detail line of `segments` that fit on one line (``TextTable/wrappedLines(_:width:)``'s only
  /// line for them): the non-empty ones joined by ` · `, dimmed; none when all are empty.
  private func appendDetail(_ segments: [String], visibleCount: Int, to text: inout TextBytes) {
    guard segments.contains(where: { !$0.isEmpty }) else { return }
    let (on, off) = style.dimCodes
    appendLine(indent: "  ", visibleCount: visibleCount, to: &text) { text in
      text.append(on)
      TextTable.join(segments, into: &text)
      text.append(off)
    }
  }

  /// One line of `cells`, each shortened or filled out to its column's width. The cells are laid
  /// out in `scratch` (emptied first, its capacity kept from line to line), their widths added up
  /// while every piece is simple (``TextTable/simpleWidth(_:)``), else counted once at the end.
  func appendCells(
    _ cells: [String], isWarning: Bool, isHeader: Bool, to text: inout TextBytes, scratch: inout TextBytes
  ) {
    scratch.removeAll()
    var plainWidth: Int? = 0
    for (i, cell) in cells.enumerated() {
      if i > 0 { scratch.appendSpaces(2) }
      var short = cell
      var shortWidth = TextTable.simpleWidth(cell)
      if (shortWidth ?? cell.count) > widths[i] {
        short =
          visible[i].shortening == .path
          ? TextTable.shortenPath(cell, to: widths[i]) : TextTable.shorten(cell, to: widths[i])
        shortWidth = TextTable.simpleWidth(short)
      }
      let fill = widths[i] - (shortWidth ?? short.count)
      if visible[i].alignment == .left {
        scratch.append(short)
        scratch.appendSpaces(fill)
      } else {
        scratch.appendSpaces(fill)
        scratch.append(short)
      }
      plainWidth = plainWidth.flatMap { sum in shortWidth.map { sum + max($0, widths[i]) + (i > 0 ? 2 : 0) } }
    }
    guard isHeader || isWarning || plainWidth == nil else {
      return appendLine(visibleCount: plainWidth ?? 0, to: &text) { $0.append(scratch) }
    }
    let line = scratch.string
    let body = isHeader ? style.bold(line) : isWarning ? style.yellow(line) : line
    appendLine(visibleCount: plainWidth ?? TextTable.width(line), to: &text) { $0.append(body) }
  }

  /// The line `body` writes after `indent` in the frame, filled out to ``inner`` (it is
  /// `visibleCount` characters long with the indent), and a newline.
  private func appendLine(
    indent: String = "", visibleCount: Int, to text: inout TextBytes, body: (inout TextBytes) -> Void
  ) {
    text.append("│ ")
    text.append(indent)
    body(&text)
    text.appendSpaces(inner - visibleCount)
    text.append(" │\n")
  }
}
