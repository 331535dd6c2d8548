import ConvScopeCore
import ConvScopeReport
import Foundation

extension Pipeline {
  /// The reports of many requests (a folder of models), analysed in parallel: at most
  /// `width` at a time (default: the active processor count), each by
  /// ``report(for:)``, a pure function. Results come back in the order of `requests`, a
  /// failure as its error; `progress` is told after each one finishes how many are done.
  ///
  /// ```swift
  /// let requests = ModelDiscovery.models(in: ["models/"]).map { AnalysisRequest(model: .file($0)) }
  /// let results = await Pipeline.reports(for: requests)
  /// let summary = Pipeline.summary(of: requests, results: results)
  /// ```
  public static func reports(
    for requests: [AnalysisRequest], width: Int = ProcessInfo.processInfo.activeProcessorCount,
    progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
  ) async -> [Result<Report, ConvScopeError>] {
    var results = [Result<Report, ConvScopeError>?](repeating: nil, count: requests.count)
    await withTaskGroup(of: (Int, Result<Report, ConvScopeError>).self) { group in
      var next = 0
      func start() {
        guard next < requests.count else { return }
        let index = next
        let request = requests[index]
        group.addTask { (index, Result { () throws(ConvScopeError) in try report(for: request) }) }
        next += 1
      }
      for _ in 0..<max(1, width) { start() }
      var done = 0
      for await (index, result) in group {
        results[index] = result
        done += 1
        progress(done, requests.count)
        start()
      }
    }
    return results.map { $0 ?? .failure(ConvScopeError(message: "not analysed")) }
  }

  /// The summary of `results` (``reports(for:width:progress:)``'s, in the order of
  /// `requests`): a row of figures per report, a row with the error for each failure,
  /// written by `describe` (the CLI names its flags instead of request fields).
  public static func summary(
    of requests: [AnalysisRequest], results: [Result<Report, ConvScopeError>],
    describe: (ConvScopeError) -> String = { $0.description }
  ) -> FolderSummary {
    FolderSummary(
      rows: zip(requests, results).map { request, result in
        switch result {
        case .success(let report): return FolderSummary.Row(report: report)
        case .failure(let error):
          let source = request.model.name
          var text = describe(error)
          if text.hasPrefix(source) {  // the row names the file: keep the place in it and the message
            text.removeFirst(source.count)
            text = String(text.drop(while: { $0 == ":" || $0 == " " }))
            if text.first?.isNumber == true { text = "line " + text }
          }
          return FolderSummary.Row(
            source: source, name: ModelName.baseName(source) ?? source,
            error: text.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
      })
  }
}
