import Foundation

/// Reads a TFLite file's structure with positioned reads (``SparseFileCopy``): everything but
/// the weight payloads, which stay untouched zero pages, so peak memory does not grow with the
/// weights even when the page cache holds them (a mapped file faulted in 64 KiB around each
/// `Buffer`'s length word, where most of a small model's weights lie).
///
/// Three steps:
/// 1. A walk of `Model.buffers` (chunks of the file read on demand) finds each `Buffer`'s
///    payload: its `data` vector, or the `offset` and `size` of data kept past the FlatBuffer.
/// 2. The file is copied but for the payloads over ``smallPayload`` bytes.
/// 3. The copied structure is decoded (``TFLiteModel``), and the payloads the importer reads
///    are copied: the first bytes of every buffer an integer tensor uses (a shape, axes,
///    paddings: ``TFLiteGraphBuilder/constantLimit`` values at most).
///
/// A file whose buffers the walk cannot follow is mapped instead (nil), and one whose copied
/// structure the decoder refuses is copied whole, so a corrupt file gets the importer's own
/// error at its offset.
enum TFLiteStructureRead {
  /// Files smaller than this are mapped whole: their weights cost little.
  static let minimumSize = 1 << 20
  /// Payloads shorter than this are copied with the structure around them.
  static let smallPayload = 4096

  /// The structure of the regular file at `path`, or nil when it cannot be read this way.
  static func read(path: String, minimumSize: Int = minimumSize) -> Data? {
    guard var file = SparseFileCopy(path: path, minimumSize: minimumSize) else { return nil }
    var walk = Walk(file: file)
    let payloads = walk.payloads()
    file = walk.file
    let skipped = merged(payloads ?? [], size: file.size)
    // Nothing to skip: the mapped file costs no more.
    guard !skipped.isEmpty else {
      file.discard()
      return nil
    }
    var start = 0
    for range in skipped {
      file.copy(start..<range.lowerBound)
      start = range.upperBound
    }
    file.copy(start..<file.size)
    copyReadPayloads(into: &file, skipped: skipped)
    return file.finish()
  }

  /// The payloads over ``smallPayload`` bytes, sorted, merged and clamped to the file.
  static func merged(_ ranges: [Range<Int>], size: Int) -> [Range<Int>] {
    var result: [Range<Int>] = []
    for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      let clamped = max(0, range.lowerBound)..<min(size, range.upperBound)
      guard clamped.count > smallPayload else { continue }
      if let last = result.last, clamped.lowerBound <= last.upperBound {
        result[result.count - 1] = last.lowerBound..<max(last.upperBound, clamped.upperBound)
      } else {
        result.append(clamped)
      }
    }
    return result
  }

  /// Copies the payloads the importer reads from the structure copied so far; everything
  /// skipped when that structure does not decode.
  static func copyReadPayloads(into file: inout SparseFileCopy, skipped: [Range<Int>]) {
    let reader = FlatBufferReader(bytes: file.bytes)
    guard let model = try? TFLiteModel(try reader.root("Model")) else {
      for range in skipped { file.copy(range) }
      return
    }
    for subgraph in model.subgraphs {
      for tensor in subgraph.tensors where tensor.buffer > 0 && tensor.buffer < model.buffers.count {
        let type = TFLiteGraphBuilder.dataType(tensor.type)
        guard type == .int32 || type == .int64 else { continue }
        let buffer = model.buffers[tensor.buffer]
        let read = min(buffer.count, TFLiteGraphBuilder.constantLimit * 8)
        guard read > 0, buffer.start >= 0, buffer.start < file.size else { continue }
        file.copy(buffer.start..<(buffer.start + min(read, file.size - buffer.start)))
      }
    }
  }

  /// The walk to the buffers: little-endian loads through chunks read on demand, nil past the file.
  struct Walk {
    var file: SparseFileCopy
    /// Which chunks of ``chunk`` bytes (a page: a `Buffer` table lies just before its data) are copied.
    var copied: [Bool]
    static let chunk = 4096

    init(file: SparseFileCopy) {
      self.file = file
      copied = Array(repeating: false, count: file.size / Self.chunk + 1)
    }

    /// The `T` at `offset`, or nil outside the file.
    mutating func load<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T? {
      let width = MemoryLayout<T>.size
      guard offset >= 0, offset <= file.size - width else { return nil }
      for index in (offset / Self.chunk)...((offset + width - 1) / Self.chunk) where !copied[index] {
        guard file.copy((index * Self.chunk)..<((index + 1) * Self.chunk)) else { return nil }
        copied[index] = true
      }
      return T(littleEndian: file.bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The target of the `uoffset` at `offset`.
    mutating func follow(_ offset: Int) -> Int? {
      guard let relative = load(offset, UInt32.self), relative != 0 else { return nil }
      return offset + Int(relative)
    }

    /// Where field `id` of the table at `table` lies, nil when absent or unreadable.
    mutating func field(_ table: Int, _ id: Int) -> Int? {
      guard let relative = load(table, Int32.self) else { return nil }
      let vtable = table - Int(relative)
      guard let length = load(vtable, UInt16.self), 4 + 2 * id + 2 <= Int(length),
        let position = load(vtable + 4 + 2 * id, UInt16.self), position != 0
      else { return nil }
      return table + Int(position)
    }

    /// Every buffer's payload (`Model` field 4; `Buffer`: 0 data, 1 offset, 2 size), or nil
    /// when the file does not lead there.
    mutating func payloads() -> [Range<Int>]? {
      guard let root = follow(0), let buffersField = field(root, 4), let vector = follow(buffersField),
        let count = load(vector, UInt32.self), Int(count) <= (file.size - vector) / 4
      else { return nil }
      var ranges: [Range<Int>] = []
      for index in 0..<Int(count) {
        guard let buffer = follow(vector + 4 + 4 * index) else { return nil }
        if let dataField = field(buffer, 0) {
          guard let data = follow(dataField), let length = load(data, UInt32.self) else { return nil }
          ranges.append((data + 4)..<(data + 4 + Int(length)))
        } else if let offsetField = field(buffer, 1), let sizeField = field(buffer, 2),
          let offset = load(offsetField, UInt64.self), let size = load(sizeField, UInt64.self),
          offset > 1, offset < UInt64(file.size)
        {
          ranges.append(Int(offset)..<Int(offset + min(size, UInt64(file.size) - offset)))
        }
      }
      return ranges
    }
  }
}
