import ConvScope
import Testing

@Suite struct ReceptiveFieldTests {
  /// A layer of a plain chain: square kernel, stride, padding, dilation.
  struct Layer {
    var kernel: Int, stride: Int, pad: Int, dilation: Int = 1
    var isPool = false
  }

  /// Second method: propagate an impulse. The input positions that output position `o` reads
  /// through one layer are `o*s - p + t*d` for taps t; follow a central output back to the input
  /// on an unbounded 1-D line and measure the span it touches.
  static func impulseSpan(_ layers: [Layer]) -> Int {
    var positions: Set<Int> = [0]
    for layer in layers.reversed() {
      var previous: Set<Int> = []
      for o in positions {
        for t in 0..<layer.kernel { previous.insert(o * layer.stride - layer.pad + t * layer.dilation) }
      }
      positions = previous
    }
    return positions.max()! - positions.min()! + 1
  }

  static func analyzed(_ layers: [Layer], input: Int) throws -> Report {
    var b = GraphBuilder(input: Shape([1, 3, input, input]))
    var channels = 3
    for (i, layer) in layers.enumerated() {
      let window: [String: AttributeValue] = [
        "kernel_shape": .ints([layer.kernel, layer.kernel]), "strides": .ints([layer.stride, layer.stride]),
        "pads": .ints(Array(repeating: layer.pad, count: 4)),
        "dilations": .ints([layer.dilation, layer.dilation]),
      ]
      if layer.isPool {
        var attributes = window
        attributes["dilations"] = nil
        b.add("MaxPool", "l\(i)", attributes: attributes)
      } else {
        b.add("Conv", "l\(i)", weights: [[4, channels, layer.kernel, layer.kernel]], attributes: window)
        channels = 4
        b.add("Relu", "r\(i)")
      }
    }
    b.output()
    return try Analyzer.analyze(b.graph)
  }

  static let alexNetFeatures: [Layer] = [
    Layer(kernel: 11, stride: 4, pad: 2), Layer(kernel: 3, stride: 2, pad: 0, isPool: true),
    Layer(kernel: 5, stride: 1, pad: 2), Layer(kernel: 3, stride: 2, pad: 0, isPool: true),
    Layer(kernel: 3, stride: 1, pad: 1), Layer(kernel: 3, stride: 1, pad: 1), Layer(kernel: 3, stride: 1, pad: 1),
    Layer(kernel: 3, stride: 2, pad: 0, isPool: true),
  ]

  static let vgg16Features: [Layer] = {
    let conv = Layer(kernel: 3, stride: 1, pad: 1)
    let pool = Layer(kernel: 2, stride: 2, pad: 0, isPool: true)
    return [2, 2, 3, 3, 3].flatMap { Array(repeating: conv, count: $0) + [pool] }
  }()

  @Test func alexNetSees195Pixels() throws {
    #expect(Self.impulseSpan(Self.alexNetFeatures) == 195)
    let report = try Self.analyzed(Self.alexNetFeatures, input: 224)
    let last = try #require(report.layers.last?.receptiveField)
    #expect(last.size == [195, 195])
    #expect(last.jump == [32, 32])  // 4 * 2 * 2 * 2
  }

  @Test func vgg16Sees212Pixels() throws {
    #expect(Self.impulseSpan(Self.vgg16Features) == 212)
    let report = try Self.analyzed(Self.vgg16Features, input: 224)
    #expect(report.layers.last?.receptiveField?.size == [212, 212])
    // 212 < 224: no layer of the feature extractor sees the whole image.
    #expect(report.receptiveFieldCoversInputAt == nil)
  }

  @Test func dilationWidensTheFieldAndCoverageIsFlagged() throws {
    let layers = [Layer(kernel: 3, stride: 1, pad: 2, dilation: 2), Layer(kernel: 3, stride: 1, pad: 4, dilation: 4)]
    #expect(Self.impulseSpan(layers) == 13)  // 1 + (3-1)*2 + (3-1)*4
    let report = try Self.analyzed(layers, input: 13)
    #expect(report.layers.first { $0.name == "l1" }?.receptiveField?.size == [13, 13])
    #expect(report.receptiveFieldCoversInputAt == "l1")
  }

  @Test func centreOffsetFollowsPadding() throws {
    // Conv 3x3, pad 1, stride 2: first output's field is centred on input 0 (Distill's start).
    let report = try Self.analyzed([Layer(kernel: 3, stride: 2, pad: 1)], input: 9)
    let field = try #require(report.layers.first?.receptiveField)
    #expect(field.start == [0, 0])
    #expect(field.jump == [2, 2])
  }
}

/// Strides of 2^40 twice make the jump 2^80: the field after a 3-wide kernel, 1 + 2 * 2^80,
/// saturates at Int.max instead of trapping in `Int(...)`.
@Suite struct ReceptiveFieldSaturationTests {
  @Test func astronomicalStridesSaturateTheField() throws {
    var b = GraphBuilder(input: Shape([1, 3, 8, 8]))
    let huge = 1 << 40
    b.add(
      "Conv", "s1", weights: [[2, 3, 1, 1]],
      attributes: ["kernel_shape": .ints([1, 1]), "strides": .ints([huge, huge])])
    b.add(
      "Conv", "s2", weights: [[2, 2, 1, 1]],
      attributes: ["kernel_shape": .ints([1, 1]), "strides": .ints([huge, huge])])
    b.add(
      "Conv", "k3", weights: [[2, 2, 3, 3]], attributes: ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])])
    b.output()
    let report = try Analyzer.analyze(b.graph)
    let field = try #require(report.layers.first { $0.name == "k3" }?.receptiveField)
    #expect(field.size == [Int.max, Int.max])
  }
}
