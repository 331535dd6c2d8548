import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Where and how a report is written, as plain values: what ``OutputOptions`` parsed, or
/// what ``AnalyzeShortcut`` read without the argument parser.
struct OutputSettings: Hashable {
  /// `--format`, when given.
  var explicitFormat: OutputFormat?
  /// `-o`, when given (`-` is standard output).
  var path: String?
  /// `--no-color`.
  var noColor = false

  /// The format asked for: `--format`, else the `-o` file's extension, else the table.
  var format: OutputFormat {
    explicitFormat ?? path.flatMap { OutputFormat(fileName: $0) } ?? .table
  }

  var writesToStandardOutput: Bool { path == nil || path == "-" }

  /// A usage error for what cannot be written where asked.
  func validate() throws(ValidationError) {
    if format == .html && writesToStandardOutput && Terminal.outputIsTerminal {
      throw ValidationError("HTML is not written to a terminal; add -o report.html (or redirect: > report.html)")
    }
  }

  func apply(to request: inout AnalysisRequest) {
    request.assumesDeviceForCharts = format == .html
  }

  /// The renderers' options: colour only for a table on a terminal that allows it.
  func renderOptions(rows: RowSettings? = nil) -> RenderOptions {
    let color =
      format == .table && writesToStandardOutput && !noColor && Terminal.outputIsTerminal
      && !Terminal.noColorRequested
    return RenderOptions(
      color: color, totalsOnly: rows?.quiet ?? false, width: writesToStandardOutput ? Terminal.width : 100,
      view: rows?.wide == true ? .wide : rows?.compact == true ? .compact : .fitted, exactCounts: rows?.units == .raw)
  }

  func write(_ text: String) throws(ConvScopeError) {
    try write { (write) throws(ConvScopeError) in try write(text) }
  }

  /// Runs `produce` with a writer to the chosen output (pieces stream to standard output or
  /// the file as they come).
  func write(_ produce: (_ write: (String) throws(ConvScopeError) -> Void) throws(ConvScopeError) -> Void)
    throws(ConvScopeError)
  {
    try Self.write(produce, to: path, format: format)
  }

  /// Writes to `output` (nil or `-`: standard output); a folder or a missing folder is an
  /// error naming `--output`.
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
