import ConvScope
import Foundation
import Testing

@testable import ConvScopeImporters

/// The stage balance: layers grouped by the feature-map resolution they work at
/// (`StageBalance`), checked against the resolutions the architectures' papers give.
@Suite struct StageBalanceTests {
  static func analyze(_ fixture: String) throws -> Report {
    try Analyzer.analyze(try ModelLoader.standard.load(path: Fixtures.url(fixture).path).graph)
  }

  /// Every counted layer is in exactly one stage, so the stages add up to the model.
  static func expectStagesCoverTheModel(_ report: Report) {
    let counted = report.layers.filter { !$0.folded && $0.supported }
    #expect(report.stages.map(\.layers).reduce(0, +) == counted.count)
    #expect(report.stages.map(\.macs).reduce(0, +) == report.totals.macs)
    #expect(report.stages.map(\.params).reduce(0, +) == report.totals.params)
  }

  /// ResNet-50 (He et al. 2015, table 1): conv1 at 112x112 with 64 channels, then conv2_x to
  /// conv5_x at 56, 28, 14 and 7 with 256, 512, 1,024 and 2,048 output channels; the global
  /// pool, the flatten and the classifier are the head.
  @Test func resNet50HasThePapersFiveResolutionsThenTheHead() throws {
    let report = try Self.analyze("caffe/resnet50.prototxt")
    #expect(report.stages.map(\.resolution) == ["112x112", "56x56", "28x28", "14x14", "7x7", "head"])
    #expect(report.stages.map(\.channels) == [64, 256, 512, 1024, 2048, 0])
    Self.expectStagesCoverTheModel(report)
    // Training triples the costs but not the grouping: the same stages, their layers unchanged.
    let training = try TrainingCost.apply(to: report)
    #expect(training.stages.map(\.resolution) == report.stages.map(\.resolution))
    #expect(training.stages.map(\.layers) == report.stages.map(\.layers))
    Self.expectStagesCoverTheModel(training)
  }

  /// EfficientNet-B0 (Tan and Le 2019, table 1) works at 112, 56, 28, 14 and 7; the pooled
  /// `[N, C, 1, 1]` of each squeeze-and-excitation block stays in its block's stage (it split
  /// every stage in two when stages followed each output's size).
  @Test func squeezeAndExcitationStaysInItsStage() throws {
    let report = try Self.analyze("keras-applications/EfficientNetB0.keras")
    #expect(report.stages.map(\.resolution) == ["112x112", "56x56", "28x28", "14x14", "7x7", "head"])
    #expect(report.stages.last { $0.resolution != "head" }?.channels == 1280)  // the 1x1 top conv
    Self.expectStagesCoverTheModel(report)
  }

  /// A vision transformer has one feature map, the patch embedding's 14x14 (224 / 16); its
  /// attention tensors (`[1, 12, 197, 64]`, of a conv output's rank) are tokens, not maps.
  @Test func aVisionTransformerHasThePatchGridThenTheHead() throws {
    let report = try Self.analyze("transformer-conventions/vit_b_16.onnx")
    #expect(report.stages.map(\.resolution) == ["14x14", "head"])
    #expect(report.stages.first?.layers == 1)
    #expect(report.stages.first?.channels == 768)
    Self.expectStagesCoverTheModel(report)
  }

  /// BERT has no convolution or pool: no stages, and the table has no stage section.
  @Test func aLanguageModelHasNoStages() throws {
    let report = try Self.analyze("corpus/bert_base.onnx")
    #expect(report.stages.isEmpty)
    #expect(!TableRenderer.render(report, options: RenderOptions(color: false)).contains("By stage"))
    #expect(!MarkdownRenderer.render(report).contains("By stage"))
    #expect(!HTMLRenderer.render(report).contains("fig-stages"))
  }

  /// A resolution change by an op without a window (a depth-to-space upsampling) is not a map:
  /// it stays in the stage it reads from, and the conv after it starts the 32x32 stage. A
  /// channels-last permute (`[1, 32, 32, 8]`) and the permute back, between two convs, stay in
  /// that stage; the pool to `[1, 8, 1, 1]` after the last map starts the head.
  @Test func mapsAreFollowedFromWindowedLayers() throws {
    var b = GraphBuilder(input: [1, 3, 16, 16])
    b.conv("stem", channels: 3, filters: 32, kernel: 3, pad: 1)
    b.add("DepthToSpace", "upsample", attributes: ["blocksize": .int(2)])  // [1, 8, 32, 32]
    b.conv("refine", channels: 8, filters: 8, kernel: 3, pad: 1)
    b.add("Transpose", "to_last", attributes: ["perm": .ints([0, 2, 3, 1])])
    b.add("Transpose", "to_first", attributes: ["perm": .ints([0, 3, 1, 2])])
    b.conv("fuse", channels: 8, filters: 8, kernel: 1)
    b.add("GlobalAveragePool", "pool")
    b.add("Flatten", "flatten")
    b.add("Gemm", "fc", weights: [[10, 8], [10]], attributes: ["transB": .int(1)])
    b.output()
    let report = try Analyzer.analyze(b.graph)
    #expect(report.stages.map(\.resolution) == ["16x16", "32x32", "head"])
    #expect(report.stages.map(\.layers) == [2, 4, 3])
    #expect(report.stages.map(\.channels) == [32, 8, 0])
    Self.expectStagesCoverTheModel(report)
  }
}
