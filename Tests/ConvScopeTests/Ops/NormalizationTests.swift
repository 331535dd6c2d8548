import ConvScope
import Testing

/// Hand derivations of the counts documented in `NormalizationCost` and each rule: for a centred
/// norm over groups of S values, per element 1 add (x - mean), 1 multiply (square), 1 multiply
/// (by the inverse std), then 1 multiply for a scale and 1 add for a bias; per group 2*(S-1) adds
/// (sum of x, sum of squared deviations) + 1 add (epsilon), 3 divides (mean, variance,
/// reciprocal) and 1 sqrt (`others`).
@Suite struct NormalizationTests {
  @Test func batchNormAtInferenceIsOneMultiplyAddPerElement() throws {
    // ONNX batchnorm_example: X 2x3x4x5, 120 elements, 3 channels. Per channel a = scale/sqrt(var+eps)
    // (1 add, 1 sqrt, 1 divide) and b = B - mean*a (1 multiply, 1 add); per element x*a + b.
    let out = try OpTesting.infer("BatchNormalization", [[2, 3, 4, 5], [3], [3], [3], [3]])
    #expect(out.outputs[0].shape == [2, 3, 4, 5])
    #expect(out.cost == Cost(adds: 120 + 2 * 3, multiplies: 120 + 3, divides: 3, others: 3))
    #expect(out.inputRoles == [1: .weight, 2: .bias, 3: .statistic, 4: .statistic])
    #expect(out.paramFormula == "3+3 = 6")
  }

  @Test func batchNormTrainingComputesBatchStatistics() throws {
    // ONNX batchnorm_example_training_mode: 3 groups (channels) of 2*4*5 = 40.
    // Statistics as a centred, scaled, shifted norm, then the running mean and var updates
    // r*momentum + s*(1-momentum): 2 multiplies and 1 add each, per channel.
    let out = try OpTesting.infer(
      "BatchNormalization", [[2, 3, 4, 5], [3], [3], [3], [3]], ["training_mode": .int(1)], opset: 15)
    #expect(out.outputs.map(\.shape) == [[2, 3, 4, 5], [3], [3]])
    let elements = 120
    let groups = 3
    #expect(
      out.cost
        == Cost(
          adds: 2 * elements + groups * (2 * (40 - 1) + 1) + 2 * groups, multiplies: 3 * elements + 4 * groups,
          divides: 3 * groups, others: groups))
  }

  @Test func batchNormScaleAndBiasAreParamsAndStatisticsAreNot() throws {
    let c = 4
    let graph = Graph(
      name: "bn", inputs: [TensorInfo(name: "x", shape: [1, 4, 8, 8])], outputs: [TensorInfo(name: "y", shape: [])],
      nodes: [
        Node(name: "bn", opType: "BatchNormalization", inputs: ["x", "scale", "b", "mean", "var"], outputs: ["y"])
      ],
      initializers: [
        "scale": ConstantTensor(dataType: .float32, dims: [c]), "b": ConstantTensor(dataType: .float32, dims: [c]),
        "mean": ConstantTensor(dataType: .float32, dims: [c]), "var": ConstantTensor(dataType: .float32, dims: [c]),
      ])
    let report = try Analyzer.analyze(graph)
    #expect(report.totals.params == c + c)  // scale + B
    #expect(report.totals.nonTrainableParams == c + c)  // running mean + var
    #expect(report.totals.weightBytes == 4 * c * 4)  // four float32 vectors
    #expect(report.layers[0].paramFormula == "4+4 = 8")
    #expect(report.totals.cost.multiplies == 4 * 8 * 8 + c)
  }

  @Test func batchNormChannelMismatchIsAnError() {
    #expect(throws: OpError.self) {
      try OpTesting.infer("BatchNormalization", [[1, 3, 4, 4], [4], [4], [4], [4]])
    }
  }

  @Test func instanceNormNormalisesEachSampleChannel() throws {
    // X 1x64x32x32: 64 groups of 1024, 65_536 elements.
    let out = try OpTesting.infer("InstanceNormalization", [[1, 64, 32, 32], [64], [64]])
    let elements = 64 * 1024
    let groups = 64
    #expect(
      out.cost
        == Cost(
          adds: 2 * elements + groups * (2 * (1024 - 1) + 1), multiplies: 3 * elements, divides: 3 * groups,
          others: groups))
    #expect(out.paramFormula == "64+64 = 128")
  }

  @Test func layerNormOverTheLastAxis() throws {
    // BERT-base: X 1x128x768, axis -1: 128 groups of 768.
    let out = try OpTesting.infer("LayerNormalization", [[1, 128, 768], [768], [768]])
    let elements = 128 * 768
    let groups = 128
    #expect(out.outputs.map(\.shape) == [[1, 128, 768], [1, 128, 1], [1, 128, 1]])
    #expect(out.outputs[1].dataType == .float32)
    #expect(
      out.cost
        == Cost(
          adds: 2 * elements + groups * (2 * 767 + 1), multiplies: 3 * elements, divides: 3 * groups, others: groups))
    #expect(out.paramFormula == "768+768 = 1536")
    // Without B: one add per element fewer.
    let unbiased = try OpTesting.infer("LayerNormalization", [[1, 128, 768], [768]])
    #expect(unbiased.cost.adds == elements + groups * (2 * 767 + 1))
  }

  @Test func layerNormRejectsBadAxesAndScales() {
    #expect(throws: OpError.self) {
      try OpTesting.infer("LayerNormalization", [[2, 3, 4], [4]], ["axis": .int(3)])
    }
    #expect(throws: OpError.self) { try OpTesting.infer("LayerNormalization", [[2, 3, 4], [3]]) }
  }

  @Test func groupNormGroupsChannelsPerSample() throws {
    // X 2x32x8x8, 4 groups: 2*4 = 8 groups of 8 channels * 64 = 512.
    let out = try OpTesting.infer(
      "GroupNormalization", [[2, 32, 8, 8], [32], [32]], ["num_groups": .int(4)], opset: 21)
    let elements = 2 * 32 * 64
    let groups = 8
    #expect(
      out.cost
        == Cost(
          adds: 2 * elements + groups * (2 * (512 - 1) + 1), multiplies: 3 * elements, divides: 3 * groups,
          others: groups))
    #expect(out.paramFormula == "32+32 = 64")
    // Opset 18 takes scale and bias per group.
    _ = try OpTesting.infer("GroupNormalization", [[2, 32, 8, 8], [4], [4]], ["num_groups": .int(4)], opset: 18)
    #expect(throws: OpError.self) {
      try OpTesting.infer("GroupNormalization", [[2, 32, 8, 8], [32], [32]], ["num_groups": .int(5)], opset: 21)
    }
  }

  @Test func rmsNormHasNoMeanAndNoBias() throws {
    // X 1x16x4096: 16 groups of 4096. Per element: square, times 1/rms, times scale (3 multiplies);
    // per group: 4095 adds for the sum of squares + 1 add of epsilon, a mean and a reciprocal, a sqrt.
    let out = try OpTesting.infer("RMSNormalization", [[1, 16, 4096], [4096]], opset: 23)
    #expect(out.outputs[0].shape == [1, 16, 4096])
    #expect(out.cost == Cost(adds: 16 * (4095 + 1), multiplies: 3 * 16 * 4096, divides: 2 * 16, others: 16))
    #expect(out.inputRoles == [1: .weight])
  }

  @Test func meanVarianceNormalizationDefaultsToAxes023() throws {
    // X 2x3x4x5 over axes 0, 2, 3: 3 groups of 40; no scale, no bias.
    let out = try OpTesting.infer("MeanVarianceNormalization", [[2, 3, 4, 5]])
    #expect(out.cost == Cost(adds: 120 + 3 * (2 * 39 + 1), multiplies: 2 * 120, divides: 3 * 3, others: 3))
  }

  @Test func lrnCountsSizeTapsPerElement() throws {
    // AlexNet LRN1: X 1x96x55x55, size 5. Per element: 5 squares + 1 multiply by alpha/size;
    // 4 adds for the sum + 1 add of bias; 1 pow; 1 divide.
    let elements = 96 * 55 * 55
    let out = try OpTesting.infer("LRN", [[1, 96, 55, 55]], ["size": .int(5)])
    #expect(out.outputs[0].shape == [1, 96, 55, 55])
    #expect(
      out.cost == Cost(adds: (4 + 1) * elements, multiplies: (5 + 1) * elements, divides: elements, others: elements))
    #expect(throws: OpError.self) { try OpTesting.infer("LRN", [[1, 96, 55, 55]]) }
  }
}
