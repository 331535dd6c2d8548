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
    var name = name
    let ascii: String?? = name.withUTF8 { bytes in
      bytes.allSatisfy { $0 < 0x80 } ? .some(asciiSourceLayer(of: bytes)) : .none
    }
    if let ascii { return ascii }
    var scopes = name.split(separator: "/")
    guard scopes.count >= 2 else { return nil }
    scopes.removeLast()
    if scopes.count == 1 { return String(scopes[0]) }
    var path: [Substring] = []
    for scope in scopes {
      if let parent = path.last, scope.hasPrefix(parent + ".") {
        path.append(scope.dropFirst(parent.count + 1))
      } else {
        path.append(scope)
      }
    }
    return path.joined(separator: ".")
  }

  /// ``sourceLayer(of:)`` of an ASCII name, on its bytes: the scopes are offsets (on the stack)
  /// and the path is written once.
  private static func asciiSourceLayer(of name: UnsafeBufferPointer<UInt8>) -> String? {
    withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: name.count / 2 + 1) { scopes in
      var count = 0
      var start = 0
      for i in 0...name.count where i == name.count || name[i] == UInt8(ascii: "/") {
        if start < i {
          scopes[count] = start..<i
          count += 1
        }
        start = i + 1
      }
      guard count >= 2 else { return nil }
      count -= 1  // the last part is the node's own
      return String(unsafeUninitializedCapacity: name.count) { out in
        var written = 0
        var parent: Range<Int>? = nil
        for scope in scopes[0..<count] {
          var piece = scope
          // `parent.child`: the `parent.` part repeats the scope before it.
          if let parent, scope.count > parent.count,
            name[scope.lowerBound..<scope.lowerBound + parent.count].elementsEqual(name[parent]),
            name[scope.lowerBound + parent.count] == UInt8(ascii: ".")
          {
            piece = scope.lowerBound + parent.count + 1..<scope.upperBound
          }
          if parent != nil {
            out[written] = UInt8(ascii: ".")
            written += 1
          }
          for byte in name[piece] {
            out[written] = byte
            written += 1
          }
          parent = piece
        }
        return written
      }
    }
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
