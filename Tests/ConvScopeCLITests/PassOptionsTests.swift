import Foundation
import Testing

/// The extra analyses end to end: conventions, roofline, training memory, sweeps,
/// width multiplier, compare, devices and `ops --unsupported-in`.
@Suite struct PassOptionsTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static func path(_ relative: String) -> String { repository.appendingPathComponent(relative).path }

  static func json(_ arguments: [String]) throws -> [String: Any] {
    let result = try CommandRunner.run(arguments + ["--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test func conventionGivesFvcoresHeadlineFigure() throws {
    // fvcore on LeNet-5: conv 357,600 + linear 58,920 = 416,520 (zoo/lenet5.ref.json).
    let report = try Self.json([Self.path("Tests/Fixtures/zoo/lenet5.onnx"), "--convention", "fvcore"])
    let totals = try #require(report["totals"] as? [String: Any])
    let convention = try #require(totals["convention"] as? [String: Any])
    #expect(convention["name"] as? String == "fvcore")
    #expect(convention["figure"] as? Int == 357_600 + 58_920)
  }

  @Test func reconcileListsEveryTool() throws {
    let result = try CommandRunner.run([Self.path("Tests/Fixtures/zoo/lenet5.onnx"), "--reconcile", "--quiet"])
    #expect(result.status == 0)
    for tool in ["fvcore", "ptflops-aten", "thop", "torchinfo", "onnx-tool", "torch-flop-counter", "keras"] {
      #expect(result.stdout.contains(tool), "missing \(tool)")
    }
  }

  @Test func deviceAddsRooflineAndTrainAddsMemoryLines() throws {
    let report = try Self.json([
      Self.path("Examples/lenet5.yaml"), "--device", "t4", "--train", "--optimizer", "momentum",
    ])
    let roofline = try #require(report["roofline"] as? [String: Any])
    #expect(roofline["device"] as? String == "t4")
    #expect((roofline["latency_lower_bound_s"] as? Double ?? 0) > 0)
    let training = try #require((report["memory"] as? [String: Any])?["training"] as? [String: Any])
    let lines = try #require(training["lines"] as? [[String: Any]])
    // LeNet-5's 61,706 params: weights, gradients and one momentum buffer, 4 bytes each.
    #expect(lines.prefix(3).map { $0["bytes"] as? Int } == [61_706 * 4, 61_706 * 4, 61_706 * 4])
  }

  @Test func resolutionSweepRebindsTheSpecSoDenseWeightsFollow() throws {
    let report = try Self.json([Self.path("Examples/vgg16.yaml"), "--resolution", "160,224"])
    let rows = try #require((report["sweep"] as? [String: Any])?["rows"] as? [[String: Any]])
    // At 160 the last pool gives 5x5x512, so fc6 reads 12,800 features instead of 25,088.
    let fewer = (25_088 - 12_800) * 4096
    #expect(rows.map { $0["params"] as? Int } == [138_357_544 - fewer, 138_357_544])
  }

  @Test func batchSweepScalesMacs() throws {
    let report = try Self.json([Self.path("Examples/lenet5.yaml"), "--batch", "1,8"])
    let rows = try #require((report["sweep"] as? [String: Any])?["rows"] as? [[String: Any]])
    let macs = rows.compactMap { $0["macs"] as? Int }
    #expect(macs.count == 2 && macs[1] == 8 * macs[0])
  }

  @Test func widthMultiplierHalvesHiddenChannelsButNotTheClassifier() throws {
    let report = try Self.json([Self.path("Examples/seed-resnet.yaml"), "--width-mult", "0.5"])
    // 8 and 16 channels instead of 16 and 32, FC1 256 units; FC2 keeps its 4 outputs.
    let expected =
      (1 * 5 * 1 * 8 + 8) + (5 * 1 * 8 * 8 + 8) + 4 * (3 * 3 * 8 * 8 + 8) + (3 * 3 * 8 * 16 + 16)
      + 5 * (3 * 3 * 16 * 16 + 16) + (4 * 4 * 16 * 256 + 256) + (256 * 4 + 4)
    #expect((report["totals"] as? [String: Any])?["params"] as? Int == expected)
  }

  @Test func widthMultiplierOnAnOnnxFileIsAnError() throws {
    let result = try CommandRunner.run([Self.path("Tests/Fixtures/zoo/lenet5.onnx"), "--width-mult", "0.5"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("--width-mult") && result.stderr.split(separator: "\n").count == 1)
  }

  @Test func unknownDeviceSuggestsTheClosestName() throws {
    let result = try CommandRunner.run([Self.path("Examples/lenet5.yaml"), "--device", "h100sxm"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("did you mean 'h100-sxm'"))
  }

  @Test func compareGivesRatios() throws {
    let result = try CommandRunner.run([
      "compare", Self.path("Examples/lenet5.yaml"), Self.path("Examples/vgg16.yaml"), "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let params = try #require((object["totals"] as? [[String: Any]])?.first { $0["name"] as? String == "params" })
    #expect(params["first"] as? Int == 61_706 && params["second"] as? Int == 138_357_544)
    #expect(abs((params["ratio"] as? Double ?? 0) - 138_357_544.0 / 61_706.0) < 1e-9)
  }

  @Test func devicesListsTheBuiltInProfiles() throws {
    let result = try CommandRunner.run(["devices"])
    #expect(result.status == 0)
    for name in ["h200", "h100-sxm", "a100-80gb", "l4", "t4", "rtx4090", "m3-max-gpu", "rpi5-cpu", "cpu-avx2-8c"] {
      #expect(result.stdout.contains(name), "missing \(name)")
    }
  }

  @Test func opsNamesAModelsUnsupportedOps() throws {
    let optional = try CommandRunner.run([
      "ops", "--unsupported-in",
      Self.path("Tests/Fixtures/onnx-node-tests/models/test_sequence_map_identity_1_sequence/model.onnx"),
    ])
    #expect(optional.status == 0 && optional.stdout == "SequenceMap  1\n")
    let resnet = try CommandRunner.run(["ops", "--unsupported-in", Self.path("Tests/Fixtures/zoo/resnet50.onnx")])
    #expect(resnet.stdout.hasPrefix("every op in"))
  }
}
