/// An element type, with ONNX's `TensorProto.DataType` codes and sizes.
public enum DataType: String, Sendable, Hashable, Codable, CaseIterable {
  case float32, uint8, int8, uint16, int16, int32, int64, string, bool
  case float16, float64, uint32, uint64, complex64, complex128, bfloat16
  case float8e4m3fn, float8e4m3fnuz, float8e5m2, float8e5m2fnuz, uint4, int4, float4e2m1
  case float8e8m0, uint2, int2
  case undefined

  /// The element type with ONNX code `code` (`TensorProto.DataType`), if there is one.
  public init?(onnxCode code: Int) {
    switch code {
    case 0: self = .undefined
    case 1: self = .float32
    case 2: self = .uint8
    case 3: self = .int8
    case 4: self = .uint16
    case 5: self = .int16
    case 6: self = .int32
    case 7: self = .int64
    case 8: self = .string
    case 9: self = .bool
    case 10: self = .float16
    case 11: self = .float64
    case 12: self = .uint32
    case 13: self = .uint64
    case 14: self = .complex64
    case 15: self = .complex128
    case 16: self = .bfloat16
    case 17: self = .float8e4m3fn
    case 18: self = .float8e4m3fnuz
    case 19: self = .float8e5m2
    case 20: self = .float8e5m2fnuz
    case 21: self = .uint4
    case 22: self = .int4
    case 23: self = .float4e2m1
    case 24: self = .float8e8m0
    case 25: self = .uint2
    case 26: self = .int2
    default: return nil
    }
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
