import ConvScopeCore

/// What-if sweeps: the same request re-analysed at several input resolutions or batch
/// sizes, one row per value, to show how cost scales. Each row holds the totals of the
/// report that request would give (same mode, element type and device).
public enum Sweep {
  /// One analysed value.
  public struct Row: Sendable, Codable, Hashable {
    /// The swept value as given (`224`, `8`).
    public var value: Int
    public var params: Int
    public var macs: Int
    public var flops: Int
    public var activationBytes: Int
    public var peakActivationBytes: Int
    /// The roofline latency bound, when a device was given.
    public var latencyLowerBoundSeconds: Double?
    /// The training-memory estimate's total, when one was asked for.
    public var trainingBytes: Int?

    /// Every stored property, in declaration order.
    public init(
      value: Int,
      params: Int,
      macs: Int,
      flops: Int,
      activationBytes: Int,
      peakActivationBytes: Int,
      latencyLowerBoundSeconds: Double?,
      trainingBytes: Int? = nil
    ) {
      self.value = value
      self.params = params
      self.macs = macs
      self.flops = flops
      self.activationBytes = activationBytes
      self.peakActivationBytes = peakActivationBytes
      self.latencyLowerBoundSeconds = latencyLowerBoundSeconds
      self.trainingBytes = trainingBytes
    }

    enum CodingKeys: String, CodingKey {
      case value, params, macs, flops
      case activationBytes = "activation_bytes"
      case peakActivationBytes = "peak_activation_bytes"
      case latencyLowerBoundSeconds = "latency_lower_bound_s"
      case trainingBytes = "training_bytes"
    }
  }

  /// What is swept.
  public enum Axis: String, Sendable, Codable {
    /// The spatial size of every image input (all spatial axes set to the value).
    case resolution
    /// The batch size.
    case batch
  }
}
