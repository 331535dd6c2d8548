/// ONNX's `auto_pad` attribute.
public enum AutoPad: String, Sendable, Hashable, Codable {
  case notSet = "NOTSET"
  case sameUpper = "SAME_UPPER"
  case sameLower = "SAME_LOWER"
  case valid = "VALID"
}

/// The geometry of a sliding window over the spatial axes, resolved against an
/// input: kernel, strides, dilations and the real padding on each side.
///
/// One rank-generic helper serves Conv, ConvTranspose, every pool and the
/// receptive-field pass. For each spatial axis (ONNX Conv/MaxPool docs):
///
///     effective kernel  k' = (k - 1) * d + 1
///     explicit pads     out = floor((in + pb + pe - k') / s) + 1      (ceil with ceil_mode)
///     SAME_UPPER/LOWER  out = ceil(in / s), total pad = max(0, (out - 1) * s + k' - in),
///                       the odd unit at the end (UPPER) or the beginning (LOWER)
///     VALID             pads 0
///
/// With `ceil_mode`, a last window that would start inside the end padding is
/// dropped (PyTorch and the ONNX reference agree).
///
/// Example: in 57, k 5, s 1, SAME → pads 2+2, `(57-5+2+2)/1+1 = 57`.
public struct Window: Hashable, Sendable, Codable {
  public var kernel: [Int]
  public var strides: [Int]
  public var dilations: [Int]
  public var padsBegin: [Int]
  public var padsEnd: [Int]
  /// Whether output sizes round up (pools with `ceil_mode = 1`, Caffe pooling).
  public var ceilMode: Bool
  /// Whether this is a transposed convolution (the window maps outputs to inputs).
  public var transposed: Bool

  enum CodingKeys: String, CodingKey {
    case kernel, strides, dilations
    case padsBegin = "pads_begin"
    case padsEnd = "pads_end"
    case ceilMode = "ceil_mode"
    case transposed
  }

  public init(
    kernel: [Int], strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int],
    ceilMode: Bool = false, transposed: Bool = false
  ) {
    self.kernel = kernel
    self.strides = strides
    self.dilations = dilations
    self.padsBegin = padsBegin
    self.padsEnd = padsEnd
    self.ceilMode = ceilMode
    self.transposed = transposed
  }

  /// The effective kernel extent along `axis`: `(k - 1) * d + 1`.
  public func effectiveKernel(_ axis: Int) -> Int { (kernel[axis] - 1) * dilations[axis] + 1 }

  /// The result of sliding a window over an input.
  public struct Resolved: Sendable, Hashable {
    public var window: Window
    /// Output size per spatial axis.
    public var output: [Int]
    /// The formula per axis, as numbers: `(57-5+2+2)/1+1 = 57`.
    public var formulas: [String]
    /// One remark per axis whose division was not exact.
    public var warnings: [String]
  }

  /// Resolves the window of a forward conv or pool over `input` (spatial sizes only).
  ///
  /// - Parameters:
  ///   - pads: ONNX layout `[x1_begin, x2_begin, ..., x1_end, x2_end]`, or `nil` for zeros.
  public static func resolve(
    input: [Int], kernel: [Int], strides: [Int]?, dilations: [Int]?, pads: [Int]?,
    autoPad: AutoPad, ceilMode: Bool = false
  ) throws(OpError) -> Resolved {
    var window = try validated(input: input, kernel: kernel, strides: strides, dilations: dilations, pads: pads)
    window.ceilMode = ceilMode
    let rank = input.count
    var output: [Int] = []
    var formulas: [String] = []
    var warnings: [String] = []
    output.reserveCapacity(rank)
    formulas.reserveCapacity(rank)
    for axis in 0..<rank {
      let size = input[axis]
      let stride = window.strides[axis]
      let dilation = window.dilations[axis]
      let extent = try Checked.add(try Checked.multiply(kernel[axis] - 1, dilation), 1)
      switch autoPad {
      case .sameUpper, .sameLower:
        let out = size / stride + (size % stride == 0 ? 0 : 1)
        let total = max(0, try Checked.add(try Checked.multiply(max(out - 1, 0), stride), extent) - size)
        let small = total / 2
        let large = total - small
        window.padsBegin[axis] = autoPad == .sameUpper ? small : large
        window.padsEnd[axis] = autoPad == .sameUpper ? large : small
      case .valid:
        window.padsBegin[axis] = 0
        window.padsEnd[axis] = 0
      case .notSet:
        break
      }
      let begin = window.padsBegin[axis]
      let end = window.padsEnd[axis]
      let span = try Checked.add(size, try Checked.add(begin, end)) - extent
      guard span >= 0 else {
        throw OpError(
          field: "kernel_shape",
          "kernel extent \(extent) on spatial axis \(axis) is larger than the padded input \(size + begin + end)")
      }
      var out = span / stride + 1
      let exact = span % stride == 0
      if !exact && ceilMode {
        out += 1
        if try Checked.multiply(out - 1, stride) >= size + begin { out -= 1 }
      }
      let terms = FormulaTerms(
        size: size, kernel: kernel[axis], dilation: dilation, extent: extent, begin: begin, end: end, stride: stride)
      let text: String
      if exact {
        text = Self.formula(terms, output: out)  // one string built
      } else {
        let ratio = Self.formula(terms, output: nil)
        let real = Double(span) / Double(stride) + 1
        let rounding = ceilMode ? "ceil" : "floor"
        text = "\(ratio)+1 = \(formatDecimal(real)) → \(out) (\(rounding))"
        // Floor leaves the last `span % stride` padded positions unread: worth a word only
        // when they reach past the end padding into the input itself.
        let unread = span % stride - end
        if ceilMode {
          warnings.append("axis \(axis): \(ratio) is not whole; ceil applied")
        } else if unread > 0 {
          warnings.append(
            "axis \(axis): \(ratio) is not whole; floor leaves the last"
              + " \(unread) input element\(unread == 1 ? "" : "s") unread")
        }
      }
      output.append(out)
      formulas.append(text)
    }
    return Resolved(window: window, output: output, formulas: formulas, warnings: warnings)
  }

  /// The numbers of one axis's output-size formula.
  private struct FormulaTerms {
    /// The input size, the kernel size, its dilation and extent, the padding at each end, the stride.
    var size, kernel, dilation, extent, begin, end, stride: Int
  }

  /// `(57-5+2+2)/1`, then `+1 = 57` when `output` is given (a dilated kernel shows as
  /// `((3-1)*2+1)`). Written as bytes, with no string made for a number.
  private static func formula(_ terms: FormulaTerms, output: Int?) -> String {
    let (size, kernel, dilation, extent, begin, end, stride) = (
      terms.size, terms.kernel, terms.dilation, terms.extent, terms.begin, terms.end, terms.stride
    )
    return DecimalDigits.text(capacity: 9 * DecimalDigits.maxCount + 32) { out in
      out.append("(")
      out.append(size)
      if dilation == 1 {
        out.append("-")
        out.append(extent)
      } else {
        out.append("-((")
        out.append(kernel)
        out.append("-1)*")
        out.append(dilation)
        out.append("+1)")
      }
      out.append("+")
      out.append(begin)
      out.append("+")
      out.append(end)
      out.append(")/")
      out.append(stride)
      if let output {
        out.append("+1 = ")
        out.append(output)
      }
    }
  }

  /// A window from the attributes, checked: one value per spatial axis, kernel, strides and
  /// dilations positive, pads not negative. Missing strides and dilations are 1, missing pads 0.
  static func validated(
    input: [Int], kernel: [Int], strides: [Int]?, dilations: [Int]?, pads: [Int]?
  ) throws(OpError) -> Window {
    let rank = input.count
    let strides = strides ?? Array(repeating: 1, count: rank)
    let dilations = dilations ?? Array(repeating: 1, count: rank)
    let pads = pads ?? Array(repeating: 0, count: 2 * rank)
    try check(input.allSatisfy { $0 >= 0 }, "inputs[0]", "spatial sizes must not be negative, got \(input)")
    try check(kernel.count == rank, "kernel_shape", "has \(kernel.count) values for \(rank) spatial axes")
    try check(strides.count == rank, "strides", "has \(strides.count) values for \(rank) spatial axes")
    try check(dilations.count == rank, "dilations", "has \(dilations.count) values for \(rank) spatial axes")
    try check(pads.count == 2 * rank, "pads", "has \(pads.count) values; expected \(2 * rank) (begin and end per axis)")
    try check(kernel.allSatisfy { $0 > 0 }, "kernel_shape", "must be positive, got \(kernel)")
    try check(strides.allSatisfy { $0 > 0 }, "strides", "must be positive, got \(strides)")
    try check(dilations.allSatisfy { $0 > 0 }, "dilations", "must be positive, got \(dilations)")
    try check(pads.allSatisfy { $0 >= 0 }, "pads", "must not be negative, got \(pads)")
    return Window(
      kernel: kernel, strides: strides, dilations: dilations,
      padsBegin: Array(pads[0..<rank]), padsEnd: Array(pads[rank...]))
  }

  /// Throws `message` (written only then: a message is built per node) unless `condition` holds.
  static func check(_ condition: Bool, _ field: String, _ message: @autoclosure () -> String) throws(OpError) {
    if !condition { throw OpError(field: field, message()) }
  }

  /// `28.5`, `9.33`: up to two decimals, no trailing zeros.
  static func formatDecimal(_ value: Double) -> String {
    guard value.magnitude < 1e15 else { return "\(value)" }  // hundredths would pass Int.max
    let hundredths = Int((value * 100).rounded())
    let whole = hundredths / 100
    let fraction = hundredths % 100
    if fraction == 0 { return "\(whole)" }
    return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}

extension Window {
  /// Reads `kernel_shape` (or uses `kernel`), `strides`, `dilations`, `pads`,
  /// `auto_pad` and `ceil_mode` from a node and resolves them over `input`.
  public static func resolve(
    _ context: NodeContext, input: [Int], kernel: [Int]? = nil, allowsCeilMode: Bool = false
  ) throws(OpError) -> Resolved {
    let declared = try context.ints("kernel_shape")
    guard let kernel = kernel ?? declared else {
      throw OpError(field: "kernel_shape", "is required")
    }
    let ceilMode = allowsCeilMode ? try context.int("ceil_mode", default: 0) != 0 : false
    return try resolve(
      input: input, kernel: kernel, strides: try context.ints("strides"),
      dilations: try context.ints("dilations"), pads: try context.ints("pads"),
      autoPad: try autoPad(context), ceilMode: ceilMode)
  }

  /// The node's `auto_pad` attribute (`NOTSET` when absent).
  static func autoPad(_ context: NodeContext) throws(OpError) -> AutoPad {
    let name = try context.string("auto_pad", default: "NOTSET")
    guard let autoPad = AutoPad(rawValue: name) else {
      throw OpError(field: "auto_pad", "unknown value '\(name)'; expected NOTSET, SAME_UPPER, SAME_LOWER or VALID")
    }
    return autoPad
  }
}
