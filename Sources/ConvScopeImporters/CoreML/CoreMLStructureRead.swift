import Foundation

/// Reads a Core ML `.mlmodel` file's structure with positioned reads (``SparseFileCopy``):
/// everything but the payloads the importer never reads (a NeuralNetwork's `WeightParams`
/// values, an ML Program's large immediate values), which stay untouched zero pages, so peak
/// memory does not grow with the weights even when the page cache holds them.
///
/// The walk needs no schema: every length-delimited field longer than ``smallPayload`` is
/// walked as a message. One that parses to its end is a message, copied field by field; one
/// that does not is a payload (packed floats, raw bytes), copied up to where the parse stopped
/// and left out after it. The importer reads a message only as far as it parses, so a broken
/// message gets the same error at the same byte offset as from the mapped file; and it reads
/// a payload's values only for constants of at most ``MILDecoding/valueLimit``
/// elements, which fit in ``smallPayload`` bytes and are copied whole.
enum CoreMLStructureRead {
  /// Files smaller than this are mapped whole: their weights cost little.
  static let minimumSize = 1 << 20
  /// Fields up to this length are copied whole: a constant the importer reads holds at most
  /// ``MILDecoding/valueLimit`` values of at most 10 bytes (a varint) each.
  static let smallPayload = MILDecoding.valueLimit * 10
  /// Messages nested deeper than this are copied whole rather than walked.
  static let depthLimit = 64

  /// The structure of the regular file at `path`, or nil when it cannot be read this way
  /// (the caller maps the file instead).
  static func read(path: String, minimumSize: Int = minimumSize) -> Data? {
    guard let file = SparseFileCopy(path: path, minimumSize: minimumSize) else { return nil }
    var walk = Walk(file: file)
    _ = walk.message(0..<file.size, depth: 0)
    // The rest of a file that does not parse: the importer's error is within what was copied.
    guard walk.leftOut > 0 else {
      walk.file.discard()
      return nil
    }
    return walk.file.finish()
  }

  /// The copy in progress, in file order.
  struct Walk {
    var file: SparseFileCopy
    /// How many payloads were left out.
    var leftOut = 0

    /// Walks the bytes in `range` as a message, copying all but the payloads nobody reads;
    /// false when they do not parse as one (every byte up to where the parse stopped is copied).
    mutating func message(_ range: Range<Int>, depth: Int) -> Bool {
      var offset = range.lowerBound
      while offset < range.upperBound {
        file.ensure(offset, 20)
        guard !file.failed else { return false }
        var reader = ProtobufReader(bytes: file.bytes, range: offset..<range.upperBound)
        guard let field = try? reader.nextField() else { return false }
        guard field.wireType == .lengthDelimited else {
          guard (try? reader.skip(field)) != nil else { return false }
          file.ensure(offset, reader.offset - offset)
          offset = reader.offset
          continue
        }
        guard let body = try? reader.readLengthDelimited() else { return false }
        offset = body.upperBound
        if body.count <= CoreMLStructureRead.smallPayload || depth >= CoreMLStructureRead.depthLimit {
          file.ensure(body.lowerBound, body.count)
        } else if !message(body, depth: depth + 1) {
          file.frontier = max(file.frontier, body.upperBound)
          leftOut += 1
        }
      }
      return true
    }
  }
}
