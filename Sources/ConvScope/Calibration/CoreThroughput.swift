/// What one core of a microarchitecture can do per cycle, as its vendor publishes it: the
/// figures `convscope calibrate` derives theoretical peaks from.
///
/// Where a family spans cores that differ (one or two 512-bit FMA units on Intel's AVX-512
/// parts, a 256- or 512-bit datapath on Zen 5), the entry takes the larger figure: a peak too
/// high only loosens the roofline's bound, one too low would break it.
public struct CoreThroughput: Sendable, Hashable {
  /// The microarchitecture in words (`AMD Zen 4`).
  public var name: String
  /// Fused multiply-add pipes per core.
  public var fmaPipes: Int
  /// float32 lanes per pipe and cycle (a 256-bit datapath: 8).
  public var lanes: Int
  /// Bytes the load ports can read from L1 per cycle.
  public var loadBytesPerCycle: Int
  /// Bytes the store ports can write to L1 per cycle.
  public var storeBytesPerCycle: Int
  /// Where the figures come from.
  public var source: String

  /// float32 FLOPs per cycle and core: pipes x lanes x 2 (a multiply-add is two).
  public var flopsPerCycle: Int { fmaPipes * lanes * 2 }

  /// Bytes per cycle and core through the load and store ports together. Every byte a core
  /// reads or writes, from any level, passes these ports, and for R bytes read and W written
  /// (R + W) / (load + store) <= max(R / load, W / store): charging all of a layer's bytes at
  /// this rate never exceeds the time the ports need.
  public var portBytesPerCycle: Int { loadBytesPerCycle + storeBytesPerCycle }

  /// The microarchitecture of `processor`, from its vendor, family, model and flags; `nil`
  /// when the table has no entry (the profile then states no theoretical figure).
  public static func identify(_ processor: ProcessorInfo) -> CoreThroughput? {
    let flags = processor.flags
    switch (processor.architecture, processor.vendor, processor.family) {
    case ("x86_64", "AuthenticAMD", 0x1A?):
      return CoreThroughput(
        name: "AMD Zen 5", fmaPipes: 2, lanes: 16, loadBytesPerCycle: 128, storeBytesPerCycle: 64,
        source: "AMD Zen 5 software optimization guide: two 512-bit FMA pipes, two 512-bit loads and one store a cycle")
    case ("x86_64", "AuthenticAMD", 0x19?):
      let zen4 = flags.contains("avx512f")
      return CoreThroughput(
        name: zen4 ? "AMD Zen 4" : "AMD Zen 3", fmaPipes: 2, lanes: 8, loadBytesPerCycle: 64, storeBytesPerCycle: 32,
        source: "AMD Zen \(zen4 ? 4 : 3) software optimization guide: two 256-bit FMA pipes"
          + (zen4 ? " (a 512-bit FMA issues over two cycles)" : "")
          + ", two 256-bit loads and one 256-bit store a cycle")
    case ("x86_64", "AuthenticAMD", 0x17?):
      let zen2 = (processor.model ?? 0) >= 0x30
      return CoreThroughput(
        name: zen2 ? "AMD Zen 2" : "AMD Zen", fmaPipes: 2, lanes: zen2 ? 8 : 4, loadBytesPerCycle: zen2 ? 64 : 32,
        storeBytesPerCycle: zen2 ? 32 : 16,
        source:
          "AMD family 17h software optimization guide: two \(zen2 ? 256 : 128)-bit FMA pipes, two loads and one store a cycle"
      )
    case ("x86_64", "GenuineIntel", _) where flags.contains("avx512f"):
      return CoreThroughput(
        name: "Intel with AVX-512", fmaPipes: 2, lanes: 16, loadBytesPerCycle: 128, storeBytesPerCycle: 64,
        source: "Intel 64 and IA-32 architectures optimization reference manual: up to two 512-bit FMA units, "
          + "two 512-bit loads and 64 bytes of stores a cycle (Skylake-SP to Sapphire Rapids)")
    case ("x86_64", "GenuineIntel", _) where flags.contains("avx2") && flags.contains("fma"):
      return CoreThroughput(
        name: "Intel with AVX2", fmaPipes: 2, lanes: 8, loadBytesPerCycle: 96, storeBytesPerCycle: 64,
        source: "Intel 64 and IA-32 architectures optimization reference manual: two 256-bit FMA units, "
          + "up to three 256-bit loads and two stores a cycle (Haswell to Golden Cove)")
    case ("aarch64", _, _):
      return CoreThroughput(
        name: "Arm64 (NEON)", fmaPipes: 4, lanes: 4, loadBytesPerCycle: 48, storeBytesPerCycle: 32,
        source: "Arm Neoverse V2 software optimization guide: at most four 128-bit FMA pipes, "
          + "three 128-bit loads and two stores a cycle (the widest Arm cores; fewer pipes only loosen the bound)")
    default:
      return nil
    }
  }
}
