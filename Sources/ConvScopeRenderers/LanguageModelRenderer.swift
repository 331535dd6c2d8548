import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The `llm` view (``LanguageModelReport``) as a terminal table, Markdown, CSV, JSON or an
/// HTML page with a context-length and a batch plot.
public enum LanguageModelRenderer {
  /// `report` in `format`; DOT and Netron have no `llm` form.
  public static func render(_ report: LanguageModelReport, format: OutputFormat) throws(ConvScopeError) -> String {
    let sections = LanguageModelSection.all(report)
    switch format {
    case .table:
      var lines: [String] = []
      for section in sections {
        lines += ["", section.title]
        lines += TextTable(
          columns: section.header.enumerated().map { .init(title: $1, alignment: $0 == 0 ? .left : .right) },
          rows: section.rows.map { TextTable.Row(cells: $0) }
        ).render(style: TerminalStyle(enabled: false), maxWidth: 120)
      }
      lines += [""] + footer(report)
      return lines.dropFirst().joined(separator: "\n") + "\n"
    case .markdown:
      var lines = ["# \(report.model): language-model view"]
      for section in sections {
        lines += ["", "## \(section.title)", ""] + ComparisonRenderer.markdownTable(section.header, section.rows)
      }
      lines += [""] + footer(report).map { "- " + $0 }
      return lines.joined(separator: "\n") + "\n"
    case .csv:
      var lines = [["section", "row", "column", "value"].joined(separator: ",")]
      for section in sections {
        for row in section.exactRows {
          for (column, value) in zip(section.header.dropFirst(), row.dropFirst()) {
            lines.append([section.title, row[0], column, value].map(CSVRenderer.quote).joined(separator: ","))
          }
        }
      }
      return lines.joined(separator: "\n") + "\n"
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      do {
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
      } catch {
        throw ConvScopeError(message: "cannot write the llm report as JSON: \(error)")
      }
    case .html:
      return LanguageModelHTML.render(report, sections: sections)
    case .dot, .netron:
      throw ConvScopeError(
        field: "format", message: "llm writes table, markdown, csv, json or html, not \(format.rawValue)")
    }
  }

  /// The notes and the rules-of-thumb explanation, one line each.
  static func footer(_ report: LanguageModelReport) -> [String] {
    report.notes.map { "note: " + $0 } + [
      "FLOPs count matmuls, 2 per multiply-accumulate; decode attention at context T: the new token against T keys.",
      report.rulesOfThumb.explanation,
    ]
  }
}
