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

  /// What these options ask for, as plain values.
  var settings: OutputSettings { OutputSettings(explicitFormat: formatOption, path: output, noColor: noColor) }

  func validate() throws { try settings.validate() }
}
