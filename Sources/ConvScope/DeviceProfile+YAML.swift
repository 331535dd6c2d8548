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
    return profile
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
