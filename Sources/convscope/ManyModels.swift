import ArgumentParser
import ConvScope

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// `convscope analyze DIR` or several files: the models found (``ModelDiscovery``) analysed in
/// parallel by the library (``Pipeline/reports(for:width:progress:)``), a progress bar on a
/// terminal's standard error, then the summary (``FolderSummaryRenderer``); with
/// `--format html -o DIR`, `DIR/index.html` and one report page per model.
struct ManyModels {
  let settings: AnalyzeSettings

  func run() async throws {
    let paths = ModelDiscovery.models(in: settings.files)
    guard !paths.isEmpty else {
      try ErrorReporting.run { () throws(ConvScopeError) in
        throw ConvScopeError(
          file: settings.files.joined(separator: ", "),
          message: "no model files found (.onnx, .pt2, .tflite, "
            + ".mlmodel, .mlpackage, .keras, .prototxt, or a Keras or spec .json/.yaml)")
      }
      return
    }
    let requests = paths.map { settings.request(source: .file($0)) }
    let progress = ProgressBar(enabled: Terminal.errorIsTerminal)
    progress.show(0, requests.count)
    let results = await Pipeline.reports(for: requests) { progress.show($0, $1) }
    progress.finish()
    let summary = Pipeline.summary(of: requests, results: results) {
      ErrorReporting.oneLine(CommandLineRequest.flagged($0).description)
    }
    let output = settings.output
    try ErrorReporting.run { () throws(ConvScopeError) in
      if output.format == .html, let folder = output.path, folder != "-" {
        try writePages(summary, results: results, to: folder)
      } else {
        try output.write(
          try FolderSummaryRenderer.render(
            summary, format: output.format, options: output.renderOptions(rows: settings.rows)))
      }
      if settings.strict && summary.failures > 0 {
        throw ConvScopeError(
          field: "--strict", message: "\(summary.failures) of \(summary.rows.count) models failed (see their rows)")
      }
    }
  }

  /// The index and one report page per analysed model, named by
  /// ``FolderSummaryRenderer/pageNames(_:)``: `-o DIR` writes `DIR/index.html` (the folder
  /// made when missing), `-o DIR/NAME.html` writes the index as that file and the pages beside it.
  private func writePages(_ summary: FolderSummary, results: [Result<Report, ConvScopeError>], to output: String)
    throws(ConvScopeError)
  {
    let target = URL(fileURLWithPath: output)
    let namesIndex = target.pathExtension.lowercased() == "html"
    let folder = namesIndex ? target.deletingLastPathComponent().path : output
    let indexPath = namesIndex ? output : target.appendingPathComponent("index.html").path
    if let attributes = try? FileManager.default.attributesOfItem(atPath: folder) {
      guard attributes[.type] as? FileAttributeType == .typeDirectory else {
        throw ConvScopeError(
          file: folder, field: "--output",
          message: "is a file; with several models, --format html writes a folder (index.html and a page per model)")
      }
    } else {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw ConvScopeError(file: folder, field: "--output", message: "cannot make the folder: \(error)")
      }
    }
    let pages = FolderSummaryRenderer.pageNames(summary, index: URL(fileURLWithPath: indexPath).lastPathComponent)
    for (page, result) in zip(pages, results) {
      guard case .success(let report) = result else { continue }
      let path = URL(fileURLWithPath: folder).appendingPathComponent(page).path
      try Terminal.writeFile(to: path) { (write) throws(ConvScopeError) in try write(HTMLRenderer.render(report)) }
    }
    let index = try FolderSummaryRenderer.render(summary, format: .html, pages: pages)
    try Terminal.writeFile(to: indexPath) {
      (write) throws(ConvScopeError) in try write(index)
    }
  }
}
