import ConvScope
import Testing

/// The sliding-window arithmetic, one row per case, each expected value derived by hand from the
/// ONNX Conv/MaxPool docs (out = floor((in + pb + pe - ((k-1)*d+1)) / s) + 1, ceil with
/// ceil_mode minus a last window that would start in the end padding; SAME: out = ceil(in/s),
/// total pad (out-1)*s + k' - in, the odd unit at the end for UPPER, at the start for LOWER).
@Suite struct WindowTests {
  struct Row: CustomTestStringConvertible, Sendable {
    var label: String
    var input: [Int], kernel: [Int]
    var strides: [Int]? = nil, dilations: [Int]? = nil, pads: [Int]? = nil
    var autoPad: AutoPad = .notSet
    var ceil = false
    var output: [Int]
    var padsBegin: [Int], padsEnd: [Int]
    var testDescription: String { label }
  }

  static let rows: [Row] = [
    // (32-2+0+0)/1+1 = 31  (ONNX maxpool_1d_default)
    Row(label: "1-D", input: [32], kernel: [2], output: [31], padsBegin: [0], padsEnd: [0]),
    // (7-3+1+1)/2+1 = 4, (5-3+0+0)/2+1 = 2  (ONNX conv_with_strides_and_asymmetric_padding)
    Row(
      label: "2-D pads differ per axis", input: [7, 5], kernel: [3, 3], strides: [2, 2], pads: [1, 0, 1, 0],
      output: [4, 2], padsBegin: [1, 0], padsEnd: [1, 0]),
    // (10-3+2+0)/1+1 = 10, (6-2+0+1)/1+1 = 6: begin and end differ on each axis
    Row(
      label: "2-D asymmetric begin/end", input: [10, 6], kernel: [3, 2], pads: [2, 0, 0, 1],
      output: [10, 6], padsBegin: [2, 0], padsEnd: [0, 1]),
    // k' = (5-1)*2+1 = 9; (32-9)/3+1 = 8.67 → 8  (ONNX averagepool_3d_dilations_large, ceil_mode 0)
    Row(
      label: "3-D dilated floor", input: [32, 32, 32], kernel: [5, 5, 5], strides: [3, 3, 3],
      dilations: [2, 2, 2], output: [8, 8, 8], padsBegin: [0, 0, 0], padsEnd: [0, 0, 0]),
    // the same with ceil_mode: 9; the 9th window starts at 8*3 = 24 < 32, so it stays
    Row(
      label: "3-D dilated ceil", input: [32, 32, 32], kernel: [5, 5, 5], strides: [3, 3, 3],
      dilations: [2, 2, 2], ceil: true, output: [9, 9, 9], padsBegin: [0, 0, 0], padsEnd: [0, 0, 0]),
    // (4-3)/2+1 = 1.5 → 2 with ceil  (ONNX maxpool_2d_ceil)
    Row(
      label: "ceil adds a partial window", input: [4, 4], kernel: [3, 3], strides: [2, 2], ceil: true,
      output: [2, 2], padsBegin: [0, 0], padsEnd: [0, 0]),
    Row(
      label: "floor of the same", input: [4, 4], kernel: [3, 3], strides: [2, 2],
      output: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0]),
    // (2-3+1+1)/3+1 = 1.33 → ceil 2, but window 2 starts at 1*3 = 3 >= 2+1 (in the end padding): 1
    // (ONNX averagepool_2d_ceil_last_window_starts_on_pad)
    Row(
      label: "ceil drops a window starting on the end pad", input: [2, 2], kernel: [3, 3], strides: [3, 3],
      pads: [1, 1, 1, 1], ceil: true, output: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1]),
    // (5-2+1+1)/2+1 = 3.5 → ceil 4, but window 4 starts at 3*2 = 6 >= 5+1: 3
    Row(
      label: "ceil drop, 1-D padded", input: [5], kernel: [2], strides: [2], pads: [1, 1], ceil: true,
      output: [3], padsBegin: [1], padsEnd: [1]),
    // (2-1)/2+1 = 1.5 → ceil 2, window 2 starts at 2 >= 2: 1  (ONNX maxpool_2d_ceil_output_size_reduce_by_one)
    Row(
      label: "ceil drop without padding", input: [2, 2], kernel: [1, 1], strides: [2, 2], ceil: true,
      output: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0]),
    // SAME, s 1: out 5, total (5-1)*1+4-5 = 3 → UPPER 1+2, LOWER 2+1
    Row(
      label: "SAME_UPPER odd total", input: [5], kernel: [4], autoPad: .sameUpper,
      output: [5], padsBegin: [1], padsEnd: [2]),
    Row(
      label: "SAME_LOWER odd total", input: [5], kernel: [4], autoPad: .sameLower,
      output: [5], padsBegin: [2], padsEnd: [1]),
    // SAME, s 2: out ceil(6/2) = 3, total (3-1)*2+3-6 = 1 → UPPER 0+1, LOWER 1+0;
    // second axis in 5: out 3, total 2*2+3-5 = 2 → 1+1 either way
    Row(
      label: "SAME_UPPER strided", input: [6, 5], kernel: [3, 3], strides: [2, 2], autoPad: .sameUpper,
      output: [3, 3], padsBegin: [0, 1], padsEnd: [1, 1]),
    Row(
      label: "SAME_LOWER strided", input: [6, 5], kernel: [3, 3], strides: [2, 2], autoPad: .sameLower,
      output: [3, 3], padsBegin: [1, 1], padsEnd: [0, 1]),
    // SAME dilated: k' = (3-1)*2+1 = 5, out 7, total 6+5-7 = 4 → 2+2
    Row(
      label: "SAME dilated", input: [7], kernel: [3], dilations: [2], autoPad: .sameUpper,
      output: [7], padsBegin: [2], padsEnd: [2]),
    // VALID ignores the pads attribute: (7-3+0+0)/2+1 = 3
    Row(
      label: "VALID", input: [7], kernel: [3], strides: [2], pads: [1, 1], autoPad: .valid,
      output: [3], padsBegin: [0], padsEnd: [0]),
    // kernel 5 on 3 fits once padding makes it 5: (3-5+1+1)/1+1 = 1
    Row(
      label: "kernel equal to the padded input", input: [3], kernel: [5], pads: [1, 1],
      output: [1], padsBegin: [1], padsEnd: [1]),
  ]

  @Test(arguments: rows) func resolvesLikeTheHandDerivation(_ row: Row) throws {
    let resolved = try Window.resolve(
      input: row.input, kernel: row.kernel, strides: row.strides, dilations: row.dilations, pads: row.pads,
      autoPad: row.autoPad, ceilMode: row.ceil)
    #expect(resolved.output == row.output)
    #expect(resolved.window.padsBegin == row.padsBegin)
    #expect(resolved.window.padsEnd == row.padsEnd)
    #expect(resolved.window.ceilMode == row.ceil)
    #expect(!resolved.window.transposed)
  }

  @Test func formulasShowTheNumbersAndTheRounding() throws {
    let resolved = try Window.resolve(
      input: [4, 57], kernel: [3, 5], strides: [2, 1], dilations: nil, pads: [0, 2, 0, 2], autoPad: .notSet,
      ceilMode: true)
    #expect(resolved.formulas == ["(4-3+0+0)/2+1 = 1.5 → 2 (ceil)", "(57-5+2+2)/1+1 = 57"])
    #expect(resolved.warnings.count == 1)
  }

  @Test func aKernelLargerThanThePaddedInputIsAnError() {
    // k 5 on an input of 3 with no padding; dilated k' = (3-1)*2+1 = 5 on 4.
    #expect(throws: OpError.self) {
      try Window.resolve(input: [3], kernel: [5], strides: nil, dilations: nil, pads: nil, autoPad: .notSet)
    }
    #expect(throws: OpError.self) {
      try Window.resolve(input: [8, 4], kernel: [3, 3], strides: nil, dilations: [2, 2], pads: nil, autoPad: .notSet)
    }
  }

  @Test func attributeCountsMustMatchTheRank() {
    #expect(throws: OpError.self) {
      try Window.resolve(input: [8, 8], kernel: [3, 3], strides: [1], dilations: nil, pads: nil, autoPad: .notSet)
    }
    #expect(throws: OpError.self) {
      try Window.resolve(input: [8, 8], kernel: [3, 3], strides: nil, dilations: nil, pads: [1, 1], autoPad: .notSet)
    }
  }

  // MARK: Transposed (ONNX ConvTranspose: out = s*(in-1) + output_padding + k' - pb - pe)

  @Test func transposedFollowsTheOnnxFormula() throws {
    // ONNX convtranspose_pad: 3*(3-1)+1+3-0-0 = 10, 2*(3-1)+1+3-0-0 = 8
    let padded = try Window.resolveTransposed(
      input: [3, 3], kernel: [3, 3], strides: [3, 2], dilations: nil, pads: nil, outputPadding: [1, 1],
      outputShape: nil, autoPad: .notSet)
    #expect(padded.output == [10, 8])
    #expect(padded.window.transposed)
    #expect(padded.formulas == ["3*(3-1)+1+3-0-0 = 10", "2*(3-1)+1+3-0-0 = 8"])
    // ONNX convtranspose_pads: 3*2+3-1-1 = 7, 2*2+3-2-2 = 3
    let cropped = try Window.resolveTransposed(
      input: [3, 3], kernel: [3, 3], strides: [3, 2], dilations: nil, pads: [1, 2, 1, 2], outputPadding: nil,
      outputShape: nil, autoPad: .notSet)
    #expect(cropped.output == [7, 3])
    // dilated: k' = (2-1)*2+1 = 3; 1*(3-1)+0+3 = 5  (ONNX convtranspose_dilations)
    let dilated = try Window.resolveTransposed(
      input: [3], kernel: [2], strides: nil, dilations: [2], pads: nil, outputPadding: nil, outputShape: nil,
      autoPad: .notSet)
    #expect(dilated.output == [5])
  }

  @Test func transposedSameSplitsTheTotalPadding() throws {
    // in 3, s 2, k 3: out 3*2 = 6; full 2*2+0+3 = 7; total 1 → UPPER 0+1, LOWER 1+0
    let upper = try Window.resolveTransposed(
      input: [3], kernel: [3], strides: [2], dilations: nil, pads: nil, outputPadding: nil, outputShape: nil,
      autoPad: .sameUpper)
    #expect(upper.output == [6])
    #expect((upper.window.padsBegin, upper.window.padsEnd) == ([0], [1]))
    let lower = try Window.resolveTransposed(
      input: [3], kernel: [3], strides: [2], dilations: nil, pads: nil, outputPadding: nil, outputShape: nil,
      autoPad: .sameLower)
    #expect((lower.window.padsBegin, lower.window.padsEnd) == ([1], [0]))
  }

  @Test func transposedOutputShapeDerivesThePads() throws {
    // output_shape 9 with s 2, k 5 on 4: full 2*3+0+5 = 11, total 2 → 1+1.
    let fitted = try Window.resolveTransposed(
      input: [4], kernel: [5], strides: [2], dilations: nil, pads: nil, outputPadding: nil, outputShape: [9],
      autoPad: .notSet)
    #expect(fitted.output == [9])
    #expect((fitted.window.padsBegin, fitted.window.padsEnd) == ([1], [1]))
    // ONNX convtranspose_output_shape: output 10 where the kernel reaches 3*2+0+3 = 9; total -1,
    // begin -1 - floor(-1/2) = 0, end floor(-1/2) = -1 (as the ONNX reference computes it).
    let grown = try Window.resolveTransposed(
      input: [3], kernel: [3], strides: [3], dilations: nil, pads: nil, outputPadding: nil, outputShape: [10],
      autoPad: .notSet)
    #expect(grown.output == [10])
    #expect((grown.window.padsBegin, grown.window.padsEnd) == ([0], [-1]))
    #expect(grown.formulas == ["3*(3-1)+0+3-0+1 = 10"])
    #expect(grown.warnings.count == 1)
  }

  @Test func transposedPadsThatRemoveEverythingAreAnError() {
    // full 1*(1-1)+0+1 = 1 output position, cropped by 1+1.
    #expect(throws: OpError.self) {
      try Window.resolveTransposed(
        input: [1], kernel: [1], strides: nil, dilations: nil, pads: [1, 1], outputPadding: nil, outputShape: nil,
        autoPad: .notSet)
    }
  }
}
