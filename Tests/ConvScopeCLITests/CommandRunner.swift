import Foundation

/// Runs the built `convscope` executable as a user would and captures what it prints.
enum CommandRunner {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The executable, next to this test bundle in the build products folder.
  static let executable: URL? = {
    let bundleFolder = Bundle.main.bundleURL
    let candidates =
      [
        bundleFolder, bundleFolder.deletingLastPathComponent(),
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
      ] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
    return candidates.map { $0.appendingPathComponent("convscope") }.first {
      FileManager.default.isExecutableFile(atPath: $0.path)
    }
  }()

  /// Runs `convscope arguments` (or another `executable`) in `directory` with `stdin` as its
  /// input, 80 columns, no colour settings inherited, and `environment` added.
  static func run(
    _ arguments: [String], stdin: Data = Data(), directory: URL? = nil, environment extra: [String: String] = [:],
    executable: URL? = Self.executable
  ) throws -> Result {
    guard let executable else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "convscope"]) }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var environment = ProcessInfo.processInfo.environment
    environment["COLUMNS"] = "80"
    environment["NO_COLOR"] = nil
    environment.merge(extra) { $1 }
    process.environment = environment
    let output = Pipe()
    let error = Pipe()
    let input = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(stdin)
    try input.fileHandleForWriting.close()
    let out = try readAll(output.fileHandleForReading)
    let err = try readAll(error.fileHandleForReading)
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  /// Everything `handle` yields until end of file. Foundation's `readDataToEndOfFile()` traps
  /// when a read is interrupted by a signal (EINTR, seen on a loaded machine); this retries.
  private static func readAll(_ handle: FileHandle) throws -> Data {
    var data = Data()
    while true {
      do {
        guard let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty else { return data }
        data.append(chunk)
      } catch let error as NSError where (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(EINTR) {
        continue
      }
    }
  }
}
