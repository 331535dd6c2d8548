import ConvScopeCore

/// Decoding the values of small tensors (`raw_data` little-endian, or the typed
/// repeated fields), the ones that Reshape targets, Slice starts and Resize
/// scales come from. Larger tensors are never read.
extension ONNXDecoder {
  /// How the values of a data type are kept, and how wide one element is in `raw_data`.
  private struct ElementFormat {
    var byteWidth: Int
    var isSigned: Bool
    var isFloat: Bool
  }

  private static func format(of dataType: DataType) -> ElementFormat? {
    switch dataType {
    case .bool, .uint8: ElementFormat(byteWidth: 1, isSigned: false, isFloat: false)
    case .int8: ElementFormat(byteWidth: 1, isSigned: true, isFloat: false)
    case .uint16: ElementFormat(byteWidth: 2, isSigned: false, isFloat: false)
    case .int16: ElementFormat(byteWidth: 2, isSigned: true, isFloat: false)
    case .uint32: ElementFormat(byteWidth: 4, isSigned: false, isFloat: false)
    case .int32: ElementFormat(byteWidth: 4, isSigned: true, isFloat: false)
    case .uint64: ElementFormat(byteWidth: 8, isSigned: false, isFloat: false)
    case .int64: ElementFormat(byteWidth: 8, isSigned: true, isFloat: false)
    case .float16, .bfloat16: ElementFormat(byteWidth: 2, isSigned: false, isFloat: true)
    case .float32: ElementFormat(byteWidth: 4, isSigned: false, isFloat: true)
    case .float64: ElementFormat(byteWidth: 8, isSigned: false, isFloat: true)
    default: nil
    }
  }

  /// The values of a tensor with `count` elements, or nil when it is too large,
  /// of a type shapes never depend on, or carries no data.
  func values(
    of payload: [TensorPayloadField], dataType: DataType, count: Int, label: TensorLabel
  ) throws(ProtobufError) -> ConstantTensor.Values? {
    let raw = payload.last { $0.number == 9 }
    if let raw {
      guard raw.wireType == .lengthDelimited else {
        throw ProtobufError(
          offset: raw.range.lowerBound, field: "TensorProto.raw_data",
          "expected \(WireType.lengthDelimited.name), found \(raw.wireType.name)")
      }
      if dataType != .string && dataType != .undefined {
        let expected = (try? dataType.bytes(for: count)) ?? -1
        guard raw.range.count == expected else {
          throw ProtobufError(
            offset: raw.range.lowerBound, field: "TensorProto.raw_data",
            "\(label) has \(raw.range.count) bytes of raw_data; its dims need \(expected) bytes of \(dataType)")
        }
      }
    }
    guard count <= Self.valueLimit(for: dataType), let format = Self.format(of: dataType) else { return nil }
    if let raw { return rawValues(raw.range, dataType: dataType, format: format) }

    var ints: [Int] = []
    var floats: [Double] = []
    for field in payload {
      try appendTyped(
        field, dataType: dataType, format: format, count: count, ints: &ints, floats: &floats, label: label)
    }
    let decoded = format.isFloat ? floats.count : ints.count
    if decoded == 0 && count > 0 { return nil }
    guard decoded == count else {
      throw ProtobufError(
        offset: payload.first?.range.lowerBound ?? 0, field: "TensorProto",
        "\(label) holds \(decoded) of the \(count) values its dims need")
    }
    return format.isFloat ? .floats(floats) : .ints(ints)
  }

  /// Little-endian fixed-width elements.
  private func rawValues(_ range: Range<Int>, dataType: DataType, format: ElementFormat) -> ConstantTensor.Values? {
    var ints: [Int] = []
    var floats: [Double] = []
    for start in stride(from: range.lowerBound, to: range.upperBound, by: format.byteWidth) {
      var bits: UInt64 = 0
      for byte in 0..<format.byteWidth { bits |= UInt64(bytes[start + byte]) << (8 * UInt64(byte)) }
      if format.isFloat {
        floats.append(Self.real(bits: bits, dataType: dataType))
      } else if format.isSigned {
        let shift = UInt64(64 - 8 * format.byteWidth)
        ints.append(Int(truncatingIfNeeded: bits << shift) >> shift)
      } else {
        guard let value = Int(exactly: bits) else { return nil }
        ints.append(value)
      }
    }
    return format.isFloat ? .floats(floats) : .ints(ints)
  }

  /// One occurrence of a typed field: `float_data` (4, fixed32), `int32_data` (5),
  /// `int64_data` (7), `uint64_data` (11) (varints), `double_data` (10, fixed64);
  /// packed or one element.
  private func appendTyped(
    _ field: TensorPayloadField, dataType: DataType, format: ElementFormat,
    count: Int, ints: inout [Int], floats: inout [Double], label: TensorLabel
  ) throws(ProtobufError) {
    let names = [4: "float_data", 5: "int32_data", 7: "int64_data", 10: "double_data", 11: "uint64_data"]
    let name = "TensorProto." + (names[field.number] ?? "data")
    let elementWireType: WireType = field.number == 4 ? .fixed32 : field.number == 10 ? .fixed64 : .varint
    let holdsReals = field.number == 4 || field.number == 10
    let holdsHalfBits = field.number == 5 && (dataType == .float16 || dataType == .bfloat16)
    guard format.isFloat == (holdsReals || holdsHalfBits) else {
      throw ProtobufError(
        offset: field.range.lowerBound, field: name, "\(label) is \(dataType); \(name) cannot hold it")
    }
    guard field.wireType == elementWireType || field.wireType == .lengthDelimited else {
      throw ProtobufError(
        offset: field.range.lowerBound, field: name, "expected \(elementWireType.name), found \(field.wireType.name)")
    }
    var reader = ProtobufReader(bytes: bytes, range: field.range)
    while !reader.isAtEnd {
      guard ints.count + floats.count < count else {
        throw ProtobufError(
          offset: reader.offset, field: name, "\(label) holds more values than its dims need (\(count))")
      }
      switch elementWireType {
      case .fixed32: floats.append(Double(Float(bitPattern: try reader.readFixed32())))
      case .fixed64: floats.append(Double(bitPattern: try reader.readFixed64()))
      default:
        let bits = try reader.readVarint()
        if holdsHalfBits {
          floats.append(Self.real(bits: bits & 0xffff, dataType: dataType))
        } else if field.number == 11 {
          guard let value = Int(exactly: bits) else {
            throw ProtobufError(offset: field.range.lowerBound, field: name, "\(label) has a value past Int64.max")
          }
          ints.append(value)
        } else if field.number == 5 {
          ints.append(Int(Int32(truncatingIfNeeded: bits)))
        } else {
          ints.append(Int(truncatingIfNeeded: bits))
        }
      }
    }
  }

  /// A real number from its IEEE bits (half, bfloat16, single or double).
  static func real(bits: UInt64, dataType: DataType) -> Double {
    switch dataType {
    case .float16:
      let half = UInt16(truncatingIfNeeded: bits)
      let sign: FloatingPointSign = half >> 15 == 1 ? .minus : .plus
      let exponent = Int((half >> 10) & 0x1f)
      let fraction = Double(half & 0x3ff)
      switch exponent {
      case 0: return Double(sign: sign, exponent: -24, significand: fraction)
      case 31: return fraction == 0 ? (sign == .minus ? -.infinity : .infinity) : .nan
      default: return Double(sign: sign, exponent: exponent - 15, significand: 1 + fraction / 1024)
      }
    case .bfloat16: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits & 0xffff) << 16))
    case .float64: return Double(bitPattern: bits)
    default: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
    }
  }
}
