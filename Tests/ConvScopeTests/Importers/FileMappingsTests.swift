import Foundation
import Testing

@testable import ConvScopeImporters

/// Pages of a mapped file handed back (``FileMappings``) leave the process's memory and read
/// the same again; other memory is never touched.
@Suite struct FileMappingsTests {
  static let pages = 64

  /// A file of `pages` pages, each byte its offset modulo 251 plus one.
  static func file() throws -> (URL, Data) {
    let size = pages * Int(getpagesize())
    let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) })
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString).bin")
    try bytes.write(to: url)
    return (url, bytes)
  }

  /// How many of `data`'s pages this process has in memory: its mapping's `Rss` in
  /// `/proc/self/smaps` (`mincore` would tell the page cache's, not the process's).
  static func residentPages(_ data: Data) throws -> Int {
    let base = data.withUnsafeBytes { UInt(bitPattern: $0.baseAddress!) }
    // Read to its end: a /proc file reports no size, which a whole-file read takes at its word.
    let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
    defer { try? handle.close() }
    let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    var inMapping = false
    for line in smaps.split(separator: "\n") {
      if let dash = line.firstIndex(of: "-"), let start = UInt(line[..<dash], radix: 16), !line.hasPrefix("Rss") {
        inMapping = start == base
      } else if inMapping, line.hasPrefix("Rss:") {
        let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
        return kilobytes * 1024 / Int(getpagesize())
      }
    }
    return -1
  }

  @Test func releasedPagesLeaveMemoryAndReadTheSame() throws {
    let (url, bytes) = try Self.file()
    defer { try? FileManager.default.removeItem(at: url) }
    let mapped = try FileReading.read(path: url.path)
    #expect(mapped == bytes)  // every page read, so resident
    #expect(try Self.residentPages(mapped) == Self.pages)
    let page = Int(getpagesize())
    // Pages 0 and 49 are only partly in the range: they stay.
    FileMappings.release((page / 2)..<(49 * page + 10), of: mapped)
    #expect(try Self.residentPages(mapped) == Self.pages - 48)
    #expect(mapped == bytes)  // read again from the file
  }

  @Test func otherMemoryIsNeverTouched() throws {
    let (url, bytes) = try Self.file()
    defer { try? FileManager.default.removeItem(at: url) }
    var copy = bytes
    copy.append(0)  // a heap buffer of its own
    FileMappings.release(0..<copy.count, of: copy)
    #expect(copy.dropLast() == bytes)
    // A slice of a mapping is not the mapping: left alone too.
    let mapped = try FileReading.read(path: url.path)
    let slice = mapped.subdata(in: 0..<mapped.count)
    FileMappings.release(0..<slice.count, of: slice)
    #expect(slice == bytes)
  }
}
