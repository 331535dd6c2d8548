import ConvScopeCore
import ConvScopeReport

/// The report's Codable form as pretty JSON with sorted keys, plus
/// `"convscope_version"`. Fields are documented in `docs/json-schema.md`;
/// `schema_version` says which revision of that document applies.
public enum JSONRenderer {
  /// `report` as JSON; ends with a newline.
  public static func render(_ report: Report) throws(ConvScopeError) -> String {
    let sink = JSONTextSink()
    try write(report, to: sink)
    return sink.text
  }

  /// `report` as JSON (the text ``render(_:)`` returns), handed to `write` in pieces of
  /// about 64 KiB as it is written, so the whole text is never held at once.
  public static func render(_ report: Report, to write: (String) throws -> Void) throws(ConvScopeError) {
    do {
      try withoutActuallyEscaping(write) { write in
        let sink = JSONTextSink(flush: write)
        try JSONTextEncoder.write(VersionedReport(report: report), to: sink)
        sink.append("\n")
        try sink.finish()
      }
    } catch {
      throw Self.error(error, report)
    }
  }

  /// Writes `report` and the closing newline; the text is JSONEncoder's with the options
  /// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, written by ``JSONTextEncoder``
  /// without JSONEncoder's tree of boxed values.
  private static func write(_ report: Report, to sink: JSONTextSink) throws(ConvScopeError) {
    do {
      try JSONTextEncoder.write(VersionedReport(report: report), to: sink)
      sink.append("\n")
    } catch {
      throw Self.error(error, report)
    }
  }

  private static func error(_ error: any Error, _ report: Report) -> ConvScopeError {
    if let error = error as? ConvScopeError { return error }
    return ConvScopeError(file: report.model.source, message: "cannot write the report as JSON: \(error)")
  }

  /// The report's own keys and `convscope_version`, side by side in one object.
  struct VersionedReport: Encodable {
    let report: Report

    enum CodingKeys: String, CodingKey { case convscopeVersion = "convscope_version" }

    func encode(to encoder: Encoder) throws {
      try report.encode(to: encoder)
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(ConvScopeVersion.current, forKey: .convscopeVersion)
    }
  }
}
