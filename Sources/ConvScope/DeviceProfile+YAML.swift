import ConvScopeCore
import ConvScopeReport
import Foundation
import Yams

extension DeviceProfile {
  /// Reads a user profile from YAML (or JSON) text with the fields of ``DeviceProfile``.
  public static func load(yaml text: String, fileName: String) throws(ConvScopeError) -> DeviceProfile {
    let profile: DeviceProfile
    do {
      profile = try YAMLDecoder().decode(DeviceProfile.self, from: text)
    } catch let error as DecodingError {
      throw ConvScopeError(file: fileName, field: Self.fieldPath(error), message: Self.problem(error))
    } catch {
      throw ConvScopeError(file: fileName, message: "not a device profile: \(error)")
    }
    guard profile.memoryBandwidth > 0, profile.peakFlops.values.allSatisfy({ $0 > 0 }), !profile.peakFlops.isEmpty
    else {
      throw ConvScopeError(
        file: fileName, field: "peak_flops", message: "peak rates and memory_bandwidth must be positive numbers")
    }
    if let field = profile.rateOutOfRange {
      throw ConvScopeError(
        file: fileName, field: field,
        message: "a rate must be a number from 1 to 1e21 per second (no device is faster)")
    }
    return profile
  }

  /// The range of rates a profile may give, per second: from 1 to a thousand times the fastest
  /// machine's FLOP/s. Rates divide work into times and are printed as whole numbers; an
  /// infinite or absurd one trapped when converted (found by a hostile-input audit), and a zero
  /// or tiny one made bounds of 1e307 seconds, or infinite ones JSON cannot hold.
  static let rates: ClosedRange<Double> = 1...1e21

  /// The first rate (`peak_flops`, `memory_bandwidth`, a cache's or a measured one) that is not
  /// in ``rates``, as its field path; nil when all are.
  var rateOutOfRange: String? {
    func bad(_ rate: Double) -> Bool { !Self.rates.contains(rate) }
    /// `field.key` for the first key (in order) of `rates` whose rate is out of range.
    func firstBad(_ rates: [String: Double], _ field: String) -> String? {
      rates.keys.sorted().first { bad(rates[$0] ?? 0) }.map { "\(field).\($0)" }
    }
    if let field = firstBad(peakFlops, "peak_flops") { return field }
    if bad(memoryBandwidth) { return "memory_bandwidth" }
    for (index, level) in (caches ?? []).enumerated() where level.bandwidth.map(bad) ?? false {
      return "caches[\(index)].bandwidth"
    }
    guard let measured else { return nil }
    return firstBad(measured.flops, "measured.flops") ?? firstBad(measured.bandwidth, "measured.bandwidth")
  }

  /// The profile as YAML text (keys sorted) that ``load(yaml:fileName:)`` reads back into the
  /// same value.
  public func yaml() throws(ConvScopeError) -> String {
    let encoder = YAMLEncoder()
    encoder.options.sortKeys = true
    do {
      return try encoder.encode(self)
    } catch {
      throw ConvScopeError(message: "cannot write the profile as YAML: \(error)")
    }
  }

  private static func fieldPath(_ error: DecodingError) -> String? {
    let path: [CodingKey]
    switch error {
    case .keyNotFound(let key, let context): path = context.codingPath + [key]
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      path = context.codingPath
    @unknown default: return nil
    }
    return path.isEmpty ? nil : path.map(\.stringValue).joined(separator: ".")
  }

  private static func problem(_ error: DecodingError) -> String {
    switch error {
    case .keyNotFound: "is required"
    case .typeMismatch(let type, _): "expected a value of type \(type)"
    case .valueNotFound(let type, _): "expected a value of type \(type)"
    case .dataCorrupted(let context): context.debugDescription
    @unknown default: "invalid"
    }
  }
}
