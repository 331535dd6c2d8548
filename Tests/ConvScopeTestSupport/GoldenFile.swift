import Foundation

/// Golden files under `Tests/Fixtures/golden/`: output a user reads, compared
/// byte for byte. A missing file is recorded; `CONVSCOPE_RECORD=1` re-records
/// them all (review the diff before committing).
public enum GoldenFile {
  /// The folder, found from this source file's path.
  public static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // ConvScopeTestSupport
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures/golden")

  /// `nil` when `actual` equals the golden file `name` (or was just recorded);
  /// otherwise a message naming the first line that differs.
  public static func mismatch(_ actual: String, name: String) throws -> String? {
    let url = directory.appendingPathComponent(name)
    let record = ProcessInfo.processInfo.environment["CONVSCOPE_RECORD"] == "1"
    guard !record, FileManager.default.fileExists(atPath: url.path) else {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
      return nil
    }
    let expected = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    guard expected != actual else { return nil }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let line =
      zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? min(expectedLines.count, actualLines.count)
    let want = line < expectedLines.count ? String(expectedLines[line]) : "<end of file>"
    let got = line < actualLines.count ? String(actualLines[line]) : "<end of output>"
    return "\(name) differs at line \(line + 1):\n  golden: \(want)\n  actual: \(got)\n"
      + "(re-record with CONVSCOPE_RECORD=1 swift test and review the diff)"
  }
}
