import ConvScopeCore

/// The layers that work at one spatial resolution, and their share of the model.
public struct StageSummary: Sendable, Codable, Hashable {
  /// The spatial size of the stage's feature maps (`57x57`), or `head` for the layers after the
  /// last feature map (see `StageBalance`).
  public var resolution: String
  /// Channels of the stage's last feature map (0 for the head).
  public var channels: Int
  public var layers: Int
  public var macs: Int
  public var params: Int
  public var activationBytes: Int
  public var macsShare: Double
  public var paramsShare: Double
  public var activationShare: Double

  /// Every stored property, in declaration order.
  public init(
    resolution: String,
    channels: Int,
    layers: Int,
    macs: Int,
    params: Int,
    activationBytes: Int,
    macsShare: Double,
    paramsShare: Double,
    activationShare: Double
  ) {
    self.resolution = resolution
    self.channels = channels
    self.layers = layers
    self.macs = macs
    self.params = params
    self.activationBytes = activationBytes
    self.macsShare = macsShare
    self.paramsShare = paramsShare
    self.activationShare = activationShare
  }

  enum CodingKeys: String, CodingKey {
    case resolution, channels, layers, macs, params
    case activationBytes = "activation_bytes"
    case macsShare = "macs_share"
    case paramsShare = "params_share"
    case activationShare = "activation_share"
  }
}
