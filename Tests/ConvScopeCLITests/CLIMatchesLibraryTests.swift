import ConvScope
import Foundation
import Testing

/// The command-line tool is a front end of ``Pipeline``: for each set of flags, the JSON it
/// prints equals the library's report for the request written here by hand, field by field.
@Suite struct CLIMatchesLibraryTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let seed = root.appendingPathComponent("Examples/seed-resnet.yaml").path
  static let resnet18 = root.appendingPathComponent("Tests/Fixtures/zoo/resnet18.onnx").path
  static let ifSeq = root.appendingPathComponent("Tests/Fixtures/onnx-node-tests/models/test_if_seq/model.onnx").path

  /// One case: the flags, and the request they must mean.
  struct Case: CustomTestStringConvertible, Sendable {
    let flags: [String]
    let request: @Sendable () -> AnalysisRequest
    var testDescription: String { flags.joined(separator: " ") }
  }

  static let cases: [Case] = [
    Case(flags: [seed]) { AnalysisRequest(model: .file(seed)) },
    Case(flags: [seed, "--mode", "training", "--batch", "1,2", "--device", "l4", "--train", "--optimizer", "sgd"]) {
      var request = AnalysisRequest(model: .file(seed))
      request.mode = .training
      request.batch = 1
      request.sweep = SweepRequest(.batch, [1, 2])
      request.device = .named("l4")
      request.training = TrainingSetup(optimizer: .sgd, precision: .fp32)
      return request
    },
    Case(flags: [seed, "--input-shape", "64x64x1", "--dtype", "fp16", "--resolution", "64,96"]) {
      var request = AnalysisRequest(model: .file(seed))
      request.inputShapes = [InputBinding(shape: [64, 64, 1])]
      request.dataType = .float16
      request.sweep = SweepRequest(.resolution, [64, 96])
      return request
    },
    Case(flags: [resnet18, "--convention", "fvcore", "--depth", "1", "--layout", "NHWC"]) {
      var request = AnalysisRequest(model: .file(resnet18))
      request.convention = .fvcore
      request.depth = 1
      request.layout = .nhwc
      return request
    },
    Case(flags: [resnet18, "--reconcile", "--as-stored", "--mode", "inference-fused", "--batch", "4"]) {
      var request = AnalysisRequest(model: .file(resnet18))
      request.reconcile = true
      request.conventionOptions = ConventionOptions(infersTorchProvenance: false)
      request.mode = .inferenceFused
      request.batch = 4
      return request
    },
    Case(flags: [ifSeq]) { AnalysisRequest(model: .file(ifSeq)) },
  ]

  @Test(arguments: cases)
  func jsonEqualsTheLibrarysReport(_ test: Case) throws {
    let result = try CommandRunner.run(test.flags + ["--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let library = try OutputFormat.json.render(try Pipeline.report(for: test.request()))
    #expect(result.stdout == library)
  }

  /// The HTML page draws a roofline even without `--device`; the report behind it holds
  /// that roofline, marked as assumed, so the page shows nothing the JSON lacks.
  @Test func theReportOfAnHTMLRunHoldsTheRooflineItDraws() throws {
    var request = AnalysisRequest(model: .file(Self.seed))
    request.assumesDeviceForCharts = true
    let report = try Pipeline.report(for: request)
    let roofline = try #require(report.roofline)
    #expect(roofline.device == "h100-sxm" && roofline.isDefaultDevice)
    let json = try OutputFormat.json.render(report)
    #expect(json.contains("\"default_device\" : true"))
    let page = try CommandRunner.run([Self.seed, "--format", "html"])
    #expect(page.stdout == (try OutputFormat.html.render(report)))
    // The page's caption quotes the latency bound the JSON holds.
    let milliseconds = String(format: "%.3f ms", roofline.latencyLowerBoundSeconds * 1e3)
    #expect(page.stdout.contains("latency ≥ \(milliseconds)"))
  }

  /// `ops --unsupported-in` and `analyze` list the same ops with the same counts
  /// (test_sequence_map_add_2_sequences: a `SequenceMap`, whose body's `Add` has a rule).
  @Test func opsAndAnalyzeListTheSameUnsupportedOps() throws {
    let model = Self.root.appendingPathComponent(
      "Tests/Fixtures/onnx-node-tests/models/test_sequence_map_add_2_sequences/model.onnx"
    ).path
    let listed = try CommandRunner.run(["ops", "--unsupported-in", model])
    let lines = listed.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    let report = try Pipeline.report(for: AnalysisRequest(model: .file(model)))
    #expect(lines == report.unsupported.map { [$0.op, String($0.count)] })
    #expect(report.unsupported.map(\.op) == ["SequenceMap"])
    #expect(report.unsupported.map(\.count) == [1])
  }

  /// Library errors name request fields; the tool names the flag that sets them.
  @Test func errorsNameTheFlagOfTheRequestField() throws {
    var request = AnalysisRequest(model: .file(Self.seed))
    request.inputShapes = [InputBinding(name: "nope", shape: [1, 1, 57, 57])]
    let error = #expect(throws: ConvScopeError.self) { try Pipeline.report(for: request) }
    #expect(error?.field == "inputShapes")
    let result = try CommandRunner.run([Self.seed, "--input-shape", "nope=1x1x57x57"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("field '--input-shape': no input named 'nope'"))
  }
}
