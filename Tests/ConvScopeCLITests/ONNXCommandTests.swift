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
    let result = try CommandRunner.run([Self.alexNet], environment: ["COLUMNS": "100"])
    // conv1: 96 filters 11x11, stride 4, no padding on 224: (224-11)/4+1 = 54.25, floored;
    // 96*54*54 * 3*11*11 = 101,616,768 MACs.
    #expect(result.stdout.contains("H: (224-11+0+0)/4+1 = 54.25 → 54 (floor)"))
    #expect(result.stdout.contains("101.62 M"))
    let marked = result.stdout.split(separator: "\n").first { $0.contains("1x96x54x54") } ?? ""
    #expect(marked.contains("n0*"))
  }

  static let dynamicDims = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/onnx-hand/dynamic_dims.onnx").path

  @Test func theHintForAnOpenDimPastesBack() throws {
    let refused = try CommandRunner.run([Self.dynamicDims])
    #expect(refused.status == 1)
    let hint = try #require(refused.stderr.split(separator: "--input-shape ").last).trimmingCharacters(in: .newlines)
    #expect(hint == "images.1=1x3ximages_1_dim2ximages_1_dim3")
    // Pasted back as printed, it is read as a shape: the error is the same open dim, not a parse error.
    let verbatim = try CommandRunner.run([Self.dynamicDims, "--input-shape", hint])
    #expect(verbatim.status == 1 && verbatim.stderr == refused.stderr)
    // With a size for each name, as the hint asks, the model is analysed: 16-3+1 = 14, 20-3+1 = 18.
    let sized = hint.replacingOccurrences(of: "images_1_dim2", with: "16")
      .replacingOccurrences(of: "images_1_dim3", with: "20")
    let result = try CommandRunner.run([Self.dynamicDims, "--input-shape", sized])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1x4x14x18"))
  }
}
