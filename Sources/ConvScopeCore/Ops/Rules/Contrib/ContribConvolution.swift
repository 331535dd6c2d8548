/// ONNX Runtime's `com.microsoft` `FusedConv` (a Conv with an optional summand `Z` and an
/// activation) and `NhwcConv` (a Conv on channels-last tensors).
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.FusedConv>,
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.NhwcConv>
///
/// Shape: as ``ConvRule``. `NhwcConv` reads `X [N, D1..Dk, C]` and `W [M, K1..Kk, C/group]` (the
/// layout `onnxruntime.transformers`' `fusion_nhwc_conv` writes) and gives `Y [N, O1..Ok, M]`.
///
/// Cost: ``ConvRule``'s; `FusedConv` adds `Z` (one add per output) and its `activation`
/// (``ActivationRule/perElement``; `Clip` 2 compares) per output. Params: W and B.
///
/// Example: `FusedConv` X 1x3x8x8, W 4x3x3x3, B, `activation = "Relu"` → Y 1x4x6x6,
/// MACs `4*6*6 * 3*3*3 = 3888`, adds 144, compares 144, params 112.
public struct ContribConvRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["FusedConv", "NhwcConv"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily { .convolution }
  public var summary: String { "as Conv (NhwcConv channels last); FusedConv adds Z and the activation per output" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    let nhwc = context.node.opType == "NhwcConv"
    var outcome = try ConvRule.convolve(
      context, inputs: .init(channelsLast: nhwc, weightChannelsLast: nhwc),
      outputType: try context.input(0).dataType)
    guard !nhwc else { return outcome }
    let outputs = try ElementCounting.count(outcome.outputs[0].shape, field: "outputs[0]")
    let activation = try context.string("activation", default: "")
    var perOutput = Cost(adds: context.has(3) ? 1 : 0)
    switch activation {
    case "": break
    case "Clip": perOutput.compares = 2
    default:
      guard let cost = ActivationRule.perElement[activation] else {
        throw OpError(field: "activation", "\"\(activation)\" is not an activation ConvScope knows")
      }
      perOutput = try perOutput.adding(cost)
    }
    outcome.cost = try outcome.cost.adding(try perOutput.scaled(by: outputs))
    return outcome
  }
}

/// ONNX Runtime's `com.microsoft` `QLinearConv`: the standard `QLinearConv` (``IntegerConvRule``)
/// with a `channels_last` attribute (X and Y as `N, D.., C`).
/// <https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.QLinearConv>
///
/// Example: x 1x8x8x3 (`channels_last = 1`), w 4x3x3x3 → y 1x6x6x4, MACs 3888, params 108.
public struct ContribQLinearConvRule: OpRule {
  public init() {}
  public var opTypes: [String] { ["QLinearConv"] }
  public var domain: String { "com.microsoft" }
  public func family(of opType: String) -> OpFamily { .convolution }
  public var summary: String { "as QLinearConv; channels_last reads X and Y as N, D.., C" }

  public func infer(_ context: NodeContext) throws(OpError) -> OpOutcome {
    try IntegerConvRule.outcome(context, channelsLast: try context.int("channels_last", default: 0) != 0)
  }
}
