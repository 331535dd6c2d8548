import ConvScopeCore

/// Collects what an importer emits (nodes, weights, configuration constants) and
/// keeps node and tensor names unique, so the graph stays in SSA form whatever
/// names the source file reuses.
///
/// ```swift
/// var assembler = GraphAssembler()
/// var layer = assembler.layer("conv1")
/// let y = layer.node("Conv", inputs: ["data", assembler.weight("conv1.weight", [64, 3, 7, 7])])
/// assembler.commit(layer)
/// ```
struct GraphAssembler {
  private(set) var nodes: [Node] = []
  private(set) var initializers: [String: ConstantTensor] = [:]
  private(set) var initializerRoles: [String: InputRole] = [:]
  /// Stored tensors no node reads, by the node that holds them (``Graph/heldTensors``).
  private(set) var heldTensors: [String: [String]] = [:]
  private var usedNames: Set<String> = []
  /// One copy of each equal attribute set the nodes hold (``SharedValues``).
  private var sharedAttributes = SharedValues<[String: AttributeValue]>()
  /// The last suffix ``unique(_:)`` tried for each base: the names it skipped stay taken, so the
  /// next call starts after it and a name repeated n times costs n steps, not n².
  private var lastSuffix: [String: Int] = [:]

  /// Room for about `layers` layers (a node, its output name and a stored tensor each), so
  /// that the tables of a large model grow once instead of rehashing every name as they double.
  mutating func reserveCapacity(layers: Int) {
    nodes.reserveCapacity(layers)
    usedNames.reserveCapacity(2 * layers)
    initializers.reserveCapacity(layers)
  }

  /// Reserves `name` (a graph input) so that no node output takes it.
  mutating func reserve(_ name: String) { usedNames.insert(name) }

  /// `base`, or `base_1`, `base_2`... whichever is still free; the result is reserved.
  mutating func unique(_ base: String) -> String {
    var suffix = lastSuffix.isEmpty ? 0 : lastSuffix[base] ?? 0
    var candidate = suffix > 0 ? "\(base)_\(suffix)" : base
    while !usedNames.insert(candidate).inserted {  // claimed when free: one hash for a new name
      suffix += 1
      candidate = "\(base)_\(suffix)"
    }
    if suffix > 0 { lastSuffix[base] = suffix }
    return candidate
  }

  /// A float32 weight of `dims`, created once per name (a shared layer reuses its weights);
  /// a `nil` dim is deferred to the op rule that reads it (``ConstantTensor/deferredAxes``).
  mutating func weight(_ name: String, _ dims: [Int?], role: InputRole? = nil) -> String {
    constant(name, .weight(dataType: .float32, dims: dims), role: role)
  }

  /// A constant tensor (an int64 shape vector, a scalar bound), created once per name.
  mutating func constant(_ name: String, _ tensor: ConstantTensor, role: InputRole? = nil) -> String {
    // The first tensor of a name stays: stored, then put back in the rare case one was there.
    if let first = initializers.updateValue(tensor, forKey: name) {
      initializers[name] = first
    } else {
      usedNames.insert(name)
    }
    if let role { initializerRoles[name] = role }
    return name
  }

  /// Float values that are configuration, not parameters (a Clip bound, Resize scales).
  mutating func configuration(_ name: String, floats values: [Double], dims: [Int]) -> String {
    constant(name, ConstantTensor(dataType: .float32, dims: dims, values: .floats(values)), role: .configuration)
  }

  /// A float constant ONNX needs but the format does not store (a unit scale): dims only, never counted.
  mutating func filler(_ name: String, _ dims: [Int?]) -> String {
    constant(name, .weight(dataType: .float32, dims: dims), role: .configuration)
  }

  /// Records that node `node` holds stored tensor `tensor` without reading it (``Graph/heldTensors``).
  mutating func hold(_ tensor: String, by node: String) {
    heldTensors[node, default: []].append(tensor)
  }

  /// Starts the nodes of one source layer.
  mutating func layer(_ name: String) -> LayerEmission {
    LayerEmission(name: unique(name))
  }

  /// Appends a layer's nodes; when the layer became several nodes, each records the
  /// layer in `sourceLayer` so that reports can group them as the source tool does.
  /// `position` is where a text format wrote the layer.
  mutating func commit(_ emission: LayerEmission, position: SourcePosition? = nil) {
    for var node in emission.nodes {
      node.attributes = sharedAttributes.sharedAttributes(node.attributes)
      node.position = position
      if emission.nodes.count > 1 { node.sourceLayer = emission.name }
      for output in node.outputs { usedNames.insert(output) }
      nodes.append(node)
    }
  }
}

/// The nodes one source layer becomes: the first main node is named after the layer,
/// the others (and helper nodes such as a layout Transpose) `layer/Op`; each node's
/// output tensor has the node's name.
struct LayerEmission {
  /// The layer's (unique) name.
  let name: String
  private(set) var nodes: [Node] = []
  private var hasMainNode = false

  init(name: String) { self.name = name }

  /// Appends a node of `op` reading `inputs` and returns its output. A `helper` node
  /// (a Transpose or Flatten around the layer's real op) never takes the layer's name.
  @discardableResult
  mutating func node(
    _ op: String, inputs: [String], _ attributes: [String: AttributeValue] = [:], helper: Bool = false
  ) -> String {
    var nodeName = name
    if helper || hasMainNode {
      nodeName = "\(name)/\(op)"
      if nodes.contains(where: { $0.name == nodeName }) { nodeName += "_\(nodes.count)" }
    } else {
      hasMainNode = true
    }
    nodes.append(Node(name: nodeName, opType: op, inputs: inputs, outputs: [nodeName], attributes: attributes))
    return nodeName
  }

  /// Appends a node of `op` with `count` outputs (`name:0`, `name:1`...) and returns them.
  mutating func nodeOutputs(_ op: String, inputs: [String], _ attributes: [String: AttributeValue] = [:], count: Int)
    -> [String]
  {
    let first = node(op, inputs: inputs, attributes)
    let outputs = (0..<count).map { "\(first):\($0)" }
    nodes[nodes.count - 1].outputs = outputs
    return outputs
  }

  /// Changes node `index` of this layer (a format's own op's domain, a note).
  mutating func update(node index: Int, _ change: (inout Node) -> Void) {
    guard nodes.indices.contains(index) else { return }
    change(&nodes[index])
  }

  /// Renames tensor `old`, which one of this layer's nodes produces, to `new` in every node of the layer.
  mutating func rename(_ old: String, to new: String) {
    for index in nodes.indices {
      nodes[index].outputs = nodes[index].outputs.map { $0 == old ? new : $0 }
      nodes[index].inputs = nodes[index].inputs.map { $0 == old ? new : $0 }
    }
  }
}
