import ConvScopeCore

extension ONNXDecoder {
  /// Decodes a `GraphProto` (node 1, name 2, initializer 5, input 11, output 12,
  /// value_info 13, sparse_initializer 15) into the core graph. Inputs that are
  /// initializers are not model inputs; value_info and outputs with a declared
  /// shape become ``Graph/valueInfo``. The main graph's inputs have their unknown
  /// dims named (``ONNXValueInfo/inputInfo``).
  func graph(in range: Range<Int>, depth: Int) throws(ProtobufError) -> Graph {
    var reader = ProtobufReader(bytes: bytes, range: range)
    var name = ""
    // The nodes' bytes, decoded once the graph is read: a large graph's on several threads.
    var nodeRanges: [Range<Int>] = []
    // Gathered first, then hashed into a table sized once (a growing one rehashes every doubling).
    var stored: [(name: String, constant: ConstantTensor, offset: Int)] = []
    var inputs: [ONNXValueInfo] = []
    var outputs: [ONNXValueInfo] = []
    var declared: [ONNXValueInfo] = []
    // The first error in the file's order, as one pass in order meets it: the fields' (read
    // first), a twice-defined initializer's (found once they are hashed) or a node's (decoded
    // last), by their offsets.
    var failure: ProtobufError?
    do throws(ProtobufError) {
      while let field = try reader.nextField() {
        switch field.number {
        case 1: nodeRanges.append(try reader.message(field, "GraphProto.node"))
        case 2: name = try reader.string(field, "GraphProto.name")
        case 5, 15:
          let body = try reader.message(
            field, field.number == 5 ? "GraphProto.initializer" : "GraphProto.sparse_initializer")
          let tensor =
            field.number == 5
            ? try tensor(in: body, kind: "initializer") : try sparseTensor(in: body, kind: "initializer")
          guard !tensor.name.isEmpty else {
            throw ProtobufError(offset: field.offset, field: "TensorProto.name", "an initializer has no name")
          }
          stored.append((tensor.name, tensor.constant, field.offset))
        case 11: inputs.append(try valueInfo(in: try reader.message(field, "GraphProto.input")))
        case 12: outputs.append(try valueInfo(in: try reader.message(field, "GraphProto.output")))
        case 13: declared.append(try valueInfo(in: try reader.message(field, "GraphProto.value_info")))
        default: try reader.skip(field)
        }
      }
    } catch {
      failure = error
    }
    var initializers = [String: ConstantTensor](minimumCapacity: stored.count)
    for (name, constant, offset) in stored where initializers.updateValue(constant, forKey: name) != nil {
      if failure.map({ offset < $0.offset }) ?? true {
        failure = ProtobufError(offset: offset, field: "TensorProto.name", "initializer '\(name)' is defined twice")
      }
      break
    }
    if let failure {
      // A node before the fault may be broken too: the first such is the error.
      for range in nodeRanges where range.lowerBound < failure.offset { _ = try node(in: range, depth: depth) }
      throw failure
    }
    let nodes: [Node]
    if depth == 0, let decodedNodes, let named = decodedNodes.uniquelyNamed, nodeRanges == decodedNodes.ranges {
      nodes = named
    } else {
      var decoded = try self.nodes(in: nodeRanges, depth: depth)
      ONNXNodeNames.makeUnique(&decoded)
      nodes = decoded
    }
    return Graph(
      name: name, inputs: inputs.filter { initializers[$0.name] == nil }.map(depth == 0 ? \.inputInfo : \.tensorInfo),
      outputs: outputs.map(\.tensorInfo), nodes: nodes, initializers: initializers,
      valueInfo: Self.declaredShapes(declared, outputs: outputs), layout: .nchw, opsetVersion: opset)
  }

  /// The graph's ``Graph/valueInfo``: the value_info and outputs that declare a shape.
  static func declaredShapes(_ declared: [ONNXValueInfo], outputs: [ONNXValueInfo]) -> [String: TensorInfo] {
    var valueInfo = [String: TensorInfo](minimumCapacity: declared.count + outputs.count)
    for info in declared + outputs where info.shape != nil && !info.name.isEmpty {
      valueInfo[info.name] = info.tensorInfo
    }
    return valueInfo
  }

  /// The nodes at `ranges`, decoded in order (a large graph's on several threads,
  /// ``ParallelRows``; the main graph's first ones taken from ``decodedNodes`` when it has
  /// them); the first node that does not decode throws.
  private func nodes(in ranges: [Range<Int>], depth: Int) throws(ProtobufError) -> [Node] {
    if depth == 0, let decodedNodes, ranges.starts(with: decodedNodes.ranges) {
      var nodes = decodedNodes.nodes
      for range in ranges[decodedNodes.ranges.count...] { nodes.append(try node(in: range, depth: depth)) }
      return nodes
    }
    let workers = ParallelRows.workers(for: ranges.count)
    guard workers > 1 else {
      var nodes: [Node] = []
      nodes.reserveCapacity(ranges.count)
      for range in ranges { nodes.append(try node(in: range, depth: depth)) }
      return nodes
    }
    let decoded = ParallelRows.array(count: ranges.count, workers: workers) { index in
      Result { () throws(ProtobufError) in try node(in: ranges[index], depth: depth) }
    }
    var nodes: [Node] = []
    nodes.reserveCapacity(ranges.count)
    for result in decoded { nodes.append(try result.get()) }
    return nodes
  }
}
