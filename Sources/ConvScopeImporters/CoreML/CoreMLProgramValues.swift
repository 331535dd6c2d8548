import ConvScopeCore

/// A value of an ML Program (`MIL.proto`) as the translation needs it: its declared type and,
/// for a `const` (or an argument given inline), what it holds. A constant stored in
/// `weights/weight.bin` (a `BlobFileValue`) is only a type: its dims and element type come from
/// the `Value`'s type, the blob is never opened.
struct MILValue {
  /// The graph tensor it becomes (a node output, a graph input or an initializer).
  var tensor: String
  var dataType: DataType
  /// The declared dims; nil when the type gives no rank (a list, a tuple).
  var dims: [Dim]?
  /// Immediate values, when the file stores them inline and they are small.
  var values: ConstantTensor.Values?
  var strings: [String] = []
  /// Whether the value is a constant (inline or in the blob file).
  var isConstant = false

  /// The constant as an initializer (dims fixed; a symbolic dim counts 0).
  var constantTensor: ConstantTensor {
    ConstantTensor(dataType: dataType, dims: (dims ?? []).map { $0.value ?? 0 }, values: values)
  }

  /// The first integer value, when it holds integers.
  var int: Int? { ints?.first }

  /// Its values as integers (booleans are 0 and 1).
  var ints: [Int]? {
    switch values {
    case .ints(let values): values
    case .floats(let values): values.allSatisfy { abs($0) < 0x1p62 } ? values.map { Int($0) } : nil
    case nil: nil
    }
  }

  /// Its values as doubles.
  var floats: [Double]? {
    switch values {
    case .ints(let values): values.map(Double.init)
    case .floats(let values): values
    case nil: nil
    }
  }
}

/// Decoders of MIL's type and value messages.
enum MILDecoding {
  /// Immediate values larger than this many elements are not decoded (a weight stored inline).
  static let valueLimit = 4096

  /// `MIL.DataType` as a ``DataType``.
  static func dataType(_ code: Int) -> DataType {
    switch code {
    case 1: .bool
    case 2: .string
    case 10: .float16
    case 11: .float32
    case 12: .float64
    case 13: .bfloat16
    case 21: .int8
    case 22: .int16
    case 23: .int32
    case 24: .int64
    case 25: .int4
    case 31: .uint8
    case 32: .uint16
    case 33: .uint32
    case 34: .uint64
    case 35: .uint4
    case 36: .uint2
    case 40: .float8e4m3fn
    case 41: .float8e5m2
    default: .undefined
    }
  }

  /// A `ValueType`'s tensor type: element type and dims (an unknown dim is ``Dim/unknown``).
  static func type(_ valueType: ProtobufMessage?) throws(ProtobufError) -> (DataType, [Dim]?) {
    guard let valueType, let tensor = try valueType.message(1, "tensorType", type: "TensorType") else {
      return (.undefined, nil)
    }
    var dims: [Dim] = []
    for dimension in try tensor.messages(3, "dimensions", type: "Dimension") {
      if let constant = try dimension.message(1, "constant", type: "ConstantDimension") {
        dims.append(.fixed(try constant.int(1, "size")))
      } else {
        dims.append(.unknown)
      }
    }
    let rank = try tensor.int(2, "rank")
    guard rank == dims.count else {
      throw tensor.error("rank", "the tensor type has rank \(rank) but \(dims.count) dimensions")
    }
    return (dataType(try tensor.int(1, "dataType")), dims)
  }

  /// A `Value` (a const's `val`, an inline argument) named `tensor`.
  static func value(_ value: ProtobufMessage, tensor: String) throws(ProtobufError) -> MILValue {
    let (dataType, dims) = try type(try value.message(2, "type", type: "ValueType"))
    var result = MILValue(tensor: tensor, dataType: dataType, dims: dims, isConstant: true)
    let count = (dims ?? []).reduce(1) { count, dim in
      let product = count.multipliedReportingOverflow(by: max(0, dim.value ?? 0))
      return product.overflow ? Int.max : product.partialValue
    }
    guard count <= valueLimit,
      let immediate = try value.message(3, "immediateValue", type: "ImmediateValue"),
      let tensorValue = try immediate.message(1, "tensor", type: "TensorValue")
    else { return result }
    if let floats = try tensorValue.message(1, "floats", type: "RepeatedFloats") {
      result.values = .floats(try floats.floats(1, "values"))
    } else if let ints = tensorValue.oneof([2, 3, 5]) {
      let message = try ProtobufMessage(tensorValue.reader, range: ints.value.range, name: "RepeatedInts")
      result.values = .ints(try message.ints(1, "values"))
    } else if let doubles = try tensorValue.message(6, "doubles", type: "RepeatedDoubles") {
      result.values = .floats(try doubles.doublesValues())
    } else if let strings = try tensorValue.message(4, "strings", type: "RepeatedStrings") {
      result.strings = try strings.strings(1, "values")
    } else if let bytes = try tensorValue.message(7, "bytes", type: "RepeatedBytes"), let run = bytes.values(1).last {
      result.values = packedBytes(in: run.range, of: dataType, reader: tensorValue.reader)
    }
    return result
  }

  /// Values a `RepeatedBytes` packs: float16 (2 bytes each, little-endian) or 8-bit integers.
  private static func packedBytes(in range: Range<Int>, of dataType: DataType, reader: ProtobufReader)
    -> ConstantTensor.Values?
  {
    let bytes = reader.bytes
    switch dataType {
    case .float16 where range.count % 2 == 0:
      return .floats(
        stride(from: range.lowerBound, to: range.upperBound, by: 2).map {
          halfToDouble(UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8)
        })
    case .int8: return .ints(range.map { Int(Int8(bitPattern: bytes[$0])) })
    case .uint8: return .ints(range.map { Int(bytes[$0]) })
    default: return nil
    }
  }

  /// An IEEE half-precision value.
  static func halfToDouble(_ bits: UInt16) -> Double {
    let sign: Double = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1f)
    let fraction = Double(bits & 0x3ff)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }
}

extension ProtobufMessage {
  /// The packed or single `double`s of field 1 (`RepeatedDoubles.values`).
  fileprivate func doublesValues() throws(ProtobufError) -> [Double] {
    var result: [Double] = []
    for value in values(1) {
      var cursor = reader.reader(for: value.range)
      if value.field.wireType == .lengthDelimited {
        while !cursor.isAtEnd { result.append(Double(bitPattern: try cursor.readFixed64())) }
      } else {
        result.append(Double(bitPattern: try cursor.readFixed64()))
      }
    }
    return result
  }
}
