import CKernels
import Testing

@testable import ConvScope

/// `convscope calibrate`: the processor read from a fixture tree, the theoretical peaks
/// derived by hand, the kernels' work counted from their results, the profile read back.
@Suite struct CalibrationTests {
  /// This machine's `/proc/cpuinfo` and cache folders, copied (AMD EPYC, Zen 4, 2 vCPUs).
  static let epyc = Fixtures.url("cpu-sysfs/epyc-zen4-2vcpu").path
  /// An Intel Core i7-8700 written from Intel's specification: 6 cores, 12 threads, 4.6 GHz.
  static let corei7 = Fixtures.url("cpu-sysfs/core-i7-8700").path

  @Test func cachesComeFromTheFixtureTree() throws {
    let epyc = try ProcessorInfo.read(root: Self.epyc)
    // index0..3: L1 Data 32K (cpu 0 only), L1 Instruction (skipped), L2 1024K, L3 32768K (cpus 0-1).
    #expect(epyc.caches.map(\.level) == [1, 2, 3])
    #expect(epyc.caches.map(\.bytes) == [32 << 10, 1024 << 10, 32768 << 10])
    #expect(epyc.caches.map(\.sharedBy) == [1, 1, 2])
    #expect(epyc.cores == 2 && epyc.logicalProcessors == 2)
    #expect(epyc.vendor == "AuthenticAMD" && epyc.family == 25 && epyc.model == 17)
    #expect(epyc.flags.contains("avx512f") && epyc.maxFrequencyHz == nil)
    // Usable by a layer: a private cache times its 2 instances, the shared L3 once.
    #expect(
      Calibration.cacheLevels(epyc) == [
        CacheLevel(name: "L1", bytes: 64 << 10), CacheLevel(name: "L2", bytes: 2 << 20),
        CacheLevel(name: "L3", bytes: 32 << 20),
      ])
    let intel = try ProcessorInfo.read(root: Self.corei7)
    #expect(intel.cores == 6 && intel.logicalProcessors == 12)
    #expect(intel.maxFrequencyHz == 4.6e9)
    // L1 and L2 shared by the two threads of a core ("0,6"): 6 instances; L3 by all 12.
    #expect(Calibration.cacheLevels(intel).map(\.bytes) == [6 * (32 << 10), 6 * (256 << 10), 12 << 20])
  }

  @Test func sizesAndProcessorListsParse() {
    #expect(ProcessorInfo.parseSize("32K") == 32_768)
    #expect(ProcessorInfo.parseSize("32M") == 33_554_432)
    #expect(ProcessorInfo.parseSize("512") == 512)
    #expect(ProcessorInfo.countCPUs("0-3,8,10-11") == 7)
    #expect(ProcessorInfo.countCPUs("0") == 1)
  }

  /// i7-8700 (Coffee Lake, AVX2 + FMA): 6 cores x 4.6 GHz x 2 FMA units x 8 lanes x 2
  /// = 883.2 GFLOP/s; ports 6 x 4.6 GHz x (96 + 64) B = 4,416 GB/s.
  /// EPYC Zen 4 at a measured 3.694 GHz: 2 x 3.694 GHz x 2 x 8 x 2 = 236.416 GFLOP/s.
  @Test func theoreticalPeaksMatchAHandDerivation() throws {
    let intel = try #require(TheoreticalPeaks.of(try ProcessorInfo.read(root: Self.corei7), measuredClockHz: 4.0e9))
    #expect(intel.clockHz == 4.6e9)  // cpuinfo_max_freq wins over a measured clock
    #expect(abs(intel.flopsPerSecond - 883.2e9) < 1)
    #expect(abs(intel.portBytesPerSecond - 4416e9) < 1)
    let epyc = try #require(TheoreticalPeaks.of(try ProcessorInfo.read(root: Self.epyc), measuredClockHz: 3.694e9))
    #expect(epyc.core.name == "AMD Zen 4")
    #expect(abs(epyc.flopsPerSecond - 236.416e9) < 1)
    // No measured clock: the reported cpu MHz (2596.142) is what is left.
    let reported = try #require(TheoreticalPeaks.of(try ProcessorInfo.read(root: Self.epyc), measuredClockHz: 0))
    #expect(abs(reported.flopsPerSecond - 2 * 2596.142e6 * 32) < 1)
  }

  /// The FMA kernel's result counts the multiply-adds it did: lanes x (0 + ... + 11 + 12 x n).
  @Test(arguments: [0, 1, 1000, 12345])
  func theFMAKernelDoesTheWorkItClaims(iterations: Int) {
    var a: Float = 1
    var b: Float = 1
    for variant in Set([CK_SCALAR, ck_best_variant()].map(\.rawValue)).map(ck_variant.init(rawValue:)) {
      let lanes = Int(ck_lanes(variant))
      let expected = lanes * (66 + Int(ck_fma_accumulators()) * iterations)
      #expect(ck_fma(variant, iterations, &a, &b) == Float(expected))
      var checksum = 0.0
      #expect(ck_parallel(CK_RUN_FMA, variant, 2, 0, iterations, &checksum, nil) >= 0)
      #expect(checksum == Double(2 * expected))
    }
  }

  /// The streaming read sums every float it was given, each repeat; the copy copies them.
  @Test func theStreamKernelsTouchEveryElement() {
    let count = 4096
    let source = (0..<count).map { Float($0 % 7) }
    let sum = source.reduce(0, +)
    for variant in Set([CK_SCALAR, ck_best_variant()].map(\.rawValue)).map(ck_variant.init(rawValue:)) {
      #expect(ck_read(variant, source, count, 3) == 3 * sum)
      var destination = [Float](repeating: -1, count: count)
      _ = ck_copy(variant, &destination, source, count, 2)
      #expect(destination == source)
    }
  }

  /// The GEMM against the textbook triple loop (in Double) at shapes inside one tile, across
  /// tile and block edges (M not a multiple of 6, N not of 32 or 16, K past the 256-deep block)
  /// and at 1 x 1 x 1. Entries are small integers, so every product and sum is exact in float32.
  @Test(arguments: [(1, 1, 1), (6, 32, 8), (7, 33, 5), (13, 17, 300), (100, 70, 513), (97, 2049, 3)])
  func theGEMMMatchesANaiveProduct(m: Int, n: Int, k: Int) {
    let a = (0..<(m * k)).map { Float($0 % 7 - 3) }
    let b = (0..<(k * n)).map { Float($0 % 5 - 2) }
    var expected = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
        expected[i * n + j] = Float(sum)
      }
    }
    var workspace = [Float](repeating: 0, count: ck_gemm_workspace())
    for variant in Set([CK_SCALAR, ck_best_variant()].map(\.rawValue)).map(ck_variant.init(rawValue:)) {
      var c = [Float](repeating: .nan, count: m * n)
      ck_gemm(variant, Int32(m), Int32(n), Int32(k), a, b, &c, &workspace)
      #expect(c == expected, "variant \(variant.rawValue)")
    }
  }

  /// The parallel GEMM multiplies ones: every thread's C[0][0] is K.
  @Test func theParallelGEMMRunsOnEveryThread() {
    var checksum = 0.0
    #expect(ck_parallel_gemm(ck_best_variant(), 2, 9, 40, 77, 2, &checksum, nil) >= 0)
    #expect(checksum == 2 * 77)
    #expect(ck_parallel(CK_RUN_GEMM, ck_best_variant(), 2, 0, 1, nil, nil) < 0)
  }

  static func measurement(flops: Double, bandwidth: Double) -> CalibrationMeasurement {
    let rate = CalibrationMeasurement.Rate(best: bandwidth, spread: 0.1)
    return CalibrationMeasurement(
      threads: 2, variant: "AVX-512", clockHz: 3.694e9,
      gemm: ["256x256x256": .init(best: flops, spread: 0.02), "3136x64x576": .init(best: flops * 0.9, spread: 0.01)],
      fma: .init(best: flops * 1.05, spread: 0.01),
      read: ["L1": rate, "DRAM": rate], copy: ["L1": rate, "DRAM": .init(best: bandwidth / 4, spread: 0)],
      workingSets: ["L1": 16_384, "DRAM": 67_108_864])
  }

  /// What `calibrate` writes is a profile the YAML loader reads back into the same value.
  @Test func theWrittenYAMLReadsBackIntoTheSameProfile() throws {
    let processor = try ProcessorInfo.read(root: Self.epyc)
    let profile = try Calibration.profile(
      name: "this-machine", processor: processor, measurement: Self.measurement(flops: 2.2e11, bandwidth: 4e11),
      date: "2026-12-05")
    let yaml = try profile.yaml()
    #expect(try DeviceProfile.load(yaml: yaml, fileName: "this-machine.yaml") == profile)
    #expect(profile.peakFlops["float32"] == 2 * 3.694e9 * 32)
    #expect(profile.measured?.flops["float32"] == 2.2e11)  // the best GEMM shape, not the FMA kernel
    #expect(profile.measured?.bandwidth == ["L1": 4e11, "DRAM": 1e11])
    #expect(profile.boundingCaches.isEmpty)  // no cache bandwidth is derivable: the port ceiling bounds all
    #expect(profile.memoryBandwidth == 2 * 3.694e9 * 96)
  }

  /// A measurement above a theoretical figure refutes the table's assumptions: no profile.
  @Test func aMeasurementAboveThePeakIsRefused() throws {
    let processor = try ProcessorInfo.read(root: Self.epyc)
    #expect(throws: ConvScopeError.self) {
      try Calibration.profile(
        name: "x", processor: processor, measurement: Self.measurement(flops: 3e11, bandwidth: 1e11), date: "")
    }
    // The GEMM within the peak but the FMA kernel above it (236.4 GFLOP/s x 1.02 = 241.2).
    #expect(throws: ConvScopeError.self) {
      try Calibration.profile(
        name: "x", processor: processor, measurement: Self.measurement(flops: 2.35e11, bandwidth: 1e11), date: "")
    }
    #expect(throws: ConvScopeError.self) {
      try Calibration.profile(
        name: "x", processor: processor, measurement: Self.measurement(flops: 1e11, bandwidth: 8e11), date: "")
    }
    var unknown = processor
    unknown.vendor = "HygonGenuine"
    #expect(throws: ConvScopeError.self) {
      try Calibration.profile(
        name: "x", processor: unknown, measurement: Self.measurement(flops: 1e11, bandwidth: 1e11), date: "")
    }
  }
}
