import ConvScope
import Foundation
import Testing

@testable import ConvScopeImporters

/// `.keras` archives whose zip structure lies: an error naming the file, never a trap
/// (the fuzzer's 26-byte crash was an end record pointing past the data), and deflated
/// `config.json` entries that inflate, stop at their cap or fail cleanly.
@Suite struct KerasArchiveTests {
  /// `{"a": 1}`, raw-deflated (zlib level 9, no header), and its CRC-32.
  static let json = Array(#"{"a": 1}"#.utf8)
  static let deflated: [UInt8] = [171, 86, 74, 84, 178, 82, 48, 172, 5, 0]
  static let crc = 4_221_669_015

  private func config(_ bytes: [UInt8]) throws(ConvScopeError) -> Data {
    try KerasArchive.config(from: Data(bytes), fileName: "m.keras")
  }

  private func message(_ bytes: [UInt8]) -> String {
    do throws(ConvScopeError) {
      _ = try config(bytes)
      return "no error"
    } catch {
      return error.description
    }
  }

  @Test func anEndRecordPointingPastTheDataIsAnError() {
    // The fuzzer's input: a local-header signature, then an end record whose one-entry
    // central directory (46 bytes) starts at offset 1000 of a 26-byte file.
    let bytes: [UInt8] =
      [0x50, 0x4B, 0x03, 0x04] + [0x50, 0x4B, 0x05, 0x06] + ZipBytes.le(0, 4) + ZipBytes.le(1, 2) + ZipBytes.le(1, 2)
      + ZipBytes.le(46, 4) + ZipBytes.le(1000, 4) + ZipBytes.le(0, 2)
    #expect(bytes.count == 26)
    #expect(
      message(bytes)
        == "m.keras: not a readable zip archive: the central directory (46 bytes at offset 1000) lies past the end of the data (26 bytes)"
    )
  }

  @Test func aStoredAndADeflatedConfigReadTheSame() throws {
    let stored = ZipBytes.archive(method: 0, data: Self.json, crc: Self.crc, size: Self.json.count)
    let deflated = ZipBytes.archive(method: 8, data: Self.deflated, crc: Self.crc, size: Self.json.count)
    #expect(try config(stored.bytes) == Data(Self.json))
    #expect(try config(deflated.bytes) == Data(Self.json))
  }

  @Test func aZIP64ArchiveReadsThroughItsZIP64Records() throws {
    // What Python's zipfile writes when the weights pass 4 GiB: the end record's fields are
    // 0xFFFF..., the real ones are in the ZIP64 end record and the entry's extra field.
    let zip = ZipBytes.zip64(data: Self.json, crc: Self.crc)
    #expect(try config(zip) == Data(Self.json))
    var broken = zip
    // The ZIP64 end record (56 bytes before the 20-byte locator and the 22-byte end record)
    // holds the directory size at +40.
    broken.replaceSubrange((broken.count - 58)..<(broken.count - 50), with: ZipBytes.le(1 << 40, 8))
    #expect(message(broken).contains("(1099511627776 bytes at offset"), "\(message(broken))")
  }

  @Test func directoryFieldsPointingPastTheDataAreErrors() {
    let zip = ZipBytes.archive(method: 0, data: Self.json, crc: Self.crc, size: Self.json.count)
    let cases: [(offset: Int, size: Int, value: Int, expected: String)] = [
      (zip.central + 42, 4, 5_000, "the local header of config.json (30 bytes at offset 5000) lies past"),
      (zip.central + 28, 2, 60_000, "the name of entry 1 (60000 bytes at offset"),
      (zip.central + 20, 4, 1 << 31, "the data of config.json (2147483648 bytes"),
      (zip.end + 10, 2, 3, "central directory entry 2 is not at offset"),
      (zip.end + 12, 4, 0xFFFF_FFF0, "the central directory (4294967280 bytes"),
    ]
    for item in cases {
      var bytes = zip.bytes
      bytes.replaceSubrange(item.offset..<(item.offset + item.size), with: ZipBytes.le(item.value, item.size))
      #expect(message(bytes).contains(item.expected), "\(item)")
    }
  }

  @Test func aTruncatedOrCorruptDeflateStreamIsAnErrorNotALoop() {
    let truncated = ZipBytes.archive(method: 8, data: Array(Self.deflated.prefix(4)), crc: Self.crc, size: 8)
    #expect(message(truncated.bytes).hasPrefix("m.keras: not a readable zip archive: config.json"))
    let wrongCRC = ZipBytes.archive(method: 8, data: Self.deflated, crc: Self.crc ^ 1, size: Self.json.count)
    #expect(message(wrongCRC.bytes).contains("damaged"))
  }

  @Test func aDeclaredSizePastTheCapIsRefusedBeforeInflating() {
    let zip = ZipBytes.archive(method: 8, data: Self.deflated, crc: Self.crc, size: (64 << 20) + 1)
    #expect(
      message(zip.bytes).contains("config.json declares 67108865 bytes uncompressed; refusing more than 67108864"))
  }

  @Test func inflatingStopsAtTheCapWhateverTheDirectoryDeclares() {
    // The directory declares 2 bytes (under a cap of 4); the stream inflates to 8.
    let zip = ZipBytes.archive(method: 8, data: Self.deflated, crc: Self.crc, size: 2)
    #expect(throws: ConvScopeError.self) {
      try KerasArchive.config(from: Data(zip.bytes), fileName: "m.keras", limit: 4)
    }
    do {
      _ = try KerasArchive.config(from: Data(zip.bytes), fileName: "m.keras", limit: 4)
    } catch {
      #expect(
        error.description
          == "m.keras: config.json inflates past 4 bytes; refusing it (CONVSCOPE_MAX_ENTRY_BYTES raises it)")
    }
  }

  @Test func everyTruncationAndEveryOverwrittenByteIsAnErrorOrAResult() {
    // A small exhaustive check: no prefix of a good archive, and no byte of it set to
    // 0x00, 0x7F or 0xFF, traps or hangs.
    let zip = ZipBytes.archive(method: 8, data: Self.deflated, crc: Self.crc, size: Self.json.count).bytes
    for length in 0..<zip.count { _ = message(Array(zip.prefix(length))) }
    for index in zip.indices {
      for value: UInt8 in [0x00, 0x7F, 0xFF] {
        var bytes = zip
        bytes[index] = value
        _ = message(bytes)
      }
    }
  }
}

/// Builds one-entry zip archives byte by byte, and says where their records start.
enum ZipBytes {
  /// `value` as `count` little-endian bytes.
  static func le(_ value: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8((value >> (8 * $0)) & 0xFF) } }

  /// A zip holding `config.json` with `data` (stored or deflated) that should inflate to
  /// `size` bytes with CRC-32 `crc`; `central` and `end` are the offsets of its records.
  static func archive(method: Int, data: [UInt8], crc: Int, size: Int) -> (bytes: [UInt8], central: Int, end: Int) {
    let name = Array("config.json".utf8)
    let fields = le(method, 2) + le(0, 4) + le(crc, 4) + le(data.count, 4) + le(size, 4) + le(name.count, 2)
    let local = [0x50, 0x4B, 0x03, 0x04] + le(20, 2) + le(0, 2) + fields + le(0, 2) + name + data
    let central =
      [0x50, 0x4B, 0x01, 0x02] + le(20, 2) + le(20, 2) + le(0, 2) + fields + le(0, 2) + le(0, 2) + le(0, 2)
      + le(0, 2) + le(0, 4) + le(0, 4) + name
    let end =
      [0x50, 0x4B, 0x05, 0x06] + le(0, 4) + le(1, 2) + le(1, 2) + le(central.count, 4) + le(local.count, 4) + le(0, 2)
    return (local + central + end, local.count, local.count + central.count)
  }

  /// A stored `config.json` archive in ZIP64 form: the entry's sizes and offset in its
  /// ZIP64 extra field, the directory's in a ZIP64 end record found through its locator.
  static func zip64(data: [UInt8], crc: Int) -> [UInt8] {
    let name = Array("config.json".utf8)
    let local =
      [0x50, 0x4B, 0x03, 0x04] + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4) + le(data.count, 4)
      + le(data.count, 4) + le(name.count, 2) + le(0, 2) + name + data
    let extra = le(1, 2) + le(24, 2) + le(data.count, 8) + le(data.count, 8) + le(0, 8)
    let central =
      [0x50, 0x4B, 0x01, 0x02] + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(crc, 4)
      + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(name.count, 2) + le(extra.count, 2) + le(0, 2) + le(0, 2)
      + le(0, 2) + le(0, 4) + le(0xFFFF_FFFF, 4) + name + extra
    let record =
      [0x50, 0x4B, 0x06, 0x06] + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4) + le(1, 8) + le(1, 8)
      + le(central.count, 8) + le(local.count, 8)
    let locator = [0x50, 0x4B, 0x06, 0x07] + le(0, 4) + le(local.count + central.count, 8) + le(1, 4)
    let end =
      [0x50, 0x4B, 0x05, 0x06] + le(0, 4) + le(0xFFFF, 2) + le(0xFFFF, 2) + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4)
      + le(0, 2)
    return local + central + record + locator + end
  }
}
