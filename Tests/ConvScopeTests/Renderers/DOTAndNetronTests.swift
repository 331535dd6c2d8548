import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

@Suite struct DOTRendererTests {
  @Test func drawsTheDataFlow() throws {
    let dot = DOTRenderer.render(try SampleReport.report())
    #expect(dot.hasPrefix("digraph \"tiny-convnet\" {"))
    #expect(dot.hasSuffix("}\n"))
    // One box per listed layer, labelled with op, output shape and MACs (57*57*16 * 1*5*1).
    #expect(dot.components(separatedBy: "\n  n").count - 1 >= 4)
    #expect(dot.contains("n0 [label=\"Conv1\\nConv · 57x57x16\\nMACs 259.92 K\""))
    #expect(dot.contains("n3 [label=\"Vendor\\nVendor · ?\\nnot analysed\""))
    for edge in ["input0 -> n0;", "n0 -> n1;", "n1 -> n2;", "n2 -> n3;"] {
      #expect(dot.contains(edge), "\(edge)")
    }
    #expect(!dot.contains("ShapeConv"))
  }

  @Test func clustersByModulePath() {
    func row(_ name: String, group: String?) -> LayerRow {
      LayerRow(
        name: name, op: "Conv", inputs: [], inputShapes: [], outputs: [], window: nil, shapeFormulas: [],
        paramFormula: nil, params: 0, nonTrainableParams: 0, weightBytes: 0, cost: .zero, macs: 0, flops: 0,
        activationElements: 0, activationBytes: 0, macsShare: 0, paramsShare: 0, supported: true, folded: false,
        warnings: [], group: group)
    }
    let chains = DOTRenderer.clusterChains([
      row("a", group: "layer1.0.conv1"), row("b", group: "layer1.0.conv2"), row("c", group: "layer1.1.conv1"),
      row("d", group: "layer1.1.conv2"), row("e", group: "fc"), row("f", group: nil),
    ])
    // layer1 holds four, layer1.0 and layer1.1 two each; single-layer modules are no cluster.
    #expect(chains[0] == ["layer1", "layer1.0"])
    #expect(chains[3] == ["layer1", "layer1.1"])
    #expect(chains[4] == [])
    #expect(chains[5] == [])
  }

  @Test func deepModulePathsNestAtMost32Clusters() {
    func row(_ depth: Int) -> LayerRow {
      LayerRow(
        name: "l\(depth)", op: "Relu", inputs: [], inputShapes: [], outputs: [], window: nil, shapeFormulas: [],
        paramFormula: nil, params: 0, nonTrainableParams: 0, weightBytes: 0, cost: .zero, macs: 0, flops: 0,
        activationElements: 0, activationBytes: 0, macsShare: 0, paramsShare: 0, supported: true, folded: false,
        warnings: [], group: Array(repeating: "m", count: depth).joined(separator: "."))
    }
    // Layer k sits k modules deep: the prefix of length j holds 101 - j layers, fewer at each
    // level, so every level but the last would be a cluster (99 nested subgraphs for l100).
    let nested = DOTRenderer.clusterChains((1...100).map(row))
    #expect(nested.last?.count == DOTRenderer.maxClusterDepth)
    // Two layers 50,000 modules deep (joining every prefix once took minutes): one cluster.
    let deep = DOTRenderer.clusterChains([row(50_000), row(50_000)])
    #expect(deep[0] == ["m"])
  }

  @Test func quotesLabels() {
    #expect(DOTRenderer.quote("a\"b\\c\nd") == "\"a\\\"b\\\\c\\nd\"")
  }
}

@Suite struct NetronRendererTests {
  @Test func writesNetronsAttachmentFormat() throws {
    let report = try SampleReport.report()
    let text = try NetronRenderer.render(report)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["signature"] as? String == "netron:attachment")
    let metrics = try #require(object["metrics"] as? [[String: Any]])
    let metadata = try #require(object["metadata"] as? [[String: Any]])
    let names = Set(report.visibleLayers.map(\.name))
    for entry in metrics + metadata {
      #expect(entry["kind"] as? String == "node")
      #expect(names.contains(entry["target"] as? String ?? ""))
    }
    func metric(_ target: String, _ name: String) -> Any? {
      metrics.first { $0["target"] as? String == target && $0["name"] as? String == name }?["value"]
    }
    #expect(metric("Conv1", "macs") as? Int == 57 * 57 * 16 * 1 * 5 * 1)
    #expect(metric("Conv1", "parameters") as? Int == 1 * 5 * 1 * 16 + 16)
    #expect(metric("Conv1", "output_bytes") as? Int == 57 * 57 * 16 * 4)
    #expect(metric("Conv2", "receptive_field") as? String == "5x5")
    // FLOPs: 2*MACs plus one bias add per output, 2*259,920 + 57*57*16.
    #expect(metric("Conv1", "flops") as? Int == 2 * 259_920 + 57 * 57 * 16)
    // The unsupported node has no metrics, only a note.
    #expect(metric("Vendor", "macs") == nil)
    #expect(metadata.contains { $0["target"] as? String == "Vendor" && $0["name"] as? String == "convscope.note" })
  }
}
