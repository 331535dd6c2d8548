import ConvScopeCore

/// A protobuf decoding error: the byte offset in the file where it happened and
/// what was expected there, with the message field (`NodeProto.op_type`) and the
/// node when they are known.
struct ProtobufError: Error, Sendable, Equatable {
  /// Byte offset from the start of the file.
  var offset: Int
  /// The message and field being read, as `Message.field`.
  var field: String?
  /// The node (layer) being read, when known.
  var layer: String?
  /// What is wrong.
  var message: String

  init(offset: Int, field: String? = nil, layer: String? = nil, _ message: String) {
    self.offset = offset
    self.field = field
    self.layer = layer
    self.message = message
  }
}

/// The protobuf wire types (protobuf.dev/programming-guides/encoding).
enum WireType: UInt8, Sendable {
  case varint = 0
  case fixed64 = 1
  case lengthDelimited = 2
  case startGroup = 3
  case endGroup = 4
  case fixed32 = 5

  var name: String {
    switch self {
    case .varint: "a varint (wire type 0)"
    case .fixed64: "a 64-bit value (wire type 1)"
    case .lengthDelimited: "a length-delimited value (wire type 2)"
    case .startGroup, .endGroup: "a group (wire type \(rawValue), not used by ONNX or Core ML)"
    case .fixed32: "a 32-bit value (wire type 5)"
    }
  }
}

/// One field's key: its number, wire type, and where its key starts.
struct ProtobufField: Sendable {
  var number: Int
  var wireType: WireType
  var offset: Int
}

/// Reads protobuf wire format from a byte buffer without copying it: scalars are
/// decoded in place, length-delimited fields come back as byte ranges into the
/// buffer, and payloads nobody needs are skipped by length. Every read is
/// bounds-checked and every error carries the byte offset.
///
/// The buffer is only valid inside the `withUnsafeBytes` call that produced it,
/// and so is every reader made from it.
struct ProtobufReader {
  /// The whole file; offsets are relative to its start.
  let bytes: UnsafeRawBufferPointer
  /// The next byte to read.
  private(set) var offset: Int
  /// One past the last byte of the message being read.
  let end: Int

  /// A reader for the bytes in `range` of `bytes` (the whole buffer by default).
  init(bytes: UnsafeRawBufferPointer, range: Range<Int>? = nil) {
    self.bytes = bytes
    self.offset = range?.lowerBound ?? 0
    self.end = range?.upperBound ?? bytes.count
  }

  /// Whether the message has been read to its end.
  var isAtEnd: Bool { offset >= end }

  /// A reader for a nested message or packed run occupying `range`.
  func reader(for range: Range<Int>) -> ProtobufReader { ProtobufReader(bytes: bytes, range: range) }

  // MARK: Keys and raw values

  /// The next field's key, or nil at the end of the message.
  mutating func nextField() throws(ProtobufError) -> ProtobufField? {
    guard !isAtEnd else { return nil }
    let start = offset
    let key = try readVarint()
    let number = key >> 3
    guard number >= 1, number <= 536_870_911 else {
      throw ProtobufError(offset: start, "invalid field number \(number) (the data is not a protobuf message here)")
    }
    guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
      throw ProtobufError(offset: start, "field \(number) has invalid wire type \(key & 7)")
    }
    return ProtobufField(number: Int(number), wireType: wireType, offset: start)
  }

  /// A base-128 varint (at most 10 bytes).
  mutating func readVarint() throws(ProtobufError) -> UInt64 {
    let start = offset
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while shift < 70 {
      guard offset < end else {
        throw ProtobufError(
          offset: start, "varint runs past the end of the message at byte \(end) (the file may be truncated)")
      }
      let byte = bytes[offset]
      offset += 1
      result |= UInt64(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
    throw ProtobufError(offset: start, "varint is longer than 10 bytes")
  }

  /// The byte range of the next `count` bytes, advancing past them.
  private mutating func take(_ count: Int, what: String) throws(ProtobufError) -> Range<Int> {
    guard count >= 0, count <= end - offset else {
      throw ProtobufError(
        offset: offset,
        "\(what) of \(count) bytes runs past the end of the message at byte \(end) (the file may be truncated)")
    }
    defer { offset += count }
    return offset..<(offset + count)
  }

  /// A little-endian 32-bit value.
  mutating func readFixed32() throws(ProtobufError) -> UInt32 {
    let range = try take(4, what: "a 32-bit value")
    return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt32.self))
  }

  /// A little-endian 64-bit value.
  mutating func readFixed64() throws(ProtobufError) -> UInt64 {
    let range = try take(8, what: "a 64-bit value")
    return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: range.lowerBound, as: UInt64.self))
  }

  /// A length prefix and the byte range it covers (the payload is not read).
  mutating func readLengthDelimited() throws(ProtobufError) -> Range<Int> {
    let start = offset
    let length = try readVarint()
    guard length <= UInt64(end - offset) else {
      throw ProtobufError(
        offset: start,
        "length \(length) runs past the end of the message at byte \(end) (the file may be truncated)")
    }
    return try take(Int(length), what: "a length-delimited value")
  }

  /// Skips the value of a field of wire type `wireType`.
  mutating func skip(_ field: ProtobufField) throws(ProtobufError) {
    switch field.wireType {
    case .varint: _ = try readVarint()
    case .fixed64: _ = try take(8, what: "a 64-bit value")
    case .lengthDelimited: _ = try readLengthDelimited()
    case .fixed32: _ = try take(4, what: "a 32-bit value")
    case .startGroup, .endGroup:
      throw ProtobufError(offset: field.offset, "field \(field.number) is \(field.wireType.name)")
    }
  }

  /// The byte range of a field's value (a length-delimited field's payload, or
  /// the varint or fixed-width bytes), advancing past it.
  mutating func valueRange(_ field: ProtobufField) throws(ProtobufError) -> Range<Int> {
    if field.wireType == .lengthDelimited { return try readLengthDelimited() }
    let start = offset
    try skip(field)
    return start..<offset
  }

  // MARK: Typed field values (the wire type is checked against the declared type)

  private func expect(_ wireType: WireType, _ field: ProtobufField, _ name: String) throws(ProtobufError) {
    guard field.wireType == wireType else {
      throw ProtobufError(
        offset: field.offset, field: name, "expected \(wireType.name), found \(field.wireType.name)")
    }
  }

  /// An `int32`/`int64`/`enum`/`bool` field (two's complement varint).
  mutating func int(_ field: ProtobufField, _ name: String) throws(ProtobufError) -> Int {
    try expect(.varint, field, name)
    return Int(truncatingIfNeeded: try readVarint())
  }

  /// A `float` field.
  mutating func float(_ field: ProtobufField, _ name: String) throws(ProtobufError) -> Float {
    try expect(.fixed32, field, name)
    return Float(bitPattern: try readFixed32())
  }

  /// A nested message's byte range.
  mutating func message(_ field: ProtobufField, _ name: String) throws(ProtobufError) -> Range<Int> {
    try expect(.lengthDelimited, field, name)
    return try readLengthDelimited()
  }

  /// A `string` (or UTF-8 `bytes`) field, validated as UTF-8.
  mutating func string(_ field: ProtobufField, _ name: String) throws(ProtobufError) -> String {
    let range = try message(field, name)
    return try string(in: range, field: name)
  }

  /// The bytes in `range` as a string, when they are valid UTF-8.
  func string(in range: Range<Int>, field: String) throws(ProtobufError) -> String {
    let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
    // ASCII (names, op types) is valid UTF-8: no scalar-by-scalar check.
    if slice.allSatisfy({ $0 < 0x80 }) { return String(decoding: slice, as: UTF8.self) }
    let invalid = transcode(
      slice.makeIterator(), from: UTF8.self, to: UTF8.self, stoppingOnError: true, into: { _ in })
    guard !invalid else {
      throw ProtobufError(offset: range.lowerBound, field: field, "the text is not valid UTF-8")
    }
    return String(decoding: slice, as: UTF8.self)
  }

  /// Appends a repeated integer field's values, packed (wire type 2) or not.
  mutating func appendInts(_ field: ProtobufField, _ name: String, to values: inout [Int]) throws(ProtobufError) {
    if field.wireType == .lengthDelimited {
      var run = reader(for: try readLengthDelimited())
      while !run.isAtEnd { values.append(Int(truncatingIfNeeded: try run.readVarint())) }
    } else {
      values.append(try int(field, name))
    }
  }

  /// Appends a repeated `float` field's values, packed (wire type 2) or not.
  mutating func appendFloats(_ field: ProtobufField, _ name: String, to values: inout [Double]) throws(ProtobufError) {
    if field.wireType == .lengthDelimited {
      try appendPackedFloats(in: try readLengthDelimited(), name, to: &values)
    } else {
      values.append(Double(try float(field, name)))
    }
  }

  /// Appends the packed `float`s that fill `range`.
  func appendPackedFloats(in range: Range<Int>, _ name: String, to values: inout [Double]) throws(ProtobufError) {
    guard range.count % 4 == 0 else {
      throw ProtobufError(
        offset: range.lowerBound, field: name, "packed floats take \(range.count) bytes, not a multiple of 4")
    }
    for start in stride(from: range.lowerBound, to: range.upperBound, by: 4) {
      let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self))
      values.append(Double(Float(bitPattern: bits)))
    }
  }
}
