/// Roofline time bounds of a model on one device.
public struct RooflineSummary: Sendable, Codable, Hashable {
  public var device: String
  /// The element type whose peak rate was used.
  public var dtype: DataType
  public var peakFlopsPerSecond: Double
  public var memoryBytesPerSecond: Double
  /// The sum of every node's lower bound: no schedule on this device can be faster.
  public var latencyLowerBoundSeconds: Double
  /// Samples per second at most: the batch divided by the latency bound.
  public var throughputBoundPerSecond: Double
  /// The batch size the bounds are for.
  public var batch: Int
  /// The nodes, in execution order.
  public var layers: [Layer]
  /// The nodes that take the most time, largest first (up to five).
  public var dominantLayers: [String]

  /// One node's bound.
  public struct Layer: Sendable, Codable, Hashable {
    public var name: String
    public var flops: Int
    /// Bytes read (data inputs and weights) plus bytes written (outputs).
    public var bytes: Int
    /// FLOPs per byte moved.
    public var arithmeticIntensity: Double
    /// `min(peak, intensity * bandwidth)`.
    public var attainableFlopsPerSecond: Double
    /// `max(flops / peak, bytes / bandwidth)`.
    public var timeLowerBoundSeconds: Double
    /// `compute` or `memory`: which roof the node sits under.
    public var bound: String

    enum CodingKeys: String, CodingKey {
      case name, flops, bytes
      case arithmeticIntensity = "arithmetic_intensity"
      case attainableFlopsPerSecond = "attainable_flops_per_s"
      case timeLowerBoundSeconds = "time_lower_bound_s"
      case bound
    }
  }

  enum CodingKeys: String, CodingKey {
    case device, dtype, batch, layers
    case peakFlopsPerSecond = "peak_flops_per_s"
    case memoryBytesPerSecond = "memory_bytes_per_s"
    case latencyLowerBoundSeconds = "latency_lower_bound_s"
    case throughputBoundPerSecond = "throughput_bound_per_s"
    case dominantLayers = "dominant_layers"
  }
}
