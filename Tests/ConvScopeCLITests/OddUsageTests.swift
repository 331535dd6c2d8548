import ConvScope
import Foundation
import Testing

/// Odd but legal command lines: `-o` naming a folder, `-` for every input format.
@Suite struct OddUsageTests {
  private static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test func outputToAFolderSaysToNameAFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-odd-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let spec = Self.root.appendingPathComponent("Examples/lenet5.yaml").path
    let result = try CommandRunner.run([spec, "-f", "markdown", "-o", folder.path])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains("is a folder; give a file name, such as \(folder.path)/report.md"), "\(result.stderr)")
    #expect(!result.stderr.contains("NSCocoaErrorDomain"))
  }

  @Test func dashReadsEveryFormat() throws {
    // Each file's first input, as its format declares it.
    let cases = [
      ("Tests/Fixtures/zoo/lenet5.onnx", "(onnx)", "1x1x32x32"),
      ("Examples/lenet5.yaml", "(spec)", "32x32x1"),
      ("Tests/Fixtures/keras/lenet5.json", "(keras)", "1x32x32x1"),
      ("Tests/Fixtures/keras/lenet5.keras", "(keras)", "1x32x32x1"),
      ("Tests/Fixtures/caffe/bvlc_alexnet.prototxt", "(caffe)", "10x3x227x227"),
    ]
    for (path, format, input) in cases {
      let data = try Data(contentsOf: Self.root.appendingPathComponent(path))
      let result = try CommandRunner.run(["-", "--quiet"], stdin: data)
      #expect(result.status == 0, "\(path): \(result.stderr)")
      #expect(result.stdout.contains("source  - \(format)"), "\(path)")
      #expect(result.stdout.contains(" \(input) "), "\(path)")
    }
  }
}

@Suite struct CompareUsageTests {
  private static let vgg = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/vgg16.yaml").path

  @Test func batchListAndRowOptionsAreRefusedNotIgnored() throws {
    // Before, `--batch 1,8` silently compared at batch 1, and `--depth`, `--quiet` and
    // `--units` did nothing; now `compare` does not have them (nor lists them in its help).
    for extra in [["--batch", "1,8"], ["--depth", "1"], ["--quiet"], ["--units", "raw"]] {
      let result = try CommandRunner.run(["compare", Self.vgg, Self.vgg] + extra)
      #expect(result.status == 64, "\(extra)")
      #expect(result.stderr.contains(extra[0]), "\(result.stderr)")
    }
  }

  @Test func oneBatchScalesBothModels() throws {
    // VGG-16 at 224x224: 15,470,264,320 MACs per image, so 8 images make 8 times that.
    let result = try CommandRunner.run(["compare", Self.vgg, Self.vgg, "--batch", "8", "-f", "csv"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\(8 * 15_470_264_320)"), "\(result.stdout)")
  }
}

@Suite struct OpsListingTests {
  /// The listing's summary for `op` (from its JSON: the text wraps summaries to the terminal).
  private func line(_ op: String) throws -> String {
    let result = try CommandRunner.run(["ops", "--format", "json"])
    let entries = try JSONDecoder().decode([OpListRenderer.Entry].self, from: Data(result.stdout.utf8))
    return entries.first { $0.op == op }.map { "\($0.op) \($0.summary)" } ?? ""
  }

  @Test func sharedRulesDescribeEachOfTheirOps() throws {
    // Hardmax is an argmax: n-1 compares and no exponentials (it used to read as Softmax's cost).
    #expect(try line("Hardmax").contains("Hardmax nothing more"))
    // Mean divides once per element after its k-1 adds.
    #expect(try line("Mean").contains("Mean: adds, then a divide"))
    // Identity is not Dropout.
    #expect(try line("Identity").contains("Identity;"))
  }
}

@Suite struct SpecInputShapeTests {
  private static let lenet = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/lenet5.yaml")

  /// LeNet-5 at 64x64: 60x60x6 → 30 → 26x26x16 → 13x13x16 = 2704 features into F5.
  private static let paramsAt64 = 156 + 2416 + (2704 * 120 + 120) + 10_164 + 850

  @Test func inputShapeResizesASpecsDenseLayers() throws {
    // Before, the dense weights stayed sized for 32x32 and F5 failed with K = 2704 vs 400.
    let result = try CommandRunner.run([Self.lenet.path, "--input-shape", "64x64x1", "-f", "csv", "--quiet"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\nparams,\(Self.paramsAt64)\n"), "\(result.stdout)")
  }

  @Test func specOnStandardInputIsReadOnceAndReboundPerResolution() throws {
    let data = try Data(contentsOf: Self.lenet)
    let sweep = try CommandRunner.run(["-", "--resolution", "32,64", "-f", "json"], stdin: data)
    #expect(sweep.status == 0, "\(sweep.stderr)")
    #expect(sweep.stdout.contains("\"params\" : \(Self.paramsAt64)"))
    let shaped = try CommandRunner.run(["-", "--input-shape", "64x64x1", "-f", "csv", "--quiet"], stdin: data)
    #expect(shaped.stdout.contains("\nparams,\(Self.paramsAt64)\n"), "\(shaped.stderr)")
  }
}

/// Issue 16's command-line findings: each now says what is wrong.
@Suite struct ClearerUsageTests {
  private static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  private static let resnet18 = root.appendingPathComponent("Tests/Fixtures/zoo/resnet18.onnx").path
  private static let lenet = root.appendingPathComponent("Examples/lenet5.yaml").path

  /// The first line of standard error.
  private func error(_ arguments: [String], stdin: Data = Data()) throws -> (status: Int32, line: String) {
    let result = try CommandRunner.run(arguments, stdin: stdin)
    return (result.status, String(result.stderr.split(separator: "\n").first ?? ""))
  }

  @Test func anUnknownOptionIsNamedEvenWithoutAFile() throws {
    // It said "Missing expected argument '<file>'".
    #expect(try error(["--bogus"]) == (64, "convscope: error: Unknown option '--bogus'"))
    #expect(try error(["compare", "--bogus"]) == (64, "convscope: error: Unknown option '--bogus'"))
    // A missing file alone is still said so.
    #expect(try error(["compare", Self.lenet]) == (64, "convscope: error: Missing expected argument '<second>'"))
  }

  @Test func aNegativeBatchIsAWrongValueNotAMissingOne() throws {
    let (status, line) = try error([Self.lenet, "--batch", "-1"])
    #expect(status == 64 && line.contains("'-1'") && line.contains("not a positive whole number"), "\(line)")
  }

  @Test func aBatchlessShapeWhoseChannelsContradictTheModelSaysSo() throws {
    // It surfaced as the first conv's channel error.
    let (status, line) = try error([Self.resnet18, "--input-shape", "1x224x224"])
    #expect(status == 1 && line.contains("has rank 3 but the input has rank 4") && line.contains("give all 4 dims"))
    // Without the batch dim and with the declared channels it is still taken as documented.
    #expect(try CommandRunner.run([Self.resnet18, "--input-shape", "3x160x160", "--quiet"]).status == 0)
  }

  @Test func aFileNamedForOneFormatHoldingAnotherIsNamedForWhatItLooksLike() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-sniff-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let yaml = folder.appendingPathComponent("lenet.onnx")
    try Data(contentsOf: URL(fileURLWithPath: Self.lenet)).write(to: yaml)
    let (status, line) = try error([yaml.path])
    #expect(status == 1 && line.contains("looks like a ConvScope spec (YAML or JSON), not ONNX protobuf"), "\(line)")
    // ONNX content under a spec's name: the content decides, and it is read.
    let onnx = folder.appendingPathComponent("resnet18.yaml")
    try Data(contentsOf: URL(fileURLWithPath: Self.resnet18)).write(to: onnx)
    #expect(try CommandRunner.run([onnx.path, "--quiet"]).status == 0)
  }

  @Test func theOutputFileNamesTheFormatAndFormatIgnoresCase() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("convscope-ext-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (file, start) in [("r.html", "<!DOCTYPE html>"), ("r.md", "# "), ("r.json", "{"), ("r.CSV", "layer,")] {
      let path = folder.appendingPathComponent(file).path
      #expect(try CommandRunner.run([Self.lenet, "-o", path]).status == 0)
      #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix(start), "\(file)")
    }
    // --format wins over the extension, in any case.
    let path = folder.appendingPathComponent("r.html").path
    #expect(try CommandRunner.run([Self.lenet, "-o", path, "--format", "JSON"]).status == 0)
    #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("{"))
  }

  @Test func devicesAndOpsWriteJSON() throws {
    let devices = try CommandRunner.run(["devices", "--format", "json"])
    let profiles = try JSONDecoder().decode([DeviceProfile].self, from: Data(devices.stdout.utf8))
    #expect(profiles.map(\.name) == DeviceProfile.builtIn.map(\.name))
    let missing = try CommandRunner.run(["ops", "--unsupported-in", Self.resnet18, "-f", "json"])
    #expect(missing.status == 0)
    #expect(try JSONDecoder().decode([UnsupportedOp].self, from: Data(missing.stdout.utf8)).isEmpty)
  }

  @Test func theWidthMultiplierIsInTheReport() throws {
    let result = try CommandRunner.run([Self.lenet, "--width-mult", "0.5", "-f", "json", "--quiet"])
    #expect(result.stdout.contains("\"width_multiplier\" : 0.5"))
    #expect(result.stdout.contains("width multiplier 0.5: every hidden conv and dense layer's channels scaled"))
  }

  /// Runs `command` by /bin/sh in a pseudo-terminal of `columns` columns (util-linux `script`),
  /// `COLUMNS` unset; nil where `script` is missing.
  private func inTerminal(_ command: String, columns: Int) throws -> CommandRunner.Result? {
    let script = URL(fileURLWithPath: "/usr/bin/script")
    guard FileManager.default.isExecutableFile(atPath: script.path), let binary = CommandRunner.executable else {
      return nil
    }
    let line = "stty cols \(columns); \(binary.path) \(command); echo status=$?"
    return try CommandRunner.run(["-qc", line, "/dev/null"], environment: ["COLUMNS": ""], executable: script)
  }

  @Test func aTerminalsWidthIsReadAndHTMLIsNotWrittenToIt() throws {
    guard let table = try inTerminal("\(Self.lenet) --no-color", columns: 70) else { return }
    let lines = table.stdout.split(whereSeparator: \.isNewline).map(String.init)
    #expect(lines.contains { $0.hasPrefix("╭") } && lines.allSatisfy { $0.count <= 70 }, "\(table.stdout)")
    let html = try #require(try inTerminal("\(Self.lenet) --format html", columns: 90))
    #expect(html.stdout.contains("HTML is not written to a terminal; add -o report.html"))
    #expect(html.stdout.contains("status=64") && !html.stdout.contains("<html"))
  }

  @Test func wideAndCompactAreTwoViews() throws {
    #expect(try error([Self.lenet, "--wide", "--compact"]).status == 64)
    let compact = try CommandRunner.run([Self.lenet, "--compact"]).stdout
    #expect(!compact.contains("│   in "))
  }
}
