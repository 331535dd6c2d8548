/// `ConvTranspose`: N-D transposed convolution (1-D, 2-D, 3-D), grouped, dilated, with explicit
/// or automatic padding, `output_padding` and `output_shape`.
/// <https://onnx.ai/onnx/operators/onnx__ConvTranspose.html>
///
/// Shape: `X [N, Cin, D1..Dk]`, `W [Cin, Cout/group, K1..Kk]`, optional `B [Cout]`
/// → `Y [N, Cout, O1..Ok]` with `Oi = s*(Di-1) + output_padding + ((K-1)*d+1) - pb - pe`
/// (``Window/resolveTransposed(input:kernel:strides:dilations:pads:outputPadding:outputShape:autoPad:)``).
///
/// Cost: every input element is scattered through every kernel tap into `Cout/group` output
/// channels, taps cropped by the padding included:
/// `MACs = N * Cin * prod(D) * (Cout/group) * prod(K)`; bias adds `N * Cout * prod(O)`.
/// Params: `prod(K) * (Cout/group) * Cin (+ Cout)`.
///
/// Example (ONNX test `convtranspose_pad`): X 1x1x3x3, W 1x2x3x3, strides 3,2, output_padding 1,1
/// → Y 1x2x10x8, MACs `1*1*3*3 * 2*3*3 = 162`, params `3*3*2*1 = 18`.
public struct ConvTransposeRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["ConvTranspose"] }
  public func family(of opType: String) -> OpFamily { .transposedConvolution }
  public var summary: String {
    "Y[N,Cout,O..] with O=s*(I-1)+op+((K-1)*d+1)-pb-pe; MACs=N*Cin*prod(I)*Cout/g*prod(K); bias adds N*Cout*prod(O)"
  }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let (x, w, group) = try ConvolutionParams.inputs(context)
    let (batch, inChannels) = (x[0], x[1])
    guard group > 0, inChannels % group == 0 else {
      throw OpError(field: "group", "group \(group) must divide the input channels \(inChannels)")
    }
    guard w[0] == inChannels else {
      throw OpError(
        field: "inputs[1]",
        "weight [Cin, Cout/group, K...] expects \(w[0]) input channels, but the input has \(inChannels)")
    }
    let outChannels = try Checked.multiply(w[1], group)
    let kernelDims = Array(w[2...])
    try ConvolutionParams.checkKernelShape(context, weightKernel: kernelDims)
    let resolved = try Window.resolveTransposed(context, input: Array(x[2...]), kernel: kernelDims)
    let macs = try Checked.product(x + [w[1]] + kernelDims)
    let outputPositions = try Checked.product([batch, outChannels] + resolved.output)
    let hasBias = try ConvolutionParams.checkBias(context, channels: outChannels)
    return OpOutcome(
      outputs: [.init(dataType: try context.input(0).dataType, shape: Shape([batch, outChannels] + resolved.output))],
      cost: Cost(macs: macs, adds: hasBias ? outputPositions : 0),
      inputRoles: [1: .weight, 2: .bias],
      window: resolved.window,
      shapeFormulas: resolved.formulas,
      paramFormula: try ConvolutionParams.formula(weight: w, bias: hasBias ? outChannels : nil),
      warnings: resolved.warnings)
  }
}

extension ConvTransposeRule {
  /// `W [C, M/group, k...]`, `B [M]`.
  public func expectedWeightShapes(_ context: NodeContext) throws(OpError) -> [Int: Shape] {
    let w = try context.input(1).shape.dims
    let channels = try WeightShapes.channels(context, divideBy: 1)
    guard w.count >= 2 else { return [:] }
    let group = try context.int("group", default: 1)
    let outputs = w[1].value.map { Dim.fixed($0 * max(group, 1)) } ?? .unknown
    return [1: Shape([channels] + w.dropFirst()), 2: Shape([outputs])]
  }
}
