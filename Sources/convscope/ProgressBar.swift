/// A one-line progress bar on standard error, redrawn in place (`[######······] 3/7 models`),
/// drawn only when standard error is a terminal: piped or redirected, it writes nothing.
struct ProgressBar {
  /// False when standard error is not a terminal: nothing is drawn.
  let enabled: Bool
  /// The bar's width in cells, between the brackets.
  static let cells = 30

  /// The line for `done` of `total` (without the carriage return that redraws it).
  static func line(done: Int, total: Int) -> String {
    let filled = total == 0 ? cells : cells * done / total
    return "[" + String(repeating: "#", count: filled) + String(repeating: "·", count: cells - filled) + "] "
      + "\(done)/\(total) model\(total == 1 ? "" : "s")"
  }

  /// Redraws the bar for `done` of `total`.
  func show(_ done: Int, _ total: Int) {
    guard enabled else { return }
    Terminal.writeError("\r" + Self.line(done: done, total: total))
  }

  /// Erases the bar, so the summary starts on a clean line.
  func finish() {
    guard enabled else { return }
    Terminal.writeError("\r\u{1B}[2K")
  }
}
