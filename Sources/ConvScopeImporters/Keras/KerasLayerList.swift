import ConvScopeCore
import Foundation

/// What a model's reader needs of a layer before it emits anything: its name and class and
/// the calls its `inbound_nodes` lists. The rest of the entry is read again when the layer is
/// emitted (``KerasLayerList/layer(at:)``), so a large config is never held whole.
struct KerasLayerHead {
  let name: String
  let className: String
  /// Whether the entry has an `inbound_nodes` key at all.
  let hasInboundNodes: Bool
  /// tf.keras numbers the calls of a nested model that starts with an InputLayer from 1 in the
  /// references other layers make (its node 0 is the one the InputLayer made, which the config
  /// leaves out: `tf_keras/src/engine/functional.py: _should_skip_first_node`); its own
  /// `inbound_nodes` list only the calls.
  let skipsFirstNode: Bool
  /// Each entry of `inbound_nodes`: the call, and whether it is written as a list (tf.keras 2),
  /// the only layout whose references skip the nested model's first node.
  let calls: [(call: KerasCall, isList: Bool)]

  init(_ layer: KerasLayer) {
    name = layer.name
    className = layer.className
    let nodes = layer.entry["inbound_nodes"]
    hasInboundNodes = nodes != nil
    skipsFirstNode =
      KerasModelReader.modelClasses.contains(layer.className)
      && layer.config["layers"]?.array?.first?["class_name"]?.string == "InputLayer"
    calls = (nodes?.array ?? []).map { (KerasCall($0), $0.array != nil) }
  }

  /// An error about this layer, as ``KerasLayer/error(_:_:)`` words it.
  func error(_ field: String?, _ message: String) -> ConvScopeError {
    ConvScopeError(layer: name, op: className, field: field, message: message)
  }
}

/// A model's `layers` list: the entries of a nested model (already parsed with their model), or
/// the top-level entries as ranges of the file (``KerasDocument``), each parsed when asked for.
struct KerasLayerList {
  private enum Source {
    case values([JSONValue])
    case skimmed(SkimmedElements)
  }

  private let source: Source
  /// Each entry's head, or why it is not a layer.
  private let heads: [Result<KerasLayerHead, ConvScopeError>]

  /// The list of a parsed `layers` array.
  init(values: [JSONValue]) {
    self.init(values: values, heads: values.enumerated().map { index, value in Self.head(of: value, index: index) })
  }

  /// Parsed entries with their heads.
  init(values: [JSONValue], heads: [Result<KerasLayerHead, ConvScopeError>]) {
    source = .values(values)
    self.heads = heads
  }

  /// The skimmed `elements` of `data` (a JSON document that parsed), with their heads.
  init(data: Data, elements: JSONFastParser.Skimmed, heads: [Result<KerasLayerHead, ConvScopeError>]) {
    source = .skimmed(SkimmedElements(data: data, skimmed: elements))
    self.heads = heads
  }

  /// The head of the entry at `index` in its list, or why it is not a layer.
  static func head(of value: JSONValue, index: Int) -> Result<KerasLayerHead, ConvScopeError> {
    do {
      return .success(KerasLayerHead(try KerasLayer(value, context: Self.context(index))))
    } catch {
      return .failure(error)
    }
  }

  var count: Int { heads.count }

  /// Every head, or the first entry's error that is not a layer.
  func checkedHeads() throws(ConvScopeError) -> [KerasLayerHead] {
    var checked: [KerasLayerHead] = []
    checked.reserveCapacity(heads.count)
    for head in heads { checked.append(try head.get()) }
    return checked
  }

  /// The entry at `index`, parsed.
  func layer(at index: Int) throws(ConvScopeError) -> KerasLayer {
    switch source {
    case .values(let values):
      return try KerasLayer(values[index], context: Self.context(index))
    case .skimmed(let elements):
      guard let value = elements.element(at: index) else {
        throw ConvScopeError(field: Self.context(index), message: "the layer's JSON no longer parses")
      }
      return try KerasLayer(value, context: Self.context(index))
    }
  }

  private static func context(_ index: Int) -> String { "layers[\(index)]" }
}
