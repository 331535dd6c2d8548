import ConvScopeCore
import Foundation

/// A Keras model config as the importer reads it. The top-level `layers` list of a large
/// document is not kept as a tree: each entry is parsed once in file order to take its head
/// (``KerasLayerHead``) and the data formats it declares, then dropped, and parsed again when
/// the reader emits it; a 100,000-layer config (62 MB) thus costs one layer's tree at a time,
/// not gigabytes of dictionaries. A document of at most ``keptEntriesLimit`` bytes keeps its
/// entries' trees from the first parse instead (no second parse: a fifth of ResNet-50's run). A document ``JSONFastParser`` does not read goes through ``JSONValue/parse(_:fileName:)``
/// whole, as before (`JSONSerialization` decides and words the error).
struct KerasDocument {
  /// The document; its top-level `config.layers` is empty when ``layers`` holds the entries.
  let root: JSONValue
  /// The top-level entries read one at a time, or `nil` when they are in ``root``.
  let layers: KerasLayerList?
  /// Every `data_format` value in the document.
  let dataFormats: Set<String>
  /// Whether some layer class works on 1-D/2-D/3-D data (`Conv2D`, `MaxPooling1D`...).
  let hasSpatialLayers: Bool

  /// The largest document whose entries' trees are kept from the first parse (a tree takes
  /// several times its text).
  static let keptEntriesLimit = 4 << 20

  /// The document in `data`; its entries' trees are kept when it has at most `keptLimit` bytes.
  init(_ data: Data, fileName: String, keptLimit: Int = keptEntriesLimit) throws(ConvScopeError) {
    var ranges: [Range<Int>] = []
    var heads: [Result<KerasLayerHead, ConvScopeError>] = []
    var kept: [JSONValue] = []
    let keeps = data.count <= keptLimit
    var formats: Set<String> = []
    var spatial = false
    let root = data.withUnsafeBytes { raw in
      JSONFastParser.parse(raw.bindMemory(to: UInt8.self), deferringElementsAt: ["config", "layers"]) {
        element, range in
        heads.append(KerasLayerList.head(of: element, index: ranges.count))
        ranges.append(range)
        if keeps { kept.append(element) }
        Self.collectDataFormats(in: element, into: &formats)
        spatial = spatial || Self.hasSpatialLayers(element)
      }
    }
    if let root {
      self.root = root
      layers =
        ranges.isEmpty
        ? nil
        : keeps
          ? KerasLayerList(values: kept, heads: heads) : KerasLayerList(data: data, ranges: ranges, heads: heads)
      dataFormats = formats.union(Self.dataFormats(in: root))
      hasSpatialLayers = spatial || Self.hasSpatialLayers(root)
    } else {
      self.root = try JSONValue.parsedByFoundation(data, fileName: fileName)
      layers = nil
      dataFormats = Self.dataFormats(in: self.root)
      hasSpatialLayers = Self.hasSpatialLayers(self.root)
    }
  }

  private static func hasSpatialLayers(_ value: JSONValue) -> Bool {
    switch value {
    case .object(let members):
      if let name = members["class_name"]?.string, ["1D", "2D", "3D"].contains(where: name.contains) { return true }
      return members.values.contains(where: hasSpatialLayers)
    case .array(let elements):
      return elements.contains(where: hasSpatialLayers)
    default:
      return false
    }
  }

  private static func dataFormats(in value: JSONValue) -> Set<String> {
    var found: Set<String> = []
    collectDataFormats(in: value, into: &found)
    return found
  }

  /// Adds every `data_format` value under `value` to `found` (one set for the whole walk).
  private static func collectDataFormats(in value: JSONValue, into found: inout Set<String>) {
    switch value {
    case .object(let members):
      for (key, member) in members {
        if key == "data_format", let format = member.string {
          found.insert(format)
        } else {
          collectDataFormats(in: member, into: &found)
        }
      }
    case .array(let elements):
      for element in elements { collectDataFormats(in: element, into: &found) }
    default:
      break
    }
  }
}
