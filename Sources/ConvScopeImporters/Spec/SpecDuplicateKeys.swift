import ConvScopeCore

/// The duplicate-key check of a mapping, as `Yams.compose` made it: two keys are the same when
/// their texts and their YAML types are (`a` and `"a"` are; `1` and `"1"` are not), and two
/// lists or mappings used as keys when they hold the same keys.
enum SpecDuplicateKeys {
  /// Mappings up to this size compare their keys pairwise (no hashing, no `String`); larger ones
  /// group them in a dictionary.
  private static let pairwiseLimit = 16

  /// How many nodes a list or mapping key is read to when compared (aliases can make a small
  /// text a huge tree); past it, the key equals only an alias of itself.
  private static let keyBudget = 1_000

  /// Whether a mapping whose keys and values (interleaved) are `children` may repeat a key:
  /// false when it has at most ``pairwiseLimit`` keys, all scalars, with different texts (the
  /// common case, decided without building a ``SpecTree``).
  static func mayRepeat(_ children: ArraySlice<Int32>, in storage: SpecTree.Storage) -> Bool {
    let count = children.count / 2
    guard count <= pairwiseLimit else { return true }
    let base = children.startIndex
    for second in 0..<count {
      let key = children[base + 2 * second]
      guard storage.records[Int(key)].kind == .scalar else { return true }
      for first in 0..<second where storage.sameText(children[base + 2 * first], key) { return true }
    }
    return false
  }

  /// Throws the error Yams gave for a mapping with a repeated key: every repeated key, sorted,
  /// at the first occurrence of the first of them.
  static func check(_ mapping: SpecNode, file: String) throws(ConvScopeError) {
    guard let pairs = mapping.pairs, pairs.count > 1 else { return }
    if pairs.count <= pairwiseLimit {
      var repeated = false
      for second in 1..<pairs.count where !repeated {
        let key = pairs[second].key
        repeated = (0..<second).contains { same(pairs[$0].key, key) }
      }
      guard repeated else { return }
    }
    // Grouped by identity, in the order first written.
    var groups: [String: (first: SpecNode, count: Int)] = [:]
    for position in pairs.indices {
      let key = pairs[position].key
      groups[identity(key), default: (key, 0)].count += 1
    }
    let duplicates = groups.values.filter { $0.count > 1 }.map(\.first)
      .sorted { ($0.text ?? "", $0.index) < ($1.text ?? "", $1.index) }
    guard let first = duplicates.first else { return }
    let names = duplicates.map { $0.text ?? $0.description }
    throw ConvScopeError(
      file: file, line: first.line, column: first.column,
      message: "duplicate key \(names.joined(separator: ", ")) in a mapping")
  }

  /// Whether keys `a` and `b` are the same key.
  private static func same(_ a: SpecNode, _ b: SpecNode) -> Bool {
    if a.index == b.index { return true }
    guard a.kind == .scalar, b.kind == .scalar else { return identity(a) == identity(b) }
    guard a.tree.storage.sameText(a.index, b.index) else { return false }
    // The same text written plain twice, or string-tagged twice, is the same type.
    if a.tag == b.tag && a.tag != .other { return true }
    return a.resolvedTagName == b.resolvedTagName
  }

  /// A key's type and text; a list or mapping's keys in brackets (up to ``keyBudget`` nodes).
  private static func identity(_ key: SpecNode) -> String {
    var budget = keyBudget
    return describe(key, budget: &budget) ?? "#\(key.index)"
  }

  private static func describe(_ node: SpecNode, budget: inout Int) -> String? {
    budget -= 1
    guard budget >= 0 else { return nil }
    switch node.kind {
    case .scalar:
      return "\(node.resolvedTagName)\u{0}\(node.text ?? "")\u{1}"
    case .sequence:
      var text = "["
      for item in node.items ?? .init(tree: node.tree, start: 0, count: 0) {
        guard let part = describe(item, budget: &budget) else { return nil }
        text += part
      }
      return text + "]"
    case .mapping:
      var text = "{"
      for (key, value) in node.pairs ?? .init(tree: node.tree, start: 0, count: 0) {
        guard let keyPart = describe(key, budget: &budget), let valuePart = describe(value, budget: &budget)
        else { return nil }
        text += keyPart + valuePart
      }
      return text + "}"
    }
  }
}
