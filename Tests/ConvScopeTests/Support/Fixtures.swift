import Foundation

/// Files under `Tests/Fixtures/`, found from this source file's path (no bundle
/// resources needed, and nothing outside the repository is read).
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // ConvScopeTests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures")

  /// The repository root (for `Examples/`).
  static let repositoryRoot = root.deletingLastPathComponent().deletingLastPathComponent()

  static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

  static func data(_ relativePath: String) throws -> Data { try Data(contentsOf: url(relativePath)) }

  static func example(_ name: String) -> URL {
    repositoryRoot.appendingPathComponent("Examples").appendingPathComponent(name)
  }
}
