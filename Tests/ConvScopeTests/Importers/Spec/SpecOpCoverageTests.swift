import ConvScope
import Testing

/// Every friendly op yields nodes the analyzer's rules accept, with the shapes
/// the spec's author would derive by hand. Needs the op rules of every family.
@Suite("Spec importer: every friendly op analyses")
struct SpecOpCoverageTests {
  static let spec = """
    name: every-op
    layout: NCHW
    input: {name: x, shape: [1, 8, 16, 16]}
    layers:
      - {name: conv, op: conv2d, filters: 8, kernel: 3, padding: same, activation: leaky_relu}
      - {name: dw, op: depthwise_conv, kernel: 3, stride: 2, padding: [1, 1]}        # 8x8
      - {name: up, op: deconv, filters: 8, kernel: 2, stride: 2}                     # 16x16
      - {name: avg, op: avgpool, kernel: 3, stride: 1, padding: 1}
      - {name: bn, op: batchnorm, activation: relu6}
      - {name: inorm, op: instancenorm}
      - {name: gnorm, op: groupnorm, groups: 2}
      - {name: lnorm, op: layernorm}
      - {name: lrn, op: lrn, size: 3}
      - {name: act1, op: prelu}
      - {name: act2, op: gelu}
      - {name: act3, op: hard_swish}
      - {name: act4, op: swish}
      - {name: act5, op: elu, alpha: 0.5}
      - {name: act6, op: clip, min: -1, max: 1}
      - {name: sum, op: add, inputs: [act6, conv]}
      - {name: prod, op: mul, inputs: [sum, x]}
      - {name: both, op: concat, inputs: [prod, x]}                                  # 16 channels
      - {name: padded, op: pad, padding: [1, 2]}                                     # 18x20
      - {name: big, op: upsample, scale: 2}                                          # 36x40
      - {name: maxp, op: maxpool, kernel: 2, ceil_mode: true}                        # 18x20
      - {name: swap, op: transpose, perm: [0, 1, 3, 2]}                              # 16x20x18
      - {name: flat, op: reshape, shape: [1, 16, 360]}
      - {name: sm, op: softmax}
      - {name: gap, op: global_avgpool, inputs: maxp}
      - {name: drop, op: dropout, rate: 0.2}
      - {name: same, op: identity}
      - {name: fc, op: dense, units: 10, activation: sigmoid}
    """

  @Test func everyOpHasARuleAndTheShapesAreTheHandDerivedOnes() throws {
    let graph = try SpecTesting.graph(Self.spec)
    let report = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: "every-op.yaml"))
    #expect(report.unsupported.isEmpty, "ops without rules: \(report.unsupported.map(\.op))")
    #expect(report.layers.filter { !$0.supported }.map(\.name) == [])
    func shape(_ name: String) -> Shape? { report.layers.first { $0.name == name }?.outputs.first?.shape }
    #expect(shape("dw") == [1, 8, 8, 8])  // (16-3+1+1)/2+1 = 8
    #expect(shape("up") == [1, 8, 16, 16])  // 2*(8-1)+2 = 16
    #expect(shape("both") == [1, 16, 16, 16])
    #expect(shape("padded") == [1, 16, 18, 20])
    #expect(shape("big") == [1, 16, 36, 40])
    #expect(shape("maxp") == [1, 16, 18, 20])
    #expect(shape("swap") == [1, 16, 20, 18])
    #expect(shape("flat") == [1, 16, 360])
    #expect(shape("gap") == [1, 16, 1, 1])
    #expect(shape("fc") == [1, 10])
    // Parameters the spec's ops create: conv 3*3*8*8+8; dw 3*3*1*8+8; deconv 8*8*2*2+8;
    // bn 2*8 (+16 statistics); instance/group norm 2*8 each; layernorm over W: 2*16;
    // prelu 8 slopes; fc (16*1*1)*10+10.
    let params = (576 + 8) + (72 + 8) + (256 + 8) + 16 + 16 + 16 + 32 + 8 + 170
    #expect(report.totals.params == params)
    #expect(report.totals.nonTrainableParams == 16)
  }
}
