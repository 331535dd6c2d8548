import ConvScope
import Testing

/// DFT, STFT, the window functions and MelWeightMatrix against the ONNX spec's output shapes
/// (the node tests' dims) and the naive transform counted sample by sample.
@Suite struct SignalTests {
  static func scalar(_ value: Int) -> ConstantTensor {
    ConstantTensor(dataType: .int64, dims: [], values: .ints([value]))
  }

  /// The naive DFT: every output bin of every line sums `samples` products of an input sample and
  /// a twiddle factor: real × complex is 2 real MACs, complex × complex 4, and half of that when
  /// only the real part is kept.
  static func naiveMacs(lines: Int, bins: Int, samples: Int, complexIn: Bool, realOut: Bool) -> Int {
    var macs = 0
    for _ in 0..<lines {
      for _ in 0..<bins {
        for _ in 0..<samples { macs += (complexIn ? 4 : 2) / (realOut ? 2 : 1) }
      }
    }
    return macs
  }

  @Test func dftAtOpset19ReadsTheAxisAttribute() throws {
    // test_dft_opset19: real 1x10x10x1, axis 1 → 1x10x10x2.
    let out = try OpTesting.infer("DFT", [[1, 10, 10, 1]], ["axis": .int(1)], opset: 19)
    #expect(out.outputs[0].shape == [1, 10, 10, 2])
    #expect(
      out.cost == Cost(macs: Self.naiveMacs(lines: 10, bins: 10, samples: 10, complexIn: false, realOut: false)))
    // test_dft_rfft_opset19: one-sided, floor(10/2)+1 = 6 bins.
    let rfft = try OpTesting.infer("DFT", [[1, 10, 10, 1]], ["axis": .int(1), "onesided": .int(1)], opset: 19)
    #expect(rfft.outputs[0].shape == Shape([1, 10 / 2 + 1, 10, 2]))
    #expect(rfft.cost == Cost(macs: Self.naiveMacs(lines: 10, bins: 6, samples: 10, complexIn: false, realOut: false)))
    // test_dft_irfft_opset19: inverse one-sided of 6 bins, dft_length 2*(6-1) = 10, real out.
    let irfft = try OpTesting.infer(
      "DFT", [[1, 6, 10, 2]], ["axis": .int(1), "onesided": .int(1), "inverse": .int(1)], opset: 19)
    #expect(irfft.outputs[0].shape == Shape([1, 2 * (6 - 1), 10, 1]))
    #expect(
      irfft.cost
        == Cost(
          macs: Self.naiveMacs(lines: 10, bins: 10, samples: 6, complexIn: true, realOut: true), multiplies: 100))
  }

  @Test func dftAtOpset20ReadsTheAxisInput() throws {
    // test_dft_inverse: complex 1x10x10x2, axis input 1 → 1x10x10x2, each of 200 outputs scaled.
    let out = try OpTesting.infer(
      "DFT", [[1, 10, 10, 2], nil, []], ["inverse": .int(1)], constants: [2: Self.scalar(1)], opset: 20)
    #expect(out.outputs[0].shape == [1, 10, 10, 2])
    #expect(
      out.cost
        == Cost(
          macs: Self.naiveMacs(lines: 10, bins: 10, samples: 10, complexIn: true, realOut: false), multiplies: 200))
    // The default axis is -2; a dft_length pads with zeros (the extra samples cost nothing).
    let padded = try OpTesting.infer("DFT", [[2, 4, 1], []], constants: [1: Self.scalar(8)], opset: 20)
    #expect(padded.outputs[0].shape == [2, 8, 2])
    #expect(padded.cost == Cost(macs: Self.naiveMacs(lines: 2, bins: 8, samples: 4, complexIn: false, realOut: false)))
    // test_dft: an axis computed at run time keeps the dims (a full transform does not resize)...
    let runtime = try OpTesting.infer("DFT", [[1, 10, 10, 1], nil, []], opset: 20)
    #expect(runtime.outputs[0].shape == [1, 10, 10, 2])
    // ...but test_dft_rfft's one-sided transform resizes an axis nobody knows.
    let rfft = try OpTesting.infer("DFT", [[1, 10, 10, 1], nil, []], ["onesided": .int(1)], opset: 20)
    // Dim 0 (1) stays 1 whichever axis it is: floor(1/2)+1 = 1.
    #expect(rfft.outputs[0].shape == [1, .unknown, .unknown, 2])
    let irfft = try OpTesting.infer(
      "DFT", [[2, 6, 10, 2], nil, []], ["onesided": .int(1), "inverse": .int(1)], opset: 20)
    #expect(irfft.outputs[0].shape == [2, .unknown, .unknown, 1])  // 2*(2-1) = 2 keeps dim 0
    // test_dft_irfft: dim 0 (1) cannot be inverted one-sided (length 2*(1-1) = 0), so it is not the axis.
    let single = try OpTesting.infer(
      "DFT", [[1, 6, 10, 2], nil, []], ["onesided": .int(1), "inverse": .int(1)], opset: 20)
    #expect(single.outputs[0].shape == [1, .unknown, .unknown, 1])
    #expect(throws: OpError.self) { try OpTesting.infer("DFT", [[1, 10, 3]], opset: 20) }
  }

  @Test func stftFramesTheSignal() throws {
    // test_stft_with_window: signal 1x128x1, frame_step 8, window 16 → frames (128-16)/8+1 = 15, bins 16/2+1 = 9.
    let out = try OpTesting.infer("STFT", [[1, 128, 1], [], [16]], constants: [1: Self.scalar(8)])
    #expect(out.outputs[0].shape == Shape([1, (128 - 16) / 8 + 1, 16 / 2 + 1, 2]))
    #expect(
      out.cost
        == Cost(
          macs: Self.naiveMacs(lines: 15, bins: 9, samples: 16, complexIn: false, realOut: false),
          multiplies: 15 * 16))
    // test_stft: no window, frame_length 16 given, two-sided.
    let twoSided = try OpTesting.infer(
      "STFT", [[1, 128, 1], [], nil, []], ["onesided": .int(0)], constants: [1: Self.scalar(8), 3: Self.scalar(16)])
    #expect(twoSided.outputs[0].shape == [1, 15, 16, 2])
    #expect(twoSided.cost.multiplies == 0)
    let runtime = try OpTesting.infer("STFT", [[1, 128, 1], [], [16]])
    #expect(runtime.outputs[0].shape == [1, .unknown, 9, 2])
  }

  @Test func windowsAndMelMatrixAreTables() throws {
    // test_hannwindow: size 10 → [10]; a0 - a1*cos(2πn/N): 2 multiplies, 1 cos, 1 add per value.
    let hann = try OpTesting.infer("HannWindow", [[]], constants: [0: Self.scalar(10)])
    #expect(hann.outputs[0].shape == [10])
    #expect(hann.cost == Cost(adds: 10, multiplies: 20, others: 10))
    // Blackman has a second cosine term.
    let blackman = try OpTesting.infer(
      "BlackmanWindow", [[]], ["output_datatype": .int(11)], constants: [0: Self.scalar(10)])
    #expect(blackman.outputs[0].dataType == .float64)
    #expect(blackman.cost == Cost(adds: 20, multiplies: 40, others: 20))
    #expect(try OpTesting.infer("HammingWindow", [[]]).outputs[0].shape == [.unknown])
    // test_melweightmatrix: 8 mel bins, dft_length 16 → [16/2+1, 8].
    let mel = try OpTesting.infer(
      "MelWeightMatrix", [[], [], [], [], []], constants: [0: Self.scalar(8), 1: Self.scalar(16)])
    #expect(mel.outputs[0].shape == Shape([16 / 2 + 1, 8]))
    #expect(mel.cost == Cost(adds: 2 * 72, divides: 2 * 72, compares: 2 * 72))
  }
}
