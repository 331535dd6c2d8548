import ConvScopeCore

/// Where in a spec file something is: the file, and the layer and op being read.
struct SpecLocation {
  var file: String
  var layer: String?
  var op: String?

  /// An error at `node`'s line and column (when there is a node).
  func error(_ node: SpecNode?, field: String?, _ message: String) -> ConvScopeError {
    ConvScopeError(
      file: file, line: node?.line, column: node?.column, layer: layer, op: op,
      field: field, message: message)
  }
}

/// One YAML mapping of a spec (the document, an input, a layer) with typed,
/// located accessors. It remembers which keys were read, so that ``finish(allowed:)``
/// can reject the keys nobody asked for (typos such as `filter:`), with a
/// "did you mean".
final class SpecFields {
  let node: SpecNode
  var location: SpecLocation
  private let pairs: SpecNode.Pairs
  /// The pairs whose key was asked for (read or looked up), by position: a bit each for the
  /// first 64, a set past them (a mapping that long is a mistake the finish reports).
  private var used: UInt64 = 0
  private var usedBeyond: Set<Int> = []

  /// Reads `node` as a mapping; `what` names it in the error otherwise (`"layer"`).
  init(_ node: SpecNode, location: SpecLocation, what: String) throws(ConvScopeError) {
    guard let pairs = node.pairs else {
      throw location.error(
        node, field: nil, "expected a \(what) (a mapping of keys to values), got \(node.description)")
    }
    self.node = node
    self.location = location
    self.pairs = pairs
  }

  /// Where `key`'s value is written, without marking it read.
  func position(of key: String) -> SourceField? {
    node.value(key).map { SourceField(key: key, line: $0.line, column: $0.column) }
  }

  /// The value of `key` (a key YAML reads as a string, the last one when repeated), marking it read.
  func value(_ key: String) -> SpecNode? {
    node.value(key) { self.markUsed($0) }
  }

  private func markUsed(_ position: Int) {
    if position < 64 { used |= 1 << UInt64(position) } else { usedBeyond.insert(position) }
  }

  private func isUsed(_ position: Int) -> Bool {
    position < 64 ? used & (1 << UInt64(position)) != 0 : usedBeyond.contains(position)
  }

  /// An error about `key`, at its value when present, else at the mapping.
  func error(_ key: String, _ message: String) -> ConvScopeError {
    location.error(node.value(key) ?? node, field: key, message)
  }

  /// The error for a required `key` that is absent: when another key looks like
  /// a misspelling of it (`filter:` for `filters:`), that key is the error.
  func missing(_ key: String) -> ConvScopeError {
    for position in pairs.indices {
      let keyNode = pairs[position].key
      guard let written = keyNode.text, !isUsed(position), node.value(key) == nil,
        NameSuggestion.closest(to: written, among: [key]) != nil
      else { continue }
      return location.error(keyNode, field: written, "unknown key '\(written)'; did you mean '\(key)'?")
    }
    return error(key, "is required")
  }

  /// A string value (numbers are read as their text).
  func string(_ key: String) throws(ConvScopeError) -> String? {
    guard let value = value(key) else { return nil }
    guard let text = value.text else { throw error(key, "expected a string, got \(value.description)") }
    return text
  }

  func requiredString(_ key: String) throws(ConvScopeError) -> String {
    guard let text = try string(key) else { throw missing(key) }
    return text
  }

  /// An integer value.
  func int(_ key: String) throws(ConvScopeError) -> Int? {
    guard let value = value(key) else { return nil }
    guard let number = value.int else { throw error(key, "expected an integer, got \(value.description)") }
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
    guard let number = value.double, number.isFinite else {
      throw error(key, "expected a number, got \(value.description)")
    }
    return number
  }

  /// A boolean value (`true`/`false`, `yes`/`no`).
  func bool(_ key: String) throws(ConvScopeError) -> Bool? {
    guard let value = value(key) else { return nil }
    guard let flag = value.bool else { throw error(key, "expected true or false, got \(value.description)") }
    return flag
  }

  /// A list of integers; a single integer is a list of one.
  func ints(_ key: String) throws(ConvScopeError) -> [Int]? {
    guard let value = value(key) else { return nil }
    return try Self.ints(value, location: location, field: key)
  }

  /// `node` as a list of integers; a single integer is a list of one.
  static func ints(_ node: SpecNode, location: SpecLocation, field: String) throws(ConvScopeError) -> [Int] {
    if let single = node.int { return [single] }
    guard let items = node.items else {
      throw location.error(node, field: field, "expected an integer or a list of integers, got \(node.description)")
    }
    var numbers: [Int] = []
    numbers.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
      guard let number = item.int else {
        throw location.error(item, field: "\(field)[\(index)]", "expected an integer, got \(item.description)")
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
    let items = value.items.map(Array.init) ?? [value]
    var numbers: [Double] = []
    for item in items {
      guard let number = item.double, number.isFinite else {
        throw error(key, "expected a number or a list of numbers, got \(item.description)")
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
  static func strings(_ node: SpecNode, location: SpecLocation, field: String) throws(ConvScopeError) -> [String] {
    if let text = node.text { return [text] }
    guard let items = node.items else {
      throw location.error(node, field: field, "expected a name or a list of names, got \(node.description)")
    }
    var names: [String] = []
    names.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
      guard let text = item.text else {
        throw location.error(item, field: "\(field)[\(index)]", "expected a name, got \(item.description)")
      }
      names.append(text)
    }
    return names
  }

  /// Rejects every key that was not read: `allowed` lists the ones this mapping takes (made
  /// only for the error).
  func finish(allowed: @autoclosure () -> [String]) throws(ConvScopeError) {
    for position in pairs.indices where !isUsed(position) {
      let keyNode = pairs[position].key
      let key = keyNode.text ?? keyNode.description
      let allowed = allowed().sorted()  // sorted: a tie in the suggestion goes one way every run
      let hint = NameSuggestion.hint(for: key, among: allowed)
      let list = allowed.joined(separator: ", ")
      throw location.error(keyNode, field: key, "unknown key '\(key)'\(hint) (this takes: \(list))")
    }
  }
}
