import ConvScope
import Testing

@Suite struct ModuleDepthTests {
  @Test func resnet18AtDepthOneHasTorchinfosTopLevelModules() throws {
    let report = try ZooPassTests.report("resnet18")
    let collapsed = try ModuleDepth.collapse(report, depth: 1)
    let names = collapsed.layers.filter { !$0.folded }.map(\.name)
    // torchinfo's depth-1 rows (zoo/resnet18.layers.csv) less bn1, which the exporter folded into conv1;
    // the flatten is a functional call and keeps its node name.
    #expect(names == ["conv1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "/Flatten", "fc"])
    let layer1 = try #require(collapsed.layers.first { $0.name == "layer1" })
    #expect(layer1.macs == 4 * (56 * 56 * 64) * (3 * 3 * 64))  // four 3x3 64->64 convs on 56x56
    #expect(layer1.outputs.first?.shape == [1, 64, 56, 56])
    #expect(collapsed.layers.map(\.macs).reduce(0, +) == report.totals.macs)
    #expect(collapsed.layers.map(\.params).reduce(0, +) == report.totals.params)
  }

  @Test func depthTwoSplitsBlocks() throws {
    let collapsed = try ModuleDepth.collapse(try ZooPassTests.report("resnet18"), depth: 2)
    let blocks = collapsed.layers.map(\.name).filter { $0.hasPrefix("layer1") }
    #expect(blocks == ["layer1.0", "layer1.1"])
  }
}
