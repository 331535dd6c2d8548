import ConvScope
import Testing

/// Random small convolutions, transposed convolutions and pools (a seeded, deterministic
/// generator; rank 1-3, channels, groups, kernel, stride, dilation, pads, ceil_mode), each checked
/// against a naive enumeration that walks every window and every kernel tap one by one.
///
/// What the enumeration counts (the standard convention the rules follow):
/// - Conv: one MAC per (output element, input channel of its group, kernel tap), taps that fall in
///   the padding included.
/// - ConvTranspose: one MAC per (input element, output channel of its group, kernel tap), taps
///   that land outside the cropped output (in `pads`) included. The taps that land inside are
///   counted too, and are never more.
/// - Pools: a window of T taps (padding taps included) costs T-1 compares (max), T-1 adds and one
///   divide (average), T pows + 1 root and T-1 adds (Lp).
@Suite struct SlidingWindowBruteForceTests {
  /// One spatial axis of a window.
  struct Axis: CustomStringConvertible {
    var input: Int, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int
    var extent: Int { (kernel - 1) * dilation + 1 }
    var description: String { "in \(input) k \(kernel) s \(stride) d \(dilation) pads \(padBegin)+\(padEnd)" }

    static func random(_ rng: inout SeededGenerator, maxInput: Int) -> Axis {
      var axis = Axis(
        input: 0, kernel: Int.random(in: 1...3, using: &rng), stride: Int.random(in: 1...3, using: &rng),
        dilation: Int.random(in: 1...2, using: &rng), padBegin: Int.random(in: 0...2, using: &rng),
        padEnd: Int.random(in: 0...2, using: &rng))
      let smallest = max(1, axis.extent - axis.padBegin - axis.padEnd)
      axis.input = smallest + Int.random(in: 0...max(0, maxInput - smallest), using: &rng)
      return axis
    }

    /// The start of every window along this axis, in padded coordinates, found by walking: a
    /// window is kept while it fits in the padded input; with `ceil`, one more partial window is
    /// kept when the last full one leaves padded positions uncovered and it starts before the end
    /// padding.
    func windowStarts(ceil: Bool) -> [Int] {
      let padded = input + padBegin + padEnd
      var starts: [Int] = []
      var start = 0
      while true {
        if start + extent <= padded {
          starts.append(start)
        } else {
          if ceil, let last = starts.last, last + extent < padded, start < padBegin + input { starts.append(start) }
          break
        }
        start += stride
      }
      return starts
    }
  }

  /// Every index tuple of a box of the given extents, in row-major order.
  static func grid(_ extents: [Int]) -> [[Int]] {
    extents.reduce([[]]) { tuples, extent in tuples.flatMap { tuple in (0..<extent).map { tuple + [$0] } } }
  }

  static func attributes(_ axes: [Axis]) -> [String: AttributeValue] {
    [
      "kernel_shape": .ints(axes.map(\.kernel)), "strides": .ints(axes.map(\.stride)),
      "dilations": .ints(axes.map(\.dilation)), "pads": .ints(axes.map(\.padBegin) + axes.map(\.padEnd)),
    ]
  }

  @Test func convolutionMatchesEnumeration() throws {
    var rng = SeededGenerator(state: 20_241_129)
    for _ in 0..<50 {
      let rank = Int.random(in: 1...3, using: &rng)
      let axes = (0..<rank).map { _ in Axis.random(&rng, maxInput: rank == 3 ? 5 : 9) }
      let batch = Int.random(in: 1...2, using: &rng)
      let group = Int.random(in: 1...3, using: &rng)
      let inPerGroup = Int.random(in: 1...2, using: &rng)
      let outPerGroup = Int.random(in: 1...2, using: &rng)
      let starts = axes.map { $0.windowStarts(ceil: false) }
      var macs = 0
      var tapsOnInput = 0
      for _ in Self.grid([batch, group * outPerGroup]) {
        for position in Self.grid(starts.map(\.count)) {
          for _ in 0..<inPerGroup {
            for tap in Self.grid(axes.map(\.kernel)) {
              macs += 1
              let inside = axes.indices.allSatisfy { a in
                let p = starts[a][position[a]] + tap[a] * axes[a].dilation - axes[a].padBegin
                return p >= 0 && p < axes[a].input
              }
              if inside { tapsOnInput += 1 }
            }
          }
        }
      }
      var attributes = Self.attributes(axes)
      attributes["group"] = .int(group)
      let out = try OpTesting.infer(
        "Conv",
        [
          Shape([batch, group * inPerGroup] + axes.map(\.input)),
          Shape([group * outPerGroup, inPerGroup] + axes.map(\.kernel)),
        ],
        attributes)
      let context = "\(axes) batch \(batch) group \(group) in/g \(inPerGroup) out/g \(outPerGroup)"
      #expect(out.outputs[0].shape == Shape([batch, group * outPerGroup] + starts.map(\.count)), "\(context)")
      #expect(out.cost.macs == macs, "\(context)")
      #expect(tapsOnInput <= macs)
    }
  }

  @Test func transposedConvolutionMatchesEnumeration() throws {
    var rng = SeededGenerator(state: 7_000_003)
    for _ in 0..<50 {
      let rank = Int.random(in: 1...3, using: &rng)
      var axes = (0..<rank).map { _ in Axis.random(&rng, maxInput: 1) }
      for a in axes.indices { axes[a].input = Int.random(in: 1...(rank == 3 ? 3 : 5), using: &rng) }
      let outputPadding = axes.map { Int.random(in: 0..<$0.stride, using: &rng) }
      let batch = Int.random(in: 1...2, using: &rng)
      let group = Int.random(in: 1...2, using: &rng)
      let inPerGroup = Int.random(in: 1...2, using: &rng)
      let outPerGroup = Int.random(in: 1...2, using: &rng)
      // Where each input element's taps land, uncropped; the output runs to the farthest one,
      // plus output_padding, minus the pads.
      var reach = axes.map { _ in 0 }
      for position in Self.grid(axes.map(\.input)) {
        for tap in Self.grid(axes.map(\.kernel)) {
          for a in axes.indices {
            reach[a] = max(reach[a], position[a] * axes[a].stride + tap[a] * axes[a].dilation + 1)
          }
        }
      }
      let outSize = axes.indices.map { reach[$0] + outputPadding[$0] - axes[$0].padBegin - axes[$0].padEnd }
      guard outSize.allSatisfy({ $0 > 0 }) else { continue }
      var macs = 0
      var tapsInOutput = 0
      for _ in Self.grid([batch, group * inPerGroup, outPerGroup]) {
        for position in Self.grid(axes.map(\.input)) {
          for tap in Self.grid(axes.map(\.kernel)) {
            macs += 1
            let inside = axes.indices.allSatisfy { a in
              let q = position[a] * axes[a].stride + tap[a] * axes[a].dilation - axes[a].padBegin
              return q >= 0 && q < outSize[a]
            }
            if inside { tapsInOutput += 1 }
          }
        }
      }
      var attributes = Self.attributes(axes)
      attributes["group"] = .int(group)
      attributes["output_padding"] = .ints(outputPadding)
      let out = try OpTesting.infer(
        "ConvTranspose",
        [
          Shape([batch, group * inPerGroup] + axes.map(\.input)),
          Shape([group * inPerGroup, outPerGroup] + axes.map(\.kernel)),
        ],
        attributes)
      let context = "\(axes) output_padding \(outputPadding) batch \(batch) group \(group)"
      #expect(out.outputs[0].shape == Shape([batch, group * outPerGroup] + outSize), "\(context)")
      #expect(out.cost.macs == macs, "\(context)")
      #expect(tapsInOutput <= macs)
      #expect(out.window?.transposed == true)
    }
  }

  @Test func poolsMatchEnumeration() throws {
    var rng = SeededGenerator(state: 42)
    for _ in 0..<50 {
      let rank = Int.random(in: 1...3, using: &rng)
      let axes = (0..<rank).map { _ in Axis.random(&rng, maxInput: rank == 3 ? 6 : 11) }
      let ceil = Bool.random(using: &rng)
      let op = ["MaxPool", "AveragePool", "LpPool"][Int.random(in: 0...2, using: &rng)]
      let batch = Int.random(in: 1...2, using: &rng)
      let channels = Int.random(in: 1...3, using: &rng)
      let starts = axes.map { $0.windowStarts(ceil: ceil) }
      var expected = Cost()
      for _ in Self.grid([batch, channels]) {
        for _ in Self.grid(starts.map(\.count)) {
          let taps = Self.grid(axes.map(\.kernel)).count
          switch op {
          case "MaxPool": expected.compares += taps - 1
          case "AveragePool":
            expected.adds += taps - 1
            expected.divides += 1
          default:
            expected.adds += taps - 1
            expected.others += taps + 1
          }
        }
      }
      var attributes = Self.attributes(axes)
      attributes["ceil_mode"] = .int(ceil ? 1 : 0)
      let out = try OpTesting.infer(op, [Shape([batch, channels] + axes.map(\.input))], attributes)
      let context = "\(op) \(axes) ceil \(ceil)"
      #expect(out.outputs[0].shape == Shape([batch, channels] + starts.map(\.count)), "\(context)")
      #expect(out.cost == expected, "\(context)")
    }
  }
}
