import ArgumentParser
import ConvScope

/// What `convscope analyze` was asked, as plain values: built from the parsed options
/// (``AnalyzeCommand/settings``) or, for the common command lines, read without the argument
/// parser (``AnalyzeShortcut``); either way the same run.
struct AnalyzeSettings: Hashable {
  /// The model files or folders (`-`: standard input).
  var files: [String]
  /// `--strict`: with several models, exit 1 when any fails.
  var strict = false
  /// The request for each model (its `model` is the first file; ``request(source:)`` sets it).
  var request: AnalysisRequest
  var output = OutputSettings()
  var rows = RowSettings()

  /// The library request for one model read from `source`.
  func request(source: ModelSource) -> AnalysisRequest {
    var request = request
    request.model = source
    return request
  }

  /// The checks of the whole command line (each option group checks its own):
  /// standard input alone, and a request the library accepts.
  func validate() throws(ValidationError) {
    if files.count > 1 && files.contains("-") {
      throw ValidationError("standard input (`-`) is one model; give it alone, not with other files")
    }
    try CommandLineRequest.validate(request)
  }

  /// Whether the files are several models (several files, or a folder).
  var isMany: Bool { files.count > 1 || ModelDiscovery.isFolder(files[0]) }

  /// One model's report, or a summary row per model for several files or a folder.
  func run() async throws {
    if isMany {
      try await ManyModels(settings: self).run()
    } else {
      try runOneAndExit()
    }
  }

  /// One model's report, on the calling thread, then the end of the process (status 0):
  /// `convscope FILE` runs it on the main thread, so that no worker thread starts (only a table
  /// of thousands of rows is laid out on several, see `ParallelRows`) and one malloc arena
  /// serves the whole run (a worker thread's arena grows by an `mprotect` call at a time: 275
  /// calls for ViT-B/16). The process ends with the report still held: the system takes its
  /// memory back at once, where freeing it row by row costs 5% of a 10,000-layer run. (The
  /// model is freed once analysed, so that the rendering reuses its memory: held too, it would
  /// save 2% of the time for 55 MB more at 100,000 layers. Output is written unbuffered, so
  /// nothing is left to flush.)
  func runOneAndExit() throws -> Never {
    try ErrorReporting.run { () throws(ConvScopeError) in
      let report = try Pipeline.report(for: request(source: try ModelSource(commandLine: files[0])))
      try output.write { (write) throws(ConvScopeError) in
        try output.format.render(report, options: output.renderOptions(rows: rows), to: write)
      }
      // Without this the optimizer ends the report's lifetime at its last use, and frees it.
      withExtendedLifetime(report) { Terminal.exit(0) }
    }
    fatalError("unreachable: the report was written and the process ended, or ErrorReporting threw")
  }
}
