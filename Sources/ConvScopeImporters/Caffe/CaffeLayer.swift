import ConvScopeCore

/// One `layer { ... }` (or V1 `layers { ... }`) of a Caffe net, with typed access to
/// its parameters; every error carries the line and column of what is wrong.
struct CaffeLayer {
  let message: PrototxtMessage
  let name: String
  /// The type as written (`"Convolution"`, V1 `CONVOLUTION`).
  let type: String
  /// The type upper-cased without underscores, one key for both dialects (`INNERPRODUCT`).
  let kind: String
  let bottoms: [String]
  let tops: [String]
  let line: Int
  let column: Int

  init(_ field: PrototxtField, index: Int) throws(ConvScopeError) {
    let (message, type) = try Self.checked(field, index: index)
    self.message = message
    self.line = field.line
    self.column = field.column
    name = Self.name(of: message, index: index)
    self.type = type
    kind = Self.kind(of: type)
    bottoms = message.texts("bottom")
    tops = message.texts("top")
  }

  /// Whether the layer in `field` runs at test time (not TRAIN alone), after the checks
  /// ``init(_:index:)`` makes, without building the layer: the reader asks it of every layer
  /// before it translates any, and builds each layer when it translates it.
  static func runsAtTest(_ field: PrototxtField, index: Int) throws(ConvScopeError) -> Bool {
    !isTrainOnly(try checked(field, index: index).message)
  }

  /// The layer's block and its type; throws when `field` is not a block or has no type.
  private static func checked(_ field: PrototxtField, index: Int) throws(ConvScopeError) -> (
    message: PrototxtMessage, type: String
  ) {
    guard case .message(let message) = field.value else {
      throw ConvScopeError(line: field.line, column: field.column, message: "'\(field.name)' must be a { ... } block")
    }
    guard let type = message.first("type")?.value.text else {
      throw ConvScopeError(
        line: field.line, column: field.column, layer: name(of: message, index: index),
        message: "the layer has no type")
    }
    return (message, type)
  }

  /// The layer's `name`, else `layer<index>`.
  private static func name(of message: PrototxtMessage, index: Int) -> String {
    message.first("name")?.value.text ?? "layer\(index)"
  }

  /// `type` upper-cased without underscores; an ASCII type (every real one) byte by byte,
  /// written once.
  private static func kind(of type: String) -> String {
    var utf8 = type
    let ascii: String? = utf8.withUTF8 { bytes in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      return String(unsafeUninitializedCapacity: bytes.count) { out in
        var count = 0
        for byte in bytes where byte != UInt8(ascii: "_") {
          out[count] = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
          count += 1
        }
        return count
      }
    }
    if let ascii { return ascii }
    var kind = type.uppercased()
    kind.removeAll { $0 == "_" }
    return kind
  }

  /// Whether the layer in `message` only runs in the TRAIN phase (`include { phase: TRAIN }`).
  private static func isTrainOnly(_ message: PrototxtMessage) -> Bool {
    let included = message.all("include").compactMap { field -> String? in
      if case .message(let rule) = field.value { return rule.first("phase")?.value.text }
      return nil
    }
    return included.contains("TRAIN") && !included.contains("TEST")
  }

  /// An error at the layer (or at `field` inside `parameters`, when it is there).
  func error(_ field: String?, _ text: String, in parameters: String? = nil) -> ConvScopeError {
    var located: PrototxtField?
    var fieldName = field
    if let field, let parameters {
      located = message.message(parameters)?.first(field)
      fieldName = "\(parameters).\(field)"
    }
    return ConvScopeError(
      line: located?.line ?? line, column: located?.column ?? column, layer: name, op: type, field: fieldName,
      message: text)
  }

  /// The `NAME_param { ... }` block (empty when absent).
  func parameters(_ block: String) -> CaffeParameters {
    CaffeParameters(layer: self, block: block, message: message.message(block) ?? PrototxtMessage())
  }
}

/// One parameter block of a layer (`convolution_param`), with typed accessors.
struct CaffeParameters {
  let layer: CaffeLayer
  let block: String
  let message: PrototxtMessage

  func has(_ key: String) -> Bool { message.first(key) != nil }

  func int(_ key: String, default fallback: Int) throws(ConvScopeError) -> Int {
    guard let field = message.first(key) else { return fallback }
    guard let value = field.value.int else { throw layer.error(key, "expected an integer", in: block) }
    return value
  }

  /// A repeated integer field (`kernel_size: 3 kernel_size: 5`), possibly empty.
  func ints(_ key: String) throws(ConvScopeError) -> [Int] {
    var values: [Int] = []
    for field in message.fields where field.name == key {
      guard let value = field.value.int else { throw layer.error(key, "expected an integer", in: block) }
      values.append(value)
    }
    return values
  }

  func double(_ key: String, default fallback: Double) throws(ConvScopeError) -> Double {
    guard let field = message.first(key) else { return fallback }
    guard let value = field.value.double else { throw layer.error(key, "expected a number", in: block) }
    return value
  }

  func bool(_ key: String, default fallback: Bool) throws(ConvScopeError) -> Bool {
    guard let field = message.first(key) else { return fallback }
    guard let value = field.value.bool else { throw layer.error(key, "expected true or false", in: block) }
    return value
  }

  /// An enum value (`pool: MAX`), upper-cased; `fallback` when absent.
  func word(_ key: String, default fallback: String) -> String {
    message.first(key)?.value.text?.uppercased() ?? fallback
  }

  /// Per-axis values from `key: v` (repeated or single) or, in 2-D, the `height` and `width`
  /// keys (`kernel_size`, or `kernel_h` and `kernel_w`), for `spatial` axes.
  func spatial(
    _ key: String, height: String, width: String, spatial: Int, default fallback: Int?
  ) throws(ConvScopeError) -> [Int] {
    if spatial == 2, has(height) || has(width) {
      guard let missing = fallback ?? (has(height) && has(width) ? 0 : nil) else {
        throw layer.error(height, "give both \(height) and \(width)", in: block)
      }
      return [try int(height, default: missing), try int(width, default: missing)]
    }
    let values = try ints(key)
    if values.isEmpty {
      guard let fallback else { throw layer.error(key, "is required", in: block) }
      return Array(repeating: fallback, count: spatial)
    }
    if values.count == 1 { return Array(repeating: values[0], count: spatial) }
    guard values.count == spatial else {
      throw layer.error(key, "has \(values.count) values for \(spatial) spatial axes", in: block)
    }
    return values
  }
}
