/// UTF-8 text being built, as bytes: appending a string copies its bytes (no `String` append,
/// whose bookkeeping costs more than the copy for the short pieces a table row or a formula is
/// made of), and spaces are filled in place. It becomes a `String` once, when done.
struct TextBytes {
  private(set) var bytes: [UInt8] = []

  /// Empty, with room for `capacity` bytes.
  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  var isEmpty: Bool { bytes.isEmpty }
  var count: Int { bytes.count }

  /// The text so far.
  var string: String { String(decoding: bytes, as: UTF8.self) }

  mutating func append(_ text: String) {
    var text = text  // its UTF-8 in place (no copy)
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ other: TextBytes) { bytes.append(contentsOf: other.bytes) }

  mutating func append(byte: UInt8) { bytes.append(byte) }

  /// Appends `count` spaces (none for a negative count).
  mutating func appendSpaces(_ count: Int) {
    guard count > 0 else { return }
    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
  }

  /// Empties the text, keeping its capacity.
  mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}
