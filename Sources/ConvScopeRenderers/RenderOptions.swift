import ConvScopeCore
import ConvScopeReport

/// How much of each layer the terminal table shows.
public enum TableView: String, Sendable, Hashable, CaseIterable {
  /// Fitted to ``RenderOptions/width``: names shortened, then detail lines and columns dropped
  /// (``TextTable`` gives the order; README, "Using it").
  case fitted
  /// Everything: full names, every column, detail lines unwrapped, whatever the width (`--wide`).
  case wide
  /// One line per layer: no detail lines, the columns fitted to the width (`--compact`).
  case compact
}

/// Choices that change how a report is written, not what it says.
public struct RenderOptions: Sendable, Hashable {
  /// ANSI colour in the terminal table (the CLI turns it on for a terminal when `NO_COLOR` is unset).
  public var color: Bool
  /// Only the totals, not the per-layer rows (`--quiet`).
  public var totalsOnly: Bool
  /// The terminal width the table, the comparison and the lists fit (the CLI measures it:
  /// `COLUMNS`, else the terminal's size, else 100).
  public var width: Int
  /// How much of each layer the table shows.
  public var view: TableView
  /// Exact counts (`15,470,264,320`) instead of SI short forms (`15.47 G`) in the table's columns (`--units raw`).
  public var exactCounts: Bool

  public init(
    color: Bool = false, totalsOnly: Bool = false, width: Int = 100, view: TableView = .fitted,
    exactCounts: Bool = false
  ) {
    self.color = color
    self.totalsOnly = totalsOnly
    self.width = width
    self.view = view
    self.exactCounts = exactCounts
  }
}

extension RenderOptions {
  /// The width text is fitted to: ``width``, or no limit for the wide view.
  var fittedWidth: Int { view == .wide ? Int.max / 4 : width }
}

/// The text formats ConvScope writes a report in.
public enum OutputFormat: String, CaseIterable, Sendable {
  /// An aligned terminal table with Unicode box drawing.
  case table
  /// GitHub-flavoured Markdown tables.
  case markdown
  /// RFC 4180 CSV, one row per layer.
  case csv
  /// The report's JSON form, documented in `docs/json-schema.md`.
  case json
  /// One self-contained HTML page with inline SVG charts and a sortable layer table.
  case html
  /// A Graphviz digraph of the data flow, clustered by module.
  case dot
  /// A Netron attachment: per-node metrics to open next to the model in Netron.
  case netron

  /// `report` written in this format; the text ends with a newline.
  public func render(_ report: Report, options: RenderOptions = RenderOptions()) throws(ConvScopeError) -> String {
    switch self {
    case .table: TableRenderer.render(report, options: options)
    case .markdown: MarkdownRenderer.render(report, options: options)
    case .csv: CSVRenderer.render(report, options: options)
    case .json: try JSONRenderer.render(report)
    case .html: HTMLRenderer.render(report)
    case .dot: DOTRenderer.render(report)
    case .netron: try NetronRenderer.render(report)
    }
  }

  /// `report` written in this format (the text ``render(_:options:)`` returns), handed to
  /// `write` in pieces: JSON, the table, CSV and Markdown as they are written, the other formats whole.
  public func render(
    _ report: Report, options: RenderOptions = RenderOptions(), to write: (String) throws(ConvScopeError) -> Void
  ) throws(ConvScopeError) {
    switch self {
    case .json: try JSONRenderer.render(report, to: write)
    case .table: try TableRenderer.render(report, options: options, to: write)
    case .csv: try CSVRenderer.render(report, options: options, to: write)
    case .markdown: try MarkdownRenderer.render(report, options: options, to: write)
    default: try write(render(report, options: options))
    }
  }
}
