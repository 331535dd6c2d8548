import ConvScopeCore

/// Parses protobuf text format (the `.prototxt` of Caffe): `name: value`,
/// `name { ... }` (or `name: { ... }`, `< ... >`), `name: [a, b]` lists,
/// `#` comments, optional `,`/`;` separators. Errors give `file:line:column`.
struct PrototxtParser {
  private let bytes: UnsafeBufferPointer<UInt8>
  private let fileName: String
  private var index = 0
  private var line = 1
  private var lineStart = 0
  private var depth = 0
  /// Deeper nesting than any real net has is refused rather than recursed into.
  private static let maximumDepth = 64

  /// Parses `bytes` as a top-level message.
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws(ConvScopeError) -> PrototxtMessage {
    var parser = PrototxtParser(bytes: bytes, fileName: fileName)
    let message = try parser.parseFields(closing: nil)
    return message
  }

  private init(bytes: UnsafeBufferPointer<UInt8>, fileName: String) {
    self.bytes = bytes
    self.fileName = fileName
  }

  private var column: Int { index - lineStart + 1 }

  private func error(_ message: String, line: Int? = nil, column: Int? = nil) -> ConvScopeError {
    ConvScopeError(file: fileName, line: line ?? self.line, column: column ?? self.column, message: message)
  }

  // MARK: Grammar

  private mutating func parseFields(closing: UInt8?) throws(ConvScopeError) -> PrototxtMessage {
    var message = PrototxtMessage()
    while true {
      skipTrivia()
      guard index < bytes.count else {
        if let closing { throw error("expected '\(Character(UnicodeScalar(closing)))' before the end of the file") }
        return message
      }
      if let closing, bytes[index] == closing {
        index += 1
        return message
      }
      let (startLine, startColumn) = (line, column)
      guard let name = identifier() else { throw error("expected a field name, found \(describe(at: index))") }
      skipTrivia()
      var sawColon = false
      if peek() == UInt8(ascii: ":") {
        index += 1
        sawColon = true
        skipTrivia()
      }
      if let open = peek(), open == UInt8(ascii: "{") || open == UInt8(ascii: "<") {
        index += 1
        let nested = try nestedFields(closing: open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ">"))
        message.fields.append(PrototxtField(name: name, value: .message(nested), line: startLine, column: startColumn))
      } else if sawColon && peek() == UInt8(ascii: "[") {
        index += 1
        for value in try parseList() {
          message.fields.append(PrototxtField(name: name, value: value, line: startLine, column: startColumn))
        }
      } else if sawColon {
        let value = try parseScalar()
        message.fields.append(PrototxtField(name: name, value: value, line: startLine, column: startColumn))
      } else {
        throw error("expected ':' or '{' after field '\(name)', found \(describe(at: index))")
      }
      skipTrivia()
      if let separator = peek(), separator == UInt8(ascii: ",") || separator == UInt8(ascii: ";") { index += 1 }
    }
  }

  private mutating func nestedFields(closing: UInt8) throws(ConvScopeError) -> PrototxtMessage {
    guard depth < Self.maximumDepth else { throw error("messages nest deeper than \(Self.maximumDepth) levels") }
    depth += 1
    defer { depth -= 1 }
    return try parseFields(closing: closing)
  }

  private mutating func parseList() throws(ConvScopeError) -> [PrototxtValue] {
    var values: [PrototxtValue] = []
    while true {
      skipTrivia()
      if peek() == UInt8(ascii: "]") {
        index += 1
        return values
      }
      if let open = peek(), open == UInt8(ascii: "{") {
        index += 1
        values.append(.message(try nestedFields(closing: UInt8(ascii: "}"))))
      } else {
        values.append(try parseScalar())
      }
      skipTrivia()
      if peek() == UInt8(ascii: ",") {
        index += 1
      } else if peek() != UInt8(ascii: "]") {
        throw error("expected ',' or ']' in a list, found \(describe(at: index))")
      }
    }
  }

  private mutating func parseScalar() throws(ConvScopeError) -> PrototxtValue {
    guard let first = peek() else { throw error("expected a value before the end of the file") }
    if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
      var text = try quoted()
      // Adjacent strings concatenate, as in C.
      while true {
        skipTrivia()
        guard let next = peek(), next == UInt8(ascii: "\"") || next == UInt8(ascii: "'") else { break }
        text += try quoted()
      }
      return .string(text)
    }
    let start = index
    while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
    guard index > start else { throw error("expected a value, found \(describe(at: index))") }
    return .word(String(decoding: bytes[start..<index], as: UTF8.self))
  }

  // MARK: Tokens

  private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

  private mutating func skipTrivia() {
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: "\n"):
        index += 1
        line += 1
        lineStart = index
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
        index += 1
      case UInt8(ascii: "#"):
        while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
      default:
        return
      }
    }
  }

  private mutating func identifier() -> String? {
    let start = index
    while index < bytes.count {
      let byte = bytes[index]
      let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
      let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
      guard isLetter || byte == UInt8(ascii: "_") || (isDigit && index > start) else { break }
      index += 1
    }
    return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
  }

  private mutating func quoted() throws(ConvScopeError) -> String {
    let (startLine, startColumn) = (line, column)
    let quote = bytes[index]
    index += 1
    var out: [UInt8] = []
    while index < bytes.count {
      let byte = bytes[index]
      if byte == quote {
        index += 1
        return String(decoding: out, as: UTF8.self)
      }
      if byte == UInt8(ascii: "\n") { break }
      if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
        index += 1
        let escaped = bytes[index]
        switch escaped {
        case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
        default: out.append(escaped)
        }
      } else {
        out.append(byte)
      }
      index += 1
    }
    throw error("unterminated string", line: startLine, column: startColumn)
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"),
      UInt8(ascii: "."):
      return true
    default:
      return false
    }
  }

  private func describe(at position: Int) -> String {
    guard position < bytes.count else { return "the end of the file" }
    let byte = bytes[position]
    return byte >= 0x21 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
  }
}
