import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Many models' summary (``FolderSummary``) as a terminal table, Markdown, CSV, JSON or an
/// HTML index page: one row per model (model, format, params, MACs, FLOPs, weight bytes,
/// peak activation bytes, unsupported ops), a failed model as a row with its error.
public enum FolderSummaryRenderer {
  /// `summary` in `format`; the text ends with a newline. An HTML index links row `i` to
  /// `pages[i]` when given (``pageNames(_:)``: one report page per model).
  public static func render(
    _ summary: FolderSummary, format: OutputFormat, options: RenderOptions = RenderOptions(), pages: [String]? = nil
  ) throws(ConvScopeError) -> String {
    switch format {
    case .table: return table(summary, options: options)
    case .markdown: return markdown(summary)
    case .csv: return csv(summary)
    case .json: return try json(summary)
    case .html: return HTMLIndex.render(summary, pages: pages)
    case .dot, .netron:
      throw ConvScopeError(
        field: "format",
        message: "a summary of several models is written as table, markdown, csv, json or html, not \(format.rawValue)")
    }
  }

  /// One report page name per row, unique within the summary: the model's name (or its
  /// file's) with `.html`, numbered when two models share one (`resnet18-2.html`), and never
  /// the index page's own name (`index`: `index.html` unless given).
  public static func pageNames(_ summary: FolderSummary, index: String = "index.html") -> [String] {
    let lowered = index.lowercased()
    var taken: Set<String> = [lowered.hasSuffix(".html") ? String(lowered.dropLast(5)) : lowered]
    return summary.rows.map { row in
      let stem = String(row.name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
      let base = stem.isEmpty ? "model" : stem
      var name = base
      var n = 2
      while taken.contains(name.lowercased()) {
        name = "\(base)-\(n)"
        n += 1
      }
      taken.insert(name.lowercased())
      return name + ".html"
    }
  }

  /// The column titles, shared by every format.
  static let titles = ["Model", "Format", "Params", "MACs", "FLOPs", "Weights", "Peak act.", "Unsupported"]

  /// A row's cells as a person reads them: counts in SI (`11.69 M`) or exact, bytes in
  /// KiB/MiB; `—` where the model failed.
  static func cells(_ row: FolderSummary.Row, exact: Bool) -> [String] {
    let count: (Int?) -> String = { value in
      value.map { exact ? NumberFormatting.grouped($0) : NumberFormatting.human($0) } ?? "—"
    }
    return [
      row.name, row.format?.rawValue ?? "—", count(row.params), count(row.macs), count(row.flops),
      row.weightBytes.map(NumberFormatting.bytes) ?? "—", row.peakActivationBytes.map(NumberFormatting.bytes) ?? "—",
      row.error != nil ? "—" : row.unsupportedOps.isEmpty ? "none" : row.unsupportedOps.joined(separator: ", "),
    ]
  }

  /// `3 models, 1 failed`.
  static func tally(_ summary: FolderSummary) -> String {
    let count = summary.rows.count
    let failed = summary.failures
    return "\(count) model\(count == 1 ? "" : "s")" + (failed > 0 ? ", \(failed) failed" : "")
  }

  /// The terminal table: a row per model with its file on a detail line, fitted to the
  /// width (the op list narrows, then the detail lines, FLOPs, weights, format and peak
  /// go, in that order), then each failed model's error on a line of its own, so no width
  /// hides it.
  private static func table(_ summary: FolderSummary, options: RenderOptions) -> String {
    let style = TerminalStyle(enabled: options.color)
    let dropRanks: [Int: Int] = [4: 1, 5: 2, 1: 3, 6: 4]
    let columns: [TextTable.Column] = titles.enumerated().map { index, title in
      TextTable.Column(
        title: title, alignment: (2...6).contains(index) ? .right : .left, minWidth: index == 7 ? 11 : nil,
        dropRank: options.view == .wide ? nil : dropRanks[index])
    }
    let rows = summary.rows.map { row in
      TextTable.Row(
        cells: cells(row, exact: options.exactCounts), details: options.view == .compact ? [] : [[row.source]],
        isWarning: row.error != nil)
    }
    var table = TextTable(columns: columns, rows: rows)
    if options.view == .wide { table.detailWidth = .max }
    var lines = table.render(style: style, maxWidth: options.fittedWidth)
    let failed = summary.rows.filter { $0.error != nil }
    if !failed.isEmpty {
      lines += ["", style.bold("Failed")]
      for row in failed {
        let text = "\(row.source): \(row.error ?? "")"
        lines += TextTable.wrapWords(text, width: options.fittedWidth - 2, indent: 4).map { "  " + $0 }
      }
    }
    lines.append(tally(summary))
    return lines.joined(separator: "\n") + "\n"
  }

  private static func markdown(_ summary: FolderSummary) -> String {
    var lines = ["# Models", ""]
    lines.append("| " + (["File"] + titles + ["Error"]).joined(separator: " | ") + " |")
    lines.append(
      "| " + (["---", "---", "---"] + Array(repeating: "---:", count: 5) + ["---", "---"]).joined(separator: " | ")
        + " |")
    for row in summary.rows {
      let values = [row.source] + cells(row, exact: true) + [row.error ?? ""]
      lines.append("| " + values.map(MarkdownRenderer.escape).joined(separator: " | ") + " |")
    }
    lines += ["", tally(summary)]
    return lines.joined(separator: "\n") + "\n"
  }

  private static func csv(_ summary: FolderSummary) -> String {
    let header = [
      "source", "name", "format", "params", "macs", "flops", "weight_bytes", "peak_activation_bytes",
      "unsupported_ops", "partial", "error",
    ]
    let rows = summary.rows.map { row -> [String] in
      let counts: [Int?] = [row.params, row.macs, row.flops, row.weightBytes, row.peakActivationBytes]
      let figures: [String] = counts.map { $0.map(String.init) ?? "" }
      let status: [String] = [
        row.unsupportedOps.joined(separator: " "), row.error == nil ? String(row.partial) : "", row.error ?? "",
      ]
      return [row.source, row.name, row.format?.rawValue ?? ""] + figures + status
    }
    return ([header] + rows).map { $0.map(CSVRenderer.quote).joined(separator: ",") + "\n" }.joined()
  }

  /// `{"convscope_version": ..., "models": [...]}` (docs/json-schema.md, Folder summary).
  private static func json(_ summary: FolderSummary) throws(ConvScopeError) -> String {
    struct Versioned: Encodable {
      let summary: FolderSummary
      enum CodingKeys: String, CodingKey {
        case convscopeVersion = "convscope_version"
        case models
      }
      func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ConvScopeVersion.current, forKey: .convscopeVersion)
        try container.encode(summary.rows, forKey: .models)
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      return String(decoding: try encoder.encode(Versioned(summary: summary)), as: UTF8.self) + "\n"
    } catch {
      throw ConvScopeError(message: "cannot write the summary as JSON: \(error)")
    }
  }
}
