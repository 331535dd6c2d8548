import ConvScopeCore

/// Activation memory over one inference pass (the liveness pass's result).
public struct MemorySummary: Sendable, Codable, Hashable {
  /// Bytes of all weights and statistics.
  public var weightBytes: Int
  /// The most activation bytes alive at once.
  public var peakActivationBytes: Int
  /// The node during which the peak occurs.
  public var peakNode: String?
  /// Live activation bytes while each node runs, in execution order.
  public var timeline: [LiveBytes]
  /// One training step's memory, line by line (`--train`).
  public var training: TrainingMemory.Estimate? = nil

  /// Live bytes while one node runs: its live inputs, everything still needed later, and its outputs.
  public struct LiveBytes: Sendable, Codable, Hashable {
    public var node: String
    public var liveBytes: Int

    /// Every stored property, in declaration order.
    public init(
      node: String,
      liveBytes: Int
    ) {
      self.node = node
      self.liveBytes = liveBytes
    }

    enum CodingKeys: String, CodingKey {
      case node
      case liveBytes = "live_bytes"
    }
  }

  /// Every stored property, in declaration order.
  public init(
    weightBytes: Int,
    peakActivationBytes: Int,
    peakNode: String?,
    timeline: [LiveBytes],
    training: TrainingMemory.Estimate? = nil
  ) {
    self.weightBytes = weightBytes
    self.peakActivationBytes = peakActivationBytes
    self.peakNode = peakNode
    self.timeline = timeline
    self.training = training
  }

  enum CodingKeys: String, CodingKey {
    case weightBytes = "weight_bytes"
    case peakActivationBytes = "peak_activation_bytes"
    case peakNode = "peak_node"
    case timeline, training
  }
}
