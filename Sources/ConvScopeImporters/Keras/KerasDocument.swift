import ConvScopeCore
import Foundation

/// A Keras model config as the importer reads it. The top-level `layers` list of a large
/// document is not kept as a tree: the parse only skims it for each entry's place
/// (``JSONFastParser/parse(_:skimmingElementsAt:)``); each entry is then read once for its head
/// (``KerasLayerHead``) and the data formats it declares, on several threads for thousands of
/// entries, then dropped, and read again when the reader emits it. A 100,000-layer config (62 MB)
/// thus costs a layer's tree per thread at a time, not gigabytes of dictionaries. A document of
/// at most ``keptEntriesLimit`` bytes keeps its entries' trees from the first read instead (no
/// second read: a fifth of ResNet-50's run). A document ``JSONFastParser`` does not read goes
/// through ``JSONValue/parse(_:fileName:)`` whole, as before (`JSONSerialization` decides and
/// words the error). A list of more than twice the layer budget's entries
/// (``ResourceLimits/layers``) is refused once skimmed, before any entry is read: millions of
/// small entries would otherwise cost hundreds of megabytes before the graph's budget check.
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
    let budget = try ResourceLimits.layers
    let most = try ResourceLimits.twiceLayers
    let skimmed = data.withUnsafeBytes { raw in
      JSONFastParser.parse(
        raw.bindMemory(to: UInt8.self), skimmingElementsAt: ["config", "layers"], keepingAtMost: most)
    }
    if let elements = skimmed?.elements, elements.count > most {
      throw ConvScopeError(
        field: "layers", message: ResourceLimits.overLayerBudget(elements.count, "layers", verb: "lists", limit: budget)
      )
    }
    let keeps = data.count <= keptLimit
    if let (root, elements) = skimmed, let entries = Self.readEntries(of: data, skimmed: elements, keeping: keeps) {
      self.root = root
      layers =
        entries.heads.isEmpty
        ? nil
        : keeps
          ? KerasLayerList(values: entries.kept, heads: entries.heads)
          : KerasLayerList(data: data, elements: elements, heads: entries.heads)
      dataFormats = entries.formats.union(Self.dataFormats(in: root))
      hasSpatialLayers = entries.hasSpatialLayers || Self.hasSpatialLayers(root)
    } else {
      self.root = try JSONValue.parsedByFoundation(data, fileName: fileName)
      layers = nil
      dataFormats = Self.dataFormats(in: self.root)
      hasSpatialLayers = Self.hasSpatialLayers(self.root)
    }
  }

  /// What the document needs of its top-level entries, read once each.
  private struct Entries {
    var heads: [Result<KerasLayerHead, ConvScopeError>] = []
    /// The entries' trees, when they are kept.
    var kept: [JSONValue] = []
    var formats: Set<String> = []
    var hasSpatialLayers = false
  }

  /// Reads every skimmed entry of `data` once, for its head and the data formats and layer
  /// classes in it, on several threads when there are thousands (``ParallelRows``), each taking
  /// one run of entries; each tree is dropped once read unless `keeping`. `nil` when an entry
  /// does not read (the whole document then goes to `JSONSerialization`).
  private static func readEntries(of data: Data, skimmed: JSONFastParser.Skimmed, keeping: Bool) -> Entries? {
    let count = skimmed.ranges.count
    let workers = ParallelRows.workers(for: count)
    var runs: [Entries?] = data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      return ParallelRows.array(count: workers, workers: workers) { worker in
        var entries = Entries()
        for index in ParallelRows.run(worker, of: workers, in: count) {
          guard let element = JSONFastParser.element(in: bytes, at: skimmed.ranges[index], depth: skimmed.depth)
          else { return nil }
          entries.heads.append(KerasLayerList.head(of: element, index: index))
          if keeping { entries.kept.append(element) }
          collectDataFormats(in: element, into: &entries.formats)
          entries.hasSpatialLayers = entries.hasSpatialLayers || hasSpatialLayers(element)
        }
        return entries
      }
    }
    if runs.count == 1 { return runs[0] }
    var all = Entries()
    all.heads.reserveCapacity(count)
    for index in runs.indices {
      guard let run = runs[index] else { return nil }
      runs[index] = nil  // each run freed once merged, so that the heads are not held twice
      all.heads += run.heads
      all.kept += run.kept
      all.formats.formUnion(run.formats)
      all.hasSpatialLayers = all.hasSpatialLayers || run.hasSpatialLayers
    }
    return all
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
