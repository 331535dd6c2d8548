import ConvScope

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The process's standard streams and what they are connected to.
enum Terminal {
  /// True when standard output is a terminal (not a pipe or a file).
  static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

  /// True when standard error is a terminal (where a progress bar may be drawn).
  static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// The width output is fitted to: `COLUMNS` when it is a positive number, else the
  /// terminal's width (TIOCGWINSZ on standard output), else 100 (a pipe or a file).
  static var width: Int {
    if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 {
      return columns
    }
    var size = winsize()
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    return 100
  }

  /// True when the user asked for no colour (`NO_COLOR` set and not empty; see no-color.org).
  static var noColorRequested: Bool {
    guard let value = getenv("NO_COLOR") else { return false }
    return value.pointee != 0
  }

  /// Writes `text` to standard output; a failed write (a full disk, a closed descriptor) is an error.
  static func writeOutput(_ text: String) throws(ConvScopeError) {
    if let code = write(text, to: STDOUT_FILENO) {
      throw ConvScopeError(file: "standard output", message: "cannot write the report: \(describe(errno: code))")
    }
  }

  static func writeError(_ text: String) { _ = write(text, to: STDERR_FILENO) }

  /// Ends the process with `status`.
  static func exit(_ status: Int32) -> Never { systemExit(status) }

  /// Writes what `produce` hands its writer, piece by piece, to a new (or emptied) file at
  /// `path`; errors say what the system said (permission denied, no such file or directory,
  /// read-only file system, no space left).
  static func writeFile(
    to path: String, _ produce: (_ write: (String) throws(ConvScopeError) -> Void) throws(ConvScopeError) -> Void
  ) throws(ConvScopeError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
      throw ConvScopeError(file: path, field: "--output", message: "cannot write the report: \(describe(errno: errno))")
    }
    var failure: Int32?
    do {
      try produce { (piece) throws(ConvScopeError) in
        if let code = write(piece, to: fd) {
          throw ConvScopeError(
            file: path, field: "--output", message: "cannot write the report: \(describe(errno: code))")
        }
      }
    } catch {
      _ = close(fd)
      throw error
    }
    failure = close(fd) == 0 ? nil : errno
    if let code = failure {
      throw ConvScopeError(file: path, field: "--output", message: "cannot write the report: \(describe(errno: code))")
    }
  }

  /// The system's words for `errno` code, lower-cased to sit inside a sentence: "permission denied".
  static func describe(errno code: Int32) -> String { FileReading.posixText(code) }

  /// Writes all of `text` to file descriptor `fd` (unbuffered; retries short writes); the
  /// `errno` of a failed write, `nil` when all was written.
  private static func write(_ text: String, to fd: Int32) -> Int32? {
    var text = text  // its UTF-8 in place: no copy of a report's hundreds of megabytes
    return text.withUTF8 { buffer -> Int32? in
      var offset = 0
      while offset < buffer.count {
        guard let base = buffer.baseAddress else { return nil }
        let written = systemWrite(fd, base + offset, buffer.count - offset)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return written < 0 ? errno : EIO }
        offset += written
      }
      return nil
    }
  }
}

#if canImport(Darwin)
  private let systemWrite = Darwin.write
  private let systemExit = Darwin.exit
#elseif canImport(Musl)
  private let systemWrite = Musl.write
  private let systemExit = Musl.exit
#else
  private let systemWrite = Glibc.write
  private let systemExit = Glibc.exit
#endif
