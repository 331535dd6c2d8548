import ConvScopeCore
import Foundation

/// A Core ML `.mlpackage` directory: `Manifest.json` names the root model item, whose `path`
/// (relative to `<package>/Data/`) is the model specification, normally
/// `com.apple.CoreML/model.mlmodel`. The weights (`weights/weight.bin`) are never opened: an
/// ML Program's constants carry their types in the specification.
///
/// ```swift
/// let spec = try CoreMLPackage.specificationPath(package: "MobileNet.mlpackage")
/// ```
public enum CoreMLPackage {
  /// Whether `path` is a directory holding `Manifest.json`.
  public static func isPackage(_ path: String) -> Bool {
    guard FileReading.fileType(path) == S_IFDIR else { return false }
    return FileReading.fileType((path as NSString).appendingPathComponent("Manifest.json")) != nil
  }

  /// The path of the package's model specification, checked to lie inside the package (after
  /// resolving `..` and symbolic links). Errors name the manifest and the field.
  public static func specificationPath(package: String) throws(ConvScopeError) -> String {
    let manifestPath = (package as NSString).appendingPathComponent("Manifest.json")
    let data = try FileReading.read(path: manifestPath)
    guard let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw ConvScopeError(file: manifestPath, message: "is not a JSON object (an .mlpackage manifest)")
    }
    guard let entries = manifest["itemInfoEntries"] as? [String: Any], !entries.isEmpty else {
      throw ConvScopeError(file: manifestPath, field: "itemInfoEntries", message: "the manifest lists no items")
    }
    let root = manifest["rootModelIdentifier"] as? String
    let item = root.flatMap { entries[$0] } ?? entries.values.first { isSpecification($0) }
    guard let item = item as? [String: Any], let relative = item["path"] as? String, !relative.isEmpty else {
      throw ConvScopeError(
        file: manifestPath, field: "rootModelIdentifier", message: "no manifest item with a path is the root model")
    }
    let packageURL = URL(fileURLWithPath: package).standardizedFileURL.resolvingSymlinksInPath()
    let resolved = packageURL.appendingPathComponent("Data").appendingPathComponent(relative)
      .standardizedFileURL.resolvingSymlinksInPath()
    let inside = packageURL.path.hasSuffix("/") ? packageURL.path : packageURL.path + "/"
    guard !relative.hasPrefix("/"), resolved.path.hasPrefix(inside) else {
      throw ConvScopeError(
        file: manifestPath, field: "path",
        message: "the model path '\(relative)' points outside the package; refusing to read it")
    }
    return resolved.path
  }

  /// Whether a manifest item is a model specification (by its name or path).
  private static func isSpecification(_ item: Any) -> Bool {
    guard let item = item as? [String: Any] else { return false }
    return (item["path"] as? String)?.hasSuffix(".mlmodel") == true
  }
}
