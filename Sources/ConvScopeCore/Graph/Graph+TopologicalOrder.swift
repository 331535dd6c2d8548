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
    var defined = Set(inputs.map(\.name))
    defined.formUnion(initializers.keys)
    for (index, node) in nodes.enumerated() {
      for output in node.outputs where !output.isEmpty {
        if let other = producer[output] {
          throw ConvScopeError(
            layer: node.name, op: node.opType, field: "outputs",
            message: "tensor '\(output)' is already produced by '\(nodes[other].name)'")
        }
        producer[output] = index
      }
    }
    for (index, node) in nodes.enumerated() {
      for (slot, input) in node.inputs.enumerated() where !input.isEmpty {
        if producer[input] == nil && !defined.contains(input) && !outerScope(input) {
          throw ConvScopeError(
            layer: nodes[index].name, op: node.opType, field: "inputs[\(slot)]",
            message: "tensor '\(input)' is not defined by any input, initializer or earlier layer")
        }
      }
    }

    // Iterative depth-first search in file order: a node is emitted once all its producers are.
    enum Mark { case unvisited, inProgress, done }
    var marks = Array(repeating: Mark.unvisited, count: nodes.count)
    var order: [Int] = []
    order.reserveCapacity(nodes.count)
    for root in nodes.indices where marks[root] == .unvisited {
      var stack: [(node: Int, nextInput: Int)] = [(root, 0)]
      marks[root] = .inProgress
      while let top = stack.last {
        let node = nodes[top.node]
        if top.nextInput < node.inputs.count {
          stack[stack.count - 1].nextInput += 1
          let name = node.inputs[top.nextInput]
          guard !name.isEmpty, !defined.contains(name), let dependency = producer[name] else { continue }
          switch marks[dependency] {
          case .done: continue
          case .inProgress:
            throw ConvScopeError(
              layer: node.name, op: node.opType, field: "inputs[\(top.nextInput)]",
              message: "the graph has a cycle through tensor '\(name)'")
          case .unvisited:
            marks[dependency] = .inProgress
            stack.append((dependency, 0))
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
}
