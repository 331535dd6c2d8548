import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension OutputFormat: ExpressibleByArgument {
  /// The file extension suggested when `--output` names a folder.
  var suggestedExtension: String {
    switch self {
    case .table: "txt"
    case .markdown: "md"
    case .netron: "netron.json"
    case .csv, .json, .html, .dot: rawValue
    }
  }
}

/// How the table writes counts.
enum CountUnits: String, CaseIterable, ExpressibleByArgument {
  case si, raw
}

/// Where the report goes and how it looks.
struct OutputOptions: ParsableArguments {
  @Option(name: [.customShort("f"), .long], help: "The output format.")
  var format: OutputFormat = .table

  @Option(
    name: [.short, .long],
    help: ArgumentHelp("Write the report to a file instead of standard output.", valueName: "file"))
  var output: String?

  @Flag(
    name: [.short, .long],
    help: "Only the totals, not the per-layer rows (table, markdown, csv; the other formats always have everything).")
  var quiet = false

  @Option(help: "Counts in the table's columns: si (15.47 G) or raw (15,470,264,320).")
  var units: CountUnits = .si

  @Option(
    help: ArgumentHelp(
      "Collapse rows to this module depth (exporters' module paths: 1 = layer1, 2 = layer1.0), summing costs.",
      valueName: "n"))
  var depth: Int?

  @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal (NO_COLOR is also respected).")
  var noColor = false

  /// `request` with the fields the output needs: `--depth`, and for HTML, a roofline even
  /// without `--device` (on the default chart device, marked as assumed in the report).
  func apply(to request: inout AnalysisRequest) {
    request.depth = depth
    request.assumesDeviceForCharts = format == .html
  }

  /// Colour only for a table on a terminal, unless turned off.
  var renderOptions: RenderOptions {
    let color = format == .table && output == nil && !noColor && Terminal.outputIsTerminal && !Terminal.noColorRequested
    return RenderOptions(color: color, totalsOnly: quiet, exactCounts: units == .raw)
  }

  /// Writes `text` to `--output`, or to standard output.
  func write(_ text: String) throws(ConvScopeError) {
    try write { (write) throws(ConvScopeError) in try write(text) }
  }

  /// Writes what `produce` hands its writer, piece by piece, to standard output or the `-o` file.
  func write(_ produce: (_ write: (String) throws(ConvScopeError) -> Void) throws(ConvScopeError) -> Void)
    throws(ConvScopeError)
  {
    try Self.write(produce, to: output, format: format)
  }

  /// Writes what `produce` hands its writer to `output` (a file; `nil` or `-`: standard
  /// output); `format` suggests a file name when `output` is a folder.
  static func write(
    _ produce: (_ write: (String) throws(ConvScopeError) -> Void) throws(ConvScopeError) -> Void, to output: String?,
    format: OutputFormat
  ) throws(ConvScopeError) {
    guard let output, output != "-" else {
      try produce { (piece) throws(ConvScopeError) in try Terminal.writeOutput(piece) }
      return
    }
    let url = URL(fileURLWithPath: output)
    let attributes = try? FileManager.default.attributesOfItem(atPath: output)
    if attributes?[.type] as? FileAttributeType == .typeDirectory {
      throw ConvScopeError(
        file: output, field: "--output",
        message:
          "is a folder; give a file name, such as \(url.appendingPathComponent("report.\(format.suggestedExtension)").path)"
      )
    }
    let folder = url.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder) else {
      throw ConvScopeError(file: output, field: "--output", message: "cannot write the report: no folder \(folder)")
    }
    try Terminal.writeFile(to: output, produce)
  }
}
