import ConvScopeCore
import Foundation
import ZIPFoundation

/// Reads `config.json` out of a `.keras` archive (a zip of `config.json`,
/// `metadata.json` and `model.weights.h5`) in memory: nothing is extracted to
/// disk and the weights are never read.
enum KerasArchive {
  /// The largest `config.json` accepted; a declared or actual size above it is refused.
  static let maximumConfigBytes = 64 << 20

  /// Whether `prefix` starts like a zip file (a local file header).
  static func looksLikeZip(_ prefix: Data) -> Bool { prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

  /// The bytes of the archive's `config.json`.
  static func config(from data: Data, fileName: String) throws(ConvScopeError) -> Data {
    let archive: Archive
    do {
      archive = try Archive(data: data, accessMode: .read)
    } catch {
      throw ConvScopeError(file: fileName, message: "not a readable zip archive (\(error))")
    }
    guard let entry = archive["config.json"] else {
      throw ConvScopeError(
        file: fileName,
        message:
          "not a Keras archive: the zip has no config.json (a .keras file holds config.json, metadata.json and model.weights.h5)"
      )
    }
    guard entry.uncompressedSize <= UInt64(maximumConfigBytes) else {
      throw ConvScopeError(
        file: fileName,
        message:
          "config.json declares \(entry.uncompressedSize) bytes uncompressed; refusing more than \(maximumConfigBytes)")
    }
    var config = Data()
    do {
      _ = try archive.extract(entry, skipCRC32: false) { chunk in
        guard config.count + chunk.count <= maximumConfigBytes else { throw ArchiveTooLarge() }
        config.append(chunk)
      }
    } catch is ArchiveTooLarge {
      throw ConvScopeError(
        file: fileName, message: "config.json inflates past \(maximumConfigBytes) bytes; refusing it")
    } catch {
      throw ConvScopeError(file: fileName, message: "cannot read config.json from the archive (\(error))")
    }
    return config
  }

  private struct ArchiveTooLarge: Error {}
}
