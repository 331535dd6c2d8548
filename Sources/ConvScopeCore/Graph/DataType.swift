/// An element type, with ONNX's `TensorProto.DataType` codes and sizes.
public enum DataType: String, Sendable, Hashable, Codable, CaseIterable {
  case float32, uint8, int8, uint16, int16, int32, int64, string, bool
  case float16, float64, uint32, uint64, complex64, complex128, bfloat16
  case float8e4m3fn, float8e4m3fnuz, float8e5m2, float8e5m2fnuz, uint4, int4, float4e2m1
  case float8e8m0, uint2, int2
  case undefined

  /// The element type with ONNX code `code` (`TensorProto.DataType`), if there is one.
  public init?(onnxCode code: Int) {
    let table: [Int: DataType] = [
      1: .float32, 2: .uint8, 3: .int8, 4: .uint16, 5: .int16, 6: .int32, 7: .int64,
      8: .string, 9: .bool, 10: .float16, 11: .float64, 12: .uint32, 13: .uint64,
      14: .complex64, 15: .complex128, 16: .bfloat16, 17: .float8e4m3fn,
      18: .float8e4m3fnuz, 19: .float8e5m2, 20: .float8e5m2fnuz, 21: .uint4, 22: .int4,
      23: .float4e2m1, 24: .float8e8m0, 25: .uint2, 26: .int2, 0: .undefined,
    ]
    guard let type = table[code] else { return nil }
    self = type
  }

  /// Bits per element (strings count as a pointer-sized 64).
  public var bitWidth: Int {
    switch self {
    case .bool, .uint8, .int8, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: 8
    case .uint16, .int16, .float16, .bfloat16: 16
    case .float32, .int32, .uint32: 32
    case .float64, .int64, .uint64, .complex64, .string: 64
    case .complex128: 128
    case .uint4, .int4, .float4e2m1: 4
    case .uint2, .int2: 2
    case .undefined: 32
    }
  }

  /// Bytes taken by `count` elements, rounded up to whole bytes.
  public func bytes(for count: Int) throws(OpError) -> Int {
    let bits = try Checked.product([count, bitWidth])
    return bits / 8 + (bits % 8 == 0 ? 0 : 1)
  }

  /// True for the types whose values are real numbers (the ones weights are made of).
  public var isFloatingPoint: Bool {
    switch self {
    case .float32, .float16, .float64, .bfloat16, .float8e4m3fn, .float8e4m3fnuz,
      .float8e5m2, .float8e5m2fnuz, .float4e2m1, .float8e8m0:
      true
    default: false
    }
  }

  /// True for the integer types (shapes, indices).
  public var isInteger: Bool {
    switch self {
    case .uint8, .int8, .uint16, .int16, .int32, .int64, .uint32, .uint64, .uint4, .int4, .uint2, .int2: true
    default: false
    }
  }

  /// Parses user spellings: `float32`, `fp32`, `float`, `f16`, `half`, `bf16`, `int8`...
  public init?(userName: String) {
    let aliases: [String: DataType] = [
      "float": .float32, "fp32": .float32, "f32": .float32,
      "half": .float16, "fp16": .float16, "f16": .float16,
      "bf16": .bfloat16, "double": .float64, "fp64": .float64, "f64": .float64,
      "fp8": .float8e4m3fn,
    ]
    let key = userName.lowercased()
    if let type = aliases[key] ?? DataType(rawValue: key) { self = type } else { return nil }
  }
}
