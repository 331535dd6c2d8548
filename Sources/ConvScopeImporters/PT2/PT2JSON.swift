import ConvScopeCore

/// A value of the serialized ExportedProgram with its JSON path (`graph_module.graph.nodes[3]`),
/// so that every schema error names the archive entry and the place: reading a member of the
/// wrong kind, or a missing one, is a one-line ``ConvScopeError``, never a trap.
struct PT2JSON {
  let value: JSONValue
  /// Where `value` sits in the document (nil: the root), spelled out only for an error.
  let location: PT2Path?
  /// The archive and the entry the document came from, for errors.
  let source: PT2Source

  /// The document itself.
  init(document: JSONValue, source: PT2Source) {
    self.init(value: document, location: nil, source: source)
  }

  private init(value: JSONValue, location: PT2Path?, source: PT2Source) {
    self.value = value
    self.location = location
    self.source = source
  }

  /// Where `value` sits: `graph_module.graph.nodes[3]`.
  var path: String { location?.text ?? "" }

  /// A member that must be there.
  func member(_ key: String) throws(ConvScopeError) -> PT2JSON {
    guard let found = optional(key) else { throw error("expected a member '\(key)'", at: path) }
    return found
  }

  /// A member that may be missing or null.
  func optional(_ key: String) -> PT2JSON? {
    guard let found = value[key], !found.isNull else { return nil }
    return PT2JSON(value: found, location: PT2Path(parent: location, member: key), source: source)
  }

  /// The elements of a list.
  func elements() throws(ConvScopeError) -> [PT2JSON] {
    guard let list = value.array else { throw error("expected a list, found \(value.kindName)") }
    return list.enumerated().map { PT2JSON(value: $1, location: PT2Path(parent: location, index: $0), source: source) }
  }

  /// The members of an object, sorted by key (so the order never depends on which parser read the file).
  func members() throws(ConvScopeError) -> [(key: String, value: PT2JSON)] {
    guard let object = value.object else { throw error("expected an object, found \(value.kindName)") }
    return object.sorted { $0.key < $1.key }.map { key, value in
      (key, PT2JSON(value: value, location: PT2Path(parent: location, member: key), source: source))
    }
  }

  /// The one member of a schema union (`{"as_tensor": ...}`): its tag and value.
  func union() throws(ConvScopeError) -> (tag: String, value: PT2JSON) {
    guard let object = value.object else { throw error("expected an object, found \(value.kindName)") }
    var found: (key: String, value: JSONValue)?
    var count = 0
    for (key, member) in object where !member.isNull {
      count += 1
      found = (key, member)
    }
    guard count == 1, let found else {
      let present = object.filter { !$0.value.isNull }.map(\.key).sorted()
      throw error("expected a union with one member, found \(count) (\(present.joined(separator: ", ")))")
    }
    return (
      found.key, PT2JSON(value: found.value, location: PT2Path(parent: location, member: found.key), source: source)
    )
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

/// A place in the document, as a chain to the root: built for every value read, spelled out
/// (``text``) only when an error names it.
final class PT2Path: Sendable {
  let parent: PT2Path?
  /// The member's key, or nil for a list element.
  let member: String?
  let index: Int

  init(parent: PT2Path?, member: String) {
    self.parent = parent
    self.member = member
    index = 0
  }

  init(parent: PT2Path?, index: Int) {
    self.parent = parent
    member = nil
    self.index = index
  }

  /// `graph_module.graph.nodes[3].inputs[1]`.
  var text: String {
    var parts: [String] = []
    var node: PT2Path? = self
    while let current = node {
      parts.append(current.member.map { current.parent == nil ? $0 : ".\($0)" } ?? "[\(current.index)]")
      node = current.parent
    }
    return parts.reversed().joined()
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
