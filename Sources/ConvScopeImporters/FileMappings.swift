import Foundation

/// The files ``FileReading`` mapped, by address, so that a reader done with part of one can
/// hand those pages back (``release(_:of:)``). A mapped file's pages count in the process's
/// memory once touched: the 62 MB of a 100,000-layer Keras config stayed resident to the end
/// of its import although each entry's bytes are read into a tree, and left, one batch after
/// another. Handing back a page of a read-only file mapping loses nothing: the next read of it
/// reads the file again. Only mappings registered here are touched (the same call on ordinary
/// memory would zero it).
enum FileMappings {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var mapped: [UInt: Int] = [:]

  /// Records the read-only mapping of `count` bytes at `base`.
  static func register(_ base: UnsafeRawPointer, count: Int) {
    lock.withLock { mapped[UInt(bitPattern: base)] = count }
  }

  /// Forgets the mapping at `base` (before it is unmapped).
  static func forget(_ base: UnsafeRawPointer) {
    lock.withLock { _ = mapped.removeValue(forKey: UInt(bitPattern: base)) }
  }

  /// Hands back the whole pages inside `range` of `data` when `data` is a registered file
  /// mapping, whole; does nothing otherwise.
  static func release(_ range: Range<Int>, of data: Data) {
    data.withUnsafeBytes { raw in
      guard let base = raw.baseAddress, lock.withLock({ mapped[UInt(bitPattern: base)] == raw.count }) else { return }
      let page = Int(getpagesize())
      let start = (max(0, range.lowerBound) + page - 1) / page * page
      let end = min(raw.count, range.upperBound) / page * page
      guard start < end else { return }
      _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
  }
}
