import ConvScope
import Foundation
import Testing

/// `convscope analyze DIR` and several files, end to end on `Tests/Fixtures/folder` (six
/// models, one of them broken; see MANIFEST.md).
@Suite struct FolderCommandTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let folder = repository.appendingPathComponent("Tests/Fixtures/folder").path

  @Test func aFolderIsOneRowPerModelAndAFailureDoesNotFailTheRun() throws {
    let result = try CommandRunner.run(["analyze", Self.folder, "--format", "csv"])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)  // standard error is a pipe: no progress bar
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 7)
    #expect(lines.filter { $0.hasSuffix(",false,") || $0.hasSuffix(",true,") }.count == 5)
    #expect(lines[1].hasPrefix(Self.folder + "/broken.onnx,broken,,"))
  }

  @Test func strictFailsWithOneLineAfterTheSummary() throws {
    let result = try CommandRunner.run(["analyze", Self.folder, "--strict"])
    #expect(result.status == 1)
    #expect(result.stdout.hasSuffix("6 models, 1 failed\n"))
    #expect(result.stderr == "convscope: error: field '--strict': 1 of 6 models failed (see their rows)\n")
  }

  @Test func optionsApplyToEachModel() throws {
    let plain = try CommandRunner.run([Self.folder + "/lenet5.onnx", Self.folder + "/nested/lenet5.yaml", "-f", "json"])
    let batched = try CommandRunner.run(
      [Self.folder + "/lenet5.onnx", Self.folder + "/nested/lenet5.yaml", "-f", "json", "--batch", "4"])
    func macs(_ text: String) throws -> [Int] {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
      return try #require(object["models"] as? [[String: Any]]).compactMap { $0["macs"] as? Int }
    }
    #expect(try macs(plain.stdout) == [416_520, 416_520])
    #expect(try macs(batched.stdout) == [4 * 416_520, 4 * 416_520])
  }

  @Test func htmlWithAnOutputFolderWritesAnIndexAndOnePagePerModel() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-folder-\(getpid())")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try CommandRunner.run(["analyze", Self.folder, "--format", "html", "-o", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
    // Five analysed models (three named lenet5) and the index; the broken file has no page.
    #expect(
      files == [
        "custom_ops.html", "index.html", "lenet5-2.html", "lenet5-3.html", "lenet5.html", "lenet5_mlprogram.html",
      ])
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    for page in files where page != "index.html" { #expect(index.contains("href=\"\(page)\""), "\(page)") }
    let page = try String(contentsOf: out.appendingPathComponent("custom_ops.html"), encoding: .utf8)
    #expect(page.contains("<title>custom_ops · ConvScope report</title>"))
  }

  @Test func anHTMLFileNameIsTheIndexWithThePagesBesideIt() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-index-\(getpid())")
    defer { try? FileManager.default.removeItem(at: out) }
    // A model named like the index does not overwrite it.
    let result = try CommandRunner.run(
      [
        "analyze", Self.folder + "/lenet5.onnx", Self.folder + "/broken.onnx", "-f", "html", "-o",
        out.path + "/lenet5.html",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["lenet5-2.html", "lenet5.html"])
    let index = try String(contentsOf: out.appendingPathComponent("lenet5.html"), encoding: .utf8)
    #expect(index.contains("<a href=\"lenet5-2.html\">lenet5</a>") && index.contains("broken.onnx"))
  }

  @Test func standardInputIsOneModelOnly() throws {
    let result = try CommandRunner.run(["analyze", "-", Self.folder])
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix("convscope: error: standard input (`-`) is one model"))
  }

  @Test func aFolderWithoutModelsIsAnError() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-empty-\(getpid())")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    let result = try CommandRunner.run(["analyze", empty.path])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("convscope: error: \(empty.path): no model files found"))
  }
}
