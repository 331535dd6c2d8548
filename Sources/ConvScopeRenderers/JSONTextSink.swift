/// Where ``JSONTextEncoder`` writes: UTF-8 kept in one buffer, or handed to `flush` as text in
/// pieces of about `pieceSize` bytes (``OutputPieces/size`` unless told).
final class JSONTextSink {
  // The bytes in a buffer of its own: an append is a bounds check and a copy, without an
  // array's uniqueness check and growth path, and without the dynamic exclusivity check of a
  // class property (the sink is written through its methods only, one call at a time).
  @exclusivity(unchecked) private var storage: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var capacity: Int
  @exclusivity(unchecked) private var count = 0
  private let flush: ((String) throws -> Void)?
  private let pieceSize: Int

  init(flush: ((String) throws -> Void)? = nil, pieceSize: Int = OutputPieces.size) {
    self.flush = flush
    self.pieceSize = pieceSize
    capacity = flush == nil ? 256 : pieceSize + pieceSize / 4
    storage = .allocate(capacity: capacity)
  }

  deinit { storage.deallocate() }

  /// The bytes written so far.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

  /// Everything written so far, as text.
  var text: String { String(decoding: bytes, as: UTF8.self) }

  func append(_ piece: String) {
    var piece = piece
    piece.withUTF8 { append($0) }
  }

  func append(_ piece: UnsafeBufferPointer<UInt8>) {
    guard let source = piece.baseAddress, !piece.isEmpty else { return }
    reserve(piece.count)
    (storage + count).update(from: source, count: piece.count)
    count += piece.count
  }

  func append(_ piece: [UInt8]) { piece.withUnsafeBufferPointer { append($0) } }

  func append(byte: UInt8) {
    reserve(1)
    storage[count] = byte
    count += 1
  }

  /// Room for `extra` more bytes, doubling the buffer when it is full.
  private func reserve(_ extra: Int) {
    guard count + extra > capacity else { return }
    let grown = max(capacity * 2, count + extra)
    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
    larger.update(from: storage, count: count)
    storage.deallocate()
    storage = larger
    capacity = grown
  }

  /// Hands the text so far to `flush`, when there is one and enough has gathered.
  func flushIfFull() throws {
    guard let flush, count >= pieceSize else { return }
    try flush(text)
    count = 0
  }

  /// Appends `piece` (UTF-8 text) about a flush size at a time, handing each full piece to
  /// `flush`: a large piece never grows the buffer far past that size. Each cut falls between
  /// two characters, never inside one (each handed piece is a string of its own).
  func append(flushing piece: UnsafeBufferPointer<UInt8>) throws {
    guard flush != nil else { return append(piece) }
    var rest = piece[...]
    while !rest.isEmpty {
      var cut = min(rest.endIndex, rest.startIndex + max(1, pieceSize - count))
      while cut < rest.endIndex && rest[cut] & 0xC0 == 0x80 { cut += 1 }  // a continuation byte
      append(UnsafeBufferPointer(rebasing: rest[..<cut]))
      try flushIfFull()
      rest = rest[cut...]
    }
  }

  /// Empties the buffer, keeping its capacity.
  func removeAll() { count = 0 }

  /// Hands whatever is left to `flush`.
  func finish() throws {
    guard let flush, count > 0 else { return }
    try flush(text)
    count = 0
  }

  func indent(_ level: Int) {
    var left = 2 * level
    while left > 0 {
      let piece = min(left, Self.blanks.count)
      Self.blanks.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[..<piece])) }
      left -= piece
    }
  }

  private static let blanks = [UInt8](repeating: UInt8(ascii: " "), count: 64)

  /// `string` quoted, with JSONEncoder's escapes (slashes left alone).
  func quoted(_ string: String) {
    var string = string
    let plain = string.withUTF8 { utf8 in
      guard !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
      append(byte: UInt8(ascii: "\""))
      append(utf8)
      append(byte: UInt8(ascii: "\""))
      return true
    }
    if plain { return }
    var escaped: [UInt8] = [UInt8(ascii: "\"")]
    for byte in string.utf8 {
      switch byte {
      case UInt8(ascii: "\""): escaped += [0x5C, 0x22]
      case UInt8(ascii: "\\"): escaped += [0x5C, 0x5C]
      case 0x08: escaped += [0x5C, UInt8(ascii: "b")]
      case 0x0C: escaped += [0x5C, UInt8(ascii: "f")]
      case 0x0A: escaped += [0x5C, UInt8(ascii: "n")]
      case 0x0D: escaped += [0x5C, UInt8(ascii: "r")]
      case 0x09: escaped += [0x5C, UInt8(ascii: "t")]
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        escaped += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      default: escaped.append(byte)
      }
    }
    escaped.append(UInt8(ascii: "\""))
    append(escaped)
  }
}
