import ConvScope
import Foundation
import Testing

/// Hostile and broken GGUF headers, each built byte by byte: every one is refused with one
/// line naming the file and the byte offset where the bad field starts.
@Suite("GGUF hostile headers")
struct GGUFHostileTests {
  /// A little-endian GGUF writer for tests.
  struct Bytes {
    var data = Data()
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func string(_ text: String) {
      u64(UInt64(text.utf8.count))
      data.append(contentsOf: Array(text.utf8))
    }
    /// Magic, version 3, the counts.
    static func header(tensors: UInt64, pairs: UInt64, version: UInt32 = 3) -> Bytes {
      var bytes = Bytes()
      bytes.data.append(contentsOf: Array("GGUF".utf8))
      bytes.u32(version)
      bytes.u64(tensors)
      bytes.u64(pairs)
      return bytes
    }
    /// One tensor entry.
    mutating func tensor(_ name: String, dims: [UInt64], type: UInt32 = 0, offset: UInt64 = 0) {
      string(name)
      u32(UInt32(dims.count))
      for dim in dims { u64(dim) }
      u32(type)
      u64(offset)
    }
    /// Zero bytes up to the 32-byte alignment, then `payload` bytes.
    mutating func data(payload: Int) {
      data.append(contentsOf: [UInt8](repeating: 0, count: (32 - data.count % 32) % 32 + payload))
    }
  }

  /// The error reading `bytes` as `model.gguf`; checks it is one line naming the file and `offset`.
  func refusal(_ bytes: Bytes, at offset: Int, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    do {
      _ = try LanguageModelHeaderReader.read(data: bytes.data, fileName: "model.gguf", directory: nil)
      Issue.record("accepted", sourceLocation: sourceLocation)
      return ""
    } catch {
      #expect(error.file == "model.gguf", sourceLocation: sourceLocation)
      #expect(error.byteOffset == offset, "\(error)", sourceLocation: sourceLocation)
      #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
      return error.message
    }
  }

  @Test func hugeTensorCount() {
    let message = refusal(.header(tensors: UInt64(Int64.max), pairs: 0), at: 8)
    #expect(message.contains("tensor count 9223372036854775807 exceeds"))
  }

  @Test func tensorCountAbove64Bits() {
    #expect(refusal(.header(tensors: UInt64.max, pairs: 0), at: 8).contains("does not fit"))
  }

  @Test func hugeMetadataCount() {
    #expect(refusal(.header(tensors: 0, pairs: 1 << 40), at: 16).contains("metadata count"))
  }

  @Test func keyLengthPastTheEnd() {
    var bytes = Bytes.header(tensors: 0, pairs: 1)
    bytes.u64(1 << 40)
    bytes.data.append(contentsOf: Array("general".utf8))
    #expect(refusal(bytes, at: 24).contains("runs past the end of the file"))
  }

  @Test func stringValueLengthPastTheEnd() {
    var bytes = Bytes.header(tensors: 0, pairs: 1)
    bytes.string("general.architecture")
    bytes.u32(8)
    bytes.u64(UInt64(Int64.max))
    #expect(refusal(bytes, at: 24 + 8 + 20 + 4).contains("runs past the end"))
  }

  @Test func stringArrayElementPastTheEnd() {
    var bytes = Bytes.header(tensors: 0, pairs: 1)
    bytes.string("tokenizer.ggml.tokens")
    bytes.u32(9)
    bytes.u32(8)
    bytes.u64(2)
    bytes.string("a")
    bytes.u64(1_000)
    #expect(refusal(bytes, at: 24 + 8 + 21 + 4 + 4 + 8 + 9).contains("a string length 1000"))
  }

  @Test func arrayLongerThanTheFile() {
    var bytes = Bytes.header(tensors: 0, pairs: 1)
    bytes.string("tokenizer.ggml.scores")
    bytes.u32(9)
    bytes.u32(6)
    bytes.u64(1 << 60)
    #expect(refusal(bytes, at: 24 + 8 + 21 + 8).contains("array length"))
  }

  @Test func unknownValueType() {
    var bytes = Bytes.header(tensors: 0, pairs: 1)
    bytes.string("k")
    bytes.u32(13)
    #expect(refusal(bytes, at: 33).contains("unknown value type 13"))
  }

  @Test func arrayOfArrays() {
    var bytes = Bytes.header(tensors: 0, pairs: 1)
    bytes.string("k")
    bytes.u32(9)
    bytes.u32(9)
    #expect(refusal(bytes, at: 37).contains("array of arrays"))
  }

  @Test func duplicateKey() {
    var bytes = Bytes.header(tensors: 0, pairs: 2)
    for _ in 0..<2 {
      bytes.string("k")
      bytes.u32(4)
      bytes.u32(1)
    }
    #expect(refusal(bytes, at: 24 + 17).contains("duplicate metadata key 'k'"))
  }

  @Test func unknownTensorType() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [4], type: 4)
    bytes.data(payload: 16)
    #expect(refusal(bytes, at: 24 + 9 + 4 + 8).contains("unknown ggml type 4"))
  }

  @Test func tooManyDimensions() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [1, 1, 1, 1, 1])
    #expect(refusal(bytes, at: 33).contains("5 dimensions; GGUF allows at most 4"))
  }

  @Test func dimensionProductOverflows() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [1 << 32, 1 << 32])
    #expect(refusal(bytes, at: 24 + 9 + 4 + 8).contains("overflows 64 bits"))
  }

  /// Found by the gguf fuzzer: a 0 first hid the overflow of the others' product, which
  /// overflowed when the reversed shape was multiplied out.
  @Test func dimensionProductOverflowsBehindAZero() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [0, 1 << 32, 1 << 32])
    #expect(refusal(bytes, at: 24 + 9 + 4 + 8 + 8).contains("overflows 64 bits"))
  }

  @Test func rowNotWholeBlocks() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [100], type: 12)
    #expect(refusal(bytes, at: 24 + 9 + 4 + 8).contains("not a whole number of Q4_K blocks"))
  }

  @Test func duplicateTensorName() {
    var bytes = Bytes.header(tensors: 2, pairs: 0)
    bytes.tensor("t", dims: [1])
    bytes.tensor("t", dims: [1], offset: 32)
    bytes.data(payload: 64)
    #expect(refusal(bytes, at: 24 + 33).contains("duplicate tensor name 't'"))
  }

  @Test func dataOutsideTheFile() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [8], offset: 1 << 62)
    bytes.data(payload: 32)
    #expect(refusal(bytes, at: 24).contains("end past the end of the file"))
  }

  @Test func dataOffsetOverflows() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [8], offset: UInt64(Int64.max) - 31)
    bytes.data(payload: 32)
    #expect(refusal(bytes, at: 24).contains("end past the end of the file"))
  }

  @Test func misalignedOffset() {
    var bytes = Bytes.header(tensors: 1, pairs: 0)
    bytes.tensor("t", dims: [1], offset: 4)
    bytes.data(payload: 64)
    #expect(refusal(bytes, at: 24).contains("not a multiple of the alignment 32"))
  }

  @Test func alignmentNotAPowerOfTwo() {
    var bytes = Bytes.header(tensors: 0, pairs: 1)
    bytes.string("general.alignment")
    bytes.u32(4)
    bytes.u32(24)
    #expect(refusal(bytes, at: bytes.data.count).contains("expected a power of two"))
  }

  @Test func bigEndianFile() {
    var bytes = Bytes()
    bytes.data.append(contentsOf: Array("GGUF".utf8) + [0, 0, 0, 3])
    #expect(refusal(bytes, at: 4).contains("big-endian GGUF file (version 3)"))
  }

  @Test(arguments: [UInt32(1), 4]) func otherVersions(version: UInt32) {
    #expect(refusal(.header(tensors: 0, pairs: 0, version: version), at: 4).contains("GGUF version \(version)"))
  }

  /// A header whose architecture is not mapped keeps its exact tensor table.
  @Test func unmappedArchitectureKeepsTheParameters() throws {
    var bytes = Bytes.header(tensors: 1, pairs: 1)
    bytes.string("general.architecture")
    bytes.u32(8)
    bytes.string("rwkv6")
    bytes.tensor("t", dims: [3, 5])
    bytes.data(payload: 60)
    let header = try LanguageModelHeaderReader.read(data: bytes.data, fileName: "model.gguf", directory: nil)
    #expect(header.shape == nil)
    #expect(header.unmappedReason?.contains("'rwkv6'") == true)
    #expect(header.tensors == [HeaderTensor(name: "t", shape: [5, 3], storageType: "F32", storedBytes: 60)])
  }

  /// Every prefix of a real GGUF file is refused in one line at an offset within it; the
  /// whole file reads.
  @Test func everyTruncationIsOneLine() throws {
    let data = try Fixtures.data("llm-headers/qwen2.gguf")
    for length in 0..<data.count {
      do {
        _ = try LanguageModelHeaderReader.read(data: data.prefix(length), fileName: "model.gguf", directory: nil)
        Issue.record("a prefix of \(length) bytes was accepted")
      } catch {
        let offset = error.byteOffset ?? -1
        guard error.file == "model.gguf", (0...length).contains(offset), !error.description.contains("\n") else {
          Issue.record("prefix \(length): \(error)")
          return
        }
      }
    }
    _ = try LanguageModelHeaderReader.read(data: data, fileName: "model.gguf", directory: nil)
  }
}
