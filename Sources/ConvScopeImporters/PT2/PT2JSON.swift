import ConvScopeCore

/// A value of the serialized ExportedProgram with its JSON path (`graph_module.graph.nodes[3]`),
/// so that every schema error names the archive entry and the place: reading a member of the
/// wrong kind, or a missing one, is a one-line ``ConvScopeError``, never a trap.
struct PT2JSON {
  let value: JSONValue
  /// Where `value` sits in the document.
  let path: String
  /// The archive and the entry the document came from, for errors.
  let source: PT2Source

  /// A member that must be there.
  func member(_ key: String) throws(ConvScopeError) -> PT2JSON {
    guard let found = optional(key) else { throw error("expected a member '\(key)'", at: path) }
    return found
  }

  /// A member that may be missing or null.
  func optional(_ key: String) -> PT2JSON? {
    guard let found = value[key], !found.isNull else { return nil }
    return PT2JSON(value: found, path: path.isEmpty ? key : "\(path).\(key)", source: source)
  }

  /// The elements of a list.
  func elements() throws(ConvScopeError) -> [PT2JSON] {
    guard let list = value.array else { throw error("expected a list, found \(value.kindName)") }
    return list.enumerated().map { PT2JSON(value: $1, path: "\(path)[\($0)]", source: source) }
  }

  /// The members of an object, sorted by key (the file's order is not kept by the parser).
  func members() throws(ConvScopeError) -> [(key: String, value: PT2JSON)] {
    guard let object = value.object else { throw error("expected an object, found \(value.kindName)") }
    return object.keys.sorted().map { key in
      (key, PT2JSON(value: object[key] ?? .null, path: "\(path).\(key)", source: source))
    }
  }

  /// The one member of a schema union (`{"as_tensor": ...}`): its tag and value.
  func union() throws(ConvScopeError) -> (tag: String, value: PT2JSON) {
    let present = try members().filter { !$0.value.value.isNull }
    guard present.count == 1, let only = present.first else {
      throw error(
        "expected a union with one member, found \(present.count) (\(present.map(\.key).joined(separator: ", ")))")
    }
    return (only.key, only.value)
  }

  func string() throws(ConvScopeError) -> String {
    guard let text = value.string else { throw error("expected a string, found \(value.kindName)") }
    return text
  }

  func int() throws(ConvScopeError) -> Int {
    guard case .int(let number) = value else { throw error("expected an integer, found \(value.kindName)") }
    return number
  }

  func double() throws(ConvScopeError) -> Double {
    guard let number = value.double else { throw error("expected a number, found \(value.kindName)") }
    return number
  }

  func bool() throws(ConvScopeError) -> Bool {
    guard let flag = value.bool else { throw error("expected a boolean, found \(value.kindName)") }
    return flag
  }

  /// An error located at this value (or at `place`).
  func error(_ message: String, at place: String? = nil) -> ConvScopeError {
    source.error(message, at: place ?? path)
  }
}

/// The archive and the entry a program was read from.
struct PT2Source {
  let fileName: String
  let entry: String

  /// `model.pt2: field 'm/models/model.json: graph_module.graph.nodes[3]': message`.
  func error(_ message: String, at path: String) -> ConvScopeError {
    ConvScopeError(file: fileName, field: path.isEmpty ? entry : "\(entry): \(path)", message: message)
  }
}
