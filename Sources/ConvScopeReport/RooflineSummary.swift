import ConvScopeCore

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
  /// The nodes that take the most time, largest first (up to ten).
  public var dominantLayers: [String]
  /// How many nodes sit under the compute roof.
  public var computeBoundLayers: Int
  /// The sum of every node's estimate at the profile's measured rates, when it has some: what
  /// a well-tuned runtime may take, not a bound.
  public var latencyEstimateSeconds: Double? = nil
  /// How the memory term was charged, in words (cache levels used, or DRAM for everything).
  public var memoryModel: String = ""
  /// `true` when no device was asked for and the bounds are on ``DeviceProfile/defaultForCharts``
  /// (the HTML report's roofline chart); absent when the user chose the device.
  public var defaultDevice: Bool? = nil

  /// Whether the device was assumed rather than chosen.
  public var isDefaultDevice: Bool { defaultDevice == true }

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
    /// Which roof the node sits under.
    public var bound: RooflineBound
    /// The memory level whose bandwidth the node's bytes were charged at: the fastest cache
    /// whose capacity holds its working set (inputs, weights, outputs), else `DRAM`.
    public var memoryLevel: String = "DRAM"
    /// `max(flops / measured rate, bytes / measured bandwidth of estimateLevel)`, when measured.
    public var estimateSeconds: Double? = nil
    /// The level whose measured bandwidth the estimate charged the bytes at: the smallest
    /// level with a measured rate that holds the working set, else `DRAM`.
    public var estimateLevel: String? = nil

    /// Every stored property, in declaration order.
    public init(
      name: String,
      flops: Int,
      bytes: Int,
      arithmeticIntensity: Double,
      attainableFlopsPerSecond: Double,
      timeLowerBoundSeconds: Double,
      bound: RooflineBound
    ) {
      self.name = name
      self.flops = flops
      self.bytes = bytes
      self.arithmeticIntensity = arithmeticIntensity
      self.attainableFlopsPerSecond = attainableFlopsPerSecond
      self.timeLowerBoundSeconds = timeLowerBoundSeconds
      self.bound = bound
    }

    enum CodingKeys: String, CodingKey {
      case name, flops, bytes
      case arithmeticIntensity = "arithmetic_intensity"
      case attainableFlopsPerSecond = "attainable_flops_per_s"
      case timeLowerBoundSeconds = "time_lower_bound_s"
      case bound
      case memoryLevel = "memory_level"
      case estimateSeconds = "estimate_s"
      case estimateLevel = "estimate_level"
    }
  }

  /// Every stored property, in declaration order.
  public init(
    device: String,
    dtype: DataType,
    peakFlopsPerSecond: Double,
    memoryBytesPerSecond: Double,
    latencyLowerBoundSeconds: Double,
    throughputBoundPerSecond: Double,
    batch: Int,
    layers: [Layer],
    dominantLayers: [String],
    computeBoundLayers: Int,
    defaultDevice: Bool? = nil
  ) {
    self.device = device
    self.dtype = dtype
    self.peakFlopsPerSecond = peakFlopsPerSecond
    self.memoryBytesPerSecond = memoryBytesPerSecond
    self.latencyLowerBoundSeconds = latencyLowerBoundSeconds
    self.throughputBoundPerSecond = throughputBoundPerSecond
    self.batch = batch
    self.layers = layers
    self.dominantLayers = dominantLayers
    self.computeBoundLayers = computeBoundLayers
    self.defaultDevice = defaultDevice
  }

  enum CodingKeys: String, CodingKey {
    case device, dtype, batch, layers
    case peakFlopsPerSecond = "peak_flops_per_s"
    case memoryBytesPerSecond = "memory_bytes_per_s"
    case latencyLowerBoundSeconds = "latency_lower_bound_s"
    case throughputBoundPerSecond = "throughput_bound_per_s"
    case dominantLayers = "dominant_layers"
    case computeBoundLayers = "compute_bound_layers"
    case defaultDevice = "default_device"
    case latencyEstimateSeconds = "latency_estimate_s"
    case memoryModel = "memory_model"
  }
}

/// The roof a node's time bound sits under.
public enum RooflineBound: String, Sendable, Codable, CaseIterable {
  /// FLOPs / peak rate is the larger term.
  case compute
  /// Bytes moved / memory bandwidth is the larger term.
  case memory
}
