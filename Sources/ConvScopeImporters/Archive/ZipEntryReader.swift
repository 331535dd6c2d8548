import ConvScopeCore
import Foundation
import ZIPFoundation

/// Reads one entry of a zip archive in memory: nothing is extracted to disk and no other
/// entry is touched. The directory is read by ``ZipDirectory``, which checks every offset;
/// only the inflating of a deflated entry is ZIPFoundation's (why: `docs/keras-and-caffe.md`).
/// Shared by the `.keras` reader (its `config.json`) and the `.pt2` reader (its program JSON).
enum ZipEntryReader {
  /// Whether `prefix` starts like a zip file (a local file header).
  static func looksLikeZip(_ prefix: Data) -> Bool { prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

  /// The directory of the archive `data`; a damaged one is a one-line error naming `fileName`.
  static func directory(of data: Data, fileName: String) throws(ConvScopeError) -> ZipDirectory {
    do {
      return try ZipDirectory(data)
    } catch {
      throw ConvScopeError(file: fileName, message: "not a readable zip archive: \(error.message)")
    }
  }

  /// The bytes of `entry`, which may declare and inflate to at most `limit` bytes
  /// (``ResourceLimits/archiveEntryBytes`` when not given), checked against its CRC-32.
  static func contents(
    of entry: ZipDirectory.Entry, in directory: ZipDirectory, fileName: String, limit given: Int? = nil
  ) throws(ConvScopeError) -> Data {
    var limit = given ?? 0
    if given == nil { limit = try ResourceLimits.archiveEntryBytes }
    let name = entry.name
    guard entry.uncompressedSize <= limit else {
      throw ConvScopeError(
        file: fileName,
        message:
          "\(name) declares \(entry.uncompressedSize) bytes uncompressed; refusing more than \(limit) (\(ResourceLimits.archiveEntryVariable) raises it)"
      )
    }
    do {
      let stored = directory.data(try directory.dataRange(of: entry))
      let contents: Data
      switch entry.method {
      case 0: contents = stored
      case 8: contents = try inflate(stored, name: name, limit: limit)
      default:
        throw ZipError("\(name) uses compression method \(entry.method); only stored (0) and deflate (8) are read")
      }
      guard contents.count == entry.uncompressedSize, contents.crc32(checksum: 0) == entry.crc32 else {
        throw ZipError("\(name) is damaged: its size or CRC-32 is not what the directory records")
      }
      return contents
    } catch let error as ZipError {
      throw ConvScopeError(file: fileName, message: "not a readable zip archive: \(error.message)")
    } catch is TooLarge {
      throw ConvScopeError(
        file: fileName,
        message: "\(name) inflates past \(limit) bytes; refusing it (\(ResourceLimits.archiveEntryVariable) raises it)")
    } catch {
      throw ConvScopeError(file: fileName, message: "not a readable zip archive: \(name) does not inflate")
    }
  }

  /// The inflated bytes of a raw deflate stream, stopping at `limit` bytes.
  ///
  /// ZIPFoundation's zlib loop (Linux) tells zlib each chunk holds the full buffer size and
  /// asks for chunks until the stream ends, so the input is padded to whole chunks and a
  /// request past them throws: a truncated stream is an error, never an over-read or a loop.
  private static func inflate(_ compressed: Data, name: String, limit: Int) throws -> Data {
    let chunk = 64 << 10
    var padded = Data(compressed)
    padded.append(Data(count: chunk - compressed.count % chunk))
    var output = Data()
    _ = try Data.decompress(
      size: Int64(padded.count), bufferSize: chunk, skipCRC32: true,
      provider: { position, size in
        guard size > 0 else { return Data() }
        guard position >= 0, position < Int64(padded.count) else {
          throw ZipError("\(name)'s deflate stream is truncated")
        }
        let start = Int(position)
        return padded.subdata(in: start..<min(padded.count, start + size))
      },
      consumer: { piece in
        guard output.count + piece.count <= limit else { throw TooLarge() }
        output.append(piece)
      })
    return output
  }

  private struct TooLarge: Error {}
}
