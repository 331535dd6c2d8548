/// Text on its way to a `write` closure in pieces of about 64 KiB: a large report's output is
/// never held whole (and the piece's memory, reused from the heap, is not faulted in afresh a
/// megabyte at a time). The text gathers as bytes (``TextBytes``) and becomes a `String` once a
/// piece, when handed on.
struct OutputPieces {
  /// The size at which a piece is handed on.
  static let size = 1 << 16

  /// What is written and not yet handed on.
  var text = TextBytes(capacity: size + size / 4)

  /// Appends `line` and a newline, and hands the text on once it reaches ``size``.
  mutating func line<E: Error>(_ line: String, to write: (String) throws(E) -> Void) throws(E) {
    text.append(line)
    text.append(byte: UInt8(ascii: "\n"))
    try Self.flush(&text, ifFullTo: write)
  }

  /// Appends each of `lines` as ``line(_:to:)`` does.
  mutating func lines<E: Error>(_ lines: [String], to write: (String) throws(E) -> Void) throws(E) {
    for line in lines { try self.line(line, to: write) }
  }

  /// Hands whatever is left on.
  mutating func finish<E: Error>(to write: (String) throws(E) -> Void) throws(E) {
    guard !text.isEmpty else { return }
    try write(text.string)
    text.removeAll()
  }

  /// The text that `render` hands to its `write` closure, in one string.
  static func whole(_ render: ((String) -> Void) -> Void) -> String {
    var text = ""
    render { text += $0 }
    return text
  }

  /// Hands `text` to `write`, and empties it, once it reaches ``size``: for text written
  /// straight into ``text`` (a table's rows).
  static func flush<E: Error>(_ text: inout TextBytes, ifFullTo write: (String) throws(E) -> Void) throws(E) {
    guard text.count >= size else { return }
    try write(text.string)
    text.removeAll()
  }
}
