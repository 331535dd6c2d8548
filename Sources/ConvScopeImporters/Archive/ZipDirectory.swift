import ConvScopeCore
import Foundation

/// A zip archive's directory, read with every offset and length checked against the
/// data before it is used: the end-of-central-directory record (and its ZIP64 form), the
/// central directory's entries and each entry's local header. A record that points past
/// the data, or overlaps what it should follow, is an error, never a trap. Nothing is
/// decompressed here (see ``ZipEntryReader``).
struct ZipDirectory {
  /// One file of the archive, located: where its (compressed) bytes lie and what they should become.
  struct Entry {
    let name: String
    /// 0 stored, 8 deflated.
    let method: Int
    let crc32: UInt32
    let compressedSize: Int
    let uncompressedSize: Int
    let localHeaderOffset: Int
  }

  let entries: [Entry]
  private let bytes: ZipBytes

  /// Reads the directory of `data`.
  init(_ data: Data) throws(ZipError) {
    bytes = ZipBytes(data)
    let end = try Self.endRecord(in: bytes)
    var entries: [Entry] = []
    var offset = end.directoryOffset
    let directoryEnd = try bytes.end(of: end.directoryOffset, length: end.directorySize, "the central directory")
    for index in 0..<end.entryCount {
      let entry = try Self.entry(in: bytes, at: offset, index: index)
      offset = entry.next
      guard offset <= directoryEnd else {
        throw ZipError("central directory entry \(index + 1) runs past the directory")
      }
      entries.append(entry.entry)
    }
    self.entries = entries
  }

  /// The byte range of `entry`'s (compressed) data, after checking its local header.
  func dataRange(of entry: Entry) throws(ZipError) -> Range<Int> {
    let header = entry.localHeaderOffset
    _ = try bytes.end(of: header, length: 30, "the local header of \(entry.name)")
    guard try bytes.uint32(header) == 0x0403_4B50 else {
      throw ZipError("the local header of \(entry.name) is not at offset \(header)")
    }
    let nameLength = try bytes.uint16(header + 26)
    let extraLength = try bytes.uint16(header + 28)
    let start = header + 30 + nameLength + extraLength
    let end = try bytes.end(of: start, length: entry.compressedSize, "the data of \(entry.name)")
    return start..<end
  }

  /// The bytes at `range` (a range ``dataRange(of:)`` returned).
  func data(_ range: Range<Int>) -> Data { bytes.slice(range) }

  // MARK: Records

  private struct EndRecord {
    var entryCount: Int
    var directorySize: Int
    var directoryOffset: Int
  }

  /// The end-of-central-directory record: the last one in the final 64 KiB + 22 bytes
  /// (its comment is at most 65,535 bytes), with its ZIP64 record when a field overflowed.
  private static func endRecord(in bytes: ZipBytes) throws(ZipError) -> EndRecord {
    guard bytes.count >= 22 else { throw ZipError("too short for a zip archive (\(bytes.count) bytes)") }
    var position = bytes.count - 22
    let lowest = max(0, bytes.count - 22 - 65_535)
    while try bytes.uint32(position) != 0x0605_4B50 {
      guard position > lowest else { throw ZipError("no end-of-central-directory record") }
      position -= 1
    }
    var record = EndRecord(
      entryCount: try bytes.uint16(position + 10), directorySize: try bytes.uint32(position + 12),
      directoryOffset: try bytes.uint32(position + 16))
    let overflowed =
      record.entryCount == 0xFFFF || record.directorySize == 0xFFFF_FFFF || record.directoryOffset == 0xFFFF_FFFF
    guard overflowed, position >= 20, try bytes.uint32(position - 20) == 0x0706_4B50 else { return record }
    let zip64 = try bytes.uint64(position - 12)
    guard try bytes.uint32(zip64) == 0x0606_4B50 else {
      throw ZipError("the ZIP64 end record is not at offset \(zip64)")
    }
    record.entryCount = try bytes.uint64(zip64 + 32)
    record.directorySize = try bytes.uint64(zip64 + 40)
    record.directoryOffset = try bytes.uint64(zip64 + 48)
    return record
  }

  /// The central directory entry at `offset`, and where the next one starts.
  private static func entry(in bytes: ZipBytes, at offset: Int, index: Int) throws(ZipError) -> (
    entry: Entry, next: Int
  ) {
    guard try bytes.uint32(offset) == 0x0201_4B50 else {
      throw ZipError("central directory entry \(index + 1) is not at offset \(offset)")
    }
    let nameLength = try bytes.uint16(offset + 28)
    let extraLength = try bytes.uint16(offset + 30)
    let commentLength = try bytes.uint16(offset + 32)
    let nameStart = offset + 46
    let nameEnd = try bytes.end(of: nameStart, length: nameLength, "the name of entry \(index + 1)")
    let extraEnd = try bytes.end(of: nameEnd, length: extraLength, "the extra field of entry \(index + 1)")
    let next = try bytes.end(of: extraEnd, length: commentLength, "the comment of entry \(index + 1)")
    var sizes = [try bytes.uint32(offset + 24), try bytes.uint32(offset + 20), try bytes.uint32(offset + 42)]
    if sizes.contains(0xFFFF_FFFF) { try zip64Sizes(in: bytes, extra: nameEnd..<extraEnd, into: &sizes) }
    let entry = Entry(
      name: String(decoding: bytes.slice(nameStart..<nameEnd), as: UTF8.self), method: try bytes.uint16(offset + 10),
      crc32: UInt32(try bytes.uint32(offset + 16)), compressedSize: sizes[1], uncompressedSize: sizes[0],
      localHeaderOffset: sizes[2])
    return (entry, next)
  }

  /// Replaces the 0xFFFFFFFF fields of `sizes` (uncompressed, compressed, local header
  /// offset, in that order) with the 8-byte values of the ZIP64 extra field (id 1).
  private static func zip64Sizes(in bytes: ZipBytes, extra: Range<Int>, into sizes: inout [Int]) throws(ZipError) {
    var position = extra.lowerBound
    while position + 4 <= extra.upperBound {
      let id = try bytes.uint16(position)
      let length = try bytes.uint16(position + 2)
      let fieldEnd = try bytes.end(of: position + 4, length: length, "an extra field")
      guard fieldEnd <= extra.upperBound else { throw ZipError("an extra field runs past its entry") }
      if id == 1 {
        var value = position + 4
        for index in sizes.indices where sizes[index] == 0xFFFF_FFFF {
          guard value + 8 <= fieldEnd else { throw ZipError("the ZIP64 extra field is too short") }
          sizes[index] = try bytes.uint64(value)
          value += 8
        }
        return
      }
      position = fieldEnd
    }
    throw ZipError("an entry's sizes overflow 32 bits but it has no ZIP64 extra field")
  }
}

/// What is wrong with a zip archive's structure.
struct ZipError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}

/// Little-endian reads from `Data` (whatever its start index) that check their bounds.
private struct ZipBytes {
  private let data: Data
  let count: Int

  init(_ data: Data) {
    self.data = data
    count = data.count
  }

  func slice(_ range: Range<Int>) -> Data {
    data.subdata(in: (data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound))
  }

  /// `start + length`, when that range lies inside the data.
  func end(of start: Int, length: Int, _ what: String) throws(ZipError) -> Int {
    guard start >= 0, length >= 0, start <= count, length <= count - start else {
      throw ZipError("\(what) (\(length) bytes at offset \(start)) lies past the end of the data (\(count) bytes)")
    }
    return start + length
  }

  func uint16(_ offset: Int) throws(ZipError) -> Int { try Int(truncatingIfNeeded: value(offset, 2)) }
  func uint32(_ offset: Int) throws(ZipError) -> Int { try Int(truncatingIfNeeded: value(offset, 4)) }

  /// An 8-byte field, below 2^62 so that adding a header's length to it cannot overflow.
  func uint64(_ offset: Int) throws(ZipError) -> Int {
    let raw = try value(offset, 8)
    guard raw < 1 << 62 else { throw ZipError("a 64-bit field at offset \(offset) is out of range (\(raw))") }
    return Int(raw)
  }

  private func value(_ offset: Int, _ size: Int) throws(ZipError) -> UInt64 {
    _ = try end(of: offset, length: size, "a \(size)-byte field")
    var result: UInt64 = 0
    for index in (0..<size).reversed() {
      result = result << 8 | UInt64(data[data.startIndex + offset + index])
    }
    return result
  }
}
