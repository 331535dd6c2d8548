import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Two models side by side (``Comparison``) as a terminal table, Markdown or JSON.
public enum ComparisonRenderer {
  /// How many names an "only in" line lists before it says how many more there are.
  static let listedNames = 24

  /// `comparison` in `format` (`table`, `markdown`, `json`; CSV writes the totals lines); the
  /// table fits `options.width` (names shortened from the left, then the Op and Shape columns
  /// dropped; an "only in" list wrapped and cut after ``listedNames`` names).
  public static func render(
    _ comparison: Comparison, format: OutputFormat, options: RenderOptions = RenderOptions()
  ) throws(ConvScopeError) -> String {
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
      return try PrettyJSON.text(comparison, what: "the comparison")
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
      return table(comparison, totals: totals, layers: layers, width: options.fittedWidth)
    }
  }

  private static func table(_ comparison: Comparison, totals: [[String]], layers: [[String]], width: Int) -> String {
    let style = TerminalStyle(enabled: false)
    let names = [comparison.first.name, comparison.second.name]
    var lines = TextTable.wrapWords("\(names[0]) vs \(names[1])", width: width, indent: 4) + [""]
    let modelColumns = names.map { TextTable.Column(title: $0, alignment: .right, minWidth: 18, shortening: .path) }
    lines += TextTable(
      columns: [.init(title: "", alignment: .left)] + modelColumns + [.init(title: "ratio", alignment: .right)],
      rows: totals.map { TextTable.Row(cells: $0) }
    ).render(style: style, maxWidth: width)
    if !layers.isEmpty {
      lines += ["", "Layers that differ"]
      lines += TextTable(
        columns: [
          .init(title: "Layer", alignment: .left, maxWidth: 40, minWidth: 12, shortening: .path),
          .init(title: "Op", alignment: .left, minWidth: 9, dropRank: 2),
          .init(title: "Shape", alignment: .left, minWidth: 12, dropRank: 1),
          .init(title: "Params", alignment: .right), .init(title: "MACs", alignment: .right),
        ],
        rows: layers.map { cells in
          // The table's compact module path (`layer1.0/conv1`); the other formats keep full names.
          TextTable.Row(cells: [LayerRow.compactName(cells[0], op: cells[1])] + cells.dropFirst())
        }
      ).render(style: style, maxWidth: width)
    }
    for (name, layers) in zip(names, [comparison.onlyInFirst, comparison.onlyInSecond]) where !layers.isEmpty {
      let shown = layers.prefix(listedNames).map { TextTable.shortenPath($0, to: max(12, width / 2)) }
      var text = "only in \(name) (\(layers.count)): " + shown.joined(separator: ", ")
      if layers.count > listedNames { text += " and \(layers.count - listedNames) more (--format json lists all)" }
      lines += [""] + TextTable.wrapWords(text, width: width, indent: 4)
    }
    return lines.joined(separator: "\n") + "\n"
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
