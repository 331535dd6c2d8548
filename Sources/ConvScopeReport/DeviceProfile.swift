import ConvScopeCore

/// A device's peak arithmetic rates and memory bandwidth, for roofline bounds.
///
/// Rates are dense (no structured sparsity), per element type, in FLOP/s; a
/// multiply-accumulate is two FLOPs, as spec sheets count. Sources are cited per
/// profile and in docs/devices.md.
public struct DeviceProfile: Sendable, Codable, Hashable {
  /// The short name used with `--device` (`h100-sxm`).
  public var name: String
  /// What the device is, in words.
  public var description: String
  /// Peak FLOP/s by element type name (`float32`, `tf32`, `float16`, `bfloat16`, `float8e4m3fn`, `int8`).
  public var peakFlops: [String: Double]
  /// Peak memory bandwidth in bytes per second.
  public var memoryBandwidth: Double
  /// Last-level cache size in bytes, where published.
  public var l2Bytes: Int?
  /// The cache levels the profile knows (``CacheLevel``); without any with a bandwidth,
  /// every byte is charged at `memoryBandwidth`.
  public var caches: [CacheLevel]?
  /// Rates measured on the device, for an estimate beside the bound (``MeasuredRates``).
  public var measured: MeasuredRates?
  /// Where the numbers come from. `peakFlops`, `memoryBandwidth` and cache bandwidths are
  /// theoretical peaks (the bound); only `measured` holds measurements.
  public var source: String

  enum CodingKeys: String, CodingKey {
    case name, description
    case peakFlops = "peak_flops"
    case memoryBandwidth = "memory_bandwidth"
    case l2Bytes = "l2_bytes"
    case caches, measured, source
  }

  public init(
    name: String, description: String, peakFlops: [String: Double], memoryBandwidth: Double,
    l2Bytes: Int? = nil, caches: [CacheLevel]? = nil, measured: MeasuredRates? = nil, source: String
  ) {
    self.name = name
    self.description = description
    self.peakFlops = peakFlops
    self.memoryBandwidth = memoryBandwidth
    self.l2Bytes = l2Bytes
    self.caches = caches
    self.measured = measured
    self.source = source
  }

  /// The peak rate for `type`: its own entry, else float32's (the slowest common rate).
  public func peak(for type: DataType) -> Double? {
    peakFlops[type.rawValue] ?? peakFlops["float32"]
  }
}
