/// Writes an `Encodable` value as Foundation's `JSONEncoder` does with the output formatting
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, byte for byte, without building
/// the encoder's tree of boxed values: arrays are written as their elements arrive, and an
/// object's fields are held (as the values themselves, not as text) only until its keys are
/// sorted. The text goes to a ``JSONTextSink``, which may hand it on in pieces.
///
/// The format: two spaces of indentation a level; `"key" : value`; elements and fields one a
/// line, separated by `,`; an empty array or object is its brackets with an empty line
/// between; keys sorted by their UTF-8 bytes (a key written twice keeps its last value);
/// strings escape `"`, `\` and control characters (`\n`, `\r`, `\t`, `\b`, `\f`, else
/// `\u00XX`); a `Double` is its `description` without a trailing `.0`; a value that writes
/// nothing is `{}`; NaN and infinities are an error.
struct JSONTextEncoder {
  /// `value`'s JSON at indentation `level`, appended to `sink`.
  static func write(_ value: some Encodable, level: Int = 0, to sink: JSONTextSink) throws {
    let encoder = JSONValueEncoder(sink: sink, level: level, codingPath: [])
    try value.encode(to: encoder)
    try encoder.finish()
  }

  /// `value` as JSONEncoder writes a `Double`: its description without a trailing `.0`.
  static func number(_ value: Double, path: [any CodingKey]) throws -> String {
    guard value.isFinite else {
      throw EncodingError.invalidValue(
        value, .init(codingPath: path, debugDescription: "Unable to encode Double.\(value) directly in JSON."))
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
  }
}

/// One field of an object, kept until the object's keys are sorted.
private enum PendingValue {
  case text(String)
  case string(String)
  case value(any Encodable)
  case nested(JSONValueEncoder)
}

/// The encoder of one JSON value. An array is written as it is encoded; an object's fields
/// wait in ``fields`` for ``finish()``.
private final class JSONValueEncoder: Encoder {
  enum State {
    case empty
    case object
    case array(count: Int)
    case single
  }

  let sink: JSONTextSink
  let level: Int
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  var state = State.empty
  var fields: [(key: String, value: PendingValue)] = []
  /// An array element given as a nested container or super encoder: it is closed, and its
  /// text written, when the next element starts or the array ends.
  var openElement: JSONValueEncoder?
  /// An error closing ``openElement`` where nothing could throw it; thrown by ``finish()``.
  var pendingError: (any Error)?

  init(sink: JSONTextSink, level: Int, codingPath: [any CodingKey]) {
    self.sink = sink
    self.level = level
    self.codingPath = codingPath
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .empty = state { state = .object }
    return KeyedEncodingContainer(JSONKeyedContainer<Key>(encoder: self))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .empty = state {
      state = .array(count: 0)
      sink.append("[\n")
    }
    return JSONUnkeyedContainer(encoder: self)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    JSONSingleValueContainer(encoder: self)
  }

  /// Closes the value: writes an object's sorted fields, an array's closing bracket.
  func finish() throws {
    closeOpenElement()
    if let pendingError { throw pendingError }
    switch state {
    case .empty:
      sink.append("{\n\n")
      sink.indent(level)
      sink.append("}")
    case .single:
      break
    case .array:
      sink.append("\n")
      sink.indent(level)
      sink.append("]")
    case .object:
      // Sorted by the keys' UTF-8, a repeated key keeping its last value.
      let keys = fields.map(\.key)
      let order = keys.indices.sorted { a, b in
        let order = Self.compare(keys[a], keys[b])
        return order == 0 ? a < b : order < 0
      }
      sink.append("{\n")
      var written = 0
      for (position, index) in order.enumerated() {
        if position + 1 < order.count && keys[order[position + 1]] == keys[index] { continue }
        if written > 0 { sink.append(",\n") }
        written += 1
        sink.indent(level + 1)
        sink.quoted(keys[index])
        sink.append(" : ")
        try write(fields[index].value, level: level + 1)
      }
      fields = []
      sink.append("\n")
      sink.indent(level)
      sink.append("}")
    }
  }

  private func write(_ value: PendingValue, level: Int) throws {
    switch value {
    case .text(let text): sink.append(text)
    case .string(let string): sink.quoted(string)
    case .value(let value):
      // The report's per-layer arrays (at most two levels down) are written field by field.
      if level <= 2, try JSONLayerRows.write(value, level: level, to: sink) { return }
      try JSONTextEncoder.write(value, level: level, to: sink)
    case .nested(let encoder):
      try encoder.finish()
      sink.append(encoder.sink.bytes)
    }
  }

  /// The order of `a` and `b` by their UTF-8 bytes: negative, zero or positive.
  static func compare(_ a: String, _ b: String) -> Int {
    var a = a
    var b = b
    return a.withUTF8 { a in
      b.withUTF8 { b in
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return Int(a[i]) - Int(b[i]) }
        return a.count - b.count
      }
    }
  }

  /// Starts the next element of an array: the separator and the indentation.
  func beginElement() {
    closeOpenElement()
    guard case .array(let count) = state else { return }
    if count > 0 { sink.append(",\n") }
    state = .array(count: count + 1)
    sink.indent(level + 1)
  }

  private func closeOpenElement() {
    guard let element = openElement else { return }
    openElement = nil
    do {
      try element.finish()
      sink.append(element.sink.bytes)
    } catch {
      pendingError = pendingError ?? error
    }
  }

  /// The encoder of an array element given as a nested container or super encoder.
  func openedElement() -> JSONValueEncoder {
    beginElement()
    let element = JSONValueEncoder(sink: JSONTextSink(), level: level + 1, codingPath: codingPath)
    openElement = element
    return element
  }

  /// A value encoded later, in its own sink (a nested container or a super encoder).
  func deferred(_ key: any CodingKey) -> JSONValueEncoder {
    JSONValueEncoder(sink: JSONTextSink(), level: level + 1, codingPath: codingPath + [key])
  }

  static func number(_ value: Double, path: [any CodingKey]) throws -> String {
    try JSONTextEncoder.number(value, path: path)
  }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let encoder: JSONValueEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  private func add(_ key: Key, _ value: PendingValue) { encoder.fields.append((key.stringValue, value)) }

  mutating func encodeNil(forKey key: Key) throws { add(key, .text("null")) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, .text(value ? "true" : "false")) }
  mutating func encode(_ value: String, forKey key: Key) throws { add(key, .string(value)) }
  mutating func encode(_ value: Double, forKey key: Key) throws {
    add(key, .text(try JSONValueEncoder.number(value, path: codingPath + [key])))
  }
  mutating func encode(_ value: Float, forKey key: Key) throws {
    add(key, .text(try JSONValueEncoder.number(Double(value), path: codingPath + [key])))
  }
  mutating func encode(_ value: Int, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { add(key, .text(String(value))) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { add(key, .value(value)) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    let nested = encoder.deferred(key)
    add(key, .nested(nested))
    return nested.container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let nested = encoder.deferred(key)
    add(key, .nested(nested))
    return nested.unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    let nested = encoder.deferred(key)
    add(key, .nested(nested))
    return nested
  }
}

private struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
  let encoder: JSONValueEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }
  var count: Int {
    if case .array(let count) = encoder.state { return count }
    return 0
  }

  private func add(_ text: String) throws {
    encoder.beginElement()
    encoder.sink.append(text)
  }

  mutating func encodeNil() throws { try add("null") }
  mutating func encode(_ value: Bool) throws { try add(value ? "true" : "false") }
  mutating func encode(_ value: String) throws {
    encoder.beginElement()
    encoder.sink.quoted(value)
  }
  mutating func encode(_ value: Double) throws { try add(try JSONValueEncoder.number(value, path: codingPath)) }
  mutating func encode(_ value: Float) throws { try add(try JSONValueEncoder.number(Double(value), path: codingPath)) }
  mutating func encode(_ value: Int) throws { try add(String(value)) }
  mutating func encode(_ value: Int8) throws { try add(String(value)) }
  mutating func encode(_ value: Int16) throws { try add(String(value)) }
  mutating func encode(_ value: Int32) throws { try add(String(value)) }
  mutating func encode(_ value: Int64) throws { try add(String(value)) }
  mutating func encode(_ value: UInt) throws { try add(String(value)) }
  mutating func encode(_ value: UInt8) throws { try add(String(value)) }
  mutating func encode(_ value: UInt16) throws { try add(String(value)) }
  mutating func encode(_ value: UInt32) throws { try add(String(value)) }
  mutating func encode(_ value: UInt64) throws { try add(String(value)) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    encoder.beginElement()
    try JSONTextEncoder.write(value, level: encoder.level + 1, to: encoder.sink)
    try encoder.sink.flushIfFull()
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    encoder.openedElement().container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    encoder.openedElement().unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { encoder.openedElement() }
}

private struct JSONSingleValueContainer: SingleValueEncodingContainer {
  let encoder: JSONValueEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  private func put(_ text: String) {
    encoder.state = .single
    encoder.sink.append(text)
  }

  mutating func encodeNil() throws { put("null") }
  mutating func encode(_ value: Bool) throws { put(value ? "true" : "false") }
  mutating func encode(_ value: String) throws {
    encoder.state = .single
    encoder.sink.quoted(value)
  }
  mutating func encode(_ value: Double) throws { put(try JSONValueEncoder.number(value, path: codingPath)) }
  mutating func encode(_ value: Float) throws { put(try JSONValueEncoder.number(Double(value), path: codingPath)) }
  mutating func encode(_ value: Int) throws { put(String(value)) }
  mutating func encode(_ value: Int8) throws { put(String(value)) }
  mutating func encode(_ value: Int16) throws { put(String(value)) }
  mutating func encode(_ value: Int32) throws { put(String(value)) }
  mutating func encode(_ value: Int64) throws { put(String(value)) }
  mutating func encode(_ value: UInt) throws { put(String(value)) }
  mutating func encode(_ value: UInt8) throws { put(String(value)) }
  mutating func encode(_ value: UInt16) throws { put(String(value)) }
  mutating func encode(_ value: UInt32) throws { put(String(value)) }
  mutating func encode(_ value: UInt64) throws { put(String(value)) }
  mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: encoder) }
}
