import ConvScope
import ConvScopeTestSupport
import Foundation
import Testing

@Suite struct JSONRendererTests {
  @Test func matchesTheGoldenFile() throws {
    let text = try JSONRenderer.render(try SampleReport.report())
    #expect(try GoldenFile.mismatch(text, name: "report.json") == nil)
  }

  /// The contract other programs rely on (docs/json-schema.md): these keys exist with these types.
  @Test func keepsTheDocumentedContract() throws {
    let text = try JSONRenderer.render(try SampleReport.report())
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["schema_version"] as? String == Report.currentSchemaVersion)
    #expect(object["convscope_version"] as? String == ConvScopeVersion.current)
    let model = try #require(object["model"] as? [String: Any])
    #expect(model["name"] as? String == "tiny-convnet")
    #expect(model["layout"] as? String == "HWC")
    let inputs = try #require(object["inputs"] as? [[String: Any]])
    #expect(inputs.first?["shape"] as? [Int] == [1, 1, 57, 57])
    #expect(inputs.first?["display_shape"] as? [Int] == [57, 57, 1])

    let layers = try #require(object["layers"] as? [[String: Any]])
    let conv1 = try #require(layers.first { $0["name"] as? String == "Conv1" })
    #expect(conv1["op"] as? String == "Conv")
    #expect(conv1["inputs"] as? [String] == ["image", "w1", "b1"])
    let outputs = try #require(conv1["outputs"] as? [[String: Any]])
    #expect(outputs.first?["name"] as? String == "c1")
    #expect(outputs.first?["shape"] as? [Int] == [1, 16, 57, 57])
    #expect(conv1["params"] as? Int == 1 * 5 * 1 * 16 + 16)
    #expect(conv1["macs"] as? Int == 57 * 57 * 16 * 1 * 5 * 1)
    #expect(conv1["flops"] as? Int == 2 * 57 * 57 * 16 * 5 + 57 * 57 * 16)
    #expect(conv1["activation_bytes"] as? Int == 57 * 57 * 16 * 4)

    let totals = try #require(object["totals"] as? [String: Any])
    let params = 96 + 5 * 1 * 16 * 16 + 16 + 2 * 2 * 16 * 32 + 32
    #expect(totals["params"] as? Int == params)
    #expect(totals["trainable_params"] as? Int == params)
    #expect(totals["non_trainable_params"] as? Int == 0)
    #expect(totals["weight_bytes"] as? Int == params * 4)
    let macs = 57 * 57 * 16 * 5 + 57 * 57 * 16 * 16 * 5 + 28 * 28 * 32 * 16 * 4
    #expect(totals["macs"] as? Int == macs)
    #expect(totals["flops"] as? Int == 2 * macs + 57 * 57 * 16 * 2 + 28 * 28 * 32)
    #expect(totals["activation_bytes"] as? Int == (57 * 57 * 16 * 2 + 28 * 28 * 32) * 4)
    #expect(totals["partial"] as? Bool == true)
  }

  @Test func roundTripsThroughTheReportType() throws {
    let report = try SampleReport.report()
    let decoded = try JSONDecoder().decode(Report.self, from: Data(try JSONRenderer.render(report).utf8))
    #expect(decoded == report)
  }
}
