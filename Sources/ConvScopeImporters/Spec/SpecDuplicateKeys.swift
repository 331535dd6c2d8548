import ConvScopeCore

/// The duplicate-key check of a mapping, as `Yams.compose` made it: two keys are the same when
/// their texts and their YAML types are (`a` and `"a"` are; `1` and `"1"` are not). A key that
/// is a list or a mapping equals only an alias of itself.
enum SpecDuplicateKeys {
  /// Mappings up to this size compare their keys pairwise (no hashing, no `String`); larger ones
  /// group them in a dictionary.
  private static let pairwiseLimit = 16

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
    // Grouped by type and text (lists and mappings by node), in the order first written.
    var groups: [String: (first: SpecNode, count: Int)] = [:]
    for position in pairs.indices {
      let key = pairs[position].key
      let identity = key.kind == .scalar ? "\(key.resolvedTagName)\u{0}\(key.text ?? "")" : "#\(key.index)"
      groups[identity, default: (key, 0)].count += 1
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
    guard a.kind == .scalar, b.kind == .scalar, a.tree.sameText(a.index, b.index) else { return false }
    // The same text written plain twice, or string-tagged twice, is the same type.
    if a.tag == b.tag && a.tag != .other { return true }
    return a.resolvedTagName == b.resolvedTagName
  }
}
