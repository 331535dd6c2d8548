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

  /// True when the user asked for no colour (`NO_COLOR` set and not empty; see no-color.org).
  static var noColorRequested: Bool {
    guard let value = getenv("NO_COLOR") else { return false }
    return value.pointee != 0
  }

  static func writeOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

  static func writeError(_ text: String) { write(text, to: STDERR_FILENO) }

  /// Everything on standard input, read to its end.
  static func readStandardInput() -> Data {
    var bytes = Data()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { return bytes }
      bytes.append(contentsOf: buffer[..<count])
    }
  }

  /// Writes all of `text` to file descriptor `fd` (unbuffered; retries short writes).
  private static func write(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        guard let base = buffer.baseAddress else { return }
        let written = system_write(fd, base + offset, buffer.count - offset)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
      }
    }
  }
}

#if canImport(Darwin)
  private let system_write = Darwin.write
#elseif canImport(Musl)
  private let system_write = Musl.write
#else
  private let system_write = Glibc.write
#endif
