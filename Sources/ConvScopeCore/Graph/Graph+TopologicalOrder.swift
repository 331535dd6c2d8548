extension Graph {
  /// The node indices in an order where every tensor is produced before it is
  /// consumed, keeping the file's order wherever the file's order allows.
  ///
  /// Throws when a node reads a tensor nothing defines (a subgraph body may read the names
  /// `outerScope` says the enclosing graphs define), when two nodes write the same tensor, or
  /// when the nodes form a cycle.
  public func topologicalOrder(outerScope: (String) -> Bool = { _ in false }) throws(ConvScopeError) -> [Int] {
    var producer: [String: Int] = [:]
    producer.reserveCapacity(nodes.count * 2)
    // A handful of inputs is searched in place, cheaper than hashing every name read.
    let inputSet = inputs.count > 8 ? Set(inputs.map(\.name)) : []
    func isGraphInput(_ name: String) -> Bool {
      inputs.count > 8 ? inputSet.contains(name) : inputs.contains { $0.name == name }
    }
    for index in nodes.indices {
      for output in nodes[index].outputs where !output.isEmpty {
        if let other = producer.updateValue(index, forKey: output) {
          throw ConvScopeError(
            layer: nodes[index].name, op: nodes[index].opType, field: "outputs",
            message: "tensor '\(output)' is already produced by '\(nodes[other].name)'")
        }
      }
    }
    // Each input's producing node, looked up once: `dependencies[first[i] ..< first[i + 1]]`
    // are node i's, in input order (-1 for a tensor an input or initializer defines).
    var dependencies: [Int] = []
    var first: [Int] = [0]
    first.reserveCapacity(nodes.count + 1)
    for index in nodes.indices {
      for (slot, input) in nodes[index].inputs.enumerated() where !input.isEmpty {
        if isGraphInput(input) || initializers[input] != nil {
          dependencies.append(-1)
        } else if let node = producer[input] {
          dependencies.append(node)
        } else if outerScope(input) {
          dependencies.append(-1)
        } else {
          throw ConvScopeError(
            layer: nodes[index].name, op: nodes[index].opType, field: "inputs[\(slot)]",
            message: "tensor '\(input)' is not defined by any input, initializer or earlier layer")
        }
      }
      first.append(dependencies.count)
    }

    // Iterative depth-first search in file order: a node is emitted once all its producers are.
    enum Mark { case unvisited, inProgress, done }
    var marks = Array(repeating: Mark.unvisited, count: nodes.count)
    var order: [Int] = []
    order.reserveCapacity(nodes.count)
    var stack: [(node: Int, next: Int)] = []  // one buffer for every root's search
    for root in nodes.indices where marks[root] == .unvisited {
      stack.append((root, first[root]))
      marks[root] = .inProgress
      while let top = stack.last {
        if top.next < first[top.node + 1] {
          stack[stack.count - 1].next += 1
          let dependency = dependencies[top.next]
          guard dependency >= 0 else { continue }
          switch marks[dependency] {
          case .done: continue
          case .inProgress:
            throw cycle(at: top.node, dependencyIndex: top.next - first[top.node])
          case .unvisited:
            marks[dependency] = .inProgress
            stack.append((dependency, first[dependency]))
          }
        } else {
          marks[top.node] = .done
          order.append(top.node)
          stack.removeLast()
        }
      }
    }
    return order
  }

  /// The error for a cycle found at node `index`'s `dependencyIndex`-th non-empty input.
  private func cycle(at index: Int, dependencyIndex: Int) -> ConvScopeError {
    let node = nodes[index]
    let slot = node.inputs.indices.filter { !node.inputs[$0].isEmpty }[dependencyIndex]
    return ConvScopeError(
      layer: node.name, op: node.opType, field: "inputs[\(slot)]",
      message: "the graph has a cycle through tensor '\(node.inputs[slot])'")
  }
}
