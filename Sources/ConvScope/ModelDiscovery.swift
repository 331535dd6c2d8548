import ConvScopeImporters
import Foundation

/// The model files in a list of paths (`convscope analyze a.onnx b.onnx models/`): a file
/// named is always taken, a folder is searched recursively for what looks like a model.
///
/// In a folder, a file is a model when its extension is one a model format uses (`.onnx`,
/// `.pt2`, `.tflite`, `.mlmodel`, `.keras`, `.prototxt`), or, for `.json`, `.yaml` and
/// `.yml`, when its content is a Keras model config or a ConvScope spec (a top-level `layers`
/// list whose entries have an `op`), so reference files and metadata beside the models
/// (`resnet18.ref.json`) are left out. Everything else is skipped: ONNX external data
/// (`.onnx.data`, `.bin`), hidden files and folders. An `.mlpackage` folder is one model.
///
/// ```swift
/// ModelDiscovery.models(in: ["Tests/Fixtures/zoo"])   // [".../alexnet.onnx", ..., ".../vgg16.onnx"]
/// ```
public enum ModelDiscovery {
  /// Extensions that name a model file whatever its content.
  static let modelExtensions: Set<String> = ["onnx", "pt2", "tflite", "mlmodel", "keras", "prototxt"]
  /// Extensions whose files are models only when their content says so.
  static let textExtensions: Set<String> = ["json", "yaml", "yml"]

  /// The models in `paths`, in order: each file as given, each folder's models sorted by path.
  /// A path that does not exist is kept, so that its analysis reports the error.
  public static func models(in paths: [String]) -> [String] {
    paths.flatMap { path in isFolder(path) ? models(inFolder: path) : [path] }
  }

  /// True when `path` names a folder to search rather than a model (an `.mlpackage` is a model).
  public static func isFolder(_ path: String) -> Bool {
    FileReading.fileType(path) == S_IFDIR && !CoreMLPackage.isPackage(path)
  }

  private static func models(inFolder folder: String) -> [String] {
    let root = URL(fileURLWithPath: folder)
    guard
      let walk = FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
    else { return [] }
    var found: [String] = []
    for case let url as URL in walk {
      let relative = String(url.path.dropFirst(root.path.count).drop(while: { $0 == "/" }))
      let path = folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
      if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
        if CoreMLPackage.isPackage(url.path) {
          found.append(path)
          walk.skipDescendants()
        }
        continue
      }
      if looksLikeModel(url) { found.append(path) }
    }
    return found.sorted()
  }

  /// True when the file at `url`, found in a folder, is a model (see the type's description).
  static func looksLikeModel(_ url: URL) -> Bool {
    let ext = url.pathExtension.lowercased()
    if modelExtensions.contains(ext) { return true }
    guard textExtensions.contains(ext), let handle = try? FileHandle(forReadingFrom: url) else { return false }
    defer { try? handle.close() }
    let text = String(decoding: (try? handle.read(upToCount: 8192)) ?? Data(), as: UTF8.self)
    if text.drop(while: \.isWhitespace).first == "{" {
      if text.contains("\"class_name\"") && text.contains("\"config\"") { return true }  // Keras
      return isJSONSpec(url)
    }
    // A YAML spec: a top-level `layers:` key and layers with an `op`.
    let lines = text.split(whereSeparator: \.isNewline)
    return lines.contains { $0.hasPrefix("layers:") } && text.contains("op:")
  }

  /// True when the JSON file at `url` is a ConvScope spec: an object whose `layers` is a list
  /// of objects with an `op`.
  private static func isJSONSpec(_ url: URL) -> Bool {
    guard let data = try? Data(contentsOf: url, options: .mappedIfSafe),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let layers = object["layers"] as? [Any], let first = layers.first as? [String: Any]
    else { return false }
    return first["op"] != nil
  }
}
