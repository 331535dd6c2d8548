import Foundation

/// A copy of a regular file in an anonymous buffer of the file's size, filled only where the
/// caller reads with positioned reads (`pread`): the ranges never copied stay untouched zero
/// pages, never resident. The buffer has the file's offsets and size, so a decoder given it
/// reports the same byte offsets and bound checks as with the mapped file.
///
/// Mapping a file instead makes pages resident whenever the page cache holds them: each touched
/// byte faults in its neighbourhood (the kernel's fault-around, 64 KiB), so a reader that skips
/// weight payloads by offset still grew with the file (issue 17). The structure readers
/// (``ONNXStructureRead``, ``TFLiteStructureRead``) copy what their decoder reads and skip the rest.
struct SparseFileCopy {
  let fd: Int32
  let base: UnsafeMutableRawPointer
  let size: Int
  /// Set when the system refused a read; the copy is then unusable.
  private(set) var failed = false

  /// An empty copy of the regular file at `path`, or nil when it is not a regular file of at
  /// least `minimumSize` bytes or cannot be opened (the caller maps the file instead).
  init?(path: String, minimumSize: Int) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) >= max(1, minimumSize),
      let buffer = mmap(
        nil, Int(info.st_size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
      buffer != UnsafeMutableRawPointer(bitPattern: -1)
    else {
      close(fd)
      return nil
    }
    // No read-ahead: a cold file is read where the structure is, not around it.
    _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_RANDOM))
    self.fd = fd
    base = buffer
    size = Int(info.st_size)
  }

  /// The buffer's bytes (all of the file's size; zeros where nothing was copied).
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

  /// The size of a memory page: the unit the kernel reads a file in and maps memory in.
  static let page = 4096

  /// `offset` rounded up to a page boundary.
  static func pageBoundary(atOrAfter offset: Int) -> Int { (offset + page - 1) / page * page }

  /// Whether a read so far waited for the disk: it took longer than copying its pages from the
  /// page cache could (``slowRead``). A file the page cache holds never sets it; a caller may,
  /// to read ahead regardless.
  var readsWaited = false
  /// A read slower than this, plus ``slowReadPerPage`` for each of its pages, waited for the
  /// disk. From the page cache a 4 KiB `pread` takes 1–3 µs; from the disk, 37 µs or more.
  static let slowRead: UInt64 = 12_000
  static let slowReadPerPage: UInt64 = 1_000

  /// Reads `range` of the file (clamped to it) into the buffer; false when the system refuses.
  @discardableResult
  mutating func copy(_ range: Range<Int>) -> Bool {
    var done = max(0, range.lowerBound)
    let end = min(size, range.upperBound)
    // Once a read has waited, the file is known to be cold: the rest go untimed.
    let started = readsWaited ? 0 : Self.nanoseconds()
    while done < end {
      let count = pread(fd, base + done, end - done, off_t(done))
      guard count > 0 else {
        failed = true
        return false
      }
      done += count
    }
    if !readsWaited {
      readsWaited = Self.waited(since: started, reading: end - max(0, range.lowerBound))
    }
    return !failed
  }

  /// Asks the kernel to read `range` of the file into the page cache, without waiting for it
  /// (``RecordPrefetch``): nothing is copied into the buffer.
  func prefetch(_ range: Range<Int>) {
    let lower = max(0, range.lowerBound)
    let upper = min(size, range.upperBound)
    guard lower < upper else { return }
    _ = posix_fadvise(fd, off_t(lower), off_t(upper - lower), Int32(POSIX_FADV_WILLNEED))
  }

  /// Whether a read of `count` bytes begun at `started` (``nanoseconds()``) and just ended
  /// waited for the disk: it took longer than ``slowRead`` and ``slowReadPerPage`` for each page.
  static func waited(since started: UInt64, reading count: Int) -> Bool {
    nanoseconds() - started > slowRead + slowReadPerPage * UInt64(count / page + 1)
  }

  /// A monotonic clock, in nanoseconds.
  static func nanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
  }

  /// For a file read in order: bytes before this are copied or deliberately left out.
  var frontier = 0

  /// Makes sure bytes `offset..<offset + count` (clamped to the file) are copied, reading at
  /// least `lookahead` bytes past the frontier so that small fields cost one read between them.
  mutating func ensure(_ offset: Int, _ count: Int, lookahead: Int = 4096) {
    let end = min(size, offset + count)
    guard end > frontier else { return }
    let start = max(offset, frontier)
    let stop = min(size, max(end, start + lookahead))
    if copy(start..<stop) { frontier = stop }
  }

  /// Releases the buffer and closes the file, when the copy is not wanted.
  func discard() {
    close(fd)
    munmap(base, size)
  }

  /// The copy as `Data` (which unmaps it when released), or nil when a read failed; closes the file.
  func finish() -> Data? {
    guard !failed else {
      discard()
      return nil
    }
    close(fd)
    return Data(bytesNoCopy: base, count: size, deallocator: .custom { pointer, count in munmap(pointer, count) })
  }
}
