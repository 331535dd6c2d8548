import ConvScope
import Foundation
import Testing

/// `--convention keras` on one layer at a time, against the TensorFlow graph Keras 3 builds for
/// it, each op counted as `tensorflow/python/profiler/internal/flops_registry.py` and
/// `tensorflow/python/ops/nn_ops.py` register it. Input `[1, 8, 8, 4]`: `N` = 256 elements, `C` = 4.
@Suite struct KerasConventionTests {
  static let n = 8 * 8 * 4
  static let c = 4

  static func figure(_ layer: String) throws -> Int {
    let json = KerasTesting.sequential(input: "[null, 8, 8, 4]", [layer])
    let report = try Analyzer.analyze(try KerasTesting.graph(json))
    let result = try Convention.keras.apply(to: report)
    #expect(result.notes.isEmpty, "\(result.notes)")
    return result.figure
  }

  @Test func batchNormalizationMultipliesByGammaOnlyWhenItHasOne() throws {
    // tf.nn.batch_normalization: AddV2 C, Rsqrt 2C, [Mul C by gamma], Mul N, Mul C, Sub C, AddV2 N.
    let scaled = try Self.figure(KerasTesting.layer("BatchNormalization", "bn", #""axis": -1"#))
    #expect(scaled == 2 * Self.n + 6 * Self.c)
    let unscaled = try Self.figure(KerasTesting.layer("BatchNormalization", "bn", #""axis": -1, "scale": false"#))
    #expect(unscaled == 2 * Self.n + 5 * Self.c)
    // center=False as well: `-mean * inv` (Neg C, Mul C) replaces `offset - mean * inv`.
    let bare = try Self.figure(
      KerasTesting.layer("BatchNormalization", "bn", #""axis": -1, "scale": false, "center": false"#))
    #expect(bare == 2 * Self.n + 5 * Self.c)
  }

  @Test func layerNormalizationIsNinePerElementAndFourPerRow() throws {
    // Mean N, SquaredDifference 2N, Mean N, AddV2 R, Rsqrt 2R, Mul N (gamma), Neg R, Mul N,
    // AddV2 N (beta), Mul N, AddV2 N; R = 64 rows of 4.
    let rows = Self.n / Self.c
    #expect(try Self.figure(KerasTesting.layer("LayerNormalization", "ln", #""axis": -1"#)) == 9 * Self.n + 4 * rows)
  }

  @Test func activationsCountTheArithmeticOfTheirTensorFlowGraph() throws {
    func activation(_ name: String) throws -> Int {
      try Self.figure(KerasTesting.layer("Activation", "a", #""activation": "\#(name)""#))
    }
    #expect(try activation("swish") == 2 * Self.n)  // x * sigmoid(beta * x): Mul, Mul
    #expect(try activation("hard_sigmoid") == 2 * Self.n)  // relu6(x + 3) / 6: AddV2, RealDiv
    #expect(try activation("hard_swish") == 3 * Self.n)  // x * hard_sigmoid(x)
    #expect(try activation("gelu") == 4 * Self.n)  // 0.5 * x * erfc(-x / sqrt 2): Neg, Mul x3
    #expect(try activation("relu") == 0)
    #expect(try activation("sigmoid") == 0)
  }

  @Test func aGroupedConv2DRunsInXLAWhereADepthwiseConvDoesNot() throws {
    // keras/src/backend/tensorflow/nn.py: conv() compiles grouped convolutions with XLA; the
    // profiler sees a function call, not a Conv2D, and counts only the BiasAdd after it.
    let grouped = try Self.figure(
      KerasTesting.layer("Conv2D", "g", #""filters": 4, "kernel_size": 3, "padding": "same", "groups": 4"#))
    #expect(grouped == Self.n)
    let depthwise = try Self.figure(
      KerasTesting.layer("DepthwiseConv2D", "d", #""kernel_size": 3, "padding": "same""#))
    #expect(depthwise == 2 * Self.n * 9 + Self.n)
    let dense = try Self.figure(
      KerasTesting.layer("Conv2D", "c", #""filters": 4, "kernel_size": 3, "padding": "same""#))
    #expect(dense == 2 * Self.n * 9 * Self.c + Self.n)
  }
}
