/// A FlatBuffers decoding error: the byte offset in the file where it happened, the table
/// field being read (`Operator.inputs`) when known, and what is wrong.
struct FlatBufferError: Error, Sendable, Equatable {
  /// Byte offset from the start of the file.
  var offset: Int
  /// The table and field being read, as `Table.field`.
  var field: String?
  /// What is wrong.
  var message: String

  init(offset: Int, field: String? = nil, _ message: String) {
    self.offset = offset
    self.field = field
    self.message = message
  }
}

/// Reads FlatBuffers (flatbuffers.dev/internals) from a byte buffer without copying it: tables,
/// vtables, vectors and strings are offsets into the buffer, scalars are decoded in place, and
/// nothing is read that the caller does not ask for (weight payloads are never touched, only
/// their length words). Every offset is checked against the buffer before it is followed, with
/// 64-bit arithmetic, and every error carries the byte offset.
///
/// Offsets between tables (`uoffset`) are unsigned and relative to the field holding them, so
/// a chain of them only moves forward; an offset of 0 (a field pointing at itself) is refused,
/// so no chain of reads can loop.
///
/// The buffer is only valid inside the `withUnsafeBytes` call that produced it, and so is every
/// table and vector read from it.
struct FlatBufferReader {
  /// The whole file; offsets are relative to its start.
  let bytes: UnsafeRawBufferPointer

  /// Checks that `count` bytes at `offset` lie inside the buffer.
  func check(_ offset: Int, _ count: Int, _ what: String, field: String?) throws(FlatBufferError) {
    guard offset >= 0, count >= 0, UInt64(offset) + UInt64(count) <= UInt64(bytes.count) else {
      throw FlatBufferError(
        offset: max(0, offset), field: field,
        "\(what) of \(count) bytes at byte \(offset) runs past the end of the file at byte \(bytes.count) "
          + "(the file may be truncated)")
    }
  }

  /// A little-endian integer of type `T` at `offset`.
  func load<T: FixedWidthInteger>(_ offset: Int, as type: T.Type, field: String? = nil) throws(FlatBufferError) -> T {
    try check(offset, MemoryLayout<T>.size, "a \(MemoryLayout<T>.size * 8)-bit value", field: field)
    return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
  }

  /// The target of the `uoffset` stored at `offset`.
  func follow(_ offset: Int, field: String?) throws(FlatBufferError) -> Int {
    let relative = try load(offset, as: UInt32.self, field: field)
    guard relative != 0 else {
      throw FlatBufferError(offset: offset, field: field, "an offset of 0 points at itself (a cycle)")
    }
    let target = UInt64(offset) + UInt64(relative)
    guard target < UInt64(bytes.count) else {
      throw FlatBufferError(
        offset: offset, field: field,
        "offset \(relative) points to byte \(target), past the end of the file at byte \(bytes.count)")
    }
    return Int(target)
  }

  /// The root table, whose `uoffset` is the file's first 4 bytes.
  func root(_ name: String) throws(FlatBufferError) -> FlatTable {
    try table(at: try follow(0, field: name), name: name)
  }

  /// The table that starts at `position`, with its vtable checked.
  func table(at position: Int, name: String) throws(FlatBufferError) -> FlatTable {
    let relative = Int64(try load(position, as: Int32.self, field: name))
    let vtable = Int64(position) - relative
    guard vtable >= 0, vtable + 4 <= Int64(bytes.count) else {
      throw FlatBufferError(
        offset: position, field: name, "the table's vtable offset \(relative) points outside the file (byte \(vtable))")
    }
    let vtableLength = Int(try load(Int(vtable), as: UInt16.self, field: name))
    let inlineLength = Int(try load(Int(vtable) + 2, as: UInt16.self, field: name))
    guard vtableLength >= 4, vtableLength % 2 == 0 else {
      throw FlatBufferError(
        offset: Int(vtable), field: name, "vtable length \(vtableLength) is not an even number >= 4")
    }
    try check(Int(vtable), vtableLength, "the vtable", field: name)
    try check(position, max(inlineLength, 4), "the table", field: name)
    return FlatTable(
      reader: self, name: name, position: position, vtable: Int(vtable), fieldCount: (vtableLength - 4) / 2,
      inlineLength: inlineLength)
  }
}

/// One table: its position, and its vtable saying where each field lies (absent fields read as
/// the schema's default).
struct FlatTable {
  let reader: FlatBufferReader
  /// The schema's table name, for errors.
  let name: String
  let position: Int
  let vtable: Int
  let fieldCount: Int
  let inlineLength: Int

  /// The position of field `id` (its `size`-byte value), or nil when absent.
  private func field(_ id: Int, size: Int, _ label: String) throws(FlatBufferError) -> Int? {
    guard id < fieldCount else { return nil }
    let relative = Int(try reader.load(vtable + 4 + 2 * id, as: UInt16.self))
    guard relative != 0 else { return nil }
    guard relative + size <= inlineLength else {
      throw FlatBufferError(
        offset: vtable + 4 + 2 * id, field: "\(name).\(label)",
        "field offset \(relative) runs past the table's \(inlineLength) inline bytes")
    }
    return position + relative
  }

  /// Whether field `id` is present.
  func has(_ id: Int) throws(FlatBufferError) -> Bool { try field(id, size: 0, "#\(id)") != nil }

  /// A scalar integer field, or `fallback` when absent.
  func scalar<T: FixedWidthInteger>(_ id: Int, _ label: String, _ type: T.Type, default fallback: T)
    throws(FlatBufferError) -> T
  {
    guard let at = try field(id, size: MemoryLayout<T>.size, label) else { return fallback }
    return try reader.load(at, as: T.self, field: "\(name).\(label)")
  }

  /// A scalar integer field as an `Int`, or `fallback` when absent.
  func int<T: FixedWidthInteger>(_ id: Int, _ label: String, _ type: T.Type, default fallback: Int = 0)
    throws(FlatBufferError) -> Int
  {
    guard let at = try field(id, size: MemoryLayout<T>.size, label) else { return fallback }
    return Int(truncatingIfNeeded: try reader.load(at, as: T.self, field: "\(name).\(label)"))
  }

  /// A `float` field, or `fallback` when absent.
  func float(_ id: Int, _ label: String, default fallback: Float) throws(FlatBufferError) -> Float {
    Float(bitPattern: try scalar(id, label, UInt32.self, default: fallback.bitPattern))
  }

  /// A `bool` field (false when absent).
  func bool(_ id: Int, _ label: String) throws(FlatBufferError) -> Bool {
    try scalar(id, label, UInt8.self, default: 0) != 0
  }

  /// The position a reference field points to, or nil when absent.
  private func reference(_ id: Int, _ label: String) throws(FlatBufferError) -> Int? {
    guard let at = try field(id, size: 4, label) else { return nil }
    return try reader.follow(at, field: "\(name).\(label)")
  }

  /// A sub-table field of schema type `type`, or nil when absent.
  func table(_ id: Int, _ label: String, type: String) throws(FlatBufferError) -> FlatTable? {
    guard let target = try reference(id, label) else { return nil }
    return try reader.table(at: target, name: type)
  }

  /// A vector field of `elementSize`-byte elements, or nil when absent.
  func vector(_ id: Int, _ label: String, elementSize: Int) throws(FlatBufferError) -> FlatVector? {
    guard let target = try reference(id, label) else { return nil }
    let fieldName = "\(name).\(label)"
    let count = Int(try reader.load(target, as: UInt32.self, field: fieldName))
    guard UInt64(count) * UInt64(elementSize) <= UInt64(reader.bytes.count - target - 4) else {
      throw FlatBufferError(
        offset: target, field: fieldName,
        "a vector of \(count) \(elementSize)-byte elements runs past the end of the file at byte \(reader.bytes.count)"
      )
    }
    return FlatVector(reader: reader, field: fieldName, start: target + 4, count: count, elementSize: elementSize)
  }

  /// A string field, or nil when absent; the bytes must be UTF-8.
  func string(_ id: Int, _ label: String) throws(FlatBufferError) -> String? {
    guard let vector = try vector(id, label, elementSize: 1) else { return nil }
    let slice = UnsafeRawBufferPointer(rebasing: reader.bytes[vector.start..<(vector.start + vector.count)])
    let invalid = transcode(slice.makeIterator(), from: UTF8.self, to: UTF8.self, stoppingOnError: true) { _ in }
    guard !invalid else {
      throw FlatBufferError(offset: vector.start, field: vector.field, "the text is not valid UTF-8")
    }
    return String(decoding: slice, as: UTF8.self)
  }

  /// A vector of integers of type `T` (`[int]`, `[long]`, `[ubyte]`), or nil when absent.
  func ints<T: FixedWidthInteger>(_ id: Int, _ label: String, _ type: T.Type) throws(FlatBufferError) -> [Int]? {
    guard let vector = try vector(id, label, elementSize: MemoryLayout<T>.size) else { return nil }
    var values: [Int] = []
    values.reserveCapacity(vector.count)
    for index in 0..<vector.count { values.append(Int(truncatingIfNeeded: try vector.scalar(index, T.self))) }
    return values
  }

  /// A vector of floats, or nil when absent.
  func floats(_ id: Int, _ label: String) throws(FlatBufferError) -> [Float]? {
    try ints(id, label, UInt32.self).map { $0.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) } }
  }

  /// A vector of tables of schema type `type` (empty when absent).
  func tables(_ id: Int, _ label: String, type: String) throws(FlatBufferError) -> [FlatTable] {
    guard let vector = try vector(id, label, elementSize: 4) else { return [] }
    var tables: [FlatTable] = []
    tables.reserveCapacity(vector.count)
    for index in 0..<vector.count {
      let target = try reader.follow(vector.start + 4 * index, field: "\(vector.field)[\(index)]")
      tables.append(try reader.table(at: target, name: type))
    }
    return tables
  }
}

/// A vector's elements: `count` of `elementSize` bytes from `start`, already checked to lie in the file.
struct FlatVector {
  let reader: FlatBufferReader
  let field: String
  let start: Int
  let count: Int
  let elementSize: Int

  /// Element `index` as a `T`.
  func scalar<T: FixedWidthInteger>(_ index: Int, _ type: T.Type) throws(FlatBufferError) -> T {
    try reader.load(start + index * elementSize, as: T.self, field: field)
  }
}
