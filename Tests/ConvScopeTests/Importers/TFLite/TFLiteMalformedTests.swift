import Foundation
import Testing

@testable import ConvScopeCore
@testable import ConvScopeImporters

/// Broken and hostile `.tflite` files give one-line errors naming the byte offset, never a
/// crash: truncations, offsets past the end, a self-referencing offset, vectors longer than the
/// file, a bad vtable, another schema version.
@Suite struct TFLiteMalformedTests {
  /// A hand-made FlatBuffer: the root `Model` table at byte 16 with its vtable at byte 8 (fields
  /// 0 version and 1 operator_codes), `version` at byte 20 and the operator_codes `uoffset` at
  /// byte 24; `tail` follows at byte 28.
  static func model(version: UInt32 = 3, codesOffset: UInt32, tail: [UInt8] = [], soffset: Int32 = 8) -> Data {
    var bytes: [UInt8] = []
    func u16(_ v: UInt16) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
    func u32(_ v: UInt32) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
    u32(16)
    bytes += Array("TFL3".utf8)
    u16(8)  // vtable length: 4 + 2 fields
    u16(12)  // inline length
    u16(4)  // version at table + 4
    u16(8)  // operator_codes at table + 8
    u32(UInt32(bitPattern: soffset))  // table at 16: vtable at 16 - soffset
    u32(version)
    u32(codesOffset)
    return Data(bytes + tail)
  }

  static func error(_ data: Data) -> ConvScopeError? {
    do {
      _ = try TFLiteImporter().importGraph(from: data, fileName: "bad.tflite", directory: nil)
      return nil
    } catch {
      return error
    }
  }

  static func expectOneLine(_ data: Data, offset: Int, saying text: String) {
    guard let error = error(data) else {
      Issue.record("no error for a malformed file (expected '\(text)')")
      return
    }
    #expect(error.byteOffset == offset, "\(error)")
    #expect(error.description.contains(text), "\(error)")
    #expect(!error.description.contains("\n"))
  }

  @Test func aSelfReferencingOffsetIsACycle() {
    Self.expectOneLine(Self.model(codesOffset: 0), offset: 24, saying: "points at itself")
  }

  @Test func anOffsetPastTheEndIsRefused() {
    Self.expectOneLine(Self.model(codesOffset: 4096), offset: 24, saying: "past the end of the file")
  }

  @Test func aHugeVectorIsRefusedBeforeAnyElementIsRead() {
    // operator_codes points at byte 28, whose count claims 2^31 - 1 offsets in a 32-byte file.
    Self.expectOneLine(
      Self.model(codesOffset: 4, tail: [0xff, 0xff, 0xff, 0x7f]), offset: 28, saying: "vector of 2147483647")
  }

  @Test func aVtableOutsideTheFileIsRefused() {
    Self.expectOneLine(Self.model(codesOffset: 4, soffset: -4000), offset: 16, saying: "vtable offset")
  }

  @Test func anotherSchemaVersionIsRefused() {
    Self.expectOneLine(Self.model(version: 2, codesOffset: 4, tail: [0, 0, 0, 0]), offset: 16, saying: "expected 3")
  }

  @Test func everyTruncationOfARealModelFailsCleanly() throws {
    let data = try Fixtures.data("tflite/mobilenet_like_float16.tflite")
    var failures = 0
    for length in stride(from: 8, to: data.count, by: 97) {
      // A truncation that cuts only weight bytes still reads (weights are never read); the
      // others must fail with a one-line error that names a byte offset inside the file.
      if let error = Self.error(data.prefix(length)) {
        failures += 1
        #expect(error.byteOffset.map { $0 >= 0 && $0 <= length } == true, "\(length): \(error)")
        #expect(!error.description.contains("\n"))
      }
    }
    #expect(failures > 0)
  }

  @Test func everyFlippedByteOfARealModelFailsCleanlyOrImports() throws {
    let data = try Fixtures.data("tflite/mlp_float16.tflite")
    for position in stride(from: 0, to: min(data.count, 2048), by: 7) {
      var copy = data
      copy[position] ^= 0xa5
      if let error = Self.error(copy) { #expect(!error.description.contains("\n")) }
    }
  }

  @Test func detectionIsByTheFileIdentifierNotTheName() throws {
    let data = try Fixtures.data("tflite/mlp_float32.tflite")
    let importer = TFLiteImporter()
    #expect(importer.recognizes(fileName: "model.bin", prefix: data.prefix(64)))
    #expect(!importer.recognizes(fileName: "model.tflite", prefix: Data("not a flatbuffer".utf8)))
    #expect(ModelLoader.standard.importers.first { $0.recognizes(fileName: "x.bin", prefix: data) }?.format == .tflite)
  }

  /// A fuzzer finding: a PAD whose paddings tensor claims a shape whose element count
  /// overflows (`fuzz-pad-shape-overflow.tflite`, also in `Fuzz/Corpus/tflite/`).
  @Test func aConstantWhoseSizeOverflowsIsRefused() throws {
    let data = try Fixtures.data("tflite/fuzz-pad-shape-overflow.tflite")
    Self.expectOneLine(data, offset: 10836, saying: "overflows")
  }

  /// A fuzzer finding: a DEQUANTIZE whose output is the stored tensor it reads made an alias
  /// of a tensor to itself, and every later reader of that tensor followed it forever
  /// (`fuzz-dequantize-own-output.tflite`, also in `Fuzz/Corpus/tflite/`).
  @Test func aFoldedOperatorWritingItsOwnInputIsACycle() throws {
    let data = try Fixtures.data("tflite/fuzz-dequantize-own-output.tflite")
    Self.expectOneLine(data, offset: 5524, saying: "tensor 10 is both the output of this DEQUANTIZE")
  }
}
