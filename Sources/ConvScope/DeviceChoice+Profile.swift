import ConvScopeAnalysis
import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

extension DeviceChoice {
  /// The profile chosen: a built-in one by name, else the YAML profile at that path.
  func profile(source: String) throws(ConvScopeError) -> DeviceProfile {
    switch self {
    case .profile(let profile):
      return profile
    case .named(let name):
      if let profile = DeviceProfile.builtIn(named: name) { return profile }
      guard FileManager.default.fileExists(atPath: name) else {
        let names = DeviceProfile.builtIn.map(\.name)
        let hint = NameSuggestion.hint(for: name, among: names)
        throw ConvScopeError(
          field: RequestField.device.rawValue,
          message:
            "no built-in device '\(name)' and no such profile file\(hint) (built-in: \(names.joined(separator: ", ")))")
      }
      let text: String
      do {
        text = try String(contentsOf: URL(fileURLWithPath: name), encoding: .utf8)
      } catch {
        throw ConvScopeError(file: name, message: "cannot read the device profile: \(FileReading.describe(error))")
      }
      return try DeviceProfile.load(yaml: text, fileName: name)
    }
  }
}
