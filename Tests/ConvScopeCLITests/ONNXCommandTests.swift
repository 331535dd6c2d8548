import Foundation
import Testing

/// `convscope` on a binary ONNX file: BVLC AlexNet from the onnx package's test data.
@Suite struct ONNXCommandTests {
  static let alexNet = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/onnx-light/light_bvlc_alexnet.onnx").path

  @Test func alexNetThroughEveryFormat() throws {
    for format in ["table", "markdown", "csv", "json"] {
      let result = try CommandRunner.run([Self.alexNet, "--format", format])
      #expect(result.status == 0 && result.stderr.isEmpty, "\(format): \(result.stderr)")
    }
    let json = try CommandRunner.run([Self.alexNet, "--format", "json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect((object["model"] as? [String: Any])?["format"] as? String == "onnx")
    // BVLC AlexNet's published parameter count.
    #expect((object["totals"] as? [String: Any])?["params"] as? Int == 60_965_224)
  }

  @Test func conv1IsMarkedForItsFlooredDivision() throws {
    let result = try CommandRunner.run([Self.alexNet])
    // conv1: 96 filters 11x11, stride 4, no padding on 224: (224-11)/4+1 = 54.25, floored;
    // 96*54*54 * 3*11*11 = 101,616,768 MACs.
    #expect(result.stdout.contains("H: (224-11+0+0)/4+1 = 54.25 → 54 (floor)"))
    #expect(result.stdout.contains("101.62 M"))
    let marked = result.stdout.split(separator: "\n").first { $0.contains("1x96x54x54") } ?? ""
    #expect(marked.contains("n0*"))
  }
}
