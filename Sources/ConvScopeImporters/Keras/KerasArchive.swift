import ConvScopeCore
import Foundation

/// Reads `config.json` out of a `.keras` archive (a zip of `config.json`,
/// `metadata.json` and `model.weights.h5`) in memory, with ``ZipEntryReader``: the
/// weights are never read.
enum KerasArchive {
  /// Whether `prefix` starts like a zip file (a local file header).
  static func looksLikeZip(_ prefix: Data) -> Bool { ZipEntryReader.looksLikeZip(prefix) }

  /// The bytes of the archive's `config.json`, which may declare and inflate to at most
  /// `limit` bytes (``ResourceLimits/archiveEntryBytes`` when not given).
  static func config(from data: Data, fileName: String, limit: Int? = nil) throws(ConvScopeError) -> Data {
    let directory = try ZipEntryReader.directory(of: data, fileName: fileName)
    guard let entry = directory.entries.first(where: { $0.name == "config.json" }) else {
      throw ConvScopeError(
        file: fileName,
        message:
          "not a Keras archive: the zip has no config.json (a .keras file holds config.json, metadata.json and model.weights.h5)"
      )
    }
    return try ZipEntryReader.contents(of: entry, in: directory, fileName: fileName, limit: limit)
  }
}
