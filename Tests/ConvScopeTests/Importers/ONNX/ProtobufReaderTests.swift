import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// The wire-format reader against the protobuf encoding guide's examples
/// (protobuf.dev/programming-guides/encoding) and hand-made broken bytes.
@Suite struct ProtobufReaderTests {
  /// Runs `body` on a reader over `bytes`.
  private func read<T>(_ bytes: [UInt8], _ body: (inout ProtobufReader) throws(ProtobufError) -> T)
    throws(ProtobufError)
    -> T
  {
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(ProtobufError) -> T in
        var reader = ProtobufReader(bytes: buffer)
        return try body(&reader)
      }
    }
    return try result.get()
  }

  private func error(_ bytes: [UInt8], _ body: (inout ProtobufReader) throws(ProtobufError) -> Void) -> ProtobufError? {
    do {
      try read(bytes, body)
      return nil
    } catch {
      return error
    }
  }

  @Test func varintFromTheEncodingGuide() throws {
    // "08 96 01": field 1, varint 150.
    let (field, value) = try read([0x08, 0x96, 0x01]) { r throws(ProtobufError) in
      let f = try r.requireField()
      return (f, try r.int(f, "test"))
    }
    #expect(field.number == 1)
    #expect(field.wireType == .varint)
    #expect(value == 150)
  }

  @Test func negativeInt64TakesTenBytes() throws {
    let bytes: [UInt8] = [0x18] + [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
    let value = try read(bytes) { r throws(ProtobufError) in try r.int(r.requireField(), "i") }
    #expect(value == -1)
  }

  @Test func lengthDelimitedIsARangeIntoTheBuffer() throws {
    // "12 07 74 65 73 74 69 6e 67": field 2, "testing" at bytes 2..<9.
    let bytes: [UInt8] = [0x12, 0x07] + Array("testing".utf8) + [0x08, 0x01]
    let (range, text, next) = try read(bytes) { r throws(ProtobufError) in
      let f = try r.requireField()
      let range = try r.message(f, "s")
      return (range, try r.string(in: range, field: "s"), try r.nextField()?.number)
    }
    #expect(range == 2..<9)
    #expect(text == "testing")
    #expect(next == 1)
  }

  @Test func skipsEveryWireTypeByLength() throws {
    var bytes: [UInt8] = [0x08, 0xac, 0x02]  // 1: varint 300
    bytes += [0x11] + Array(repeating: 0, count: 8)  // 2: fixed64
    bytes += [0x1a, 0x03, 1, 2, 3]  // 3: 3 bytes
    bytes += [0x25, 0, 0, 0x80, 0x3f]  // 4: fixed32 1.0
    bytes += [0x28, 0x07]  // 5: varint 7
    let last = try read(bytes) { r throws(ProtobufError) in
      var numbers: [Int] = []
      var last = 0
      while let f = try r.nextField() {
        numbers.append(f.number)
        if f.number == 5 { last = try r.int(f, "n") } else { try r.skip(f) }
      }
      #expect(numbers == [1, 2, 3, 4, 5])
      return last
    }
    #expect(last == 7)
  }

  @Test func packedAndUnpackedRepeatedIntsBothRead() throws {
    // dims [3, 270, 86942] packed (the guide's "32 06 03 8e 02 9e a7 05"), then 5 unpacked.
    let bytes: [UInt8] = [0x0a, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05, 0x08, 0x05]
    let values = try read(bytes) { r throws(ProtobufError) in
      var values: [Int] = []
      while let f = try r.nextField() { try r.appendInts(f, "dims", to: &values) }
      return values
    }
    #expect(values == [3, 270, 86942, 5])
  }

  @Test func truncatedVarintNamesItsOffset() {
    let e = error([0x08, 0x01, 0x10, 0x80]) { r throws(ProtobufError) in
      while let f = try r.nextField() { try r.skip(f) }
    }
    #expect(e?.offset == 3)
    #expect(e?.message.contains("truncated") == true)
  }

  @Test func varintLongerThanTenBytesIsRefused() {
    let e = error([0x08] + Array(repeating: 0xff, count: 11) + [0x01]) { r throws(ProtobufError) in
      _ = try r.int(r.requireField(), "i")
    }
    #expect(e?.offset == 1)
    #expect(e?.message.contains("longer than 10 bytes") == true)
  }

  @Test func lengthPastTheEndIsRefused() {
    let e = error([0x08, 0x01, 0x12, 0x05, 0x61]) { r throws(ProtobufError) in
      while let f = try r.nextField() { try r.skip(f) }
    }
    #expect(e?.offset == 3)
    #expect(e?.message.contains("length 5 runs past the end") == true)
  }

  @Test func wrongWireTypeNamesTheField() {
    let e = error([0x22, 0x01, 0x61]) { r throws(ProtobufError) in
      _ = try r.int(r.requireField(), "NodeProto.x")
    }
    #expect(e?.offset == 0)
    #expect(e?.field == "NodeProto.x")
    #expect(e?.message == "expected a varint (wire type 0), found a length-delimited value (wire type 2)")
  }

  @Test func groupsAndFieldZeroAreRefused() {
    let group = error([0x0b, 0x0c]) { r throws(ProtobufError) in try r.skip(r.requireField()) }
    #expect(group?.message.contains("group") == true)
    let zero = error([0x00, 0x01]) { r throws(ProtobufError) in _ = try r.nextField() }
    #expect(zero?.message.contains("invalid field number 0") == true)
    let badType = error([0x0e]) { r throws(ProtobufError) in _ = try r.nextField() }
    #expect(badType?.message.contains("invalid wire type 6") == true)
  }

  @Test func invalidUTF8IsRefused() {
    let e = error([0x10, 0x00, 0x0a, 0x02, 0xc3, 0x28]) { r throws(ProtobufError) in
      while let f = try r.nextField() {
        if f.number == 1 { _ = try r.string(f, "GraphProto.name") } else { try r.skip(f) }
      }
    }
    #expect(e?.offset == 4)
    #expect(e?.message == "the text is not valid UTF-8")
  }
}

extension ProtobufReader {
  /// The next field's key; running out of fields is an error here.
  fileprivate mutating func requireField() throws(ProtobufError) -> ProtobufField {
    guard let field = try nextField() else { throw ProtobufError(offset: offset, "expected another field") }
    return field
  }
}
