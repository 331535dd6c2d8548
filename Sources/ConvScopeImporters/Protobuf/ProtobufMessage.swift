/// One field's value as it sits in the buffer: its key and the byte range of its payload
/// (a length-delimited field's bytes, or the varint or fixed-width bytes). Nothing is decoded
/// until asked, so a weight payload is only ever a range.
struct ProtobufValue {
  var field: ProtobufField
  var range: Range<Int>
}

/// A message's fields by number, indexed in one pass over its bytes without decoding them:
/// a small message (a layer's parameters, a feature type) read by field number, in the style of
/// a generated protobuf class, while weights stay byte ranges. Errors name `Message.field` and
/// the byte offset.
///
/// ```swift
/// let conv = try ProtobufMessage(reader, range: range, name: "ConvolutionLayerParams")
/// let outputs = try conv.int(1, "outputChannels")  // 0 when absent (proto3)
/// ```
struct ProtobufMessage {
  /// A reader over the whole buffer, for sub-messages and values.
  let reader: ProtobufReader
  /// The message's type name, for errors.
  let name: String
  /// Where the message starts.
  let offset: Int
  private var fields: [Int: [ProtobufValue]] = [:]
  /// Field numbers in the order they first appear (for oneofs).
  private(set) var order: [Int] = []

  init(_ reader: ProtobufReader, range: Range<Int>, name: String) throws(ProtobufError) {
    self.reader = reader
    self.name = name
    self.offset = range.lowerBound
    var cursor = reader.reader(for: range)
    while let field = try cursor.nextField() {
      let value = ProtobufValue(field: field, range: try cursor.valueRange(field))
      if fields[field.number] == nil { order.append(field.number) }
      fields[field.number, default: []].append(value)
    }
  }

  /// Whether field `number` is present.
  func has(_ number: Int) -> Bool { fields[number] != nil }

  /// Every value of field `number`, in file order.
  func values(_ number: Int) -> [ProtobufValue] { fields[number] ?? [] }

  /// The error for `field` of this message at `offset` (the message's start by default).
  func error(_ field: String, _ message: String, at offset: Int? = nil) -> ProtobufError {
    ProtobufError(offset: offset ?? self.offset, field: "\(name).\(field)", message)
  }

  private func last(_ number: Int, _ field: String, _ wireType: WireType) throws(ProtobufError) -> ProtobufValue? {
    guard let value = fields[number]?.last else { return nil }
    guard value.field.wireType == wireType else {
      throw error(field, "expected \(wireType.name), found \(value.field.wireType.name)", at: value.field.offset)
    }
    return value
  }

  /// An integer, enum or bool field (the last one given; `defaultValue` when absent).
  func int(_ number: Int, _ field: String, default defaultValue: Int = 0) throws(ProtobufError) -> Int {
    guard let value = try last(number, field, .varint) else { return defaultValue }
    var cursor = reader.reader(for: value.range)
    return Int(truncatingIfNeeded: try cursor.readVarint())
  }

  /// A bool field.
  func bool(_ number: Int, _ field: String) throws(ProtobufError) -> Bool { try int(number, field) != 0 }

  /// A `float` field.
  func float(_ number: Int, _ field: String, default defaultValue: Double = 0) throws(ProtobufError) -> Double {
    guard let value = try last(number, field, .fixed32) else { return defaultValue }
    var cursor = reader.reader(for: value.range)
    return Double(Float(bitPattern: try cursor.readFixed32()))
  }

  /// A `string` field, or nil when absent.
  func string(_ number: Int, _ field: String) throws(ProtobufError) -> String? {
    guard let value = try last(number, field, .lengthDelimited) else { return nil }
    return try reader.string(in: value.range, field: "\(name).\(field)")
  }

  /// Every value of a repeated `string` field.
  func strings(_ number: Int, _ field: String) throws(ProtobufError) -> [String] {
    var result: [String] = []
    for value in values(number) {
      guard value.field.wireType == .lengthDelimited else {
        throw error(field, "expected a string, found \(value.field.wireType.name)", at: value.field.offset)
      }
      result.append(try reader.string(in: value.range, field: "\(name).\(field)"))
    }
    return result
  }

  /// Every value of a repeated integer field, packed or not.
  func ints(_ number: Int, _ field: String) throws(ProtobufError) -> [Int] {
    var result: [Int] = []
    for value in values(number) {
      var cursor = reader.reader(for: value.range)
      if value.field.wireType == .lengthDelimited {
        while !cursor.isAtEnd { result.append(Int(truncatingIfNeeded: try cursor.readVarint())) }
      } else {
        result.append(try cursor.int(value.field, "\(name).\(field)"))
      }
    }
    return result
  }

  /// Every value of a repeated `float` field, packed or not.
  func floats(_ number: Int, _ field: String) throws(ProtobufError) -> [Double] {
    var result: [Double] = []
    for value in values(number) {
      var cursor = reader.reader(for: value.range)
      if value.field.wireType == .lengthDelimited {
        try reader.appendPackedFloats(in: value.range, "\(name).\(field)", to: &result)
      } else {
        result.append(Double(try cursor.float(value.field, "\(name).\(field)")))
      }
    }
    return result
  }

  /// The last value of a message field, read as `type`; nil when absent.
  func message(_ number: Int, _ field: String, type: String) throws(ProtobufError) -> ProtobufMessage? {
    guard let value = try last(number, field, .lengthDelimited) else { return nil }
    return try ProtobufMessage(reader, range: value.range, name: type)
  }

  /// Every value of a repeated message field, read as `type`.
  func messages(_ number: Int, _ field: String, type: String) throws(ProtobufError) -> [ProtobufMessage] {
    var result: [ProtobufMessage] = []
    for value in values(number) {
      guard value.field.wireType == .lengthDelimited else {
        throw error(field, "expected a message, found \(value.field.wireType.name)", at: value.field.offset)
      }
      result.append(try ProtobufMessage(reader, range: value.range, name: type))
    }
    return result
  }

  /// A `map<string, V>` field (repeated entries of key #1 and value #2), values read as `type`, in file order.
  func map(_ number: Int, _ field: String, type: String) throws(ProtobufError) -> [(
    key: String, value: ProtobufMessage
  )] {
    var result: [(key: String, value: ProtobufMessage)] = []
    for entry in try messages(number, field, type: "\(name).\(field)") {
      let key = try entry.string(1, "key") ?? ""
      if let value = try entry.message(2, "value", type: type) {
        result.append((key, value))
      } else {
        result.append((key, try ProtobufMessage(reader, range: entry.offset..<entry.offset, name: type)))
      }
    }
    return result
  }

  /// The first field whose number is in `numbers` (a oneof), with its number.
  func oneof(_ numbers: Set<Int>) -> (number: Int, value: ProtobufValue)? {
    oneof(where: numbers.contains)
  }

  /// The first field whose number satisfies `isMember` (a oneof of an open range), with its number.
  func oneof(where isMember: (Int) -> Bool) -> (number: Int, value: ProtobufValue)? {
    guard let number = order.first(where: isMember), let value = fields[number]?.last else { return nil }
    return (number, value)
  }
}
