import ConvScopeCore

extension DeviceProfile {
  private static let tera = 1e12, giga = 1e9, mebibyte = 1 << 20, kibibyte = 1 << 10

  /// NVIDIA H100 SXM5: also the profile the HTML report's roofline chart assumes when the
  /// request names no device (``defaultForCharts``).
  public static let h100SXM = DeviceProfile(
    name: "h100-sxm", description: "NVIDIA H100 SXM5 80 GB",
    peakFlops: [
      "float64": 67 * tera, "float32": 67 * tera, "tf32": 494.5 * tera, "float16": 989.5 * tera,
      "bfloat16": 989.5 * tera, "float8e4m3fn": 1979 * tera, "int8": 1979 * tera,
    ],
    memoryBandwidth: 3.35 * tera, l2Bytes: 50 * mebibyte, caches: [CacheLevel(name: "L2", bytes: 50 * mebibyte)],
    source: "NVIDIA H100 Tensor Core GPU datasheet (SXM column); tensor rates listed with sparsity, halved")

  /// The profile the HTML report's roofline chart assumes when the request names no device.
  public static var defaultForCharts: DeviceProfile { h100SXM }

  /// The profiles `convscope devices` lists. Every rate and bandwidth here is a theoretical
  /// peak from the vendor's sheet or derived from published clocks and widths (the bound);
  /// none holds measurements. Dense peak rates (NVIDIA's sheets print tensor-core rates
  /// "with sparsity": those are halved here). GPU L2 sizes are listed without a bandwidth,
  /// which the vendors do not publish, so GPU bounds charge every byte at DRAM bandwidth.
  public static let builtIn: [DeviceProfile] = [
    DeviceProfile(
      name: "h200", description: "NVIDIA H200 SXM (141 GB HBM3e)",
      peakFlops: [
        "float64": 67 * tera, "float32": 67 * tera, "tf32": 494.5 * tera, "float16": 989.5 * tera,
        "bfloat16": 989.5 * tera, "float8e4m3fn": 1979 * tera, "int8": 1979 * tera,
      ],
      memoryBandwidth: 4.8 * tera, l2Bytes: 50 * mebibyte, caches: [CacheLevel(name: "L2", bytes: 50 * mebibyte)],
      source: "NVIDIA H200 Tensor Core GPU datasheet (SXM column); tensor rates listed with sparsity, halved"),
    h100SXM,
    DeviceProfile(
      name: "a100-80gb", description: "NVIDIA A100 80 GB SXM",
      peakFlops: [
        "float64": 19.5 * tera, "float32": 19.5 * tera, "tf32": 156 * tera, "float16": 312 * tera,
        "bfloat16": 312 * tera, "int8": 624 * tera,
      ],
      memoryBandwidth: 2.039 * tera, l2Bytes: 40 * mebibyte, caches: [CacheLevel(name: "L2", bytes: 40 * mebibyte)],
      source: "NVIDIA A100 Tensor Core GPU datasheet (80GB SXM column), dense rates"),
    DeviceProfile(
      name: "l4", description: "NVIDIA L4 (24 GB GDDR6)",
      peakFlops: [
        "float32": 30.3 * tera, "tf32": 60 * tera, "float16": 121 * tera, "bfloat16": 121 * tera,
        "float8e4m3fn": 242.5 * tera, "int8": 242.5 * tera,
      ],
      memoryBandwidth: 300 * giga, l2Bytes: 48 * mebibyte, caches: [CacheLevel(name: "L2", bytes: 48 * mebibyte)],
      source: "NVIDIA L4 Tensor Core GPU datasheet; tensor rates listed with sparsity, halved"),
    DeviceProfile(
      name: "t4", description: "NVIDIA T4 (16 GB GDDR6)",
      peakFlops: ["float32": 8.1 * tera, "float16": 65 * tera, "int8": 130 * tera],
      memoryBandwidth: 320 * giga, l2Bytes: 4 * mebibyte, caches: [CacheLevel(name: "L2", bytes: 4 * mebibyte)],
      source: "NVIDIA T4 Tensor Core GPU datasheet (FP16 = mixed precision tensor rate)"),
    DeviceProfile(
      name: "rtx4090", description: "NVIDIA GeForce RTX 4090 (24 GB GDDR6X)",
      peakFlops: ["float32": 82.6 * tera, "float16": 165.2 * tera, "bfloat16": 165.2 * tera, "int8": 660.6 * tera],
      memoryBandwidth: 1008 * giga, l2Bytes: 72 * mebibyte, caches: [CacheLevel(name: "L2", bytes: 72 * mebibyte)],
      source: "NVIDIA Ada GPU architecture whitepaper, RTX 4090 column (FP16 tensor with FP32 accumulate, dense)"),
    DeviceProfile(
      name: "m3-max-gpu", description: "Apple M3 Max 40-core GPU",
      peakFlops: ["float32": 14.2 * tera, "float16": 14.2 * tera],
      memoryBandwidth: 400 * giga,
      source:
        "Apple M3 Max newsroom/tech specs (400 GB/s); FP32 rate = 40 cores x 128 ALUs x 2 x 1.398 GHz (derived, Apple publishes no TFLOPS)"
    ),
    DeviceProfile(
      name: "rpi5-cpu", description: "Raspberry Pi 5 CPU (4x Cortex-A76 at 2.4 GHz)",
      peakFlops: ["float32": 153.6 * giga, "float16": 307.2 * giga],
      memoryBandwidth: 17.1 * giga, l2Bytes: 2 * mebibyte, caches: [CacheLevel(name: "L2", bytes: 2 * mebibyte)],
      source:
        "Raspberry Pi 5 product brief (BCM2712, 4x A76 2.4 GHz, LPDDR4X-4267 32-bit); 2x128-bit NEON FMA per core: 16 FP32 FLOP/cycle (Arm Cortex-A76 software optimisation guide)"
    ),
    DeviceProfile(
      name: "cpu-avx2-8c", description: "Generic 8-core AVX2 CPU at 3.0 GHz, dual-channel DDR4-3200",
      peakFlops: ["float32": 768 * giga, "float64": 384 * giga],
      memoryBandwidth: 51.2 * giga,
      caches: [
        CacheLevel(name: "L1", bytes: 8 * 32 * kibibyte, bandwidth: 8 * 3 * giga * 64),
        CacheLevel(name: "L2", bytes: 8 * mebibyte, bandwidth: 8 * 3 * giga * 64),
        CacheLevel(name: "L3", bytes: 16 * mebibyte, bandwidth: 8 * 3 * giga * 32),
      ],
      source:
        "8 cores x 3.0 GHz x 2 FMA units x 8 FP32 lanes x 2; DDR4-3200 x 2 channels x 8 bytes; caches assumed"
        + " (32 KiB L1 and 1 MiB L2 per core at 64 B/cycle, two 32-byte loads; 16 MiB shared L3 at 32 B/cycle per core)"
    ),
  ]

  /// The built-in profile named `name` (case-insensitive).
  public static func builtIn(named name: String) -> DeviceProfile? {
    builtIn.first { $0.name.lowercased() == name.lowercased() }
  }
}
