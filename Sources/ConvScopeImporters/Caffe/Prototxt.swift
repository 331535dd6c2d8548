import ConvScopeCore

/// A protobuf text-format message (`.prototxt`): fields in file order, each with
/// the line and column where it starts, so errors can point at it.
struct PrototxtMessage: Sendable {
  var fields: [PrototxtField] = []

  /// Every field called `name`, in order.
  func all(_ name: String) -> [PrototxtField] { fields.filter { $0.name == name } }

  /// The text of every field called `name` that has one, in order (no list of the fields first).
  func texts(_ name: String) -> [String] { fields.compactMap { $0.name == name ? $0.value.text : nil } }

  /// The first field called `name`.
  func first(_ name: String) -> PrototxtField? { fields.first { $0.name == name } }

  /// The first `name { ... }` sub-message.
  func message(_ name: String) -> PrototxtMessage? {
    if case .message(let message)? = first(name)?.value { return message }
    return nil
  }
}

/// One `name: value` or `name { ... }` field.
struct PrototxtField: Sendable {
  var name: String
  var value: PrototxtValue
  var line: Int
  var column: Int
}

/// A field's value: a scalar token or a nested message.
enum PrototxtValue: Sendable {
  /// A quoted string (quotes removed, escapes resolved).
  case string(String)
  /// A number or an identifier (`64`, `1e-5`, `-1`, `MAX`, `true`), as written.
  case word(String)
  case message(PrototxtMessage)

  /// The text of a string or word.
  var text: String? {
    switch self {
    case .string(let s), .word(let s): return s
    case .message: return nil
    }
  }

  /// An integer (`64`, `0x10` is not accepted; `1.0` is not an integer).
  var int: Int? {
    guard case .word(let word) = self else { return nil }
    return Int(word)
  }

  /// A real number (`0.0001`, `1e-5`, `-inf`).
  var double: Double? {
    guard case .word(let word) = self else { return nil }
    return Double(word) ?? (Int(word).map(Double.init))
  }

  /// `true`/`false` (also `1`/`0`, `True`/`False`).
  var bool: Bool? {
    guard case .word(let word) = self else { return nil }
    switch word.lowercased() {
    case "true", "t", "1": return true
    case "false", "f", "0": return false
    default: return nil
    }
  }
}
