import ArgumentParser
import ConvScope

/// The one place errors become what a user sees: a single line
/// `convscope: error: <what and where>` on standard error, and exit status 1; a wrong
/// command line gets the same line, then a one-line hint naming the help to read, and 64.
enum ErrorReporting {
  /// Runs `body`; a ``ConvScopeError`` is printed as one line and ends the process with status 1.
  static func run(_ body: () throws(ConvScopeError) -> Void) throws(ExitCode) {
    do {
      try body()
    } catch {
      Terminal.writeError("convscope: error: \(oneLine(CommandLineRequest.flagged(error).description))\n")
      throw ExitCode.failure
    }
  }

  /// Ends the process for an error the argument parser caught or `run()` threw: help and
  /// `--version` as the parser prints them, everything else as one error line.
  static func exit(_ error: any Error) -> Never {
    let code = ConvScopeCommand.exitCode(for: error)
    let message = ConvScopeCommand.message(for: error)
    guard code != .success, !message.isEmpty else { ConvScopeCommand.exit(withError: error) }
    var text = "convscope: error: \(oneLine(message))\n"
    if code == .validationFailure, let hint = helpHint(ConvScopeCommand.fullMessage(for: error, columns: 10_000)) {
      text += "\(hint)\n"
    }
    Terminal.writeError(text)
    Terminal.exit(code.rawValue)
  }

  /// `See 'convscope analyze --help' for more information.` from the parser's full text, as one line.
  private static func helpHint(_ fullText: String) -> String? {
    guard let line = fullText.split(separator: "\n").first(where: { $0.contains("See '") }) else { return nil }
    return "convscope: " + line.trimmingPrefix(while: \.isWhitespace).replacing("See", with: "see", maxReplacements: 1)
  }

  /// `text` with line breaks turned into spaces, so an error is always one line, and each
  /// word longer than 300 characters (a hostile name) shortened to its ends.
  static func oneLine(_ text: String) -> String {
    let flat = String(text.map { $0.isNewline ? " " : $0 })
    guard flat.utf8.count > 300 else { return flat }
    return flat.split(separator: " ", omittingEmptySubsequences: false).map { word in
      word.count <= 300 ? String(word) : "\(word.prefix(100))…(\(word.count - 200) characters)…\(word.suffix(100))"
    }.joined(separator: " ")
  }
}
