/// One copy of each equal value a builder keeps: the value met first is kept, and an equal one
/// met later is given back as it, sharing its storage. A model's layers repeat a few
/// configurations (every conv of a block has the same kernel, pads and output shape), and each
/// node or row holding its own arrays, strings and dictionaries cost a 100,000-layer model tens
/// of megabytes, and as many small blocks to allocate and free.
package struct SharedValues<Value: Hashable> {
  private var values: Set<Value> = []

  package init() {}

  /// `value`, or the equal value met first.
  package mutating func shared(_ value: Value) -> Value { values.insert(value).memberAfterInsert }
}

extension SharedValues where Value == [String: AttributeValue] {
  /// `attributes`, or the equal ones met first, when every value is a number, a string or a
  /// list of them: a tensor or a graph is left alone (hashing one costs what sharing saves).
  package mutating func sharedAttributes(_ attributes: Value) -> Value {
    guard !attributes.isEmpty, attributes.values.allSatisfy(\.isPlain) else { return attributes }
    return shared(attributes)
  }
}

extension AttributeValue {
  /// A number, a string or a list of them.
  var isPlain: Bool {
    switch self {
    case .int, .float, .string, .ints, .floats, .strings, .reference: true
    case .tensor, .graph, .graphs: false
    }
  }
}
