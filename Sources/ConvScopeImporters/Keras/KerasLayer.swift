import ConvScopeCore

/// One entry of a Keras model config's `layers` list, with typed access to its
/// `config`; every error names the layer, its class and the key at fault.
struct KerasLayer {
  let className: String
  let name: String
  /// The layer's `config` object.
  let config: JSONObject
  /// The whole entry (`inbound_nodes`, `build_config`...).
  let entry: JSONObject

  init(_ value: JSONValue, context: String) throws(ConvScopeError) {
    guard let entry = value.object, let className = entry["class_name"]?.string else {
      throw ConvScopeError(field: context, message: "expected a layer object with 'class_name' and 'config'")
    }
    let config = entry["config"]?.object ?? [:]
    self.className = className
    self.entry = entry
    self.config = config
    self.name = config["name"]?.string ?? entry["name"]?.string ?? className.lowercased()
  }

  /// An error about this layer.
  func error(_ field: String?, _ message: String) -> ConvScopeError {
    ConvScopeError(layer: name, op: className, field: field, message: message)
  }

  /// Whether `key` is present and not null.
  func has(_ key: String) -> Bool { config[key].map { !$0.isNull } ?? false }

  func int(_ key: String, default fallback: Int) throws(ConvScopeError) -> Int {
    guard let value = config[key], !value.isNull else { return fallback }
    guard let int = value.int else { throw error(key, "expected an integer, found \(value.kindName)") }
    return int
  }

  /// A required positive integer (`filters`, `units`).
  func count(_ key: String) throws(ConvScopeError) -> Int {
    guard let value = config[key]?.int else { throw error(key, "expected a positive integer") }
    guard value > 0 else { throw error(key, "must be positive, got \(value)") }
    return value
  }

  func double(_ key: String, default fallback: Double) throws(ConvScopeError) -> Double {
    guard let value = config[key], !value.isNull else { return fallback }
    guard let double = value.double else { throw error(key, "expected a number, found \(value.kindName)") }
    return double
  }

  func string(_ key: String, default fallback: String) throws(ConvScopeError) -> String {
    guard let value = config[key], !value.isNull else { return fallback }
    guard let string = value.string else { throw error(key, "expected a string, found \(value.kindName)") }
    return string
  }

  func bool(_ key: String, default fallback: Bool) throws(ConvScopeError) -> Bool {
    guard let value = config[key], !value.isNull else { return fallback }
    guard let bool = value.bool else { throw error(key, "expected true or false, found \(value.kindName)") }
    return bool
  }

  /// An int or a list of `count` ints (`kernel_size: 3` or `[3, 3]`), or `fallback`.
  func tuple(_ key: String, count: Int, default fallback: [Int]? = nil) throws(ConvScopeError) -> [Int] {
    guard let value = config[key], !value.isNull else {
      guard let fallback else { throw error(key, "is required") }
      return fallback
    }
    if let single = value.int { return Array(repeating: single, count: count) }
    guard let list = value.array?.compactMap(\.int), list.count == value.array?.count, list.count == count else {
      throw error(key, "expected an integer or a list of \(count) integers")
    }
    return list
  }

  /// An int or a list of ints (`axis: -1` or `[3]`).
  func ints(_ key: String, default fallback: [Int]) throws(ConvScopeError) -> [Int] {
    guard let value = config[key], !value.isNull else { return fallback }
    if let single = value.int { return [single] }
    guard let list = value.array?.compactMap(\.int), list.count == value.array?.count else {
      throw error(key, "expected an integer or a list of integers")
    }
    return list
  }

  /// `data_format`: true for `channels_last` (Keras' default).
  var channelsLast: Bool { config["data_format"]?.string != "channels_first" }

  /// The activation folded into the layer (`activation="relu"`), or `nil` for none/linear.
  func activation() throws(ConvScopeError) -> String? {
    guard let value = config["activation"], !value.isNull else { return nil }
    let name: String
    if let string = value.string {
      name = string
    } else if let serialized = value["config"]?["name"]?.string ?? value["class_name"]?.string {
      name = serialized
    } else {
      throw error("activation", "expected an activation name, found \(value.kindName)")
    }
    return name == "linear" ? nil : name
  }

  /// Input shapes the file declares in `build_config` (Keras order, batch first; `nil` dims unknown).
  var declaredInputShapes: [[Dim]] {
    guard let build = entry["build_config"] else { return [] }
    let shape =
      build["input_shape"]
      ?? build["shapes_dict"].flatMap { dict in
        dict["query_shape"].map { query in JSONValue.array([query, dict["value_shape"] ?? query]) }
      }
    guard let shape else { return [] }
    if let single = Self.shape(shape) { return [single] }
    return shape.array?.compactMap(Self.shape) ?? []
  }

  /// A Keras shape (`[null, 32, 32, 1]`); `nil` for anything else.
  static func shape(_ value: JSONValue) -> [Dim]? {
    guard let list = value.array else { return nil }
    var dims: [Dim] = []
    for (axis, element) in list.enumerated() {
      if let size = element.int {
        dims.append(.fixed(size))
      } else if element.isNull {
        dims.append(axis == 0 ? .symbolic("N") : .unknown)
      } else {
        return nil
      }
    }
    return dims
  }
}
