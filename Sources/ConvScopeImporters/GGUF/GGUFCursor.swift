import ConvScopeCore
import Foundation

/// A bounds-checked little-endian reader over a GGUF file's header bytes. Every read checks
/// what is left before it loads, and every error names the file and the byte offset where
/// the field starts, so a truncated or hostile header is one line and never a trap.
struct GGUFCursor {
  /// The file's bytes (usually a mapping: only what the header spans is ever touched).
  let bytes: UnsafeRawBufferPointer
  /// The file name errors carry.
  let fileName: String
  /// Where the next read starts.
  private(set) var offset = 0

  init(bytes: UnsafeRawBufferPointer, fileName: String) {
    self.bytes = bytes
    self.fileName = fileName
  }

  /// Bytes after the cursor.
  var remaining: Int { bytes.count - offset }

  /// An error located at `at` (the cursor by default).
  func error(_ message: String, at: Int? = nil) -> ConvScopeError {
    ConvScopeError(file: fileName, byteOffset: at ?? offset, message: message)
  }

  /// Checks that `count` bytes of `what` are there.
  func require(_ count: Int, _ what: String) throws(ConvScopeError) {
    guard count <= remaining else {
      throw error("\(what) needs \(count) bytes but the file ends \(remaining) bytes later (truncated header)")
    }
  }

  /// A fixed-width little-endian integer.
  mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws(ConvScopeError) -> T {
    try require(MemoryLayout<T>.size, what)
    let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    offset += MemoryLayout<T>.size
    return value
  }

  /// A `uint64` count or size that must fit in `Int`.
  mutating func count(_ what: String) throws(ConvScopeError) -> Int {
    let start = offset
    let value = try integer(UInt64.self, what)
    guard value <= UInt64(Int.max) else {
      throw error("\(what) \(value) does not fit a signed 64-bit count", at: start)
    }
    return Int(value)
  }

  /// A `uint64` count of items of at least `minimumSize` bytes each, refused when the rest of
  /// the file cannot hold that many or when it passes `limit`.
  mutating func count(_ what: String, minimumSize: Int, limit: Int, limitHint: String) throws(ConvScopeError) -> Int {
    let start = offset
    let value = try count(what)
    guard value <= remaining / max(minimumSize, 1) else {
      throw error(
        "\(what) \(value) exceeds what the \(remaining) bytes left in the file can hold "
          + "(at least \(minimumSize) bytes each)", at: start)
    }
    guard value <= limit else {
      throw error("\(what) \(value) is more than the limit of \(limit) (\(limitHint))", at: start)
    }
    return value
  }

  /// A GGUF string: a `uint64` length, then that many UTF-8 bytes (invalid UTF-8 is repaired
  /// for display, never trusted as a length).
  mutating func string(_ what: String, limit: Int = .max) throws(ConvScopeError) -> String {
    let start = offset
    let length = try count("\(what) length")
    guard length <= remaining else {
      throw error(
        "\(what) length \(length) runs past the end of the file (\(remaining) bytes left)", at: start)
    }
    guard length <= limit else { throw error("\(what) length \(length) is more than the limit of \(limit)", at: start) }
    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
    offset += length
    return text
  }

  /// Skips `count` bytes of `what`.
  mutating func skip(_ count: Int, _ what: String) throws(ConvScopeError) {
    try require(count, what)
    offset += count
  }
}
