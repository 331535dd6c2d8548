/// One level of a device's memory hierarchy between the compute units and DRAM.
///
/// `bytes` is the capacity a model's layer can use: for a cache private to each core, the
/// per-core size times the cores (a layer's work is split across them); for a shared cache,
/// its size. `bandwidth` is the theoretical peak (load ports × bytes per load × clock ×
/// cores), the figure that keeps the roofline a lower bound; a level whose bandwidth is not
/// published is listed without one and never used for the bound.
public struct CacheLevel: Sendable, Codable, Hashable {
  /// `L1`, `L2`, `L3`...
  public var name: String
  /// Usable capacity in bytes.
  public var bytes: Int
  /// Theoretical peak bandwidth in bytes per second, where known.
  public var bandwidth: Double?

  public init(name: String, bytes: Int, bandwidth: Double? = nil) {
    self.name = name
    self.bytes = bytes
    self.bandwidth = bandwidth
  }
}

/// Rates measured on a device (`convscope calibrate`, a benchmark): what code attains, not
/// what the hardware allows. They give a latency *estimate*, never a bound.
public struct MeasuredRates: Sendable, Codable, Hashable {
  /// Attained FLOP/s by element type name (a dense matrix-product kernel).
  public var flops: [String: Double]
  /// Attained bandwidth in bytes per second by level name (`L1`, `L2`, `L3`, `DRAM`);
  /// `convscope calibrate` writes a streaming copy's bytes read plus written per second, the
  /// way the roofline counts a layer's bytes.
  public var bandwidth: [String: Double]
  /// How they were measured.
  public var source: String

  public init(flops: [String: Double], bandwidth: [String: Double], source: String) {
    self.flops = flops
    self.bandwidth = bandwidth
    self.source = source
  }
}

extension DeviceProfile {
  /// The cache levels with a theoretical bandwidth, fastest first (the smaller first among
  /// equally fast ones): the levels the roofline's memory term may charge a layer's bytes at.
  public var boundingCaches: [CacheLevel] {
    (caches ?? []).filter { ($0.bandwidth ?? 0) > 0 && $0.bytes > 0 }.sorted {
      ($0.bandwidth ?? 0, -$0.bytes) > ($1.bandwidth ?? 0, -$1.bytes)
    }
  }
}
