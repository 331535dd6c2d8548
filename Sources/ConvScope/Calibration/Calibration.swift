import CKernels
import ConvScopeCore

/// What `convscope calibrate` measured on this machine (``Calibration/measure(levels:threads:seconds:progress:)``).
public struct CalibrationMeasurement: Sendable, Hashable {
  /// One figure: the best rate over its trials and how far the worst fell below it.
  public struct Rate: Sendable, Hashable {
    /// The best trial's rate (FLOP/s or bytes/s).
    public var best: Double
    /// `(best - worst) / best` over the trials: the noise other work on the machine caused.
    public var spread: Double
  }

  /// Threads run at once, one per core.
  public var threads: Int
  /// The kernels' instruction set (`AVX-512`, `AVX2+FMA`, `scalar`).
  public var variant: String
  /// The clock measured with a chain of dependent additions, in Hz (0 where not measurable).
  public var clockHz: Double
  /// The attained float32 rate of the GEMM (`ck_gemm`) on all threads: the best of
  /// ``gemm``'s shapes. An estimate of what convolutions and matrix products reach, not a bound.
  public var flops: Rate { gemm.values.max { $0.best < $1.best } ?? Rate(best: 0, spread: 0) }
  /// The GEMM's rate by shape (`256x256x256`: M x N x K).
  public var gemm: [String: Rate]
  /// The FMA kernel's float32 rate on all threads (no memory traffic): the check that no
  /// measurement beats the theoretical peak.
  public var fma: Rate
  /// The streaming read's bytes per second by level (`L1`, `L2`, `L3`, `DRAM`).
  public var read: [String: Rate]
  /// The copy's bytes read plus bytes written per second by level.
  public var copy: [String: Rate]
  /// The working set of each level's measurement, bytes per thread.
  public var workingSets: [String: Int]
}

/// Runs the calibration kernels (`CKernels`): a cache-blocked GEMM at layer-typical shapes for
/// the attained arithmetic rate, the FMA kernel (no memory traffic) as a check against the
/// theoretical peak, and a streaming read and copy at a working set inside each cache level and at four times the
/// last level, all on one thread per core. Rates are per unit of the threads' CPU time (the
/// time they had a core), so that other work on the machine slows the run, not the figures.
public enum Calibration {
  /// Trials per figure; the best is kept (the attainable rate), the spread reported.
  static let trials = 3

  /// The GEMM shapes timed (M, N, K): a square block, and a 3x3 convolution of 64 channels on
  /// a 56x56 map as im2col lays it out (M = 56 x 56 positions, N = 64 filters, K = 64 x 3 x 3).
  public static let gemmShapes: [(m: Int, n: Int, k: Int)] = [(256, 256, 256), (3136, 64, 576)]

  /// The working set per thread for each level's bandwidth: half of the level's share of one
  /// thread, and for `DRAM` four times the whole last level, split across the threads.
  public static func workingSets(levels: [CacheLevel], threads: Int) -> [(name: String, bytes: Int)] {
    let perThread = levels.map { (name: $0.name, bytes: max($0.bytes / max(threads, 1) / 2, 4096)) }
    let beyond = (levels.map(\.bytes).max() ?? (32 << 20)) * 4 / max(threads, 1)
    return perThread + [(name: "DRAM", bytes: beyond)]
  }

  /// Measures this machine for about `seconds` of CPU time per thread; `progress` receives a
  /// line per figure.
  public static func measure(
    levels: [CacheLevel], threads: Int, seconds: Double, progress: (String) -> Void
  ) throws(ConvScopeError) -> CalibrationMeasurement {
    guard ck_optimized() != 0 else {
      throw ConvScopeError(
        message: "this convscope was built without optimisation, so its kernels would measure nothing "
          + "but their own overhead: build it with `swift build -c release`")
    }
    let variant = ck_best_variant()
    let sets = workingSets(levels: levels, threads: threads)
    let share = max(seconds, 0.5) / Double(trials * (1 + gemmShapes.count + 2 * sets.count))
    var clock = 0.0
    _ = ck_parallel(CK_RUN_CLOCK, variant, Int32(threads), 0, 0, &clock, nil)
    progress("clock: \(format(clock / 1e9)) GHz (dependent additions, fastest thread)")
    let flopsPerIteration = Double(ck_fma_accumulators() * ck_lanes(variant) * 2)
    let fma = try rate(CK_RUN_FMA, variant, threads, count: 0, workPerRepeat: flopsPerIteration, share: share)
    progress("FMA kernel, \(threads) threads: \(format(fma.best / 1e9)) GFLOP/s\(noise(fma))")
    var gemm: [String: CalibrationMeasurement.Rate] = [:]
    for shape in gemmShapes {
      let work = 2 * Double(shape.m * shape.n * shape.k)
      let r = try bestOfTrials(pilot: 1, workPerRepeat: work, threads: threads, share: share) {
        (repeats) throws(ConvScopeError) in
        try checked(
          ck_parallel_gemm(variant, Int32(threads), Int32(shape.m), Int32(shape.n), Int32(shape.k), repeats, nil, nil))
      }
      let label = "\(shape.m)x\(shape.n)x\(shape.k)"
      gemm[label] = r
      progress("GEMM \(label), \(threads) threads: \(format(r.best / 1e9)) GFLOP/s\(noise(r))")
    }
    var read: [String: CalibrationMeasurement.Rate] = [:]
    var copy: [String: CalibrationMeasurement.Rate] = [:]
    for set in sets {
      let floats = max(set.bytes / 4 / 64 * 64, 64)
      let r = try rate(CK_RUN_READ, variant, threads, count: floats, workPerRepeat: Double(floats * 4), share: share)
      let half = max(floats / 2 / 64 * 64, 64)
      let c = try rate(CK_RUN_COPY, variant, threads, count: half, workPerRepeat: Double(half * 8), share: share)
      read[set.name] = r
      copy[set.name] = c
      progress(
        "\(set.name), \(set.bytes >> 10) KiB a thread: read \(format(r.best / 1e9)) GB/s\(noise(r)), "
          + "copy \(format(c.best / 1e9)) GB/s read+written\(noise(c))")
    }
    return CalibrationMeasurement(
      threads: threads, variant: name(of: variant), clockHz: clock, gemm: gemm, fma: fma, read: read, copy: copy,
      workingSets: Dictionary(uniqueKeysWithValues: sets.map { ($0.name, $0.bytes) }))
  }

  /// The best of ``trials`` runs of `run`, each sized by a pilot run to about `share` seconds.
  private static func rate(
    _ run: ck_run, _ variant: ck_variant, _ threads: Int, count: Int, workPerRepeat: Double, share: Double
  ) throws(ConvScopeError) -> CalibrationMeasurement.Rate {
    try bestOfTrials(
      pilot: run == CK_RUN_FMA ? 100_000 : 1, workPerRepeat: workPerRepeat, threads: threads, share: share
    ) { (repeats) throws(ConvScopeError) in
      try checked(ck_parallel(run, variant, Int32(threads), count, repeats, nil, nil))
    }
  }

  /// The best of ``trials`` runs of `time` (the threads' seconds for a repeat count), each
  /// sized by pilot runs from `pilot` repeats up to about `share` seconds.
  private static func bestOfTrials(
    pilot: Int, workPerRepeat: Double, threads: Int, share: Double,
    time: (Int) throws(ConvScopeError) -> Double
  ) throws(ConvScopeError) -> CalibrationMeasurement.Rate {
    var repeats = pilot
    var seconds = try time(repeats)
    while seconds < 0.01 {
      repeats *= 4
      seconds = try time(repeats)
    }
    repeats = max(1, Int(Double(repeats) * share / seconds))
    var rates: [Double] = []
    for _ in 0..<trials {
      let elapsed = try time(repeats)
      rates.append(workPerRepeat * Double(repeats) * Double(threads) / elapsed)
    }
    let best = rates.max() ?? 0
    return CalibrationMeasurement.Rate(best: best, spread: best > 0 ? (best - (rates.min() ?? 0)) / best : 0)
  }

  /// `seconds` from a parallel run, or the error a negative result means.
  private static func checked(_ seconds: Double) throws(ConvScopeError) -> Double {
    guard seconds > 0 else {
      throw ConvScopeError(message: "cannot run the calibration kernels (a thread or a buffer could not be made)")
    }
    return seconds
  }

  static func name(of variant: ck_variant) -> String {
    switch variant {
    case CK_AVX512: "AVX-512"
    case CK_AVX2: "AVX2+FMA"
    default: "scalar"
    }
  }

  private static func noise(_ rate: CalibrationMeasurement.Rate) -> String {
    rate.spread > 0.05 ? " (trials \(Int((rate.spread * 100).rounded()))% apart)" : ""
  }

  /// `value` with two decimals.
  static func format(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}
