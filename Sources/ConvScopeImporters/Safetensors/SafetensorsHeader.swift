import ConvScopeCore
import Foundation

/// A safetensors file's header, read without touching the tensor data: an 8-byte
/// little-endian length N, then N bytes of JSON mapping each tensor's name to its `dtype`,
/// `shape` and `data_offsets` (begin and end, relative to the byte after the header), with
/// an optional `__metadata__` object of strings
/// (https://huggingface.co/docs/safetensors/index#format).
///
/// Refused: a length beyond the file or over ``ResourceLimits/headerBytes``, JSON that is
/// not an object, an unknown dtype, a negative or overflowing shape, offsets that do not
/// match the dtype and shape, that lie outside the file or that overlap another tensor's.
struct SafetensorsHeader {
  /// The tensors, in the order of their data.
  var tensors: [HeaderTensor] = []
  /// `__metadata__`'s pairs, sorted by key.
  var metadata: [(key: String, value: String)] = []

  /// Bits per element of each dtype the format defines.
  private static let dtypeBits: [String: Int] = [
    "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8, "I16": 16, "U16": 16, "F16": 16,
    "BF16": 16, "I32": 32, "U32": 32, "F32": 32, "F64": 64, "I64": 64, "U64": 64, "C64": 64, "F4": 4,
    "F6_E2M3": 6, "F6_E3M2": 6,
  ]
  /// The most dimensions a tensor may have.
  static let rankLimit = 64

  /// Reads the header of the safetensors file `data`; errors name `fileName` and the byte offset.
  init(data: Data, fileName: String) throws(ConvScopeError) {
    func error(_ message: String, at offset: Int) -> ConvScopeError {
      ConvScopeError(file: fileName, byteOffset: offset, message: message)
    }
    guard data.count >= 8 else {
      throw error("the 8-byte header length needs 8 bytes but the file has \(data.count) (truncated header)", at: 0)
    }
    let declared = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    let limit = try ResourceLimits.headerBytes
    guard declared <= UInt64(limit) else {
      throw error(
        "header length \(declared) is more than the limit of \(limit) bytes "
          + "(\(ResourceLimits.headerBytesVariable) raises it)", at: 0)
    }
    guard declared <= UInt64(data.count - 8) else {
      throw error("header length \(declared) runs past the end of the file (\(data.count - 8) bytes left)", at: 0)
    }
    let length = Int(declared)
    let json = data.subdata(in: data.startIndex + 8..<data.startIndex + 8 + length)
    guard json.first == UInt8(ascii: "{") else { throw error("the header does not start with '{'", at: 8) }
    let parsed: JSONValue
    do {
      parsed = try JSONValue.parse(json, fileName: fileName)
    } catch let failure {
      throw error(failure.message, at: 8)
    }
    guard let entries = parsed.object else { throw error("the header is not a JSON object", at: 8) }
    let entryLimit = try ResourceLimits.headerEntries
    guard entries.count <= entryLimit else {
      throw error(
        "the header lists \(entries.count) entries, more than the limit of \(entryLimit) "
          + "(\(ResourceLimits.headerEntriesVariable) raises it)", at: 8)
    }
    let dataSize = data.count - 8 - length
    var placed: [(begin: Int, end: Int, tensor: HeaderTensor)] = []
    for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
      if name == "__metadata__" {
        guard let members = entry.object else {
          throw error("'__metadata__' is not an object", at: 8 + Self.offset(of: name, in: json))
        }
        metadata = members.map { ($0.key, $0.value.string ?? "(\($0.value.kindName))") }.sorted { $0.key < $1.key }
        continue
      }
      do {
        placed.append(try Self.tensor(name: name, entry: entry, dataSize: dataSize))
      } catch let message {
        throw error("tensor '\(name)': \(message.text)", at: 8 + Self.offset(of: name, in: json))
      }
    }
    placed.sort { ($0.begin, $0.end, $0.tensor.name) < ($1.begin, $1.end, $1.tensor.name) }
    for (previous, next) in zip(placed, placed.dropFirst()) where next.begin < previous.end {
      throw error(
        "tensor '\(next.tensor.name)': its data [\(next.begin), \(next.end)) overlaps "
          + "'\(previous.tensor.name)' [\(previous.begin), \(previous.end))",
        at: 8 + Self.offset(of: next.tensor.name, in: json))
    }
    tensors = placed.map(\.tensor)
  }

  /// A problem with one entry, said without its location (the caller adds it).
  private struct EntryProblem: Error {
    var text: String
    init(_ text: String) { self.text = text }
  }

  /// One tensor entry, checked against the data section's `dataSize` bytes.
  private static func tensor(name: String, entry: JSONValue, dataSize: Int) throws(EntryProblem) -> (
    begin: Int, end: Int, tensor: HeaderTensor
  ) {
    guard let dtype = entry["dtype"]?.string else { throw EntryProblem("no 'dtype' string") }
    guard let bits = dtypeBits[dtype] else { throw EntryProblem("unknown dtype '\(dtype)'") }
    guard let dims = entry["shape"]?.array else { throw EntryProblem("no 'shape' list") }
    guard dims.count <= rankLimit else {
      throw EntryProblem("\(dims.count) dimensions, more than the limit of \(rankLimit)")
    }
    var shape: [Int] = []
    var elements = 1
    var magnitude = 1  // the product with each 0 taken as 1: no order of the dims overflows
    for dim in dims {
      guard let size = dim.int, size >= 0 else { throw EntryProblem("a dimension is not a whole number ≥ 0") }
      let (product, overflow) = magnitude.multipliedReportingOverflow(by: max(size, 1))
      guard !overflow else { throw EntryProblem("the dimensions' product overflows 64 bits") }
      magnitude = product
      elements *= size
      shape.append(size)
    }
    guard let offsets = entry["data_offsets"]?.array, offsets.count == 2, let begin = offsets[0].int,
      let end = offsets[1].int, begin >= 0, begin <= end
    else { throw EntryProblem("'data_offsets' is not two whole numbers [begin, end] with begin ≤ end") }
    guard end <= dataSize else {
      throw EntryProblem("data_offsets end \(end) is past the end of the file (the data section has \(dataSize) bytes)")
    }
    let (totalBits, overflow) = elements.multipliedReportingOverflow(by: bits)
    guard !overflow, totalBits % 8 == 0, end - begin == totalBits / 8 else {
      throw EntryProblem("data_offsets span \(end - begin) bytes; \(dtype) \(shape) takes \(elements) × \(bits) bits")
    }
    return (begin, end, HeaderTensor(name: name, shape: shape, storageType: dtype, storedBytes: end - begin))
  }

  /// Where the key `"name"` first appears in the header (0 when it cannot be found, for
  /// example because the file escapes it).
  private static func offset(of name: String, in json: Data) -> Int {
    let key = Data(("\"" + name + "\"").utf8)
    guard let range = json.range(of: key) else { return 0 }
    return range.lowerBound - json.startIndex
  }
}
