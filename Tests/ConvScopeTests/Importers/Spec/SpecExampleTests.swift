import ConvScope
import Foundation
import Testing

/// The Examples/ specs analysed end to end, against hand derivations written here.
/// These need the op rules for Conv, MaxPool, Flatten, Gemm, Relu, Softmax,
/// BatchNormalization, Add, Identity, Concat, GlobalAveragePool and Dropout.
@Suite("Spec examples: shapes, params and MACs")
struct SpecExampleTests {
  static func report(_ example: String) throws -> Report {
    let (graph, format) = try ModelLoader.standard.load(path: Fixtures.example(example).path)
    return try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: example, format: format))
  }

  static func row(_ report: Report, _ name: String) throws -> LayerRow {
    try #require(report.layers.first { $0.name == name }, "no row \(name)")
  }

  /// MACs of the convolutions and fully connected layers (no bias adds).
  static func convAndGemmMACs(_ report: Report) -> Int {
    report.byOpType.filter { ["Conv", "Gemm"].contains($0.op) }.map(\.macs).reduce(0, +)
  }

  /// The seed article's table (seed/NOTES.md): every layer's output (H x W x C) and params,
  /// with the article's slips corrected (Conv2 reads 16 channels, Conv8..12 read 32).
  static let seedTable: [(layer: String, output: Shape, params: Int)] = [
    ("Conv1", [57, 57, 16], 1 * 5 * 1 * 16 + 16),
    ("Conv2", [57, 57, 16], 5 * 1 * 16 * 16 + 16),
    ("MaxPool1", [29, 29, 16], 0),
    ("Conv3", [29, 29, 16], 3 * 3 * 16 * 16 + 16),
    ("Conv4", [29, 29, 16], 3 * 3 * 16 * 16 + 16),
    ("Conv5", [29, 29, 16], 3 * 3 * 16 * 16 + 16),
    ("Conv6", [29, 29, 16], 3 * 3 * 16 * 16 + 16),
    ("MaxPool2", [15, 15, 16], 0),
    ("Conv7", [15, 15, 32], 3 * 3 * 16 * 32 + 32),
    ("Conv8", [15, 15, 32], 3 * 3 * 32 * 32 + 32),
    ("MaxPool3", [8, 8, 32], 0),
    ("Conv9", [8, 8, 32], 3 * 3 * 32 * 32 + 32),
    ("Conv10", [8, 8, 32], 3 * 3 * 32 * 32 + 32),
    ("Conv11", [8, 8, 32], 3 * 3 * 32 * 32 + 32),
    ("Conv12", [8, 8, 32], 3 * 3 * 32 * 32 + 32),
    ("MaxPool4", [4, 4, 32], 0),
    ("FC1", [512], 4 * 4 * 32 * 512 + 512),
    ("FC2", [4], 512 * 4 + 4),
  ]

  @Test func seedResNetMatchesTheArticleTable() throws {
    let report = try Self.report("seed-resnet.yaml")
    for (layer, output, params) in Self.seedTable {
      let row = try Self.row(report, layer)
      #expect(row.outputs.first?.displayShape == output, "\(layer) output")
      #expect(row.params == params, "\(layer) params")
    }
    #expect(report.totals.params == 326_260)
    #expect(report.totals.partial == false)
    // The table's own sum of its params column (corrected): 96 + 1296 + 4*2320 + 4640 + 5*9248 + 262656 + 2052.
    #expect(report.totals.params == 96 + 1296 + 4 * 2320 + 4640 + 5 * 9248 + 262_656 + 2052)
    // The article's slips are footnotes: Conv2's formula, and the 4640 printed for Conv8..Conv12.
    #expect(report.notes.contains { $0.hasPrefix("Conv2: the article prints 5*1*1*16+16 = 96") })
    let slips = (8...12).map { "Conv\($0): the article prints 3*3*32*32+32 = 4640; that formula gives 9248" }
    #expect(slips.allSatisfy(report.notes.contains))
  }

  @Test func seedResNetMACs() throws {
    // Time ~ H_out*W_out*Cout * Kh*Kw*Cin per conv (the article's formula), plus K*N per FC.
    let conv =
      57 * 57 * 16 * (1 * 5 * 1) + 57 * 57 * 16 * (5 * 1 * 16)
      + 4 * (29 * 29 * 16 * (3 * 3 * 16))
      + 15 * 15 * 32 * (3 * 3 * 16) + 15 * 15 * 32 * (3 * 3 * 32)
      + 4 * (8 * 8 * 32 * (3 * 3 * 32))
    let fc = 512 * 512 + 512 * 4
    #expect(Self.convAndGemmMACs(try Self.report("seed-resnet.yaml")) == conv + fc)
  }

  @Test func lenet5() throws {
    let report = try Self.report("lenet5.yaml")
    #expect(report.totals.params == 61_706)
    let expected: [(String, Shape, Int)] = [
      ("C1", [28, 28, 6], 5 * 5 * 1 * 6 + 6), ("S2", [14, 14, 6], 0),
      ("C3", [10, 10, 16], 5 * 5 * 6 * 16 + 16), ("S4", [5, 5, 16], 0),
      ("F5", [120], 400 * 120 + 120), ("F6", [84], 120 * 84 + 84), ("Output", [10], 84 * 10 + 10),
    ]
    for (layer, output, params) in expected {
      let row = try Self.row(report, layer)
      #expect(row.outputs.first?.displayShape == output, "\(layer) output")
      #expect(row.params == params, "\(layer) params")
    }
    #expect(Self.convAndGemmMACs(report) == 28 * 28 * 6 * 25 + 10 * 10 * 16 * (25 * 6) + 400 * 120 + 120 * 84 + 84 * 10)
  }

  @Test func vgg16() throws {
    let report = try Self.report("vgg16.yaml")
    // torchvision VGG-16 (configuration D): 138,357,544 parameters.
    #expect(report.totals.params == 138_357_544)
    // 13 convs at 224, 112, 56, 28, 14 (3x3, padding 1) + FC 25088→4096→4096→1000, no bias:
    // the zoo summary's onnx_core_macs for torchvision's vgg16.
    #expect(Self.convAndGemmMACs(report) == 15_470_264_320)
    #expect(try Self.row(report, "pool5").outputs.first?.shape == [1, 512, 7, 7])
    #expect(try Self.row(report, "fc8").outputs.first?.shape == [1, 1000])
  }

  @Test func residualBlock() throws {
    let report = try Self.report("residual-block.yaml")
    // stem 3*3*3*16; BN scale+bias 2*16 per BN (5 BNs); per block 2 convs 3*3*16*16;
    // branch_a 1*1*16*8+8; branch_b 3*3*16*8+8; classifier 16*10+10.
    let params =
      3 * 3 * 3 * 16 + 5 * (2 * 16) + 2 * (2 * 3 * 3 * 16 * 16) + (16 * 8 + 8) + (3 * 3 * 16 * 8 + 8) + (16 * 10 + 10)
    #expect(report.totals.params == params)
    #expect(report.totals.nonTrainableParams == 5 * (2 * 16))  // running mean and variance
    #expect(try Self.row(report, "join").outputs.first?.shape == [1, 16, 32, 32])
    #expect(try Self.row(report, "block2_add").outputs.first?.shape == [1, 16, 32, 32])
    #expect(try Self.row(report, "pool").outputs.first?.shape == [1, 16, 1, 1])
  }

  @Test func mobileNetV1() throws {
    let report = try Self.report("mobilenet-v1.yaml")
    // (filters, stride) of the 13 depthwise-separable blocks.
    let blocks =
      [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + Array(repeating: (512, 1), count: 5)
      + [(1024, 2), (1024, 1)]
    var channels = 32
    var size = 112  // after the stride-2 stem (same padding: ceil(224/2))
    var params = 3 * 3 * 3 * 32 + 2 * 32
    var statistics = 2 * 32
    var macs = 112 * 112 * 32 * (3 * 3 * 3)
    for (filters, stride) in blocks {
      size = (size + stride - 1) / stride
      params += 3 * 3 * channels + 2 * channels + channels * filters + 2 * filters
      statistics += 2 * channels + 2 * filters
      macs += size * size * channels * (3 * 3) + size * size * filters * channels
      channels = filters
    }
    params += 1024 * 1000 + 1000
    macs += 1024 * 1000
    // Keras' model.summary() for MobileNet(alpha=1.0): 4,231,976 trainable, 21,888 non-trainable.
    #expect(params == 4_231_976 && statistics == 21_888)
    #expect(report.totals.params == params)
    #expect(report.totals.nonTrainableParams == statistics)
    #expect(Self.convAndGemmMACs(report) == macs)
    #expect(try Self.row(report, "pw_bn_5").outputs.first?.displayShape == [14, 14, 512])
    #expect(try Self.row(report, "pool").outputs.first?.displayShape == [1, 1, 1024])
  }
}
