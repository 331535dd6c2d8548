import ConvScopeCore
import Foundation
import ZIPFoundation

/// Reads `config.json` out of a `.keras` archive (a zip of `config.json`,
/// `metadata.json` and `model.weights.h5`) in memory: nothing is extracted to
/// disk and the weights are never read. The zip's directory is read by
/// ``ZipDirectory``, which checks every offset; only the inflating of a deflated
/// entry is ZIPFoundation's (why: `docs/keras-and-caffe.md`).
enum KerasArchive {
  /// Whether `prefix` starts like a zip file (a local file header).
  static func looksLikeZip(_ prefix: Data) -> Bool { prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

  /// The bytes of the archive's `config.json`, which may declare and inflate to at most
  /// `limit` bytes (``ResourceLimits/archiveEntryBytes`` when not given).
  static func config(from data: Data, fileName: String, limit given: Int? = nil) throws(ConvScopeError) -> Data {
    var limit = given ?? 0
    if given == nil { limit = try ResourceLimits.archiveEntryBytes }
    do {
      let directory = try ZipDirectory(data)
      guard let entry = directory.entries.first(where: { $0.name == "config.json" }) else {
        throw ConvScopeError(
          file: fileName,
          message:
            "not a Keras archive: the zip has no config.json (a .keras file holds config.json, metadata.json and model.weights.h5)"
        )
      }
      guard entry.uncompressedSize <= limit else {
        throw ConvScopeError(
          file: fileName,
          message:
            "config.json declares \(entry.uncompressedSize) bytes uncompressed; refusing more than \(limit) (\(ResourceLimits.archiveEntryVariable) raises it)"
        )
      }
      let stored = directory.data(try directory.dataRange(of: entry))
      let config: Data
      switch entry.method {
      case 0: config = stored
      case 8: config = try inflate(stored, limit: limit)
      default:
        throw ZipError("config.json uses compression method \(entry.method); only stored (0) and deflate (8) are read")
      }
      guard config.count == entry.uncompressedSize, config.crc32(checksum: 0) == entry.crc32 else {
        throw ZipError("config.json is damaged: its size or CRC-32 is not what the directory records")
      }
      return config
    } catch let error as ConvScopeError {
      throw error
    } catch let error as ZipError {
      throw ConvScopeError(file: fileName, message: "not a readable zip archive: \(error.message)")
    } catch is TooLarge {
      throw ConvScopeError(
        file: fileName,
        message:
          "config.json inflates past \(limit) bytes; refusing it (\(ResourceLimits.archiveEntryVariable) raises it)")
    } catch {
      throw ConvScopeError(file: fileName, message: "not a readable zip archive: config.json does not inflate")
    }
  }

  /// The inflated bytes of a raw deflate stream, stopping at `limit` bytes.
  ///
  /// ZIPFoundation's zlib loop (Linux) tells zlib each chunk holds the full buffer size and
  /// asks for chunks until the stream ends, so the input is padded to whole chunks and a
  /// request past them throws: a truncated stream is an error, never an over-read or a loop.
  private static func inflate(_ compressed: Data, limit: Int) throws -> Data {
    let chunk = 64 << 10
    var padded = Data(compressed)
    padded.append(Data(count: chunk - compressed.count % chunk))
    var output = Data()
    _ = try Data.decompress(
      size: Int64(padded.count), bufferSize: chunk, skipCRC32: true,
      provider: { position, size in
        guard size > 0 else { return Data() }
        guard position >= 0, position < Int64(padded.count) else {
          throw ZipError("config.json's deflate stream is truncated")
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
