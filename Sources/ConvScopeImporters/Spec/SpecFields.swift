import ConvScopeCore
import Yams

/// Where in a spec file something is: the file, and the layer and op being read.
struct SpecLocation {
  var file: String
  var layer: String?
  var op: String?

  /// An error at `node`'s line and column (when there is a node).
  func error(_ node: Yams.Node?, field: String?, _ message: String) -> ConvScopeError {
    ConvScopeError(
      file: file, line: node?.mark?.line, column: node?.mark?.column, layer: layer, op: op,
      field: field, message: message)
  }
}

/// One YAML mapping of a spec (the document, an input, a layer) with typed,
/// located accessors. It remembers which keys were read, so that ``finish()``
/// can reject the keys nobody asked for (typos such as `filter:`), with a
/// "did you mean".
final class SpecFields {
  let node: Yams.Node
  var location: SpecLocation
  private let mapping: Yams.Node.Mapping
  /// The values of the plain-string keys, the last of a repeated key winning as in
  /// `mapping[key]`: a lookup by hashing instead of Yams's linear scan, which resolves the
  /// probe key's tag with a regular expression on every call.
  private let values: [String: Yams.Node]
  private var used: Set<String> = []

  /// Reads `node` as a mapping; `what` names it in the error otherwise (`"layer"`).
  init(_ node: Yams.Node, location: SpecLocation, what: String) throws(ConvScopeError) {
    guard let mapping = node.mapping else {
      throw location.error(
        node, field: nil, "expected a \(what) (a mapping of keys to values), got \(Self.describe(node))")
    }
    self.node = node
    self.location = location
    self.mapping = mapping
    var values: [String: Yams.Node] = [:]
    for (keyNode, value) in mapping {
      guard let key = keyNode.scalar, keyNode.tag.rawValue == Tag.Name.str.rawValue else { continue }
      values[key.string] = value
    }
    self.values = values
  }

  /// Where `key`'s value is written, without marking it read.
  func position(of key: String) -> SourceField? {
    lookup(key)?.mark.map { SourceField(key: key, line: $0.line, column: $0.column) }
  }

  /// The value of `key`, marking it read.
  func value(_ key: String) -> Yams.Node? {
    used.insert(key)
    return lookup(key)
  }

  /// `mapping[key]`: from ``values`` for a key that YAML reads as a string (a word that is
  /// not a boolean or null), else through Yams.
  private func lookup(_ key: String) -> Yams.Node? {
    guard Self.isPlainWord(key) else { return mapping[key] }
    return values[key]
  }

  /// `node[key]` (nil when `node` is not a mapping) for a word key, with the key's text
  /// compared before its tag, so that no regular expression runs on a key that does not match.
  static func value(_ key: String, in node: Yams.Node) -> Yams.Node? {
    guard let mapping = node.mapping else { return nil }
    guard isPlainWord(key) else { return mapping[key] }
    var found: Yams.Node?
    for (keyNode, value) in mapping
    where keyNode.scalar?.string == key && keyNode.tag.rawValue == Tag.Name.str.rawValue {
      found = value
    }
    return found
  }

  /// Whether YAML's default resolver reads `key` as a string: ASCII letters and `_` only,
  /// and not one of its boolean or null words.
  static func isPlainWord(_ key: String) -> Bool {
    !key.isEmpty && key.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 == 0x5F }
      && !nonStringWords.contains(key)
  }

  private static let nonStringWords: Set<String> = [
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
  ]

  /// An error about `key`, at its value when present, else at the mapping.
  func error(_ key: String, _ message: String) -> ConvScopeError {
    location.error(lookup(key) ?? node, field: key, message)
  }

  /// The error for a required `key` that is absent: when another key looks like
  /// a misspelling of it (`filter:` for `filters:`), that key is the error.
  func missing(_ key: String) -> ConvScopeError {
    for (keyNode, _) in mapping {
      guard let written = keyNode.string, !used.contains(written), lookup(key) == nil,
        NameSuggestion.closest(to: written, among: [key]) != nil
      else { continue }
      return location.error(keyNode, field: written, "unknown key '\(written)'; did you mean '\(key)'?")
    }
    return error(key, "is required")
  }

  /// A string value (numbers are read as their text).
  func string(_ key: String) throws(ConvScopeError) -> String? {
    guard let value = value(key) else { return nil }
    guard let scalar = value.scalar else { throw error(key, "expected a string, got \(Self.describe(value))") }
    return scalar.string
  }

  func requiredString(_ key: String) throws(ConvScopeError) -> String {
    guard let text = try string(key) else { throw missing(key) }
    return text
  }

  /// An integer value.
  func int(_ key: String) throws(ConvScopeError) -> Int? {
    guard let value = value(key) else { return nil }
    guard let number = Self.int(value) else { throw error(key, "expected an integer, got \(Self.describe(value))") }
    return number
  }

  /// A positive integer value, required or not.
  func positiveInt(_ key: String, required: Bool = false) throws(ConvScopeError) -> Int? {
    guard let number = try int(key) else {
      if required { throw missing(key) }
      return nil
    }
    guard number > 0 else { throw error(key, "must be positive, got \(number)") }
    return number
  }

  /// A real value (integers accepted).
  func double(_ key: String) throws(ConvScopeError) -> Double? {
    guard let value = value(key) else { return nil }
    guard let scalar = value.scalar, let number = Double.construct(from: scalar), number.isFinite else {
      throw error(key, "expected a number, got \(Self.describe(value))")
    }
    return number
  }

  /// A boolean value (`true`/`false`, `yes`/`no`).
  func bool(_ key: String) throws(ConvScopeError) -> Bool? {
    guard let value = value(key) else { return nil }
    guard let flag = value.bool else { throw error(key, "expected true or false, got \(Self.describe(value))") }
    return flag
  }

  /// A list of integers; a single integer is a list of one.
  func ints(_ key: String) throws(ConvScopeError) -> [Int]? {
    guard let value = value(key) else { return nil }
    return try Self.ints(value, location: location, field: key)
  }

  /// `node` as a list of integers; a single integer is a list of one.
  static func ints(_ node: Yams.Node, location: SpecLocation, field: String) throws(ConvScopeError) -> [Int] {
    if let single = int(node) { return [single] }
    guard let items = node.sequence else {
      throw location.error(node, field: field, "expected an integer or a list of integers, got \(describe(node))")
    }
    var numbers: [Int] = []
    for (index, item) in items.enumerated() {
      guard let number = int(item) else {
        throw location.error(item, field: "\(field)[\(index)]", "expected an integer, got \(describe(item))")
      }
      numbers.append(number)
    }
    return numbers
  }

  /// Positive integers, one per spatial axis: an integer repeats over all `rank` axes.
  func perAxis(_ key: String, rank: Int, required: Bool = false) throws(ConvScopeError) -> [Int]? {
    guard let numbers = try ints(key) else {
      if required { throw missing(key) }
      return nil
    }
    if let bad = numbers.first(where: { $0 <= 0 }) { throw error(key, "must be positive, got \(bad)") }
    if numbers.count == 1 && rank != 1 { return Array(repeating: numbers[0], count: rank) }
    guard numbers.count == rank else {
      throw error(key, "has \(numbers.count) values for \(rank) spatial axes; give one integer or \(rank)")
    }
    return numbers
  }

  /// A list of reals; a single number is a list of one.
  func doubles(_ key: String) throws(ConvScopeError) -> [Double]? {
    guard let value = value(key) else { return nil }
    let items = value.sequence.map(Array.init) ?? [value]
    var numbers: [Double] = []
    for item in items {
      guard let scalar = item.scalar, let number = Double.construct(from: scalar), number.isFinite else {
        throw error(key, "expected a number or a list of numbers, got \(Self.describe(item))")
      }
      numbers.append(number)
    }
    return numbers
  }

  /// A list of strings; a single string is a list of one.
  func strings(_ key: String) throws(ConvScopeError) -> [String]? {
    guard let value = value(key) else { return nil }
    return try Self.strings(value, location: location, field: key)
  }

  /// `node` as a list of strings; a single string is a list of one.
  static func strings(_ node: Yams.Node, location: SpecLocation, field: String) throws(ConvScopeError) -> [String] {
    if let scalar = node.scalar { return [scalar.string] }
    guard let items = node.sequence else {
      throw location.error(node, field: field, "expected a name or a list of names, got \(describe(node))")
    }
    var names: [String] = []
    for (index, item) in items.enumerated() {
      guard let scalar = item.scalar else {
        throw location.error(item, field: "\(field)[\(index)]", "expected a name, got \(describe(item))")
      }
      names.append(scalar.string)
    }
    return names
  }

  /// Rejects every key that was not read: `allowed` lists the ones this mapping takes.
  func finish(allowed: [String]) throws(ConvScopeError) {
    for (keyNode, _) in mapping {
      let key = keyNode.string ?? Self.describe(keyNode)
      guard !used.contains(key) else { continue }
      let hint = NameSuggestion.hint(for: key, among: allowed)
      let list = allowed.sorted().joined(separator: ", ")
      throw location.error(keyNode, field: key, "unknown key '\(key)'\(hint) (this takes: \(list))")
    }
  }

  /// An integer scalar, or nil (floats such as `2.5` and strings are not integers).
  static func int(_ node: Yams.Node) -> Int? {
    guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return nil }
    return Int.construct(from: scalar)
  }

  /// How a value reads in an error: `a list`, `a mapping`, `'abc'`.
  static func describe(_ node: Yams.Node) -> String {
    switch node {
    case .scalar(let scalar): return scalar.string.isEmpty ? "nothing" : "'\(scalar.string)'"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    case .alias: return "an alias"
    }
  }
}
