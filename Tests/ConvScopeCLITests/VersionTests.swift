import ConvScope
import Foundation
import Testing

/// The version lives in `ConvScopeVersion.swift` only: `--version`, the JSON report and the
/// newest CHANGELOG heading all say the same.
@Suite struct VersionTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test func versionFlagJSONAndChangelogAgree() throws {
    let flag = try CommandRunner.run(["--version"])
    #expect(flag.status == 0)
    let version = flag.stdout.trimmingCharacters(in: .newlines)
    #expect(version == ConvScopeVersion.current)
    let json = try CommandRunner.run([
      Self.repository.appendingPathComponent("Examples/lenet5.yaml").path, "-f", "json",
    ])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["convscope_version"] as? String == version)
    let changelog = try String(contentsOf: Self.repository.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
    let heading = try #require(changelog.split(separator: "\n").first { $0.hasPrefix("## ") })
    #expect(heading.dropFirst(3).split(separator: " ").first.map(String.init) == version)
  }
}
