import ConvScopeCore

/// Replaces each call of a model-local function (`FunctionProto`) by the function's body,
/// as ONNX Runtime inlines them: the body's inputs and outputs take the call's tensor names,
/// its other values and its nodes are prefixed with the call's name (`call/inner`), an
/// attribute that refers to one of the function's (`ref_attr_name`) takes the call's value
/// or the function's default, or is left out (an attribute the call does not give). Calls
/// inside a body are expanded in turn; every node of an expansion keeps the outermost call's
/// name as its ``Node/sourceLayer``, so the rows of one call group together. Calls inside
/// subgraphs (If branches, Loop and Scan bodies) are expanded too.
struct ONNXFunctionExpansion {
  /// The functions by (domain, name); `ai.onnx` is the default domain `""`. With each, where
  /// the file defines it, for errors.
  private let functions: [FunctionKey: (function: ONNXFunction, offset: Int)]
  /// How many nodes the graph and its subgraphs may grow to by default: a function calling
  /// another twice, 32 deep, is not a model (2^20 nodes already take hundreds of MB).
  static let defaultNodeLimit = 1 << 20
  /// How many nodes the graph and its subgraphs may grow to.
  let nodeLimit: Int
  /// The nodes kept so far, in all graphs.
  private var count = 0
  /// The bytes of the names the expansions made so far (``ResourceLimits/builtNameBytes``).
  private var nameBytes = 0
  /// The declared types (`FunctionProto.value_info`) of the values the expansions of the
  /// graph being expanded made, by their names in the graph.
  private(set) var declared: [String: TensorInfo] = [:]

  private struct FunctionKey: Hashable {
    var domain: String
    var name: String
  }

  /// The model's functions, each with the byte offset of its `FunctionProto`.
  init(_ functions: [(function: ONNXFunction, offset: Int)], nodeLimit: Int = Self.defaultNodeLimit) {
    self.nodeLimit = nodeLimit
    var byKey: [FunctionKey: (function: ONNXFunction, offset: Int)] = [:]
    for entry in functions {
      let domain = entry.function.domain == "ai.onnx" ? "" : entry.function.domain
      byKey[FunctionKey(domain: domain, name: entry.function.name)] = entry
    }
    self.functions = byKey
  }

  /// `nodes` with every function call replaced by the function's nodes.
  mutating func expand(_ nodes: [Node]) throws(ProtobufError) -> [Node] {
    guard !functions.isEmpty else { return nodes }
    var expanded: [Node] = []
    try append(nodes, to: &expanded, callers: [])
    return expanded
  }

  /// Appends `nodes` to `expanded`, expanding calls; `callers` are the functions being expanded,
  /// outermost first.
  private mutating func append(_ nodes: [Node], to expanded: inout [Node], callers: [FunctionKey])
    throws(ProtobufError)
  {
    for node in nodes {
      let key = FunctionKey(domain: node.domain, name: node.opType)
      guard let (function, offset) = functions[key] else {
        count += 1
        guard count <= nodeLimit else {
          throw ProtobufError(
            offset: callers.last.flatMap { functions[$0]?.offset } ?? 0, field: "ModelProto.functions",
            layer: node.name, "expanding the model's functions gives more than \(nodeLimit) nodes")
        }
        expanded.append(try withSubgraphsExpanded(node, callers: callers))
        continue
      }
      guard !callers.contains(key) else {
        let cycle = (callers.drop { $0 != key } + [key]).map(\.name).joined(separator: " → ")
        throw ProtobufError(
          offset: offset, field: "FunctionProto", layer: node.name,
          "function '\(function.name)' calls itself: \(cycle)")
      }
      guard callers.count < ONNXDecoder.maxDepth else {
        throw ProtobufError(
          offset: offset, field: "FunctionProto", layer: node.name,
          "functions call functions more than \(ONNXDecoder.maxDepth) deep")
      }
      let start = expanded.count
      let (body, declaredTypes) = body(of: function, calledBy: node)
      for inner in body {
        nameBytes += inner.name.utf8.count + inner.outputs.reduce(0) { $0 + $1.utf8.count }
      }
      guard nameBytes <= ResourceLimits.builtNameBytes else {
        throw ProtobufError(
          offset: offset, field: "ModelProto.functions", layer: node.name,
          ResourceLimits.overBuiltNameBytes("expanding the model's functions"))
      }
      declared.merge(declaredTypes) { first, _ in first }
      try append(body, to: &expanded, callers: callers + [key])
      for index in start..<expanded.count { expanded[index].sourceLayer = node.name }
    }
  }

  /// `node` with the calls in its subgraphs (If branches, Loop and Scan bodies) expanded.
  private mutating func withSubgraphsExpanded(_ node: Node, callers: [FunctionKey]) throws(ProtobufError) -> Node {
    var node = node
    for (key, value) in node.attributes {
      switch value {
      case .graph(let graph): node.attributes[key] = .graph(try expanded(graph, callers: callers))
      case .graphs(let graphs):
        var bodies: [Graph] = []
        for graph in graphs { bodies.append(try expanded(graph, callers: callers)) }
        node.attributes[key] = .graphs(bodies)
      default: continue
      }
    }
    return node
  }

  private mutating func expanded(_ graph: Graph, callers: [FunctionKey]) throws(ProtobufError) -> Graph {
    var graph = graph
    var nodes: [Node] = []
    let outer = declared
    declared = [:]
    try append(graph.nodes, to: &nodes, callers: callers)
    ONNXNodeNames.makeUnique(&nodes)
    graph.nodes = nodes
    graph.valueInfo.merge(declared) { inFile, _ in inFile }
    declared = outer
    return graph
  }

  /// The function's nodes for one call, names bound to the call's and attributes resolved,
  /// and the declared types of its own values under their new names.
  private func body(of function: ONNXFunction, calledBy call: Node) -> ([Node], [String: TensorInfo]) {
    var names: [String: String] = ["": ""]
    for (index, name) in function.inputs.enumerated() {
      names[name] = index < call.inputs.count ? call.inputs[index] : ""
    }
    for (index, name) in function.outputs.enumerated() where index < call.outputs.count {
      names[name] = call.outputs[index]
    }
    let local = { (name: String) in names[name] ?? "\(call.name)/\(name)" }
    let nodes = function.nodes.map { inner in
      var node = inner
      node.name = "\(call.name)/\(inner.name)"
      node.inputs = inner.inputs.map(local)
      node.outputs = inner.outputs.map(local)
      for (key, value) in inner.attributes {
        guard case .reference(let referred) = value else { continue }
        node.attributes[key] = call.attributes[referred] ?? function.defaults[referred]
      }
      return node
    }
    // Only the body's own values: the call's tensors are the caller's to declare.
    var declared: [String: TensorInfo] = [:]
    for var info in function.valueInfo where names[info.name] == nil {
      info.name = local(info.name)
      declared[info.name] = info
    }
    return (nodes, declared)
  }
}
