import ConvScopeCore
import ConvScopeReport

/// Roofline bounds (Williams, Waterman and Patterson, 2009) per node and in total, with a
/// cache-aware memory term (the hierarchical roofline of Ilic, Pratas and Sousa, 2014, and
/// Yang et al., 2020).
///
/// For each node: bytes moved = data inputs read + weights read + outputs written (its
/// working set); arithmetic intensity = FLOPs / bytes; time ≥ max(FLOPs / peak, bytes /
/// bandwidth), and the node is `compute`-bound when the first term wins. The bandwidth is
/// that of the fastest cache level whose capacity holds the working set (the profile's
/// theoretical figure), else DRAM's: the most favourable place the bytes can come from, so
/// the sum stays a lower bound even when a runtime keeps a whole model in a large cache.
/// The model's latency bound is the sum over nodes (they run one after another);
/// throughput ≤ batch / latency. With measured rates in the profile, the same sum at those
/// rates is an estimate, reported beside the bound and never called one: each node's bytes at
/// the measured bandwidth of the smallest level that holds its working set (`estimateLevel`),
/// its FLOPs at the measured rate.
///
/// Example: a 3x3 conv 64→64 on 56x56 at fp32 does `2 * 56*56*64 * 3*3*64 = 231_211_008`
/// FLOPs and moves `(2 * 56*56*64 + 3*3*64*64) * 4 = 3_358_720` bytes: intensity 68.8 FLOP/B.
public enum Roofline {
  /// The bounds of `report` on `device`, at the peak rate of `dataType` (the element type the
  /// report was analysed at, `--dtype`), else of the model's floating-point activation type.
  public static func analyze(_ report: Report, on device: DeviceProfile, dataType: DataType? = nil)
    throws(ConvScopeError) -> RooflineSummary
  {
    let asked = dataType ?? report.inputs.first(where: { $0.dtype.isFloatingPoint })?.dtype ?? .float32
    // A profile without a rate for the type is bounded at its float32 rate, and says so.
    let dtype = device.peakFlops[asked.rawValue] != nil ? asked : .float32
    guard let peak = device.peak(for: dtype), peak > 0, device.memoryBandwidth > 0 else {
      throw ConvScopeError(
        field: RequestField.device.rawValue, message: "device '\(device.name)' has no positive peak rate or bandwidth")
    }
    let caches = device.boundingCaches
    let measuredRate = device.measured.flatMap { $0.flops[dtype.rawValue] ?? $0.flops["float32"] }
    // The estimate charges bytes at the smallest level with a measured rate that holds them,
    // whether or not the level has a theoretical bandwidth (a calibrated profile has none).
    let measuredLevels = (device.caches ?? []).filter { device.measured?.bandwidth[$0.name] != nil }
      .sorted { $0.bytes < $1.bytes }
    var layers: [RooflineSummary.Layer] = []
    for row in report.layers where !row.folded && row.supported {
      let bytes: Int
      do {
        bytes = try Checked.sum(
          [row.weightBytes, row.activationBytes]
            + row.inputShapes.map { input throws(OpError) in
              try input.dtype.bytes(for: try Checked.product(input.shape.sizes ?? [0]))
            })
      } catch {
        throw ConvScopeError(
          file: report.model.source, layer: row.name, op: row.op, field: "bytes", message: error.message)
      }
      let level = caches.first { bytes <= $0.bytes }
      let bandwidth = level?.bandwidth ?? device.memoryBandwidth
      let computeTime = Double(row.flops) / peak
      let memoryTime = Double(bytes) / bandwidth
      let intensity = bytes == 0 ? 0 : Double(row.flops) / Double(bytes)
      var layer = RooflineSummary.Layer(
        name: row.name, flops: row.flops, bytes: bytes, arithmeticIntensity: intensity,
        attainableFlopsPerSecond: min(peak, intensity * bandwidth),
        timeLowerBoundSeconds: max(computeTime, memoryTime),
        bound: computeTime >= memoryTime ? .compute : .memory)
      layer.memoryLevel = level?.name ?? "DRAM"
      if let measuredRate, let measured = device.measured, measuredRate > 0 {
        let measuredLevel = measuredLevels.first { bytes <= $0.bytes }?.name ?? "DRAM"
        if let attained = measured.bandwidth[measuredLevel] ?? measured.bandwidth["DRAM"], attained > 0 {
          layer.estimateLevel = measuredLevel
          layer.estimateSeconds = max(Double(row.flops) / measuredRate, Double(bytes) / attained)
        }
      }
      layers.append(layer)
    }
    let latency = layers.reduce(0) { $0 + $1.timeLowerBoundSeconds }
    let estimates = layers.compactMap(\.estimateSeconds)
    let batch = report.inputs.first?.shape.dims.first?.value ?? 1
    let dominant = layers.sorted { $0.timeLowerBoundSeconds > $1.timeLowerBoundSeconds }.prefix(10).map(\.name)
    var summary = RooflineSummary(
      device: device.name, dtype: dtype, peakFlopsPerSecond: peak, memoryBytesPerSecond: device.memoryBandwidth,
      latencyLowerBoundSeconds: latency, throughputBoundPerSecond: latency > 0 ? Double(batch) / latency : 0,
      batch: batch, layers: layers, dominantLayers: Array(dominant),
      computeBoundLayers: layers.filter { $0.bound == .compute }.count)
    summary.latencyEstimateSeconds = estimates.count == layers.count && !layers.isEmpty ? estimates.reduce(0, +) : nil
    summary.memoryModel = memoryModel(of: device, caches: caches)
    return summary
  }

  /// How the memory term was charged, in words.
  static func memoryModel(of device: DeviceProfile, caches: [CacheLevel]) -> String {
    guard !caches.isEmpty else {
      let known = (device.caches ?? []).map(\.name)
      let unpublished =
        known.isEmpty ? "" : " (the profile's \(known.joined(separator: ", ")) has no published bandwidth)"
      return "every byte charged at DRAM bandwidth, \(gigabytes(device.memoryBandwidth)) GB/s\(unpublished): "
        + "the bound assumes nothing stays in a cache"
    }
    let levels = caches.map { level in
      "\(level.name) \(level.bytes >> 10) KiB at \(gigabytes(level.bandwidth ?? 0)) GB/s"
    }
    return "each layer's bytes charged at the fastest level that holds its working set: "
      + levels.joined(separator: ", ") + ", else DRAM at \(gigabytes(device.memoryBandwidth)) GB/s"
  }

  private static func gigabytes(_ bytesPerSecond: Double) -> Int { Int((bytesPerSecond / 1e9).rounded()) }
}
