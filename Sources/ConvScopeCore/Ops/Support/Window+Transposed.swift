extension Window {
  /// Resolves the window of a transposed convolution over `input` (spatial sizes only).
  ///
  /// Per spatial axis (ONNX ConvTranspose), with `k' = (k - 1) * d + 1`:
  ///
  ///     full extent       full = s * (in - 1) + output_padding + k'
  ///     explicit pads     out = full - pb - pe
  ///     output_shape      out given; total pad = full - out, split as below
  ///     SAME_UPPER/LOWER  out = in * s; total pad = full - out
  ///     split             SAME_UPPER: begin = total / 2, end = the rest;
  ///                       otherwise (SAME_LOWER, NOTSET with output_shape): end = total / 2, begin = the rest
  ///     VALID             pads 0
  ///
  /// A total below zero (an `output_shape` larger than `full`, as in ONNX's own test
  /// `convtranspose_output_shape`) gives negative pads: output positions no tap reaches.
  ///
  /// Example (ONNX test `convtranspose_pad`): in 3, k 3, s 3, output_padding 1 → `3*(3-1)+1+3-0-0 = 10`.
  ///
  /// - Parameters:
  ///   - pads: ONNX layout `[x1_begin, x2_begin, ..., x1_end, x2_end]`, or `nil` for zeros.
  ///   - outputShape: the `output_shape` attribute (spatial sizes), which overrides `pads`.
  public static func resolveTransposed(
    input: [Int], kernel: [Int], strides: [Int]?, dilations: [Int]?, pads: [Int]?,
    outputPadding: [Int]?, outputShape: [Int]?, autoPad: AutoPad
  ) throws(OpError) -> Resolved {
    let rank = input.count
    let outputPadding = outputPadding ?? Array(repeating: 0, count: rank)
    try check(
      outputPadding.count == rank, "output_padding", "has \(outputPadding.count) values for \(rank) spatial axes")
    try check(outputPadding.allSatisfy { $0 >= 0 }, "output_padding", "must not be negative, got \(outputPadding)")
    if let outputShape {
      try check(outputShape.count == rank, "output_shape", "has \(outputShape.count) values for \(rank) spatial axes")
      try check(outputShape.allSatisfy { $0 > 0 }, "output_shape", "must be positive, got \(outputShape)")
    }
    var window = try validated(input: input, kernel: kernel, strides: strides, dilations: dilations, pads: pads)
    if autoPad == .valid {
      window.padsBegin = Array(repeating: 0, count: rank)
      window.padsEnd = Array(repeating: 0, count: rank)
    }
    window.transposed = true
    var output: [Int] = []
    var formulas: [String] = []
    var warnings: [String] = []
    for axis in 0..<rank {
      let size = input[axis]
      let stride = window.strides[axis]
      let extent = window.effectiveKernel(axis)
      let full = try Checked.sum([try Checked.multiply(stride, size - 1), outputPadding[axis], extent])
      let sameSize = try Checked.multiply(size, stride)
      let target: Int? = outputShape.map { $0[axis] } ?? (autoPad.isSame ? sameSize : nil)
      if let target {
        // Python's floor division, as the ONNX reference: a target beyond the kernel's reach
        // gives a negative total, i.e. output positions that receive only the bias.
        let total = full - target
        let half = total >= 0 ? total / 2 : -((1 - total) / 2)
        window.padsBegin[axis] = autoPad == .sameUpper ? half : total - half
        window.padsEnd[axis] = total - window.padsBegin[axis]
        if total < 0 {
          warnings.append(
            "axis \(axis): output size \(target) exceeds the \(full) positions the kernel reaches; "
              + "the other \(-total) receive only the bias")
        }
      }
      let out = full - window.padsBegin[axis] - window.padsEnd[axis]
      guard out > 0 else {
        throw OpError(
          field: "pads",
          "pads \(window.padsBegin[axis])+\(window.padsEnd[axis]) on spatial axis \(axis) remove all \(full) output positions"
        )
      }
      let kernelText = window.dilations[axis] == 1 ? "\(extent)" : "((\(kernel[axis])-1)*\(window.dilations[axis])+1)"
      let cropped = [window.padsBegin[axis], window.padsEnd[axis]].map { $0 >= 0 ? "-\($0)" : "+\(-$0)" }.joined()
      formulas.append("\(stride)*(\(size)-1)+\(outputPadding[axis])+\(kernelText)\(cropped) = \(out)")
      output.append(out)
    }
    return Resolved(window: window, output: output, formulas: formulas, warnings: warnings)
  }

  /// Reads `strides`, `dilations`, `pads`, `output_padding`,
  /// `output_shape` and `auto_pad` from a node and resolves a transposed window over `input`.
  public static func resolveTransposed(
    _ context: NodeContext, input: [Int], kernel: [Int]
  ) throws(OpError) -> Resolved {
    return try resolveTransposed(
      input: input, kernel: kernel, strides: try context.ints("strides"), dilations: try context.ints("dilations"),
      pads: try context.ints("pads"), outputPadding: try context.ints("output_padding"),
      outputShape: try context.ints("output_shape"), autoPad: try autoPad(context))
  }
}

extension AutoPad {
  /// Whether the padding is chosen so that `out = ceil(in / s)` (forward) or `out = in * s` (transposed).
  var isSame: Bool { self == .sameUpper || self == .sameLower }
}
