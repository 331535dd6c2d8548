import ConvScopeCore

/// Node names as users see them: unique within a graph, and grouped by the
/// PyTorch module they came from.
enum ONNXNodeNames {
  /// The PyTorch module path encoded in a TorchScript-exported node name. Each
  /// scope is a module's attribute name, except that a child of a container is
  /// written `parent.child` (`layer1.0`, `downsample.0`): the `parent.` part
  /// repeats the scope before it and is dropped.
  ///
  /// `/layer1/layer1.0/conv1/Conv` → `layer1.0.conv1`; `/features/features.0/Conv`
  /// → `features.0`; `/Flatten` and names without slashes → nil.
  static func sourceLayer(of name: String) -> String? {
    guard name.utf8.contains(UInt8(ascii: "/")) else { return nil }
    // ASCII (the usual case) is split and compared by bytes, which decide as characters do there.
    let ascii = name.utf8.allSatisfy { $0 < 0x80 }
    var scopes = ascii ? asciiScopes(of: name) : name.split(separator: "/")
    guard scopes.count >= 2 else { return nil }
    scopes.removeLast()
    if scopes.count == 1 { return String(scopes[0]) }
    var path: [Substring] = []
    for scope in scopes {
      if let parent = path.last,
        ascii ? asciiScope(scope, extends: parent) : scope.hasPrefix(parent + ".")
      {
        path.append(scope.dropFirst(parent.count + 1))
      } else {
        path.append(scope)
      }
    }
    return path.joined(separator: ".")
  }

  /// The non-empty parts of an ASCII `name` between slashes, as `split(separator: "/")` gives them.
  private static func asciiScopes(of name: String) -> [Substring] {
    var scopes: [Substring] = []
    var start = name.startIndex
    for index in name.utf8.indices where name.utf8[index] == UInt8(ascii: "/") {
      if start < index { scopes.append(name[start..<index]) }
      start = name.utf8.index(after: index)
    }
    if start < name.endIndex { scopes.append(name[start...]) }
    return scopes
  }

  /// Whether ASCII `scope` is `parent.` followed by more (`layer1.0` under `layer1`).
  private static func asciiScope(_ scope: Substring, extends parent: Substring) -> Bool {
    let (bytes, prefix) = (scope.utf8, parent.utf8)
    guard bytes.count > prefix.count, bytes.starts(with: prefix) else { return false }
    return bytes[bytes.index(bytes.startIndex, offsetBy: prefix.count)] == UInt8(ascii: ".")
  }

  /// Gives every node a unique name: an unnamed node becomes `OpType_index`
  /// (its index in the graph), a repeated name gets `_2`, `_3`...; names in the
  /// file are never taken by a generated one.
  static func makeUnique(_ nodes: inout [Node]) {
    var used = Set<String>()
    used.reserveCapacity(nodes.count)
    // The common case: every node is named, and no name repeats.
    let firstClash = nodes.indices.first { index in
      nodes[index].name.isEmpty || !used.insert(nodes[index].name).inserted
    }
    guard let first = firstClash else { return }
    let written = Set(nodes.lazy.map(\.name).filter { !$0.isEmpty })
    // The last suffix tried per base: the names skipped stay taken, so a name repeated n times
    // costs n steps, not n².
    var lastSuffix: [String: Int] = [:]
    for index in nodes.indices[first...] {
      let name = nodes[index].name
      if !name.isEmpty && used.insert(name).inserted { continue }
      let base = name.isEmpty ? "\(nodes[index].opType)_\(index)" : name
      var suffix = lastSuffix[base] ?? 1
      var candidate = suffix > 1 ? "\(base)_\(suffix)" : base
      while used.contains(candidate) || written.contains(candidate) {
        suffix += 1
        candidate = "\(base)_\(suffix)"
      }
      if suffix > 1 { lastSuffix[base] = suffix }
      used.insert(candidate)
      nodes[index].name = candidate
    }
  }
}
