import ConvScope
import Testing

@Suite struct AnalysisModeTests {
  static func example(_ name: String) throws -> Graph {
    try ModelLoader.standard.load(path: Fixtures.example(name).path).graph
  }

  @Test func fusedModeFoldsEachBatchNormIntoItsConv() throws {
    let graph = try Self.example("mobilenet-v1.yaml")
    let stored = try Analyzer.analyze(graph)
    let (fused, count) = BatchNormFolding.fold(graph)
    let deployed = try Analyzer.analyze(fused)
    let batchNorms = graph.nodes.filter { $0.opType == "BatchNormalization" }.count
    #expect(count == batchNorms)
    #expect(!fused.nodes.contains { $0.opType == "BatchNormalization" })
    // Each BatchNorm's 2C params and 2C statistics become a C bias on a conv that had none:
    // the statistics are C_total = 21,888 / 2 channels in all.
    let channels = stored.totals.nonTrainableParams / 2
    #expect(deployed.totals.params == stored.totals.params - 2 * channels + channels)
    #expect(deployed.totals.nonTrainableParams == 0)
    #expect(deployed.totals.macs == stored.totals.macs)
  }

  @Test func batchNormWhoseConvFeedsAnotherNodeStays() throws {
    var b = GraphBuilder(input: [1, 3, 8, 8])
    let conv = b.add("Conv", "conv", weights: [[4, 3, 3, 3]], attributes: ["pads": .ints([1, 1, 1, 1])])
    let norm = b.add("BatchNormalization", "bn", weights: [[4], [4], [4], [4]])
    b.add("Add", "sum", inputs: [conv, norm])
    b.output()
    #expect(BatchNormFolding.fold(b.graph).folded == 0)
  }

  @Test func trainingStepIsThreeForwardsLessTheFirstInputGradient() throws {
    let inference = try Analyzer.analyze(try Self.example("lenet5.yaml"))
    let training = try TrainingCost.apply(to: inference)
    let firstConv = try #require(inference.layers.first { $0.op == "Conv" })
    #expect(firstConv.macs == 28 * 28 * 6 * (5 * 5 * 1))
    // Conv/Gemm: forward + dW + dX (no dX for the conv that reads the image); others: forward + 1 gradient op each.
    #expect(training.totals.macs == 3 * inference.totals.macs - firstConv.macs)
    let relu = try #require(inference.layers.first { $0.op == "Relu" })
    let reluTrained = try #require(training.layers.first { $0.name == relu.name })
    #expect(reluTrained.cost.compares == 2 * relu.cost.compares)
    #expect(training.mode == .training)
  }

  @Test func recurrentLayersBackpropagateThroughTimeEvenFromTheModelInput() throws {
    // test_lstm_defaults: the LSTM reads the model input X, yet every step needs the gradient
    // of the previous hidden state and the weight gradients: forward + 2 x forward.
    let path = Fixtures.url("onnx-node-tests/models/test_lstm_defaults/model.onnx").path
    let inference = try Analyzer.analyze(try ModelLoader.standard.load(path: path).graph)
    let training = try TrainingCost.apply(to: inference)
    #expect(inference.totals.macs == 180)
    #expect(training.totals.macs == 3 * 180)
  }
}
