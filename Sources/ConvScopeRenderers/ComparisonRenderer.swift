import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Two models side by side (``Comparison``) as a terminal table, Markdown or JSON.
public enum ComparisonRenderer {
  /// `comparison` in `format` (`table`, `markdown`, `json`; CSV writes the totals lines).
  public static func render(_ comparison: Comparison, format: OutputFormat) throws(ConvScopeError) -> String {
    let header = ["", comparison.first.name, comparison.second.name, "ratio"]
    let totals = comparison.totals.map { line in
      [line.name, NumberFormatting.grouped(line.first), NumberFormatting.grouped(line.second), ratio(line.ratio)]
    }
    let layerHeader = ["Layer", "Op", "Shape", "Params", "MACs"]
    let layers = comparison.changedLayers.map { change in
      [
        change.name, change.op, arrow(change.firstShape?.description ?? "?", change.secondShape?.description ?? "?"),
        arrow(NumberFormatting.grouped(change.firstParams), NumberFormatting.grouped(change.secondParams)),
        arrow(NumberFormatting.human(change.firstMacs), NumberFormatting.human(change.secondMacs)),
      ]
    }
    let only = [
      comparison.onlyInFirst.isEmpty
        ? nil : "only in \(comparison.first.name): " + comparison.onlyInFirst.joined(separator: ", "),
      comparison.onlyInSecond.isEmpty
        ? nil : "only in \(comparison.second.name): " + comparison.onlyInSecond.joined(separator: ", "),
    ].compactMap { $0 }
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      do {
        return String(decoding: try encoder.encode(comparison), as: UTF8.self) + "\n"
      } catch {
        throw ConvScopeError(message: "cannot write the comparison as JSON: \(error)")
      }
    case .csv:
      return
        ([["quantity", comparison.first.name, comparison.second.name, "ratio"]]
        + totals.map { row in
          [
            row[0], String(comparison.totals.first { $0.name == row[0] }?.first ?? 0),
            String(comparison.totals.first { $0.name == row[0] }?.second ?? 0), row[3],
          ]
        }).map { $0.map(CSVRenderer.quote).joined(separator: ",") + "\n" }.joined()
    case .markdown:
      var lines = ["# \(comparison.first.name) vs \(comparison.second.name)", ""]
      lines += markdownTable(header, totals)
      if !layers.isEmpty { lines += ["", "## Layers that differ", ""] + markdownTable(layerHeader, layers) }
      if !only.isEmpty { lines += [""] + only.map { "- " + $0 } }
      return lines.joined(separator: "\n") + "\n"
    case .html, .dot, .netron:
      throw ConvScopeError(
        field: "format", message: "compare writes table, markdown, csv or json, not \(format.rawValue)")
    case .table:
      let style = TerminalStyle(enabled: false)
      var lines = ["\(comparison.first.name) vs \(comparison.second.name)", ""]
      lines += TextTable(
        columns: [.init(title: "", alignment: .left)] + header.dropFirst().map { .init(title: $0, alignment: .right) },
        rows: totals.map { TextTable.Row(cells: $0) }
      ).render(style: style, maxWidth: 100)
      if !layers.isEmpty {
        lines += ["", "Layers that differ"]
        lines += TextTable(
          columns: layerHeader.enumerated().map { .init(title: $1, alignment: $0 < 3 ? .left : .right) },
          rows: layers.map { TextTable.Row(cells: $0) }
        ).render(style: style, maxWidth: 100)
      }
      if !only.isEmpty { lines += [""] + only }
      return lines.joined(separator: "\n") + "\n"
    }
  }

  private static func ratio(_ value: Double?) -> String {
    value.map { "x" + NumberFormatting.fixed($0, decimals: 3) } ?? "—"
  }

  private static func arrow(_ a: String, _ b: String) -> String { a == b ? a : "\(a) → \(b)" }

  static func markdownTable(_ header: [String], _ rows: [[String]]) -> [String] {
    let rule = header.indices.map { $0 == 0 ? "---" : "---:" }
    return ([header, rule] + rows).map { "| " + $0.joined(separator: " | ") + " |" }
  }
}
