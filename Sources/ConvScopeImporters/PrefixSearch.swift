import Foundation

extension Data {
  /// Whether these bytes hold `text`'s UTF-8 bytes: what the importers' `recognizes` look for
  /// in a file's opening bytes. A byte search: `String.contains` with Foundation imported goes
  /// through `NSString` (about 150,000 instructions a call, a tenth of a small model's run).
  func containsUTF8(_ text: String) -> Bool {
    let needle = Array(text.utf8)
    guard let first = needle.first else { return true }
    guard needle.count <= count else { return false }
    return withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      return (0...(bytes.count - needle.count)).contains { start in
        bytes[start] == first && needle.indices.dropFirst().allSatisfy { bytes[start + $0] == needle[$0] }
      }
    }
  }
}

extension Sequence<UInt8> {
  /// The first byte that is not JSON whitespace (space, tab, line feed, carriage return): what
  /// a JSON document's recognizer looks at, without decoding the bytes into a `String`.
  var firstNonBlankByte: UInt8? {
    first { byte in
      switch byte {
      case 0x20, 0x09, 0x0A, 0x0D: false
      default: true
      }
    }
  }
}
