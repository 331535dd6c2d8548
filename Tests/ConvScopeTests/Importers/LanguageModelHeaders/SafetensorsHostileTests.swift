import ConvScope
import Foundation
import Testing

/// Hostile and broken safetensors headers, and the `config.json` beside a file: each refusal
/// is one line naming the file and a byte offset.
@Suite("safetensors hostile headers")
struct SafetensorsHostileTests {
  /// A file: the header's length, the JSON, then `payload` zero bytes.
  static func file(_ json: String, payload: Int = 0, declaredLength: UInt64? = nil) -> Data {
    var data = Data()
    withUnsafeBytes(of: (declaredLength ?? UInt64(json.utf8.count)).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: Array(json.utf8))
    data.append(contentsOf: [UInt8](repeating: 0, count: payload))
    return data
  }

  /// The error reading `data`; checks it is one line naming the file and `offset`.
  func refusal(_ data: Data, at offset: Int, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    do {
      _ = try LanguageModelHeaderReader.read(data: data, fileName: "model.safetensors", directory: nil)
      Issue.record("accepted", sourceLocation: sourceLocation)
      return ""
    } catch {
      #expect(error.file == "model.safetensors", sourceLocation: sourceLocation)
      #expect(error.byteOffset == offset, "\(error)", sourceLocation: sourceLocation)
      #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
      return error.message
    }
  }

  @Test func headerLengthBeyondTheFile() {
    #expect(refusal(Self.file("{}", declaredLength: 1_000), at: 0).contains("runs past the end of the file"))
  }

  @Test func headerLengthOverTheCap() {
    let message = refusal(Self.file("{}", declaredLength: 1 << 50), at: 0)
    #expect(message.contains("more than the limit of 100000000 bytes (CONVSCOPE_MAX_HEADER_BYTES raises it)"))
  }

  /// A JSON or YAML file whose ninth byte is `{` is not taken for safetensors: a header
  /// length's eighth byte is 0, a text file's never.
  @Test func textIsNotSafetensors() {
    #expect(LanguageModelHeaderReader.format(prefix: Data(#"{"a": 1, {"#.utf8)) == nil)
    #expect(LanguageModelHeaderReader.format(prefix: Self.file("{}")) == .safetensors)
  }

  @Test func malformedJSON() {
    #expect(refusal(Self.file(#"{"a": "#), at: 8).contains("malformed JSON"))
  }

  @Test func unknownDtype() {
    let json = #"{"w": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 2]}}"#
    #expect(refusal(Self.file(json, payload: 2), at: 9).contains("tensor 'w': unknown dtype 'Q4'"))
  }

  @Test func offsetsPastTheEnd() {
    let json = #"{"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#
    #expect(refusal(Self.file(json, payload: 8), at: 9).contains("past the end of the file"))
  }

  @Test func offsetsDisagreeWithTheShape() {
    let json = #"{"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}"#
    #expect(refusal(Self.file(json, payload: 16), at: 9).contains("span 8 bytes"))
  }

  @Test func overlappingTensors() {
    let json =
      #"{"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]}, "b": {"dtype": "U8", "shape": [4], "data_offsets": [2, 6]}}"#
    let message = refusal(Self.file(json, payload: 8), at: 8 + json.distance(to: #""b""#))
    #expect(message.contains("overlaps 'a'"))
  }

  @Test func negativeDimension() {
    let json = #"{"x": {"dtype": "U8", "shape": [-1], "data_offsets": [0, 0]}}"#
    #expect(refusal(Self.file(json), at: 9).contains("not a whole number ≥ 0"))
  }

  @Test func shapeProductOverflows() {
    let json = #"{"x": {"dtype": "U8", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}}"#
    #expect(refusal(Self.file(json), at: 9).contains("overflows 64 bits"))
  }

  @Test func shapeProductOverflowsBehindAZero() {
    let json = #"{"x": {"dtype": "U8", "shape": [0, 4294967296, 4294967296], "data_offsets": [0, 0]}}"#
    #expect(refusal(Self.file(json), at: 9).contains("overflows 64 bits"))
  }

  @Test func tooManyDimensions() {
    let dims = Array(repeating: "1", count: 65).joined(separator: ",")
    let json = #"{"x": {"dtype": "U8", "shape": ["# + dims + #"], "data_offsets": [0, 1]}}"#
    #expect(refusal(Self.file(json, payload: 1), at: 9).contains("65 dimensions"))
  }

  @Test func headerNotAnObject() {
    var data = Self.file("[1]")
    data[8] = UInt8(ascii: "{")  // recognised by its '{', then not an object
    #expect(refusal(data, at: 8).contains("malformed JSON"))
    #expect(refusal(Self.file(#"{"__metadata__": 3}"#), at: 9).contains("'__metadata__' is not an object"))
  }

  /// Every prefix of a real safetensors file is refused in one line at an offset within it.
  @Test func everyTruncationIsOneLine() throws {
    let data = try Fixtures.data("llm-headers/qwen2/model.safetensors")
    for length in 0..<data.count {
      do {
        _ = try LanguageModelHeaderReader.read(data: data.prefix(length), fileName: "model.safetensors", directory: nil)
        Issue.record("a prefix of \(length) bytes was accepted")
      } catch {
        let offset = error.byteOffset ?? -1
        guard error.file == "model.safetensors", (0...max(length, 8)).contains(offset),
          !error.description.contains("\n")
        else {
          Issue.record("prefix \(length): \(error)")
          return
        }
      }
    }
  }

  /// A config.json that links outside the model's folder is not read; a missing one or an
  /// architecture not mapped leaves the shape out with the reason, the tensors still exact.
  @Test func configOutsideTheFolderIsNotRead() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-st-\(UUID().uuidString)")
    let folder = base.appendingPathComponent("model")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: base) }
    let file = folder.appendingPathComponent("model.safetensors")
    try Self.file(#"{"w": {"dtype": "BF16", "shape": [2, 3], "data_offsets": [0, 12]}}"#, payload: 12).write(to: file)
    let missing = try LanguageModelHeaderReader.read(fileAt: file.path)
    #expect(missing.shape == nil && missing.unmappedReason?.contains("no config.json") == true)
    #expect(missing.tensors == [HeaderTensor(name: "w", shape: [2, 3], storageType: "BF16", storedBytes: 12)])

    let outside = base.appendingPathComponent("config.json")
    try Data(#"{"model_type": "gpt2", "n_layer": 1, "n_embd": 4, "n_head": 1, "vocab_size": 2, "n_positions": 8}"#.utf8)
      .write(to: outside)
    try FileManager.default.createSymbolicLink(
      at: folder.appendingPathComponent("config.json"), withDestinationURL: outside)
    let linked = try LanguageModelHeaderReader.read(fileAt: file.path)
    #expect(linked.shape == nil && linked.unmappedReason?.contains("outside the model's folder") == true)

    try FileManager.default.removeItem(at: folder.appendingPathComponent("config.json"))
    try Data(#"{"model_type": "mamba"}"#.utf8).write(to: folder.appendingPathComponent("config.json"))
    let unmapped = try LanguageModelHeaderReader.read(fileAt: file.path)
    #expect(unmapped.shape == nil && unmapped.unmappedReason?.contains("'mamba'") == true)
    #expect(unmapped.tensors.count == 1)
  }
}

extension String {
  /// The UTF-8 offset of `needle`'s first occurrence.
  fileprivate func distance(to needle: String) -> Int {
    utf8.count - (range(of: needle).map { self[$0.lowerBound...].utf8.count } ?? 0)
  }
}
