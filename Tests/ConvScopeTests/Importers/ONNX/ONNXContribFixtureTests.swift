import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeReport

/// Quantised models and ONNX Runtime contrib ops end to end, on files ONNX Runtime's own tools
/// wrote (`Tests/Fixtures/onnx-contrib/`, made by `Scripts/make_onnx_contrib_fixtures.py`):
/// every tensor's dims against what onnxruntime observed running the model before its weights
/// were stripped, the parameters against the torch model's, the MACs from the observed dims.
/// `contrib_nodes` holds one node of each contrib op the CPU build runs (not BiasAdd, NhwcConv).
@Suite struct ONNXContribFixtureTests {
  struct Reference: Decodable {
    var tensors: [String: [Int]]
    /// The torch model's parameter count (`nil` for `contrib_nodes`, built node by node).
    var torchParams: Int?
    var ops: [String]
  }

  /// Models exported from torch and rewritten by ONNX Runtime's tools.
  static let exported = ["qdq_cnn", "qoperator_cnn", "dynamic_lstm", "bert_tiny_optimized", "matmulnbits_mlp"]
  /// The exports and `contrib_nodes`, one node of each contrib op the CPU onnxruntime runs.
  static let models = exported + ["contrib_nodes"]

  static func load(_ name: String) throws -> (reference: Reference, report: Report) {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let reference = try decoder.decode(Reference.self, from: Fixtures.data("onnx-contrib/\(name).shapes.json"))
    let path = Fixtures.url("onnx-contrib/\(name).onnx").path
    let model = try ONNXImporter().decodeModel(
      from: Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped), fileName: path)
    return (reference, try Analyzer.analyze(model.graph, options: AnalysisOptions(sourceName: path, format: .onnx)))
  }

  @Test(arguments: models)
  func everyTensorHasTheDimsOnnxRuntimeObserved(name: String) throws {
    let (reference, report) = try Self.load(name)
    #expect(report.unsupported.isEmpty, "\(report.unsupported)")
    #expect(report.layers.filter { !$0.supported }.isEmpty)
    let shapes = ONNXZooAnalysisTests.shapes(in: report)
    for (tensor, dims) in reference.tensors.sorted(by: { $0.key < $1.key }) {
      #expect(shapes[tensor] == Shape(dims), "\(name): \(tensor)")
    }
  }

  /// Quantisers and fusions store each learned tensor once (int8 weights, int32 biases, packed
  /// 4-bit weights, merged QKV weights), so the stored weight elements are the torch model's
  /// parameters; scales and zero points are not parameters.
  @Test(arguments: exported)
  func paramsAreTheTorchModelsParameters(name: String) throws {
    let (reference, report) = try Self.load(name)
    #expect(report.totals.params == reference.torchParams)
  }

  /// The stored weights of `contrib_nodes`, node by node: merged QKV weight and bias, norm
  /// gammas and betas (biases), embedding tables, GELU biases, conv and matrix weights (int8 at
  /// one byte each) with their biases. Not parameters: RotaryEmbedding's cos/sin tables,
  /// GroupQueryAttention's lengths, every scale and zero point.
  @Test func contribNodesCountTheirStoredWeights() throws {
    let (_, report) = try Self.load("contrib_nodes")
    let expected: [String: Int] = [
      "Attention": 32 * 96 + 96, "SkipLayerNormalization": 3 * 32, "SkipSimplifiedLayerNormalization": 32,
      "SimplifiedLayerNormalization": 16, "EmbedLayerNormalization": 100 * 32 + 64 * 32 + 2 * 32 + 32 + 32,
      "BiasGelu": 10, "FastGelu": 10, "FusedConv": 4 * 3 * 3 * 3 + 4, "DynamicQuantizeMatMul": 16 * 8 + 8,
      "QGemm": 10 * 16 + 10, "QLinearConv": 4 * 3 * 3 * 3,
    ]
    for row in report.layers {
      #expect(row.params == expected[row.op] ?? 0, "\(row.op)")
    }
    #expect(report.totals.params == expected.values.reduce(0, +))
  }

  @Test func theFixturesUseTheContribOpsTheyStandFor() throws {
    let ops = try Self.models.flatMap { try Self.load($0).reference.ops }
    for op in [
      "com.microsoft:QGemm", "com.microsoft:QLinearAdd", "com.microsoft:QLinearGlobalAveragePool",
      "ai.onnx:QLinearConv", "com.microsoft:DynamicQuantizeLSTM", "ai.onnx:MatMulInteger",
      "com.microsoft:Attention", "com.microsoft:SkipLayerNormalization", "com.microsoft:BiasGelu",
      "com.microsoft:MatMulNBits", "ai.onnx:DequantizeLinear", "ai.onnx:DynamicQuantizeLinear",
      "com.microsoft:MultiHeadAttention", "com.microsoft:GroupQueryAttention", "com.microsoft:RotaryEmbedding",
      "com.microsoft:SkipSimplifiedLayerNormalization", "ai.onnx:SimplifiedLayerNormalization",
      "com.microsoft:EmbedLayerNormalization", "com.microsoft:Gelu", "com.microsoft:FastGelu",
      "com.microsoft:QuickGelu", "com.microsoft:FusedConv", "com.microsoft:FusedMatMul",
      "com.microsoft:DynamicQuantizeMatMul", "com.microsoft:QLinearMul", "com.microsoft:QLinearSigmoid",
      "com.microsoft:QLinearLeakyRelu", "com.microsoft:QLinearConcat", "com.microsoft:QLinearAveragePool",
      "com.microsoft:QLinearConv",
    ] {
      #expect(ops.contains(op), "\(op)")
    }
  }

  /// MACs of the matrix products, from the dims onnxruntime observed: `numel(Y) * K` per product.
  @Test func macsAreTheMatrixProductsOfTheObservedDims() throws {
    func elements(_ reference: Reference, _ tensor: String) -> Int { reference.tensors[tensor]?.reduce(1, *) ?? -1 }

    for name in ["qdq_cnn", "qoperator_cnn"] {
      let (reference, report) = try Self.load(name)
      // conv1 16x3x3x3 and conv2 16x16x3x3 give [1, 16, 8, 8]; fc 16 → 10.
      let conv = name == "qdq_cnn" ? "/Relu_output_0" : "/conv1/Conv_output_0_quantized"
      let conv2 = name == "qdq_cnn" ? "/Relu_1_output_0" : "/conv2/Conv_output_0_quantized"
      let expected = elements(reference, conv) * 3 * 9 + elements(reference, conv2) * 16 * 9 + 10 * 16
      #expect(report.totals.macs == expected, "\(name)")
    }
    do {
      let (reference, report) = try Self.load("matmulnbits_mlp")
      let expected =
        elements(reference, "/up/MatMul_output_0") * 64 + elements(reference, "/down/MatMul_output_0") * 128
      #expect(report.totals.macs == expected)
    }
    do {
      // LSTM: each of Y's [S, D, B, H] positions takes 4 gates of I + H products; then fc 16 → 4.
      let (reference, report) = try Self.load("dynamic_lstm")
      let expected = elements(reference, "/lstm/LSTM_output_0") * 4 * (8 + 16) + elements(reference, "97") * 16
      #expect(report.totals.macs == expected)
    }
    do {
      // Per layer [1, 16, 32] tokens: QKV projection 32 → 96, scores and context
      // 2 heads * 16 * 16 * (16 + 16), output 32 → 32, intermediate 32 → 64, output 64 → 32;
      // then the pooler 32 → 32 on one token.
      let (reference, report) = try Self.load("bert_tiny_optimized")
      let tokens = elements(reference, "input_ids")
      let attention = 2 * tokens * 16 * (16 + 16)
      let layer = tokens * (32 * 96 + 32 * 32 + 32 * 64 + 64 * 32) + attention
      #expect(report.totals.macs == 2 * layer + 32 * 32)
    }
    do {
      // contrib_nodes, per node: numel(Y) * K, and attention B*heads*S*T*(dh+dv).
      let (reference, report) = try Self.load("contrib_nodes")
      let expected: [String: Int] = [
        "Attention": elements(reference, "att_y") * 3 * 32 + 2 * 2 * 16 * 16 * (16 + 16),
        "MultiHeadAttention": 2 * 4 * 10 * 12 * (16 + 16),
        "GroupQueryAttention": 1 * 4 * 4 * (reference.tensors["gqa_present_key"]?[2] ?? 0) * (16 + 16),
        "FusedConv": elements(reference, "fconv_y") * 3 * 3 * 3,
        "QLinearConv": elements(reference, "qconv_y") * 3 * 3 * 3,
        "FusedMatMul": elements(reference, "fmm_y") * 3, "DynamicQuantizeMatMul": elements(reference, "dqmm_y") * 16,
        "QGemm": elements(reference, "qgemm_y") * 16,
      ]
      for row in report.layers {
        #expect(row.macs == expected[row.op] ?? 0, "\(row.op)")
      }
    }
  }
}
