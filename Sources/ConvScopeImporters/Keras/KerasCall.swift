import ConvScopeCore

/// A reference to a tensor in a Keras config: the layer that produced it, which
/// call of that layer (node index) and which of its outputs, and the shape the
/// file declares for it (Keras 3 writes one).
struct KerasReference {
  var layer: String
  var node: Int
  var tensor: Int
  var shape: [Dim]?

  /// `["conv1", 0, 0]` or `["conv1", 0, 0, {kwargs}]` (tf.keras), or a Keras 3
  /// `{"class_name": "__keras_tensor__", "config": {"keras_history": [...], "shape": [...]}}`.
  init?(_ value: JSONValue) {
    if value["class_name"]?.string == "__keras_tensor__" {
      guard let history = value["config"]?["keras_history"], let reference = KerasReference(history) else { return nil }
      self = reference
      shape = value["config"]?["shape"].flatMap(KerasLayer.shape)
      return
    }
    guard let list = value.array, list.count >= 3, let layer = list[0].string,
      let node = list[1].int, let tensor = list[2].int
    else { return nil }
    self.layer = layer
    self.node = node
    self.tensor = tensor
    self.shape = nil
  }

  /// A list of references (`input_layers`): one reference or a list of them.
  static func list(_ value: JSONValue?) -> [KerasReference] {
    guard let value else { return [] }
    if let single = KerasReference(value) { return [single] }
    return value.array?.compactMap(KerasReference.init) ?? []
  }
}

/// One call of a layer (one entry of `inbound_nodes`), in either layout:
/// tf.keras 2 writes `[["in", 0, 0, {kwargs}], ...]`, Keras 3 writes
/// `{"args": [...], "kwargs": {...}}` with `__keras_tensor__` objects.
struct KerasCall {
  /// Tensors passed positionally, flattened in order (`Add()([a, b])` gives two).
  var positional: [KerasReference] = []
  /// Tensors passed by keyword (`value=`, `key=`).
  var keyword: [String: KerasReference] = [:]

  init(_ node: JSONValue) {
    if let args = node["args"] {
      collect(args)
      for (key, value) in node["kwargs"]?.object ?? [:] {
        if let reference = KerasReference(value) { keyword[key] = reference }
      }
    } else {
      for entry in node.array ?? [] {
        if let reference = KerasReference(entry) { positional.append(reference) }
        for (key, value) in entry.array?.dropFirst(3).first?.object ?? [:] {
          if let reference = KerasReference(value) { keyword[key] = reference }
        }
      }
    }
  }

  /// Every reference, positional first, then keywords by name.
  var all: [KerasReference] { positional + keyword.keys.sorted().compactMap { keyword[$0] } }

  private mutating func collect(_ value: JSONValue) {
    if let reference = KerasReference(value) {
      positional.append(reference)
    } else if let list = value.array {
      for element in list { collect(element) }
    }
  }
}
