import ConvScopeCore
import ConvScopeReport

/// ANSI styling for the terminal table; a no-op when colour is off, so the
/// same code writes plain text for pipes, files and golden tests.
struct TerminalStyle: Sendable {
  let enabled: Bool

  func bold(_ text: String) -> String { wrap(text, "1") }
  func dim(_ text: String) -> String { wrap(text, "2") }
  func yellow(_ text: String) -> String { wrap(text, "33") }

  /// The codes ``dim(_:)`` puts around a non-empty text; empty when colour is off.
  var dimCodes: (on: String, off: String) { codes("2") }

  private func codes(_ code: String) -> (on: String, off: String) {
    enabled ? ("\u{1B}[\(code)m", "\u{1B}[0m") : ("", "")
  }

  private func wrap(_ text: String, _ code: String) -> String {
    guard enabled, !text.isEmpty else { return text }
    let (on, off) = codes(code)
    return on + text + off
  }
}
