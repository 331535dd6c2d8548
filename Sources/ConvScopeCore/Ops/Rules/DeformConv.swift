/// `DeformConv`: a convolution whose kernel taps are moved by learned-per-position offsets and
/// read by linear interpolation. <https://onnx.ai/onnx/operators/onnx__DeformConv.html>
///
/// Shape: `X [N, C, D1..Dk]`, `W [oC, C/group, K1..Kk]`, `offset [N, offset_group * prod(K) * k,
/// O1..Ok]`, optional `B [oC]` and `mask [N, offset_group * prod(K), O1..Ok]` → `Y [N, oC, O1..Ok]`
/// with each `Oi` from ``Window`` (as Conv).
///
/// Cost: Conv's, `MACs = N * oC * prod(O) * (C/group) * prod(K)` and `N * oC * prod(O)` bias adds,
/// plus the sampling: each of the `S = N * C * prod(O) * prod(K)` sampled values is a `2^k`-tap
/// linear interpolation (`2^k` MACs, as ``GridSampleRule``), a mask multiplies it (S multiplies),
/// and each of the `N * offset_group * prod(K) * prod(O)` sampling positions adds its offset to
/// the tap position (k adds). Params: `W` and `B`, as Conv; a stored `offset` or `mask` is a
/// fixed sampling pattern (configuration), not a parameter.
///
/// Example: X 1x1x3x3, W 1x1x2x2, offset 1x8x2x2 → Y 1x1x2x2; Conv 16 MACs, S = 16 samples
/// of 4 taps (64 MACs), 16 positions of 2 adds: 80 MACs, 32 adds.
///
/// Its family is ``OpFamily/deformableConvolution``, not Conv's: input 2 is the offset, not a
/// bias, and the offsets move the taps, so the window shown (and the receptive field drawn from
/// it) is the one with zero offsets.
public struct DeformConvRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["DeformConv"] }
  public func family(of opType: String) -> OpFamily { .deformableConvolution }
  public var summary: String {
    "Y[N,oC,O..] as Conv; MACs = Conv's + 2^k per sampled value N*C*prod(O)*prod(K); mask multiplies, offset adds"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let (x, w, group) = try ConvolutionParams.inputs(context)
    let (batch, channels, outChannels) = (x[0], x[1], w[0])
    let offsetGroups = try context.int("offset_group", default: 1)
    guard group > 0, channels % group == 0, outChannels % group == 0, w[1] == channels / group else {
      throw OpError(
        field: "inputs[1]", "weight \(Shape(w)) does not fit \(channels) input channels in \(group) groups")
    }
    guard offsetGroups > 0, channels % offsetGroups == 0 else {
      throw OpError(field: "offset_group", "offset_group \(offsetGroups) must divide the \(channels) input channels")
    }
    let kernel = Array(w[2...])
    try ConvolutionParams.checkKernelShape(context, weightKernel: kernel)
    let resolved = try Window.resolve(context, input: Array(x[2...]), kernel: kernel)
    let taps = try Checked.product(kernel)
    let offset = try context.sizes(2)
    let expectedOffset = [batch, try Checked.product([offsetGroups, taps, kernel.count])] + resolved.output
    guard offset == expectedOffset else {
      throw OpError(field: "inputs[2]", "offset has shape \(Shape(offset)); expected \(Shape(expectedOffset))")
    }
    let positions = try Checked.product([batch] + resolved.output)
    let outputPositions = try Checked.multiply(positions, outChannels)
    let samples = try Checked.product([positions, channels, taps])
    let corners = try Interpolation.taps(mode: "linear", rank: kernel.count)
    let hasBias = context.has(3)
    if hasBias, let bias = try? context.sizes(3), bias != [outChannels] {
      throw OpError(field: "inputs[3]", "bias has shape \(Shape(bias)); expected [\(outChannels)]")
    }
    let convMacs = try Checked.product([outputPositions, w[1], taps])
    let cost = Cost(
      macs: try Checked.add(convMacs, try Checked.multiply(samples, corners)),
      adds: try Checked.add(
        hasBias ? outputPositions : 0, try Checked.product([positions, offsetGroups, taps, kernel.count])),
      multiplies: context.has(4) ? samples : 0)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape([batch, outChannels] + resolved.output))],
      cost: cost, inputRoles: [1: .weight, 2: .configuration, 3: .bias, 4: .configuration], window: resolved.window,
      shapeFormulas: resolved.formulas,
      paramFormula: try ConvolutionParams.formula(weight: w, bias: hasBias ? outChannels : nil),
      warnings: resolved.warnings)
  }
}
