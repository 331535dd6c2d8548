/// `DFT`: the discrete Fourier transform along one axis of `[..., 1]` (real) or `[..., 2]`
/// (complex) signals. <https://onnx.ai/onnx/operators/onnx__DFT.html>
///
/// Shape: the axis (attribute `axis`, default 1, before opset 20; input 2, default -2, from
/// opset 20) becomes `dft_length` (input 1; default the axis size, `2 * (size - 1)` for an
/// inverse one-sided transform), or `floor(dft_length / 2) + 1` for a forward one-sided one;
/// the last dim is 1 for an inverse one-sided transform (a real signal) and 2 otherwise. A length
/// computed at run time leaves the axis unknown; an axis computed at run time, every signal dim
/// the transform would resize.
///
/// Cost, counted as the naive transform (ConvScope does not assume an FFT): every output bin of
/// a line sums `n = min(dft_length, size)` input samples times a precomputed twiddle factor
/// (not counted): a real sample times a complex factor is 2 real MACs, a complex one 4, and 2
/// when only the real part is kept (inverse one-sided). An inverse transform scales each output
/// component by `1/dft_length` (1 multiply). Lines = elements of the input without its last dim
/// / size of the axis.
///
/// Example: X 1x10x10x1 (real), axis 1 → 1x10x10x2; 10 lines, each 10 bins of 10 samples at
/// 2 MACs: `10 * 10 * 10 * 2 = 2_000` MACs.
public struct DFTRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["DFT"] }
  public func family(of opType: String) -> OpFamily { .spectral }
  public var summary: String {
    "axis → dft_length (one-sided: len/2+1), last dim 2 (IRFFT 1); naive MACs = lines*bins*samples*(1|2)*(1|2)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let dims = try context.sizes(0)
    guard dims.count >= 2, dims.last == 1 || dims.last == 2 else {
      throw OpError(field: "inputs[0]", "the signal must be [..., 1] (real) or [..., 2] (complex), got \(Shape(dims))")
    }
    let inverse = try context.int("inverse", default: 0) != 0
    let onesided = try context.int("onesided", default: 0) != 0
    let type = try context.input(0).dataType
    let roles: [Int: InputRole] = [1: .configuration, 2: .configuration]
    var out = dims.map(Dim.fixed)
    out[dims.count - 1] = .fixed(onesided && inverse ? 1 : 2)
    let given = context.has(1) ? context.constantInts(1)?.first : nil
    // The DFT length along an axis of `size`, and the bins it gives; nil when given at run time.
    func transform(_ size: Int) throws(OpError) -> (length: Int, bins: Int)? {
      if context.has(1) && given == nil { return nil }
      var length = size
      if let given {
        length = given
      } else if onesided && inverse {
        length = try Checked.multiply(2, size - 1)
      }
      guard length >= 1 else { throw OpError(field: "inputs[1]", "dft_length must be positive, got \(length)") }
      return (length, onesided && !inverse ? length / 2 + 1 : length)
    }
    guard let axis = try Self.axis(context, rank: dims.count) else {
      // Any signal axis may be the one: a dim stays known if transforming it keeps its size, or
      // if it cannot be transformed at all (then it is not the axis).
      for i in 0..<(dims.count - 1) {
        do {
          if try transform(dims[i])?.bins != dims[i] { out[i] = .unknown }
        } catch {
          continue
        }
      }
      return OpOutcome(
        outputs: [.init(dataType: type, shape: Shape(out))], inputRoles: roles,
        warnings: ["the axis is computed at run time; the transform's cost is not counted"])
    }
    let size = dims[axis]
    guard let (length, bins) = try transform(size) else {
      out[axis] = .unknown
      return OpOutcome(
        outputs: [.init(dataType: type, shape: Shape(out))], inputRoles: roles,
        warnings: ["dft_length is computed at run time; the transform's cost is not counted"])
    }
    out[axis] = .fixed(bins)
    let lines = size == 0 ? 0 : try Checked.product(Array(dims.dropLast())) / size
    let perProduct = (dims.last == 2 ? 2 : 1) * (onesided && inverse ? 1 : 2)
    let macs = try Checked.product([lines, bins, min(length, size), perProduct])
    let outputValues = try Checked.product([lines, bins, onesided && inverse ? 1 : 2])
    return OpOutcome(
      outputs: [.init(dataType: type, shape: Shape(out))],
      cost: Cost(macs: macs, multiplies: inverse ? outputValues : 0), inputRoles: roles)
  }

  /// The transformed axis, or `nil` when input 2 gives it at run time.
  private static func axis(_ context: NodeContext, rank: Int) throws(OpError) -> Int? {
    var value = -2
    if context.opset < 20 {
      value = try context.int("axis", default: 1)
    } else if context.has(2) {
      guard let given = context.constantInts(2)?.first else { return nil }
      value = given
    }
    let axis = try ShapeOps.axis(value, rank: rank, field: context.opset < 20 ? "axis" : "inputs[2]")
    guard axis < rank - 1 else {
      throw OpError(field: "axis", "the last axis holds the real and imaginary parts and cannot be transformed")
    }
    return axis
  }
}

/// `STFT`: the short-time Fourier transform of `signal [batch, length, 1 or 2]`.
/// <https://onnx.ai/onnx/operators/onnx__STFT.html>
///
/// Shape: `[batch, frames, bins, 2]` with `frames = (length - frame_length) / frame_step + 1`,
/// `frame_length` input 3 or the window's length, `bins = frame_length / 2 + 1` when `onesided`
/// (the default), else `frame_length`. Values computed at run time leave their dims unknown.
///
/// Cost, per frame: the window multiplies each sample (frame_length multiplies per component,
/// when a window is given), then the naive DFT of ``DFTRule``: `bins * frame_length` products of
/// 2 MACs (real signal) or 4 (complex).
///
/// Example: signal 1x128x1, frame_step 8, window of 16 → 1x15x9x2; 15 frames of 16 window
/// multiplies and `9 * 16 * 2 = 288` MACs: 240 multiplies, 4_320 MACs.
public struct STFTRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["STFT"] }
  public func family(of opType: String) -> OpFamily { .spectral }
  public var summary: String {
    "Y[batch,frames,bins,2], frames=(len-fl)/step+1, bins=fl/2+1 (onesided); per frame fl multiplies + bins*fl*2 MACs"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let signal = try context.sizes(0)
    guard signal.count == 3, signal[2] == 1 || signal[2] == 2 else {
      throw OpError(field: "inputs[0]", "the signal must be [batch, length, 1 or 2], got \(Shape(signal))")
    }
    let onesided = try context.int("onesided", default: 1) != 0
    var frameLength: Int?
    if context.has(3) {
      frameLength = context.constantInts(3)?.first
    } else if context.has(2) {
      frameLength = try context.sizes(2).first
    }
    let step = context.constantInts(1)?.first
    var frames: Int?
    if let frameLength, let step {
      guard step > 0, frameLength > 0, frameLength <= signal[1] else {
        throw OpError(
          field: "inputs[1]", "frame_step \(step) and frame_length \(frameLength) do not fit a signal of \(signal[1])")
      }
      frames = (signal[1] - frameLength) / step + 1
    }
    let bins = frameLength.map { onesided ? $0 / 2 + 1 : $0 }
    let shape = Shape([.fixed(signal[0]), frames.map(Dim.fixed) ?? .unknown, bins.map(Dim.fixed) ?? .unknown, 2])
    let output = OpOutcome.Output(dataType: try context.input(0).dataType, shape: shape)
    let roles: [Int: InputRole] = [1: .configuration, 2: .configuration, 3: .configuration]
    guard let frameLength, let frames, let bins else {
      return OpOutcome(
        outputs: [output], inputRoles: roles,
        warnings: ["the frame count is computed at run time; the transform's cost is not counted"])
    }
    let count = try Checked.multiply(signal[0], frames)
    let windowed = context.has(2) ? try Checked.product([count, frameLength, signal[2]]) : 0
    let macs = try Checked.product([count, bins, frameLength, 2 * signal[2]])
    return OpOutcome(outputs: [output], cost: Cost(macs: macs, multiplies: windowed), inputRoles: roles)
  }
}

/// `HannWindow`, `HammingWindow`, `BlackmanWindow`: a window of `size` (input 0, a scalar)
/// values. <https://onnx.ai/onnx/operators/onnx__HannWindow.html>
///
/// Shape: `[size]` of `output_datatype` (default float); unknown when `size` is computed at
/// run time. Cost per value, as its formula `a0 - a1 * cos(2πn/N) (+ a2 * cos(4πn/N))` reads:
/// each cosine term is 1 multiply (its argument), 1 cosine ("other"), 1 multiply (its
/// coefficient) and 1 add. Hann and Hamming have one term, Blackman two.
///
/// Example: HannWindow of size 10 → [10]; 20 multiplies, 10 others, 10 adds.
public struct WindowFunctionRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["HannWindow", "HammingWindow", "BlackmanWindow"] }
  public func family(of opType: String) -> OpFamily { .spectral }
  public var summary: String { "Y[size]; per value and cosine term 2 multiplies, 1 cos, 1 add (Blackman: 2 terms)" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let type = try SignalTables.outputType(context)
    guard let size = context.constantInts(0)?.first else {
      return OpOutcome(
        outputs: [.init(dataType: type, shape: Shape([Dim.unknown]))], inputRoles: [0: .configuration],
        warnings: ["the window size is computed at run time; its cost is not counted"])
    }
    guard size >= 0 else { throw OpError(field: "inputs[0]", "the window size must not be negative, got \(size)") }
    let terms = context.node.opType == "BlackmanWindow" ? 2 : 1
    let count = try Checked.multiply(size, terms)
    return OpOutcome(
      outputs: [.init(dataType: type, shape: Shape([size]))],
      cost: Cost(adds: count, multiplies: try Checked.multiply(count, 2), others: count),
      inputRoles: [0: .configuration])
  }
}

/// `MelWeightMatrix`: the triangular filter bank that maps a one-sided spectrum onto mel bins.
/// <https://onnx.ai/onnx/operators/onnx__MelWeightMatrix.html>
///
/// Shape: `[floor(dft_length / 2) + 1, num_mel_bins]` of `output_datatype` (inputs 1 and 0; a
/// dim computed at run time stays unknown). Cost per value, the triangle
/// `max(0, min((f - lower) / (center - lower), (upper - f) / (upper - center)))`: 2 adds,
/// 2 divides, 2 compares (the mel conversions of the band edges are per bin and not counted).
///
/// Example: num_mel_bins 8, dft_length 16 → [9, 8]; 72 values: 144 adds, 144 divides, 144 compares.
public struct MelWeightMatrixRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["MelWeightMatrix"] }
  public func family(of opType: String) -> OpFamily { .spectral }
  public var summary: String { "Y[dft_length/2+1, num_mel_bins]; per value 2 adds, 2 divides, 2 compares" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let type = try SignalTables.outputType(context)
    let melBins = context.constantInts(0)?.first
    let length = context.constantInts(1)?.first
    guard (melBins ?? 0) >= 0, (length ?? 0) >= 0 else {
      throw OpError(field: "inputs[0]", "num_mel_bins and dft_length must not be negative")
    }
    let spectrumBins = length.map { $0 / 2 + 1 }
    let shape = Shape([spectrumBins.map(Dim.fixed) ?? .unknown, melBins.map(Dim.fixed) ?? .unknown])
    let roles: [Int: InputRole] = [0: .configuration, 1: .configuration, 2: .configuration]
    guard let count = try shape.sizes.map({ (sizes) throws(OpError) in try Checked.product(sizes) }) else {
      return OpOutcome(
        outputs: [.init(dataType: type, shape: shape)], inputRoles: roles,
        warnings: ["the matrix size is computed at run time; its cost is not counted"])
    }
    let perValue = try Checked.multiply(count, 2)
    return OpOutcome(
      outputs: [.init(dataType: type, shape: shape)], cost: Cost(adds: perValue, divides: perValue, compares: perValue),
      inputRoles: roles)
  }
}

/// What the table generators share.
enum SignalTables {
  /// The `output_datatype` attribute (default 1, float).
  static func outputType(_ context: NodeContext) throws(OpError) -> DataType {
    let code = try context.int("output_datatype", default: 1)
    guard let type = DataType(onnxCode: code), type != .undefined else {
      throw OpError(field: "output_datatype", "\(code) is not an ONNX data type code")
    }
    return type
  }
}
