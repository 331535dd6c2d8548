/// `Conv`: N-D convolution (1-D, 2-D, 3-D), grouped and depthwise, dilated,
/// with explicit or automatic padding. <https://onnx.ai/onnx/operators/onnx__Conv.html>
///
/// Shape: `X [N, Cin, D1..Dk]`, `W [Cout, Cin/group, K1..Kk]`, optional `B [Cout]`
/// → `Y [N, Cout, O1..Ok]` with each `Oi` from ``Window``.
///
/// Cost: `MACs = N * Cout * prod(O) * (Cin/group) * prod(K)`; bias adds `N * Cout * prod(O)`.
/// Params: `prod(K) * (Cin/group) * Cout (+ Cout)`.
///
/// Example (seed Conv1): X 1x1x57x57, W 16x1x1x5, pads 0,2,0,2 → Y 1x16x57x57,
/// MACs `57*57*16 * 1*5*1 = 259_920`, params `1*5*1*16+16 = 96`.
public struct ConvRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["Conv"] }
  public func family(of opType: String) -> OpFamily { .convolution }
  public var summary: String {
    "Y[N,Cout,O..] with O=(I-((K-1)*d+1)+pb+pe)/s+1; MACs=N*Cout*prod(O)*Cin/g*prod(K); bias adds N*Cout*prod(O)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    try Self.convolve(context, inputs: .standard, outputType: try context.input(0).dataType)
  }

  /// Where a convolution finds its operands: `Conv` reads X, W, B at 0, 1, 2; `QLinearConv`
  /// at 0, 3, 8 (its scales and zero points between); `ConvInteger` has no bias.
  struct Operands {
    var data = 0
    var weight = 1
    var bias: Int? = 2
    /// `X [N, D1..Dk, C]` and `Y [N, O1..Ok, M]` (`NhwcConv`, `channels_last`) instead of `N, C, D..`.
    var channelsLast = false
    /// `W [M, K1..Kk, C/group]` (`NhwcConv`, as ONNX Runtime's `fusion_nhwc_conv` writes it).
    var weightChannelsLast = false

    static let standard = Operands()
  }

  /// The shape, cost, window and parameter formula of a convolution whose operands sit at
  /// `inputs`, giving `outputType`; roles `.weight` and `.bias` on W and B. Shared by `Conv`,
  /// `ConvInteger`, `QLinearConv`, `FusedConv` and `NhwcConv`.
  static func convolve(_ context: NodeContext, inputs: Operands, outputType: DataType) throws(OpError) -> OpOutcome {
    let (storedX, storedW, group) = try ConvolutionParams.inputs(context, data: inputs.data, weight: inputs.weight)
    let x = inputs.channelsLast ? ConvolutionParams.channelsFirst(storedX) : storedX
    let w = inputs.weightChannelsLast ? ConvolutionParams.channelsFirst(storedW) : storedW
    let (batch, inChannels, outChannels) = (x[0], x[1], w[0])
    guard group > 0, inChannels % group == 0, outChannels % group == 0 else {
      throw OpError(
        field: "group", "group \(group) must divide input channels \(inChannels) and output channels \(outChannels)")
    }
    guard w[1] == inChannels / group else {
      throw OpError(
        field: "inputs[\(inputs.weight)]",
        "weight expects \(w[1]) input channels per group, but the input's \(inChannels) in \(group) groups give \(inChannels / group)"
      )
    }
    let kernelDims = Array(w[2...])
    try ConvolutionParams.checkKernelShape(context, weightKernel: kernelDims)
    let resolved = try Window.resolve(context, input: Array(x[2...]), kernel: kernelDims)
    let outputPositions = try Checked.product(resolved.output, times: try Checked.multiply(batch, outChannels))
    let macs = try Checked.product(kernelDims, times: try Checked.multiply(outputPositions, w[1]))
    var hasBias = false
    if let bias = inputs.bias { hasBias = try ConvolutionParams.checkBias(context, channels: outChannels, index: bias) }
    var y: [Dim] = []  // [N, M, spatial...], or [N, spatial..., M] channels last
    y.reserveCapacity(resolved.output.count + 2)
    y.append(.fixed(batch))
    if !inputs.channelsLast { y.append(.fixed(outChannels)) }
    y.append(contentsOf: resolved.output.lazy.map(Dim.fixed))
    if inputs.channelsLast { y.append(.fixed(outChannels)) }
    let roles: [Int: InputRole] = inputs.bias.map { [inputs.weight: .weight, $0: .bias] } ?? [inputs.weight: .weight]
    return OpOutcome(
      outputs: [.init(dataType: outputType, shape: Shape(y))],
      cost: Cost(macs: macs, adds: hasBias ? outputPositions : 0),
      inputRoles: roles,
      window: resolved.window,
      shapeFormulas: resolved.formulas,
      paramFormula: try ConvolutionParams.formula(weight: w, bias: hasBias ? outChannels : nil),
      warnings: resolved.warnings)
  }
}

/// What Conv and ConvTranspose share: the kernel check, the optional bias input and the parameter formula.
enum ConvolutionParams {
  /// The sizes of X and W and the `group` attribute, after the checks Conv and ConvTranspose
  /// share: X is N x C x spatial..., W has X's rank.
  static func inputs(_ context: NodeContext, data: Int = 0, weight: Int = 1) throws(OpError) -> (
    x: [Int], w: [Int], group: Int
  ) {
    let x = try context.sizes(data)
    let w = try context.sizes(weight)
    guard x.count >= 3 else {
      throw OpError(field: "inputs[0]", "\(context.node.opType) input must be N x C x spatial..., got rank \(x.count)")
    }
    guard w.count == x.count else {
      throw OpError(field: "inputs[\(weight)]", "weight rank \(w.count) does not match input rank \(x.count)")
    }
    return (x, w, try context.int("group", default: 1))
  }

  /// `[A, B1..Bk, C]` reordered as `[A, C, B1..Bk]` (a channels-last layout read channels first).
  static func channelsFirst(_ dims: [Int]) -> [Int] {
    [dims[0], dims[dims.count - 1]] + dims[1..<(dims.count - 1)]
  }

  /// Throws when a `kernel_shape` attribute is given and differs from the weight's kernel.
  static func checkKernelShape(_ context: NodeContext, weightKernel: [Int]) throws(OpError) {
    if let declared = try context.ints("kernel_shape"), declared != weightKernel {
      throw OpError(field: "kernel_shape", "\(declared) disagrees with the weight's kernel \(weightKernel)")
    }
  }

  /// Whether input `index` (the bias, 2 unless said) is given; throws when its known shape is
  /// not `[channels]`.
  static func checkBias(_ context: NodeContext, channels: Int, index: Int = 2) throws(OpError) -> Bool {
    guard context.has(index) else { return false }
    if let bias = try? context.sizes(index), bias.count != 1 || bias[0] != channels {
      throw OpError(field: "inputs[\(index)]", "bias has shape \(bias); expected [\(channels)]")
    }
    return true
  }

  /// `K1*..*Kk*W1*W0(+bias) = total` for a weight `[W0, W1, K1..Kk]`: kernel first, then the
  /// per-group channels, then the other channel count, as the seed article writes `1*5*1*16+16 = 96`.
  static func formula(weight: [Int], bias: Int?) throws(OpError) -> String {
    let count = try Checked.product(weight)
    let total = try bias.map { (bias) throws(OpError) in try Checked.add(count, bias) } ?? count
    // Written as bytes: no string made for a number.
    return DecimalDigits.text(capacity: (weight.count + 2) * (DecimalDigits.maxCount + 3)) { out in
      for (index, size) in (weight.dropFirst(2) + weight.prefix(2).reversed()).enumerated() {
        if index > 0 { out.append("*") }
        out.append(size)
      }
      if let bias {
        out.append("+")
        out.append(bias)
      }
      out.append(" = ")
      out.append(total)
    }
  }
}

extension ConvRule {
  /// `W [M, C/group, k...]`, `B [M]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let w = try context.input(1).shape.dims
    let perGroup = try WeightShapes.channels(context, divideBy: try context.int("group", default: 1))
    guard w.count >= 2 else { return [:] }
    return [1: Shape([w[0], perGroup] + w.dropFirst(2)), 2: Shape([w[0]])]
  }
}
