import Testing

@testable import ConvScope
@testable import ConvScopeAnalysis
@testable import ConvScopeCore
@testable import ConvScopeImporters
@testable import ConvScopeRenderers
@testable import ConvScopeReport

/// The traps each tool falls into, on single layers whose figures are derived by hand from
/// the tools' source formulas (`docs/conventions.md`; the worked example of
/// `research/anchors.md` §3c) or measured by the tools themselves (Keras, Netscope references).
@Suite struct ConventionTrapTests {
  typealias F = ConventionFixtures

  /// ConvTranspose 64→32, k4, s2, p1, bias, on 1x64x56x56 → 1x32x112x112.
  static let transposed = F.row(
    "deconv", "ConvTranspose", inputs: ["x", "w", "b"], input: [1, 64, 56, 56], output: [1, 32, 112, 112],
    kernel: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1], cost: Cost(macs: 1 * 64 * 56 * 56 * 32 * 4 * 4),
    params: 64 * 32 * 4 * 4 + 32)

  @Test func convTransposeIsInputBasedForSomeToolsAndOutputBasedForOthers() throws {
    let trueMacs = 64 * 56 * 56 * 32 * 16  // 102,760,448: each input pixel meets Cout/g * K^2 weights
    let outputs = 32 * 112 * 112  // 401,408 bias adds
    #expect(try F.apply(.fvcore, [Self.transposed]).figure == trueMacs)
    #expect(try F.apply(.ptflopsAten, [Self.transposed]).figure == trueMacs + outputs)
    #expect(try F.apply(.torchFlopCounter, [Self.transposed]).figure == 2 * trueMacs)
    // thop 0.1.1 and torchinfo use the output positions: 4x (stride^2) too many.
    #expect(try F.apply(.thop, [Self.transposed]).figure == outputs * 64 * 16)  // 411,041,792
    #expect(try F.apply(.torchinfo, [Self.transposed]).figure == (64 * 32 * 16 + 32) * 112 * 112)  // 411,443,200
    // onnx-tool reads the (Cin, Cout/g, K) weight as a Conv's (Cout, Cin/g, K): numel(Y) * Cout/g * K^2.
    #expect(try F.apply(.onnxTool, [Self.transposed]).figure == outputs * 32 * 16 + outputs)  // 205,922,304
  }

  /// BatchNorm over 1x64x112x112 (802,816 elements), kept in the graph.
  static let batchNorm = F.row(
    "bn", "BatchNormalization", input: [1, 64, 112, 112], output: [1, 64, 112, 112], params: 128, statistics: 128)

  @Test func batchNormRangesOverFiveOrdersOfMagnitude() throws {
    let n = 64 * 112 * 112
    #expect(try F.apply(.torchFlopCounter, [Self.batchNorm]).figure == 0)
    #expect(try F.apply(.torchinfo, [Self.batchNorm]).figure == 1 * 128)  // output_size[0] * params
    #expect(try F.apply(.fvcore, [Self.batchNorm]).figure == 2 * n)  // eval mode (5 * n in training)
    #expect(try F.apply(.ptflops, [Self.batchNorm]).figure == 2 * n)
    #expect(try F.apply(.calflops, [Self.batchNorm]).figure == 2 * n)
    #expect(try F.apply(.thop, [Self.batchNorm]).figure == 4 * n)
    #expect(try F.apply(.onnxTool, [Self.batchNorm]).figure == 31 * n)  // ADD + SQRT 24 + DIV 4 + ADD + MUL
    // The TF profiler on Keras ResNet50's conv1_bn: 1,606,016 (reference/keras/ResNet50.ref.json).
    #expect(try F.apply(.keras, [Self.batchNorm]).figure == 1_606_016)
    #expect(try F.apply(.keras, [Self.batchNorm]).params == 256)  // gamma, beta, moving mean and variance
  }

  /// `Q @ K^T` of one attention layer: [1,8,196,64] x [1,8,64,196], two activations, no weight.
  static let scores = F.row(
    "/attn/MatMul", "MatMul", inputs: ["q", "k"], input: [1, 8, 196, 64], dataInputs: 2, output: [1, 8, 196, 196],
    cost: Cost(macs: 8 * 196 * 196 * 64))

  /// Written attention (`torch.matmul(q, k.transpose(-1, -2))`, as transformers and torchvision
  /// write it): ptflops (`TENSOR_OPS_MAPPING`) and calflops (`_matmul_flops_compute`) patch
  /// `torch.matmul`; the module-hook tools never see it.
  @Test func attentionProductsCountWhereTorchMatmulIsPatched() throws {
    let macs = 8 * 196 * 196 * 64
    #expect(try F.apply(.fvcore, [Self.scores]).figure == macs)
    #expect(try F.apply(.ptflopsAten, [Self.scores]).figure == macs)
    #expect(try F.apply(.torchFlopCounter, [Self.scores]).figure == 2 * macs)
    #expect(try F.apply(.onnxTool, [Self.scores]).figure == macs)
    #expect(try F.apply(.ptflops, [Self.scores]).figure == macs)
    #expect(try F.apply(.calflops, [Self.scores]).figure == 2 * macs)
    for tool in [Convention.thop, .torchinfo] {
      #expect(try F.apply(tool, [Self.scores]).figure == 0, "\(tool.rawValue)")
    }
  }

  /// ptflops divides module counts by the batch size; patched functionals are not divided.
  @Test func ptflopsReportsPerSampleModulesButWholeBatchFunctionals() throws {
    let out: Shape = [4, 2, 6, 6]  // 288 elements
    let rows = [
      F.row(
        "/conv/Conv", "Conv", inputs: ["x", "conv.weight", "conv.bias"], input: [4, 1, 8, 8], output: out,
        kernel: [3, 3], cost: Cost(macs: 288 * 1 * 9, adds: 288), params: 20),
      F.row("/Relu", "Relu", input: out, output: out),  // F.relu in the model's own forward
    ]
    let result = try F.apply(.ptflops, rows, batch: 4)
    #expect(result.figure == (288 * 9 + 288) / 4 + 288)
    #expect(result.layers["/conv/Conv"] == (288 * 9 + 288) / 4)
    #expect(result.notes.contains { $0.contains("divided by the batch size 4") })
  }

  @Test func ptflopsCountsAModuleReluTwiceAndReLU6Once() throws {
    let shape: Shape = [1, 16, 10, 10]
    let rows = [
      F.row("/block/relu/Relu", "Relu", input: shape, output: shape),
      F.row("/block/act/Clip", "Clip", input: shape, output: shape),
      F.row("/block/conv/Conv", "Conv", inputs: ["x", "conv.weight"], input: shape, output: shape, kernel: [1, 1]),
    ]
    let result = try F.apply(.ptflops, rows)
    #expect(result.layers["/block/relu/Relu"] == 2 * 1600)  // hook + patched F.relu
    #expect(result.layers["/block/act/Clip"] == 1600)  // nn.ReLU6 calls F.hardtanh: hook only
  }

  @Test func torchScriptScopesTellModulesFromFunctionalCalls() {
    let names = [
      "/conv1/Conv", "/layer1/layer1.0/conv1/Conv", "/layer1/layer1.0/Add", "/Flatten", "/avgpool/GlobalAveragePool",
    ]
    let containers = ConventionContext.containerScopes(names)
    #expect(ConventionContext.isLeafModule("/conv1/Conv", containers: containers))
    #expect(ConventionContext.isLeafModule("/avgpool/GlobalAveragePool", containers: containers))
    #expect(!ConventionContext.isLeafModule("/layer1/layer1.0/Add", containers: containers))
    #expect(!ConventionContext.isLeafModule("/Flatten", containers: containers))
    #expect(ConventionContext.isLeafModule("conv1", containers: containers))  // not a TorchScript name
  }

  /// Keras LeNet-5 (reference/keras/lenet5.ref.json): the TF profiler's 845,912 float ops.
  @Test func kerasLenetMatchesTheTensorFlowProfiler() throws {
    var rows: [LayerRow] = []
    func conv(_ name: String, _ input: Shape, _ output: Shape, cin: Int) {
      let positions = output.elementCount ?? 0
      rows.append(
        F.row(
          name, "Conv", inputs: ["x", "\(name)/kernel", "\(name)/bias"], input: input, output: output,
          kernel: [5, 5], cost: Cost(macs: positions * cin * 25, adds: positions),
          params: 25 * cin * (output.sizes?[1] ?? 0) + (output.sizes?[1] ?? 0)))
      rows.append(F.row("\(name)_relu", "Relu", input: output, output: output))
    }
    func dense(_ name: String, _ k: Int, _ n: Int) {
      rows.append(
        F.row(
          name, "Gemm", inputs: ["x", "\(name)/kernel", "\(name)/bias"], input: Shape([1, k]), output: Shape([1, n]),
          cost: Cost(macs: k * n, adds: n), params: k * n + n))
    }
    conv("conv2d", [1, 1, 32, 32], [1, 6, 28, 28], cin: 1)
    rows.append(
      F.row("pool", "MaxPool", input: [1, 6, 28, 28], output: [1, 6, 14, 14], kernel: [2, 2], strides: [2, 2]))
    conv("conv2d_1", [1, 6, 14, 14], [1, 16, 10, 10], cin: 6)
    rows.append(
      F.row("pool_1", "MaxPool", input: [1, 16, 10, 10], output: [1, 16, 5, 5], kernel: [2, 2], strides: [2, 2]))
    rows.append(F.row("flatten", "Flatten", input: [1, 16, 5, 5], output: [1, 400]))
    dense("dense", 400, 120)
    dense("dense_1", 120, 84)
    dense("dense_2", 84, 10)
    rows.append(F.row("softmax", "Softmax", input: [1, 10], output: [1, 10]))
    let result = try F.apply(.keras, rows)
    #expect(result.figure == 845_912)
    #expect(result.layers["conv2d"] == 239_904)  // Conv2D 235,200 + BiasAdd 4,704
    #expect(result.layers["pool"] == 4_704)
    #expect(result.layers["softmax"] == 50)
    #expect(result.params == 61_706)
  }

  /// Netscope on Caffe ResNet-50's stem (reference/caffe/resnet50.netscope.json, batch 1):
  /// conv1, bn_conv1 + scale_conv1 (one ONNX BatchNormalization), conv1_relu, pool1 (ceil: 56x56).
  @Test func netscopeCaffeStemMatchesItsLayerTable() throws {
    let rows = [
      F.row(
        "conv1", "Conv", inputs: ["data", "conv1_w", "conv1_b"], input: [1, 3, 224, 224], output: [1, 64, 112, 112],
        kernel: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3], cost: Cost(macs: 64 * 112 * 112 * 3 * 49, adds: 802_816),
        params: 9_472),
      F.row(
        "bn_conv1", "BatchNormalization", input: [1, 64, 112, 112], output: [1, 64, 112, 112], params: 128,
        statistics: 128),
      F.row("conv1_relu", "Relu", input: [1, 64, 112, 112], output: [1, 64, 112, 112]),
      F.row("pool1", "MaxPool", input: [1, 64, 112, 112], output: [1, 64, 56, 56], kernel: [3, 3], strides: [2, 2]),
    ]
    let result = try F.apply(.netscope, rows)
    #expect(result.figure == 118_013_952 + 802_816)  // conv1 macc + scale_conv1 macc
    #expect(result.components["comp"] == 802_816 + 1_806_336)  // conv1_relu + pool1
    #expect(result.components["add"] == 802_816)
    #expect(result.components["div"] == 802_816)
    #expect(result.params == 9_472 + 128)  // conv1 + bn_conv1's mean and variance (Scale's gamma, beta not counted)
  }

  @Test func convscopeCountsTwoPerMacAndOnePerOtherOperation() throws {
    let row = F.row(
      "c", "Conv", inputs: ["x", "w", "b"], input: [1, 1, 4, 4], output: [1, 2, 2, 2], kernel: [3, 3],
      cost: Cost(macs: 8 * 9, adds: 8), params: 20)
    let result = try F.apply(.convscope, [row])
    #expect(result.figure == 2 * 72 + 8)
    #expect(result.components["MACs"] == 72)
    #expect(result.unit == "FLOPs")
  }

  /// The public entry point on an analysed graph: a conv with bias and a ReLU.
  @Test func appliesToAnAnalysedReport() throws {
    var b = GraphBuilder(input: [1, 1, 8, 8])
    b.conv("conv", channels: 1, filters: 4, kernel: 3)
    b.add("Relu", "relu")
    b.output()
    let report = try Analyzer.analyze(b.graph)
    let outputs = 4 * 6 * 6
    #expect(try Convention.fvcore.apply(to: report).figure == outputs * 9)
    #expect(try Convention.torchinfo.apply(to: report).figure == outputs * 9 + outputs)
    #expect(try Convention.onnxTool.apply(to: report).figure == outputs * 9 + outputs + outputs)  // + ReLU 1/elt
    #expect(try Convention.fvcore.apply(to: report).params == 4 * 9 + 4)
  }
}
