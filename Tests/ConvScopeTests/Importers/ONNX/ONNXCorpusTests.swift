import Foundation
import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis

/// The real-model corpus (`Tests/Fixtures/corpus`, made by `Scripts/onnx-corpus`): every
/// value onnxruntime observed has the shape ConvScope infers, parameters are the stored
/// tensors by the documented rule, and matrix-product MACs follow the observed shapes.
@Suite struct ONNXCorpusTests {
  struct Reference: Decodable {
    var storedParams: Int
    var matmulGemmMacs: Int

    enum CodingKeys: String, CodingKey {
      case storedParams = "stored_params"
      case matmulGemmMacs = "matmul_gemm_macs"
    }
  }

  static let models = [
    "lstm_tagger", "gru_classifier", "rnn_tanh", "if_branches", "loop_three", "local_functions", "bert_base", "gpt2",
  ]

  static func analyze(_ name: String) throws -> (report: Report, reference: Reference, shapes: [String: [Int]]) {
    let reference = try JSONDecoder().decode(Reference.self, from: Fixtures.data("corpus/\(name).ref.json"))
    let shapes = try JSONDecoder().decode([String: [Int]].self, from: Fixtures.data("corpus/\(name).shapes.json"))
    let report = try Pipeline.report(for: AnalysisRequest(model: .file(Fixtures.url("corpus/\(name).onnx").path)))
    return (report, reference, shapes)
  }

  @Test(arguments: models)
  func everyObservedShapeIsInferredAndParamsAreTheStoredTensors(name: String) throws {
    let (report, reference, observed) = try Self.analyze(name)
    var produced: [String: Shape] = [:]
    for row in report.layers where row.supported {
      for output in row.outputs { produced[output.name] = output.shape }
    }
    var missing: [String] = []
    for (value, dims) in observed.sorted(by: { $0.key < $1.key }) {
      guard let shape = produced[value] else {
        missing.append(value)
        continue
      }
      #expect(shape == Shape(dims), "\(name): \(value)")
    }
    #expect(missing.isEmpty, "\(name): \(missing.count) observed values not inferred: \(missing.prefix(5))")
    #expect(report.unsupported.isEmpty, "\(name)")
    #expect(report.totals.params == reference.storedParams, "\(name)")
    #expect(report.totals.nonTrainableParams == 0, "\(name)")
  }

  /// MatMul and Gemm MACs at the top level equal `numel(Y) * K` from onnxruntime's shapes.
  @Test(arguments: ["bert_base", "gpt2", "local_functions", "if_branches"])
  func matrixProductMACsFollowTheObservedShapes(name: String) throws {
    let (report, reference, _) = try Self.analyze(name)
    let products = report.layers.filter { row in
      !row.name.contains("/then_branch/") && !row.name.contains("/else_branch/")
        && { if case .matrixProduct = row.facts.family { true } else { row.facts.family == .linear } }()
    }
    #expect(products.reduce(0) { $0 + $1.macs } == reference.matmulGemmMacs, "\(name)")
  }

  /// Recurrent layers: `G*H*(I+H)` MACs per step, direction and batch item (the ONNX LSTM,
  /// GRU and RNN equations), plus the Linear heads, at the shapes the corpus script fed.
  @Test func recurrentMACsFollowTheEquations() throws {
    func macs(gates: Int, steps: Int, batch: Int, directions: Int, input: Int, hidden: Int) -> Int {
      steps * batch * directions * gates * hidden * (input + hidden)
    }
    // Embedding 100x32, LSTM(32, 48, 2 layers, bidirectional, batch_first) on ids [2, 7], Linear 96→20.
    let tagger = try Self.analyze("lstm_tagger").report
    #expect(
      tagger.totals.macs
        == macs(gates: 4, steps: 7, batch: 2, directions: 2, input: 32, hidden: 48)
        + macs(gates: 4, steps: 7, batch: 2, directions: 2, input: 96, hidden: 48) + 2 * 7 * 96 * 20)
    // GRU(40, 64) on x [10, 3, 40], then Linear 64→2 on the last state [3, 64].
    let gru = try Self.analyze("gru_classifier").report
    #expect(gru.totals.macs == macs(gates: 3, steps: 10, batch: 3, directions: 1, input: 40, hidden: 64) + 3 * 64 * 2)
    // RNN(16, 24) on x [5, 2, 16].
    let rnn = try Self.analyze("rnn_tanh").report
    #expect(rnn.totals.macs == macs(gates: 1, steps: 5, batch: 2, directions: 1, input: 16, hidden: 24))
  }
}
