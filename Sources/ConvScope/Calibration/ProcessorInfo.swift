import ConvScopeCore

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What the operating system says about this machine's processor: Linux's `/proc/cpuinfo` and
/// `/sys/devices/system/cpu`, read under a root folder (`/` on the machine itself, a fixture
/// tree in tests).
public struct ProcessorInfo: Sendable, Hashable {
  /// One cache of the first processor (`/sys/devices/system/cpu/cpu0/cache/index*`).
  public struct Cache: Sendable, Hashable {
    /// 1, 2, 3...
    public var level: Int
    /// `Data`, `Instruction` or `Unified`.
    public var type: String
    /// Capacity of one instance in bytes.
    public var bytes: Int
    /// How many logical processors share one instance (from `shared_cpu_list`).
    public var sharedBy: Int
  }

  /// `model name` (`AMD EPYC`).
  public var modelName: String
  /// `vendor_id` (`AuthenticAMD`, `GenuineIntel`), empty where absent (non-x86).
  public var vendor: String
  /// `cpu family`, where given.
  public var family: Int?
  /// `model`, where given.
  public var model: Int?
  /// The instruction-set flags (`flags`, or `Features` on Arm).
  public var flags: Set<String>
  /// Physical cores: distinct (`physical id`, `core id`) pairs, else the processor entries.
  public var cores: Int
  /// Logical processors (`processor` entries).
  public var logicalProcessors: Int
  /// `cpuinfo_max_freq` in Hz, where the kernel exposes it.
  public var maxFrequencyHz: Double?
  /// `cpu MHz` of the first processor in Hz (under a hypervisor often the base or TSC clock).
  public var reportedFrequencyHz: Double?
  /// The data and unified caches, by level.
  public var caches: [Cache]
  /// The processor's architecture (`x86_64`, `aarch64`): the one ConvScope was compiled for.
  public var architecture: String

  /// Reads the files under `root` (`/` for this machine).
  public static func read(root: String = "/") throws(ConvScopeError) -> ProcessorInfo {
    let base = root.hasSuffix("/") ? root : root + "/"
    let cpuinfoPath = base + "proc/cpuinfo"
    guard let cpuinfo = try? String(contentsOfFile: cpuinfoPath, encoding: .utf8) else {
      throw ConvScopeError(file: cpuinfoPath, message: "cannot read the processor description (Linux only)")
    }
    var info = parse(cpuinfo: cpuinfo)
    let cpu0 = base + "sys/devices/system/cpu/cpu0/"
    if let khz = readNumber(cpu0 + "cpufreq/cpuinfo_max_freq") { info.maxFrequencyHz = Double(khz) * 1e3 }
    info.caches = readCaches(cpu0 + "cache/")
    return info
  }

  /// The fields of `/proc/cpuinfo`; caches and the maximum clock are left empty.
  static func parse(cpuinfo: String) -> ProcessorInfo {
    var blocks: [[String: String]] = []
    var current: [String: String] = [:]
    for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
      guard let colon = line.firstIndex(of: ":") else {
        if !current.isEmpty { blocks.append(current) }
        current = [:]
        continue
      }
      let key = line[..<colon].trimmingCharacters(in: .whitespaces)
      current[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    if !current.isEmpty { blocks.append(current) }
    let processors = blocks.filter { $0["processor"] != nil }
    let first = processors.first ?? blocks.first ?? [:]
    let coreIDs = Set(processors.compactMap { p in p["core id"].map { (p["physical id"] ?? "0") + "/" + $0 } })
    return ProcessorInfo(
      modelName: first["model name"] ?? first["Hardware"] ?? first["CPU part"].map { "Arm part \($0)" } ?? "unknown",
      vendor: first["vendor_id"] ?? "", family: first["cpu family"].flatMap { Int($0) },
      model: first["model"].flatMap { Int($0) },
      flags: Set((first["flags"] ?? first["Features"] ?? "").split(separator: " ").map(String.init)),
      cores: coreIDs.isEmpty ? max(processors.count, 1) : coreIDs.count, logicalProcessors: max(processors.count, 1),
      maxFrequencyHz: nil, reportedFrequencyHz: first["cpu MHz"].flatMap { Double($0) }.map { $0 * 1e6 },
      caches: [], architecture: compiledArchitecture)
  }

  /// The data and unified caches listed under `folder` (`index0`, `index1`...), by level.
  static func readCaches(_ folder: String) -> [Cache] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let caches = entries.filter { $0.hasPrefix("index") }.compactMap { entry -> Cache? in
      let path = folder + entry + "/"
      guard let level = readNumber(path + "level"), let size = readText(path + "size").flatMap(parseSize),
        let type = readText(path + "type"), type != "Instruction"
      else { return nil }
      let shared = readText(path + "shared_cpu_list").map(countCPUs) ?? 1
      return Cache(level: level, type: type, bytes: size, sharedBy: max(shared, 1))
    }
    return caches.sorted { $0.level < $1.level }
  }

  /// `32K`, `1024K`, `32M` or a plain byte count, in bytes.
  static func parseSize(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    guard let last = text.last else { return nil }
    if let unit = units[last] { return Int(text.dropLast()).map { $0 * unit } }
    return Int(text)
  }

  /// How many processors a list such as `0-3,8,10-11` names.
  static func countCPUs(_ list: String) -> Int {
    list.split(separator: ",").reduce(0) { count, range in
      let ends = range.split(separator: "-").compactMap { Int($0) }
      return count + (ends.count == 2 ? max(ends[1] - ends[0] + 1, 0) : ends.count)
    }
  }

  private static func readText(_ path: String) -> String? {
    (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private static func readNumber(_ path: String) -> Int? { readText(path).flatMap { Int($0) } }

  private static var compiledArchitecture: String {
    #if arch(x86_64)
      "x86_64"
    #elseif arch(arm64)
      "aarch64"
    #else
      "other"
    #endif
  }
}
