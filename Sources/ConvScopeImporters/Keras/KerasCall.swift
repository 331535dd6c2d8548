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
  /// Numbers passed among the tensors: a Keras 3 operation on a tensor and a number (`x + 3.0`
  /// is `Add` with args `[x, 3.0]`), a tf.keras `TFOpLambda` (`{"y": 3.0}`).
  var scalars = KerasScalars()

  init(_ node: JSONValue) {
    if let args = node["args"] {
      collect(args)
      for (key, value) in node["kwargs"]?.object ?? [:] { addKeyword(key, value) }
    } else {
      // A call on one tensor may be written flat, `["in", 0, 0, {kwargs}]` (tf.keras' TFOpLambda).
      let entries = node.array?.first?.string != nil ? [node] : node.array ?? []
      for entry in entries {
        if let reference = KerasReference(entry) { positional.append(reference) }
        for (key, value) in entry.array?.dropFirst(3).first?.object ?? [:] { addKeyword(key, value) }
      }
    }
  }

  /// Every reference, positional first, then keywords by name.
  var all: [KerasReference] { positional + keyword.keys.sorted().compactMap { keyword[$0] } }

  private mutating func addKeyword(_ key: String, _ value: JSONValue) {
    if let reference = KerasReference(value) {
      keyword[key] = reference
    } else if let number = value.double {
      scalars.keyword[key] = number
    }
  }

  private mutating func collect(_ value: JSONValue) {
    if let reference = KerasReference(value) {
      positional.append(reference)
    } else if let number = value.double {
      scalars.positional.append(KerasScalar(position: positional.count + scalars.positional.count, value: number))
    } else if let list = value.array {
      for element in list { collect(element) }
    }
  }
}

/// The numbers among a call's operands.
struct KerasScalars: Sendable {
  /// Positional numbers, in their places among the positional operands.
  var positional: [KerasScalar] = []
  /// Numbers passed by keyword (tf.keras' `TFOpLambda` writes `{"y": 3.0}`).
  var keyword: [String: Double] = [:]
}

/// A number among a call's positional operands (`3.0` in `Add` with args `[x, 3.0]`).
struct KerasScalar: Sendable {
  /// Its place among all positional operands, tensors and numbers together.
  var position: Int
  var value: Double
}
