import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The report's Codable form as pretty JSON with sorted keys, plus
/// `"convscope_version"`. Fields are documented in `docs/json-schema.md`;
/// `schema_version` says which revision of that document applies.
public enum JSONRenderer {
  /// `report` as JSON; ends with a newline.
  public static func render(_ report: Report) throws(ConvScopeError) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      let data = try encoder.encode(VersionedReport(report: report))
      return String(decoding: data, as: UTF8.self) + "\n"
    } catch {
      throw ConvScopeError(file: report.model.source, message: "cannot write the report as JSON: \(error)")
    }
  }

  /// The report's own keys and `convscope_version`, side by side in one object.
  private struct VersionedReport: Encodable {
    let report: Report

    enum CodingKeys: String, CodingKey { case convscopeVersion = "convscope_version" }

    func encode(to encoder: Encoder) throws {
      try report.encode(to: encoder)
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(ConvScopeVersion.current, forKey: .convscopeVersion)
    }
  }
}
