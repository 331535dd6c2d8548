import ConvScopeCore
import Foundation

/// Reads `torch.export` archives (`torch.export.save(program, "model.pt2")`): a zip whose
/// `<name>/models/<model>.json` holds the serialized ExportedProgram (the graph in ATen IR,
/// every value's dtype and sizes, the graph signature and each node's module path). Only that
/// entry is read; the payloads under `data/` (weights, constants, sample inputs) never are.
/// ATen operators map onto ONNX ops by ``PT2OpTable``; see `docs/pt2-import.md`.
///
/// Known by its entries, not its extension: a zip with a `models/*.json` (or, from torch
/// before 2.6, `serialized_exported_program.json`), or with the `archive_format` record
/// PyTorch's package writer puts in every `.pt2` (an AOTInductor package has one and no
/// program: a clear error says so).
///
/// ```swift
/// let graph = try PT2Importer().importGraph(from: data, fileName: "resnet18.pt2", directory: nil)
/// ```
public struct PT2Importer: ModelImporter {
  public init() {}

  public var format: ModelFormat { .pt2 }

  public func recognizes(fileName: String, prefix: Data) -> Bool { false }

  /// A zip whose directory holds a program entry or PyTorch's `archive_format` record.
  public func recognizes(fileName: String, prefix: Data, data: Data) -> Bool {
    guard ZipEntryReader.looksLikeZip(prefix), let directory = try? ZipDirectory(data) else { return false }
    return directory.entries.contains { Self.isProgram($0.name) || Self.isArchiveRecord($0.name) }
  }

  public func importGraph(from data: Data, fileName: String, directory: URL?) throws(ConvScopeError) -> Graph {
    let zip = try ZipEntryReader.directory(of: data, fileName: fileName)
    let entry = try Self.programEntry(in: zip, fileName: fileName)
    let json = try ZipEntryReader.contents(of: entry, in: zip, fileName: fileName)
    let source = PT2Source(fileName: fileName, entry: entry.name)
    let document = PT2JSON(
      document: try JSONValue.parse(json, fileName: "\(fileName) (\(entry.name))"), source: source)
    let program = try PT2ProgramReader.read(document)
    let name = FileReading.baseName(of: fileName)
    return try PT2GraphBuilder.graph(program, source: source, name: name)
  }

  /// `models/NAME.json` at the root or under the archive's folder, or the pre-2.6 program file.
  static func isProgram(_ name: String) -> Bool {
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    if parts.last == "serialized_exported_program.json" { return parts.count <= 2 }
    guard parts.count >= 2, parts.count <= 3, parts[parts.count - 2] == "models", let file = parts.last else {
      return false
    }
    return file.hasSuffix(".json") && file.count > 5
  }

  static func isArchiveRecord(_ name: String) -> Bool {
    let parts = name.split(separator: "/")
    return parts.last == "archive_format" && parts.count <= 2
  }

  /// The program's entry: `model.json` when the archive holds several.
  private static func programEntry(in zip: ZipDirectory, fileName: String) throws(ConvScopeError) -> ZipDirectory.Entry
  {
    let programs = zip.entries.filter { isProgram($0.name) }
    if let only = programs.first, programs.count == 1 { return only }
    if let main = programs.first(where: { $0.name.hasSuffix("models/model.json") }) { return main }
    if programs.count > 1 {
      throw ConvScopeError(
        file: fileName,
        message:
          "the archive holds \(programs.count) programs (\(programs.map(\.name).joined(separator: ", "))) and none is models/model.json"
      )
    }
    if zip.entries.contains(where: {
      $0.name.contains("/aotinductor/") || $0.name.hasSuffix(".so") || $0.name.hasSuffix(".cpp")
    }) {
      throw ConvScopeError(
        file: fileName,
        message:
          "an AOTInductor package (compiled kernels, no ExportedProgram); save the program with torch.export.save(ep, \"model.pt2\") instead"
      )
    }
    throw ConvScopeError(
      file: fileName,
      message:
        "a PyTorch archive without an exported program (no models/*.json); write one with torch.export.save(torch.export.export(model, args), \"model.pt2\")"
    )
  }
}
