import ConvScopeCore
import ConvScopeReport

/// ANSI styling for the terminal table; a no-op when colour is off, so the
/// same code writes plain text for pipes, files and golden tests.
struct TerminalStyle: Sendable {
  let enabled: Bool

  func bold(_ text: String) -> String { wrap(text, "1") }
  func dim(_ text: String) -> String { wrap(text, "2") }
  func yellow(_ text: String) -> String { wrap(text, "33") }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
