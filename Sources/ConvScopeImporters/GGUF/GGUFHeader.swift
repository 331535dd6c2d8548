import ConvScopeCore
import Foundation

/// A GGUF file's header (versions 2 and 3, little-endian), read field by field without
/// touching the tensor data: the metadata key-value pairs and the tensor table.
///
/// Layout (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): the magic `GGUF`,
/// a `uint32` version, a `uint64` tensor count and a `uint64` metadata count; the metadata
/// (a string key, a `uint32` value type, the value); then per tensor its name, a `uint32`
/// dimension count (at most 4), the `uint64` dimensions innermost first, a `uint32` ggml
/// type and a `uint64` offset into the data section, which starts at the next multiple of
/// `general.alignment` (32 by default) after the table.
struct GGUFHeader {
  /// A metadata value: the scalar kinds GGUF defines, and arrays by element type and length
  /// (the elements are skipped, never kept: a tokenizer's 150,000 tokens are only counted).
  enum Value: Equatable {
    case integer(Int64)
    case unsigned(UInt64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case array(elementType: String, count: Int)

    /// The value as a whole number, when it is one.
    var integer: Int? {
      switch self {
      case .integer(let value): return Int(exactly: value)
      case .unsigned(let value): return Int(exactly: value)
      default: return nil
      }
    }

    /// The value as the report shows it (long strings cut at 120 characters).
    var text: String {
      switch self {
      case .integer(let value): return String(value)
      case .unsigned(let value): return String(value)
      case .float(let value): return String(value)
      case .bool(let value): return String(value)
      case .string(let value): return value.count > 120 ? String(value.prefix(120)) + "…" : value
      case .array(let type, let count): return "[\(count) × \(type)]"
      }
    }
  }

  /// The metadata in file order.
  var metadata: [(key: String, value: Value)] = []
  /// The metadata by key.
  var values: [String: Value] = [:]
  /// The tensor table in file order.
  var tensors: [HeaderTensor] = []

  /// The longest key or tensor name accepted (ggml's own names stop at 63 bytes).
  static let nameLimit = 65_535
  /// GGUF's value type names by id, with each scalar's width in bytes (0: variable).
  private static let valueTypes: [(name: String, width: Int)] = [
    ("uint8", 1), ("int8", 1), ("uint16", 2), ("int16", 2), ("uint32", 4), ("int32", 4), ("float32", 4),
    ("bool", 1), ("string", 0), ("array", 0), ("uint64", 8), ("int64", 8), ("float64", 8),
  ]

  /// Reads the header of the GGUF file `bytes`; errors name `fileName` and the byte offset.
  init(bytes: UnsafeRawBufferPointer, fileName: String) throws(ConvScopeError) {
    var cursor = GGUFCursor(bytes: bytes, fileName: fileName)
    let magic = try cursor.integer(UInt32.self, "the magic")
    guard magic == 0x4655_4747 else { throw cursor.error("not a GGUF file (the magic is not 'GGUF')", at: 0) }
    let version = try cursor.integer(UInt32.self, "the version")
    if (1...3).contains(version.byteSwapped) {
      throw cursor.error(
        "a big-endian GGUF file (version \(version.byteSwapped)); ConvScope reads little-endian GGUF only", at: 4)
    }
    guard version == 2 || version == 3 else {
      throw cursor.error("GGUF version \(version); ConvScope reads versions 2 and 3", at: 4)
    }
    let limit = try ResourceLimits.headerEntries
    let hint = "\(ResourceLimits.headerEntriesVariable) raises it"
    // A tensor entry takes at least 8 (name length) + 4 + 4 + 8 bytes; a pair 8 + 4 + 1.
    let tensorCount = try cursor.count("tensor count", minimumSize: 24, limit: limit, limitHint: hint)
    let pairCount = try cursor.count("metadata count", minimumSize: 13, limit: limit, limitHint: hint)
    for _ in 0..<pairCount {
      let start = cursor.offset
      let key = try cursor.string("metadata key", limit: Self.nameLimit)
      guard values[key] == nil else { throw cursor.error("duplicate metadata key '\(key)'", at: start) }
      let value = try Self.value(&cursor, key: key)
      metadata.append((key, value))
      values[key] = value
    }
    var names = Set<String>()
    var starts: [Int] = []
    var offsets: [Int] = []
    for _ in 0..<tensorCount {
      let start = cursor.offset
      let name = try cursor.string("tensor name", limit: Self.nameLimit)
      guard names.insert(name).inserted else { throw cursor.error("duplicate tensor name '\(name)'", at: start) }
      let (tensor, offset) = try Self.tensor(&cursor, name: name)
      tensors.append(tensor)
      starts.append(start)
      offsets.append(offset)
    }
    try checkData(&cursor, starts: starts, offsets: offsets)
  }

  /// One metadata value of the type that follows.
  private static func value(_ cursor: inout GGUFCursor, key: String) throws(ConvScopeError) -> Value {
    let typeStart = cursor.offset
    let type = try cursor.integer(UInt32.self, "the value type of '\(key)'")
    guard type < valueTypes.count else {
      throw cursor.error("unknown value type \(type) for metadata key '\(key)' (GGUF defines 0-12)", at: typeStart)
    }
    guard type == 9 else { return try scalar(&cursor, type: Int(type), key: key) }
    let elementStart = cursor.offset
    let element = try cursor.integer(UInt32.self, "the element type of '\(key)'")
    guard element < valueTypes.count, element != 9 else {
      throw cursor.error(
        element == 9
          ? "metadata key '\(key)' is an array of arrays, which ConvScope does not read"
          : "unknown array element type \(element) for metadata key '\(key)' (GGUF defines 0-12)",
        at: elementStart)
    }
    let width = valueTypes[Int(element)].width
    let count = try cursor.count(
      "array length of '\(key)'", minimumSize: width == 0 ? 8 : width, limit: .max, limitHint: "")
    if width > 0 {
      try cursor.skip(count * width, "the array '\(key)'")
    } else {
      for _ in 0..<count {
        let start = cursor.offset
        let length = try cursor.count("a string length in '\(key)'")
        guard length <= cursor.remaining else {
          throw cursor.error(
            "a string length \(length) in '\(key)' runs past the end of the file (\(cursor.remaining) bytes left)",
            at: start)
        }
        try cursor.skip(length, "a string in '\(key)'")
      }
    }
    return .array(elementType: valueTypes[Int(element)].name, count: count)
  }

  /// A scalar of GGUF value type `type` (not an array).
  private static func scalar(_ cursor: inout GGUFCursor, type: Int, key: String) throws(ConvScopeError) -> Value {
    let what = "the value of '\(key)'"
    switch type {
    case 0: return .unsigned(UInt64(try cursor.integer(UInt8.self, what)))
    case 1: return .integer(Int64(try cursor.integer(Int8.self, what)))
    case 2: return .unsigned(UInt64(try cursor.integer(UInt16.self, what)))
    case 3: return .integer(Int64(try cursor.integer(Int16.self, what)))
    case 4: return .unsigned(UInt64(try cursor.integer(UInt32.self, what)))
    case 5: return .integer(Int64(try cursor.integer(Int32.self, what)))
    case 6: return .float(Double(Float(bitPattern: try cursor.integer(UInt32.self, what))))
    case 7: return .bool(try cursor.integer(UInt8.self, what) != 0)
    case 8: return .string(try cursor.string(what))
    case 10: return .unsigned(try cursor.integer(UInt64.self, what))
    case 11: return .integer(try cursor.integer(Int64.self, what))
    default: return .float(Double(bitPattern: try cursor.integer(UInt64.self, what)))
    }
  }

  /// One tensor entry after its name, and its offset in the data section.
  private static func tensor(_ cursor: inout GGUFCursor, name: String) throws(ConvScopeError) -> (HeaderTensor, Int) {
    let rankStart = cursor.offset
    let rank = try cursor.integer(UInt32.self, "the dimension count of '\(name)'")
    guard rank <= 4 else {
      throw cursor.error("tensor '\(name)' has \(rank) dimensions; GGUF allows at most 4", at: rankStart)
    }
    var dims: [Int] = []
    var elements = 1
    var magnitude = 1
    for _ in 0..<rank {
      let start = cursor.offset
      let dim = try cursor.count("a dimension of '\(name)'")
      // Checked as if a 0 were 1, so that no order of the dims overflows (a 0 ends at 0).
      let (product, overflow) = magnitude.multipliedReportingOverflow(by: max(dim, 1))
      guard !overflow else {
        throw cursor.error("tensor '\(name)': the dimensions' product overflows 64 bits", at: start)
      }
      magnitude = product
      elements *= dim
      dims.append(dim)
    }
    let typeStart = cursor.offset
    let typeID = try cursor.integer(UInt32.self, "the type of '\(name)'")
    guard let type = GGMLType.withID(Int(typeID)) else {
      throw cursor.error("tensor '\(name)' has unknown ggml type \(typeID)", at: typeStart)
    }
    guard (dims.first ?? 1) % type.blockElements == 0 else {
      throw cursor.error(
        "tensor '\(name)': its row of \(dims.first ?? 1) elements is not a whole number of \(type.name) blocks "
          + "(\(type.blockElements) elements each)", at: typeStart)
    }
    let (bytes, overflow) = (elements / type.blockElements).multipliedReportingOverflow(by: type.blockBytes)
    guard !overflow else { throw cursor.error("tensor '\(name)': its byte size overflows 64 bits", at: typeStart) }
    let offset = try cursor.count("the data offset of '\(name)'")
    let tensor = HeaderTensor(name: name, shape: dims.reversed(), storageType: type.name, storedBytes: bytes)
    return (tensor, offset)
  }

  /// Checks the alignment and that each tensor's data lies inside the file.
  private func checkData(_ cursor: inout GGUFCursor, starts: [Int], offsets: [Int]) throws(ConvScopeError) {
    var alignment = 32
    if let value = values["general.alignment"] {
      guard let declared = value.integer, declared > 0, declared.nonzeroBitCount == 1, declared <= 1 << 30 else {
        throw cursor.error("general.alignment is \(value.text); expected a power of two")
      }
      alignment = declared
    }
    let tableEnd = cursor.offset
    let dataStart = (tableEnd + alignment - 1) / alignment * alignment
    let fileSize = cursor.bytes.count
    for (index, tensor) in tensors.enumerated() {
      let offset = offsets[index]
      guard offset % alignment == 0 else {
        throw cursor.error(
          "tensor '\(tensor.name)': data offset \(offset) is not a multiple of the alignment \(alignment)",
          at: starts[index])
      }
      let (begin, overBegin) = dataStart.addingReportingOverflow(offset)
      let (end, overEnd) = begin.addingReportingOverflow(tensor.storedBytes)
      guard !overBegin, !overEnd, end <= fileSize else {
        throw cursor.error(
          "tensor '\(tensor.name)': its \(tensor.storedBytes) bytes at data offset \(offset) end past the end of "
            + "the file (\(fileSize) bytes; the data section starts at byte \(dataStart))", at: starts[index])
      }
    }
  }
}
