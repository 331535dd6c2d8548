import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension OutputFormat: ExpressibleByArgument {
  /// `--format` in any case: `json`, `JSON`, `Markdown`.
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }

  /// The format a file name's extension names (`report.html`, `layers.CSV`, `model.netron.json`),
  /// if it names one; `.txt` is the table.
  init?(fileName: String) {
    let name = fileName.lowercased()
    guard !name.hasSuffix(".netron.json") else {
      self = .netron
      return
    }
    let byExtension: [String: OutputFormat] = [
      "txt": .table, "md": .markdown, "markdown": .markdown, "csv": .csv, "json": .json, "html": .html, "htm": .html,
      "dot": .dot, "gv": .dot,
    ]
    guard let dot = name.lastIndex(of: "."), let format = byExtension[String(name[name.index(after: dot)...])] else {
      return nil
    }
    self = format
  }

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

/// Where the report goes and in which format (`analyze` and `compare`).
struct OutputOptions: ParsableArguments {
  @Option(
    name: [.customShort("f"), .customLong("format")],
    help: ArgumentHelp(
      "The output format, in any case (default: from the -o file's extension, else table).", valueName: "format"))
  var formatOption: OutputFormat?

  @Option(
    name: [.short, .long],
    help: ArgumentHelp("Write the report to a file instead of standard output.", valueName: "file"))
  var output: String?

  @Flag(name: .customLong("no-color"), help: "No colour, even on a terminal (NO_COLOR is also respected).")
  var noColor = false

  /// `--format`, else the format the `-o` file's extension names, else the table.
  var format: OutputFormat {
    formatOption ?? output.flatMap { OutputFormat(fileName: $0) } ?? .table
  }

  /// True when the report goes to standard output rather than a file.
  var writesToStandardOutput: Bool { output == nil || output == "-" }

  func validate() throws {
    if format == .html && writesToStandardOutput && Terminal.outputIsTerminal {
      throw ValidationError("HTML is not written to a terminal; add -o report.html (or redirect: > report.html)")
    }
  }

  /// For HTML, a roofline even without `--device` (on the default chart device, marked as
  /// assumed in the report).
  func apply(to request: inout AnalysisRequest) {
    request.assumesDeviceForCharts = format == .html
  }

  /// Colour only for a table on a terminal, unless turned off; fitted to the terminal's width
  /// (``Terminal/width``), or to 100 columns in a file; `rows` are `analyze`'s table choices.
  func renderOptions(rows: LayerRowOptions? = nil) -> RenderOptions {
    let color =
      format == .table && writesToStandardOutput && !noColor && Terminal.outputIsTerminal
      && !Terminal.noColorRequested
    return RenderOptions(
      color: color, totalsOnly: rows?.quiet ?? false, width: writesToStandardOutput ? Terminal.width : 100,
      view: rows?.wide == true ? .wide : rows?.compact == true ? .compact : .fitted, exactCounts: rows?.units == .raw)
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
