/// A strict JSON parser straight into ``JSONValue``, for the common case: UTF-8 without a
/// byte-order mark, RFC 8259 syntax. `JSONSerialization` builds a tree of boxed Foundation
/// objects first (a 100,000-layer Keras config took seconds and gigabytes); this builds the
/// values directly. It gives up (returns `nil`) on anything it does not read exactly as
/// `JSONSerialization` would (another encoding, a syntax error, nesting past 512 levels, an
/// integer past `Int`, a real of more than 17 digits, a repeated key, invalid UTF-8), and
/// ``JSONValue/parse(_:fileName:)`` then asks `JSONSerialization`, for its result or its error.
struct JSONFastParser {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0
  /// The object keys, from the root, of the array whose elements are skimmed instead of read.
  private var deferredPath: [String] = []
  /// The skimmed array's elements (``Skimmed``), once it has been found.
  private var skimmed: Skimmed?
  /// The most elements whose ranges the skim keeps.
  private var skimLimit = Int.max
  /// The members and elements read so far of the objects and arrays open, innermost last: each
  /// object or array is built once its size is known (one allocation).
  private var openMembers: [(key: String, value: JSONValue)] = []
  private var openElements: [JSONValue] = []

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// The value `bytes` holds, or `nil` where `JSONSerialization` must decide.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
    var parser = JSONFastParser(bytes)
    return parser.document()
  }

  /// The elements of a large array left out of a parse: how many there are, where each one
  /// lies, for ``element(in:at:depth:)`` to read (none kept when there are more than the parse
  /// was told to keep), and the nesting depth they are read at.
  struct Skimmed {
    var count = 0
    var ranges: [Range<Int>] = []
    var depth = 0
  }

  /// Parses `bytes` as ``parse(_:)`` does, except that the elements of the array found at `path`
  /// (object keys from the root) are only skimmed: their byte ranges are found (strings stepped
  /// over, brackets counted) and that array stays empty in the tree. A caller then reads the
  /// elements one at a time, or several at once on several threads, with ``element(in:at:depth:)``,
  /// and never holds the whole document as a tree. The document is JSON, as ``parse(_:)`` decides,
  /// exactly when this returns a tree and every skimmed element reads. Past `limit` elements
  /// only their count is kept (a caller refuses so many; their ranges would take 16 bytes each).
  static func parse(
    _ bytes: UnsafeBufferPointer<UInt8>, skimmingElementsAt path: [String], keepingAtMost limit: Int = .max
  ) -> (root: JSONValue, elements: Skimmed)? {
    var parser = JSONFastParser(bytes)
    parser.deferredPath = path
    parser.skimLimit = limit
    guard let root = parser.document() else { return nil }
    return (root, parser.skimmed ?? Skimmed())
  }

  /// A skimmed element (``parse(_:skimmingElementsAt:)``), read; `nil` where it is not one whole
  /// JSON value, or not one that ``parse(_:)`` reads.
  static func element(in bytes: UnsafeBufferPointer<UInt8>, at range: Range<Int>, depth: Int) -> JSONValue? {
    var parser = JSONFastParser(UnsafeBufferPointer(rebasing: bytes[..<range.upperBound]))
    parser.index = range.lowerBound
    guard let value = parser.value(depth: depth, path: -1), parser.index == range.upperBound else { return nil }
    return value
  }

  private mutating func document() -> JSONValue? {
    // A byte-order mark or a zero among the first bytes means another encoding.
    guard let first = bytes.first, first < 0x80, !bytes.prefix(4).contains(0) else { return nil }
    guard let value = value(depth: 0, path: deferredPath.isEmpty ? -1 : 0) else { return nil }
    skipWhitespace()
    return index == bytes.count ? value : nil
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  /// The value at `index`; `path` counts the keys of ``deferredPath`` that lead to it (-1 when off it).
  private mutating func value(depth: Int, path: Int) -> JSONValue? {
    skipWhitespace()
    guard index < bytes.count, depth < 512 else { return nil }
    switch bytes[index] {
    case UInt8(ascii: "{"): return object(depth: depth + 1, path: path)
    case UInt8(ascii: "["): return array(depth: depth + 1, deferring: path == deferredPath.count)
    case UInt8(ascii: "\""): return string().map(JSONValue.string)
    case UInt8(ascii: "t"): return literal("true", .bool(true))
    case UInt8(ascii: "f"): return literal("false", .bool(false))
    case UInt8(ascii: "n"): return literal("null", .null)
    default: return number()
    }
  }

  private mutating func literal(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { return nil }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return nil }
    index += count
    return value
  }

  private mutating func object(depth: Int, path: Int) -> JSONValue? {
    index += 1
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object([:])
    }
    let base = openMembers.count
    defer { openMembers.removeSubrange(base...) }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else {
        return nil
      }
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
      index += 1
      let onPath = path >= 0 && path < deferredPath.count && key == deferredPath[path]
      guard let member = value(depth: depth, path: onPath ? path + 1 : -1) else { return nil }
      openMembers.append((key, member))
      skipWhitespace()
      guard index < bytes.count else { return nil }
      index += 1
      switch bytes[index - 1] {
      case UInt8(ascii: ","): continue
      case UInt8(ascii: "}"):
        // A repeated key gives up.
        return JSONObject(uniqueMembers: Array(openMembers[base...])).map(JSONValue.object)
      default: return nil
      }
    }
  }

  private mutating func array(depth: Int, deferring: Bool) -> JSONValue? {
    index += 1
    if deferring {
      guard let found = skimElements() else { return nil }
      skimmed = Skimmed(count: found.count, ranges: found.ranges, depth: depth)
      return .array([])
    }
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array([])
    }
    let base = openElements.count
    defer { openElements.removeSubrange(base...) }
    while true {
      guard let element = value(depth: depth, path: -1) else { return nil }
      openElements.append(element)
      skipWhitespace()
      guard index < bytes.count else { return nil }
      index += 1
      switch bytes[index - 1] {
      case UInt8(ascii: ","): continue
      case UInt8(ascii: "]"): return .array(Array(openElements[base...]))
      default: return nil
      }
    }
  }

  /// The number of elements of the array at `index` (just past its `[`) and, up to
  /// ``skimLimit`` of them, their ranges, from each one's first byte to just past its last that
  /// is not blank; `index` ends past the `]`. Nothing is read
  /// or checked but the strings' ends and the brackets' nesting: ``element(in:at:depth:)`` reads
  /// each range as one value and refuses what is not. `nil` when the bytes end first or a `}`
  /// closes the array.
  private mutating func skimElements() -> (count: Int, ranges: [Range<Int>])? {
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
      index += 1
      return (0, [])
    }
    var count = 0
    var ranges: [Range<Int>] = []
    func found(_ range: Range<Int>) {
      count += 1
      if count <= skimLimit {
        ranges.append(range)
      } else if !ranges.isEmpty {
        ranges = []
      }
    }
    var depth = 0
    var start = index
    var end = index
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
          index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard index < bytes.count else { return nil }
        index += 1
        end = index
      case UInt8(ascii: "["), UInt8(ascii: "{"):
        depth += 1
        end = index
      case UInt8(ascii: "]"), UInt8(ascii: "}"):
        if depth == 0 {
          guard byte == UInt8(ascii: "]") else { return nil }
          found(start..<end)
          return (count, ranges)
        }
        depth -= 1
        end = index
      case UInt8(ascii: ",") where depth == 0:
        found(start..<end)
        skipWhitespace()
        start = index
        end = index
      case 0x20, 0x09, 0x0A, 0x0D:
        break
      default:
        end = index
      }
    }
    return nil
  }

  /// A string at `index` (its opening quote); escapes decoded, the UTF-8 validated.
  private mutating func string() -> String? {
    index += 1
    let start = index
    // The common case: no escapes, so the bytes are the string (ASCII ones need no validation).
    var ascii = true
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        defer { index += 1 }
        let utf8 = UnsafeBufferPointer(rebasing: bytes[start..<index])
        return ascii ? String(decoding: utf8, as: UTF8.self) : Self.validated(utf8)
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { return nil }
      if byte >= 0x80 { ascii = false }
      index += 1
    }
    var scalars: [UInt8] = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""): return scalars.withUnsafeBufferPointer(Self.validated)
      case UInt8(ascii: "\\"):
        guard index < bytes.count else { return nil }
        index += 1
        switch bytes[index - 1] {
        case UInt8(ascii: "\""): scalars.append(0x22)
        case UInt8(ascii: "\\"): scalars.append(0x5C)
        case UInt8(ascii: "/"): scalars.append(0x2F)
        case UInt8(ascii: "b"): scalars.append(0x08)
        case UInt8(ascii: "f"): scalars.append(0x0C)
        case UInt8(ascii: "n"): scalars.append(0x0A)
        case UInt8(ascii: "r"): scalars.append(0x0D)
        case UInt8(ascii: "t"): scalars.append(0x09)
        case UInt8(ascii: "u"):
          guard let unit = hex4(), !UTF16.isTrailSurrogate(unit) else { return nil }
          var scalar = Unicode.Scalar(unit)
          if UTF16.isLeadSurrogate(unit) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { return nil }
            index += 2
            guard let trail = hex4(), UTF16.isTrailSurrogate(trail) else { return nil }
            scalar = Unicode.Scalar(0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(trail - 0xDC00))
          }
          guard let scalar else { return nil }
          scalars.append(contentsOf: String(Character(scalar)).utf8)
        default: return nil
        }
      default:
        if byte < 0x20 { return nil }
        scalars.append(byte)
      }
    }
    return nil
  }

  /// `utf8` as a string, or `nil` when it is not valid UTF-8.
  private static func validated(_ utf8: UnsafeBufferPointer<UInt8>) -> String? {
    if utf8.allSatisfy({ $0 < 0x80 }) { return String(decoding: utf8, as: UTF8.self) }
    var iterator = utf8.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue: continue
      case .emptyInput: return String(decoding: utf8, as: UTF8.self)
      case .error: return nil
      }
    }
  }

  private mutating func hex4() -> UInt16? {
    guard index + 4 <= bytes.count else { return nil }
    var value: UInt16 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt16(digit)
      index += 1
    }
    return value
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: an integer that fits `Int`, or a
  /// real of at most 15 digits times a power of ten within 10^±22, which every parser reads as
  /// the same `Double` (both factors are exact; `JSONSerialization` rounds longer ones its own way).
  private mutating func number() -> JSONValue? {
    let start = index
    var digits = 0
    var fractionDigits = 0
    var exponent = 0
    var isInteger = true
    func digitRun() -> Int {
      let from = index
      while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
      return index - from
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count else { return nil }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      digits = 1
    } else {
      digits = digitRun()
      guard digits > 0 else { return nil }
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      index += 1
      isInteger = false
      fractionDigits = digitRun()
      guard fractionDigits > 0 else { return nil }
      digits += fractionDigits
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      index += 1
      isInteger = false
      let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
      if index < bytes.count && (negative || bytes[index] == UInt8(ascii: "+")) { index += 1 }
      let from = index
      guard (1...3).contains(digitRun()) else { return nil }
      for byte in bytes[from..<index] { exponent = exponent * 10 + Int(byte - UInt8(ascii: "0")) }
      if negative { exponent = -exponent }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    if isInteger { return Int(text).map(JSONValue.int) }
    guard digits <= 15, (-22...22).contains(exponent - fractionDigits), let real = Double(text) else { return nil }
    return .double(real)
  }
}
