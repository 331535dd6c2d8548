import ConvScopeCore
import ConvScopeReport

/// The theoretical figures of a processor: what its cores can do at the clock the bound assumes.
public struct TheoreticalPeaks: Sendable, Hashable {
  /// The clock the peaks assume, in Hz.
  public var clockHz: Double
  /// Where that clock comes from, in words.
  public var clockSource: String
  /// Cores counted.
  public var cores: Int
  /// The microarchitecture's per-cycle figures.
  public var core: CoreThroughput

  /// float32 FLOP/s: cores x clock x FMA pipes x lanes x 2.
  public var flopsPerSecond: Double { Double(cores) * clockHz * Double(core.flopsPerCycle) }

  /// Bytes per second through every core's load and store ports: cores x clock x (load + store
  /// bytes per cycle); no level of the hierarchy can feed the cores faster.
  public var portBytesPerSecond: Double { Double(cores) * clockHz * Double(core.portBytesPerCycle) }

  /// The peaks of `processor`: its clock is `cpuinfo_max_freq` where the kernel gives it, else
  /// the faster of the clock measured during calibration and the reported `cpu MHz`.
  public static func of(_ processor: ProcessorInfo, measuredClockHz: Double) -> TheoreticalPeaks? {
    guard let core = CoreThroughput.identify(processor) else { return nil }
    if let max = processor.maxFrequencyHz, max > 0 {
      return TheoreticalPeaks(clockHz: max, clockSource: "cpuinfo_max_freq", cores: processor.cores, core: core)
    }
    let reported = processor.reportedFrequencyHz ?? 0
    guard max(measuredClockHz, reported) > 0 else { return nil }
    let source =
      measuredClockHz >= reported
      ? "measured with dependent additions (no cpuinfo_max_freq: a clock that boosts higher later is not covered)"
      : "cpu MHz of /proc/cpuinfo (no cpuinfo_max_freq: a clock that boosts higher later is not covered)"
    return TheoreticalPeaks(
      clockHz: max(measuredClockHz, reported), clockSource: source, cores: processor.cores, core: core)
  }
}

extension Calibration {
  /// The data and unified cache levels of `processor`, each with the capacity a layer can use:
  /// one instance's size times the instances (a private cache's size times the cores).
  public static func cacheLevels(_ processor: ProcessorInfo) -> [CacheLevel] {
    let byLevel = Dictionary(grouping: processor.caches, by: \.level)
    return byLevel.keys.sorted().compactMap { level in
      guard let cache = byLevel[level]?.max(by: { $0.bytes < $1.bytes }) else { return nil }
      let instances = max(processor.logicalProcessors / cache.sharedBy, 1)
      return CacheLevel(name: "L\(level)", bytes: cache.bytes * instances)
    }
  }

  /// The profile for `processor` from its theoretical peaks (the bound) and `measurement`
  /// (the estimate). Refuses when the processor is not in ``CoreThroughput``'s table, and when
  /// a measurement beats a theoretical figure (then an assumption of the table is wrong for
  /// this processor and the "peak" would not bound anything).
  public static func profile(
    name: String, processor: ProcessorInfo, measurement: CalibrationMeasurement, date: String
  ) throws(ConvScopeError) -> DeviceProfile {
    guard let peaks = TheoreticalPeaks.of(processor, measuredClockHz: measurement.clockHz) else {
      throw ConvScopeError(
        message: "no theoretical peak is known for '\(processor.modelName)' (\(processor.vendor) family "
          + "\(processor.family.map(String.init) ?? "?"), \(processor.architecture)): measured rates alone "
          + "make an estimate, not a bound, so no profile is written")
    }
    let tolerance = 1.02
    let fastestFlops = max(measurement.fma.best, measurement.flops.best)
    if fastestFlops > peaks.flopsPerSecond * tolerance {
      throw ConvScopeError(
        message: "the FMA kernel or the GEMM ran at \(format(fastestFlops / 1e9)) GFLOP/s, above the theoretical "
          + "\(format(peaks.flopsPerSecond / 1e9)) of \(peaks.core.name): the table's figures do not fit this processor"
      )
    }
    let fastest = (measurement.read.values.map(\.best) + measurement.copy.values.map(\.best)).max() ?? 0
    if fastest > peaks.portBytesPerSecond * tolerance {
      throw ConvScopeError(
        message: "a stream ran at \(format(fastest / 1e9)) GB/s, above the load/store ceiling "
          + "\(format(peaks.portBytesPerSecond / 1e9)) of \(peaks.core.name): the table's figures do not fit this processor"
      )
    }
    let levels = cacheLevels(processor)
    let ghz = format(peaks.clockHz / 1e9)
    let source =
      "convscope calibrate, \(date). Theoretical (the bound): float32 peak = \(peaks.cores) cores x \(ghz) GHz "
      + "(\(peaks.clockSource)) x \(peaks.core.fmaPipes) FMA pipes x \(peaks.core.lanes) lanes x 2; "
      + "memory_bandwidth = \(peaks.cores) cores x \(ghz) GHz x (\(peaks.core.loadBytesPerCycle) load + "
      + "\(peaks.core.storeBytesPerCycle) store bytes a cycle), the load/store ports every byte of every level "
      + "passes: no cache or DRAM bandwidth is derivable from the operating system, so the caches are listed "
      + "without one and this ceiling bounds them all. \(peaks.core.name): \(peaks.core.source)."
    return DeviceProfile(
      name: name,
      description: "\(processor.modelName) (\(peaks.core.name)), \(peaks.cores) cores, calibrated on this machine",
      peakFlops: ["float32": peaks.flopsPerSecond], memoryBandwidth: peaks.portBytesPerSecond,
      l2Bytes: levels.last?.bytes, caches: levels.isEmpty ? nil : levels,
      measured: MeasuredRates(
        flops: ["float32": measurement.flops.best], bandwidth: measurement.copy.mapValues(\.best),
        source: measuredSource(measurement, date: date)),
      source: source)
  }

  /// How `measurement` was taken, with its noise.
  static func measuredSource(_ measurement: CalibrationMeasurement, date: String) -> String {
    let spreads = [measurement.flops.spread, measurement.fma.spread] + measurement.copy.values.map(\.spread)
    let worst = Int(((spreads.max() ?? 0) * 100).rounded())
    let gemm = measurement.gemm.sorted { $0.key < $1.key }.map { "\($0.key) \(format($0.value.best / 1e9)) GFLOP/s" }
    let sets = measurement.workingSets.sorted { $0.value < $1.value }.map { "\($0.key) \($0.value >> 10) KiB" }
    return "convscope calibrate, \(date), \(measurement.threads) threads (one per core), \(measurement.variant) "
      + "kernels, best of \(trials) trials (up to \(worst)% apart), per unit of the threads' CPU time: flops = "
      + "the attained rate of a cache-blocked GEMM (packed panels, 6-row micro-kernel), the best of "
      + gemm.joined(separator: ", ")
      + " (an estimate of what convolutions and matrix products reach, not a bound; the FMA kernel without memory "
      + "traffic ran at \(format(measurement.fma.best / 1e9)) GFLOP/s); bandwidth from a streaming copy, bytes read plus "
      + "written, at working sets of \(sets.joined(separator: ", ")) a thread; clock \(format(measurement.clockHz / 1e9)) GHz"
  }
}
