import ArgumentParser
import ConvScope

/// The one place errors become what a user sees: a single line
/// `convscope: error: <what and where>` on standard error and exit status 1.
/// Argument errors never reach here: swift-argument-parser prints them with the
/// usage and exits 64.
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

  /// `text` with line breaks turned into spaces, so an error is always one line.
  static func oneLine(_ text: String) -> String {
    String(text.map { $0.isNewline ? " " : $0 })
  }
}
