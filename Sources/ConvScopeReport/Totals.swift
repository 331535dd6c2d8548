import ConvScopeCore

/// Whole-model totals. Unsupported ops are left out; `partial` says so.
public struct Totals: Sendable, Codable, Hashable {
  /// Learnable parameters (what torch calls parameters).
  public var params: Int
  /// Parameters that train; equal to `params` unless a format marks layers frozen.
  public var trainableParams: Int
  /// Statistics and other state (BatchNorm running mean and variance).
  public var nonTrainableParams: Int
  /// Bytes of all constant float tensors (params and statistics) at their stored type.
  public var weightBytes: Int
  public var cost: Cost
  public var macs: Int
  public var flops: Int
  /// Sum of every node's output bytes (what a forward pass writes).
  public var activationBytes: Int
  /// The largest single node's output bytes, and that node.
  public var peakLayerActivationBytes: Int
  public var peakLayer: String?
  /// True when some ops had no rule, so the totals leave them out.
  public var partial: Bool
  /// The headline figure of the tool asked for with `--convention`.
  public var convention: ConventionFigure? = nil

  /// Every stored property, in declaration order.
  public init(
    params: Int,
    trainableParams: Int,
    nonTrainableParams: Int,
    weightBytes: Int,
    cost: Cost,
    macs: Int,
    flops: Int,
    activationBytes: Int,
    peakLayerActivationBytes: Int,
    peakLayer: String?,
    partial: Bool,
    convention: ConventionFigure? = nil
  ) {
    self.params = params
    self.trainableParams = trainableParams
    self.nonTrainableParams = nonTrainableParams
    self.weightBytes = weightBytes
    self.cost = cost
    self.macs = macs
    self.flops = flops
    self.activationBytes = activationBytes
    self.peakLayerActivationBytes = peakLayerActivationBytes
    self.peakLayer = peakLayer
    self.partial = partial
    self.convention = convention
  }

  enum CodingKeys: String, CodingKey {
    case params
    case trainableParams = "trainable_params"
    case nonTrainableParams = "non_trainable_params"
    case weightBytes = "weight_bytes"
    case cost, macs, flops
    case activationBytes = "activation_bytes"
    case peakLayerActivationBytes = "peak_layer_activation_bytes"
    case peakLayer = "peak_layer"
    case partial, convention
  }
}

/// One tool's headline number for a model: `{name, figure, unit}`.
public struct ConventionFigure: Sendable, Codable, Hashable {
  /// The convention's name as given to `--convention` (`fvcore`, `ptflops`...).
  public var name: String
  /// The figure, exact.
  public var figure: Int
  /// The unit the tool prints (`Mac`, `FLOPs`, `Mult-Adds`...).
  public var unit: String
  /// Every stored property, in declaration order.
  public init(
    name: String,
    figure: Int,
    unit: String
  ) {
    self.name = name
    self.figure = figure
    self.unit = unit
  }

}
