import ConvScope
import Testing

/// The memory term charged at the fastest cache level that holds a layer's working set, and
/// an estimate at measured rates beside the bound (issue 19, parts 1 and 2).
@Suite struct CacheAwareRooflineTests {
  /// 1 TFLOP/s, DRAM 100 GB/s, and a 1 MiB cache at 1 TB/s.
  static let cached = DeviceProfile(
    name: "cached", description: "round numbers with a cache", peakFlops: ["float32": 1e12], memoryBandwidth: 1e11,
    caches: [CacheLevel(name: "L2", bytes: 1 << 20, bandwidth: 1e12), CacheLevel(name: "LLC", bytes: 64 << 20)],
    source: "test")

  /// A 1x1 conv 4→4 on 100x100 moves `(2*100*100*4 + 16) * 4 = 320,064` bytes (fits 1 MiB);
  /// on 400x400, `(2*400*400*4 + 16) * 4 = 5,120,064` bytes (does not).
  static func pointwise(side: Int) throws -> Report {
    var b = GraphBuilder(input: [1, 4, .fixed(side), .fixed(side)])
    b.add("Conv", "conv", weights: [[4, 4, 1, 1]])
    b.output()
    return try Analyzer.analyze(b.graph)
  }

  @Test func aWorkingSetThatFitsIsChargedAtTheCachesBandwidth() throws {
    let small = try #require(try Roofline.analyze(try Self.pointwise(side: 100), on: Self.cached).layers.first)
    #expect(small.memoryLevel == "L2")
    #expect(small.bytes == 320_064)
    // max(320,000 FLOP / 1e12, 320,064 B / 1e12): memory by 64 bytes, at the cache's rate.
    #expect(small.bound == .memory)
    #expect(abs(small.timeLowerBoundSeconds - 320_064 / 1e12) < 1e-18)
    let large = try #require(try Roofline.analyze(try Self.pointwise(side: 400), on: Self.cached).layers.first)
    #expect(large.memoryLevel == "DRAM")  // the LLC has no bandwidth: never used for the bound
    #expect(abs(large.timeLowerBoundSeconds - 5_120_064 / 1e11) < 1e-15)
  }

  /// A cache can only lower the bound: never above the DRAM-only bound of the same device.
  @Test func cachesNeverRaiseTheBound() throws {
    var dramOnly = Self.cached
    dramOnly.caches = nil
    for side in [10, 100, 300, 1000] {
      let report = try Self.pointwise(side: side)
      let withCaches = try Roofline.analyze(report, on: Self.cached).latencyLowerBoundSeconds
      #expect(withCaches <= (try Roofline.analyze(report, on: dramOnly).latencyLowerBoundSeconds))
    }
  }

  @Test func theReportSaysHowMemoryWasCharged() throws {
    let report = try Self.pointwise(side: 100)
    #expect(try Roofline.analyze(report, on: Self.cached).memoryModel.hasPrefix("each layer's bytes charged at"))
    let gpu = try #require(DeviceProfile.builtIn(named: "h100-sxm"))
    let summary = try Roofline.analyze(report, on: gpu)
    #expect(summary.memoryModel.contains("every byte charged at DRAM bandwidth"))
    #expect(summary.memoryModel.contains("L2 has no published bandwidth"))
    #expect(summary.latencyEstimateSeconds == nil)  // no measurements: no estimate
  }

  /// Measured rates give an estimate: per layer `max(flops / measured rate, bytes / measured
  /// bandwidth of its level)`, summed; the bound stays the theoretical one.
  @Test func measuredRatesGiveAnEstimateBesideTheBound() throws {
    var device = Self.cached
    device.measured = MeasuredRates(flops: ["float32": 2.5e11], bandwidth: ["L2": 2e11, "DRAM": 2e10], source: "test")
    let summary = try Roofline.analyze(try Self.pointwise(side: 100), on: device)
    let layer = try #require(summary.layers.first)
    let estimate = max(320_000 / 2.5e11, 320_064 / 2e11)
    #expect(abs((layer.estimateSeconds ?? 0) - estimate) < 1e-15)
    #expect(abs((summary.latencyEstimateSeconds ?? 0) - estimate) < 1e-15)
    #expect(summary.latencyLowerBoundSeconds < estimate)
    var report = try Self.pointwise(side: 100)
    report.roofline = summary
    let text = try OutputFormat.table.render(report)
    #expect(text.contains("(not a bound)"))
    #expect(text.contains("memory: each layer's bytes charged"))
  }

  /// A calibrated profile lists caches without a theoretical bandwidth but measures each: the
  /// bound charges DRAM's figure, the estimate the measured rate of the level that holds the
  /// working set (320,064 bytes fit the 1 MiB level).
  @Test func theEstimateUsesTheMeasuredRateOfTheLevelThatHoldsTheWorkingSet() throws {
    var device = Self.cached
    device.caches = [CacheLevel(name: "L2", bytes: 1 << 20), CacheLevel(name: "L3", bytes: 32 << 20)]
    device.measured = MeasuredRates(
      flops: ["float32": 2.5e11], bandwidth: ["L2": 1e9, "L3": 5e8, "DRAM": 2e8], source: "test")
    let layer = try #require(try Roofline.analyze(try Self.pointwise(side: 100), on: device).layers.first)
    #expect(layer.memoryLevel == "DRAM")
    #expect(layer.estimateLevel == "L2")
    #expect(abs((layer.estimateSeconds ?? 0) - 320_064 / 1e9) < 1e-12)
    let large = try #require(try Roofline.analyze(try Self.pointwise(side: 400), on: device).layers.first)
    #expect(large.estimateLevel == "L3")  // 5,120,064 bytes: beyond 1 MiB, within 32 MiB
    #expect(abs((large.estimateSeconds ?? 0) - 5_120_064 / 5e8) < 1e-9)
  }

  /// A user profile in YAML may list caches and measured rates.
  @Test func aYAMLProfileReadsCachesAndMeasurements() throws {
    let yaml = """
      name: lab
      description: a lab machine
      peak_flops: {float32: 3.3e11}
      memory_bandwidth: 4.0e10
      caches:
        - {name: L2, bytes: 2097152, bandwidth: 6.6e11}
      measured:
        flops: {float32: 2.4e11}
        bandwidth: {L2: 3.0e11, DRAM: 2.0e10}
        source: convscope calibrate
      source: test
      """
    let profile = try DeviceProfile.load(yaml: yaml, fileName: "lab.yaml")
    #expect(profile.boundingCaches.map(\.name) == ["L2"])
    #expect(profile.measured?.bandwidth["DRAM"] == 2e10)
  }
}
