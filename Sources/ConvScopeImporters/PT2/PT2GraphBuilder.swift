import ConvScopeCore

/// Turns a ``PT2Program`` into a ``Graph`` of ONNX nodes: parameters, buffers and constants
/// become initializers (float buffers non-trainable statistics, integer ones configuration), user inputs the graph inputs with
/// their declared (possibly symbolic) sizes, and each ATen node the ONNX nodes its mapping
/// (``PT2OpTable``) emits, grouped under its module path. An operator without a mapping
/// stays one node named by its ATen name, whose outputs take their declared shapes.
enum PT2GraphBuilder {
  static func graph(_ program: PT2Program, source: PT2Source, name: String) throws(ConvScopeError) -> Graph {
    var state = State(program: program, source: source)
    try state.readInputs()
    for node in program.nodes { try state.add(node) }
    var outputs: [TensorInfo] = []
    for output in program.outputs {
      guard state.defined.contains(output) else {
        throw source.error(
          "the output '\(output)' is not a value of the graph", at: "graph_module.signature.output_specs")
      }
      let value = program.values[output]
      outputs.append(
        TensorInfo(name: output, dataType: value?.dataType ?? .float32, shape: value?.shape ?? Shape([Dim]())))
    }
    var graph = Graph(
      name: name, inputs: state.inputs, outputs: outputs, nodes: state.nodes, initializers: state.initializers,
      valueInfo: state.valueInfo, layout: .nchw)
    graph.initializerRoles = state.roles
    for (symbol, range) in program.ranges {
      graph.symbolRanges[symbol] = range.min...(range.max ?? Int.max)
    }
    return graph
  }

  /// The table key of a target: `aten.relu_.default` → `aten.relu` (in-place ops are read as their
  /// functional forms: the cost is the same and the graph is in SSA form either way).
  static func key(of target: String) -> String {
    var parts = target.split(separator: ".").map(String.init)
    if parts.count == 3 { parts.removeLast() }
    if var op = parts.last, op.count > 1, op.hasSuffix("_"), !op.hasSuffix("__") {
      op.removeLast()
      parts[parts.count - 1] = op
    }
    return parts.joined(separator: ".")
  }

  /// The tensor names an argument holds.
  static func tensorNames(_ argument: PT2Program.Argument) -> [String] {
    switch argument {
    case .tensor(let name): return [name]
    case .tensors(let names): return names
    case .optionalTensors(let names): return names.compactMap { $0 }
    default: return []
    }
  }

  private struct State {
    let program: PT2Program
    let source: PT2Source
    var inputs: [TensorInfo] = []
    var nodes: [Node] = []
    var initializers: [String: ConstantTensor] = [:]
    var roles: [String: InputRole] = [:]
    var valueInfo: [String: TensorInfo] = [:]
    var defined: Set<String> = []
    /// Every value some node produces, to tell a value produced later (a cycle) from an unknown one.
    let produced: [String: Int]

    init(program: PT2Program, source: PT2Source) {
      self.program = program
      self.source = source
      var produced: [String: Int] = [:]
      for (index, node) in program.nodes.enumerated() {
        for output in node.outputs.flatMap(PT2GraphBuilder.tensorNames) { produced[output] = index }
      }
      self.produced = produced
    }

    mutating func readInputs() throws(ConvScopeError) {
      for (index, input) in program.inputs.enumerated() where input.kind != .ignored {
        let path = "graph_module.signature.input_specs[\(index)]"
        guard let value = program.values[input.name] else {
          throw source.error("the input '\(input.name)' has no entry in tensor_values", at: path)
        }
        guard defined.insert(input.name).inserted else {
          throw source.error("the input '\(input.name)' is declared twice", at: path)
        }
        if input.kind == .user {
          inputs.append(TensorInfo(name: input.name, dataType: value.dataType, shape: value.shape))
          continue
        }
        var dims: [Int] = []
        for dim in value.shape.dims {
          guard let size = dim.value else {
            throw source.error("the stored tensor '\(input.name)' has a symbolic size \(dim)", at: path)
          }
          dims.append(size)
        }
        do {
          _ = try Checked.product(dims)
        } catch {
          throw source.error("the stored tensor '\(input.name)' has \(Shape(dims)) elements, past Int", at: path)
        }
        initializers[input.name] = ConstantTensor(dataType: value.dataType, dims: dims)
        // A float buffer is a running statistic (non-trainable); an integer one is a counter
        // (`num_batches_tracked`) or an index table (Swin's `relative_position_index`): neither.
        if input.kind == .buffer { roles[input.name] = value.dataType.isFloatingPoint ? .statistic : .configuration }
      }
    }

    mutating func add(_ node: PT2Program.Node) throws(ConvScopeError) {
      let outputs = node.outputs.flatMap(PT2GraphBuilder.tensorNames)
      guard !outputs.isEmpty else { return }  // sym-int arithmetic, assertions: no tensor to analyse
      for input in node.inputs {
        for name in PT2GraphBuilder.tensorNames(input.value) where !defined.contains(name) {
          let later = produced[name].map { " (node \($0) produces it later: the graph has a cycle or is out of order)" }
          throw source.error(
            "'\(node.name)' reads the value '\(name)', which no earlier node produces\(later ?? "")",
            at: input.path?.text ?? "")
        }
      }
      var emitter = PT2Emitter(node: node, program: program, source: source)
      if let mapping = PT2OpTable.mappings[PT2GraphBuilder.key(of: node.target)] {
        try mapping(&emitter)
      } else {
        emitter.keepAsATen()
      }
      for (index, result) in emitter.results.enumerated() where index < outputs.count {
        guard let result, result != outputs[index] else { continue }
        // The program's name may be what the layer's first node was called: that one moves aside.
        if let taken = emitter.emission.nodes.first(where: { $0.outputs.contains(outputs[index]) }) {
          emitter.emission.rename(outputs[index], to: "\(outputs[index])/\(taken.opType)")
        }
        emitter.emission.rename(result, to: outputs[index])
      }
      for constant in emitter.constants {
        initializers[constant.name] = constant.tensor
        if let role = constant.role { roles[constant.name] = role }
      }
      for var emitted in emitter.emission.nodes {
        emitted.sourceLayer = node.modulePath
        nodes.append(emitted)
        defined.formUnion(emitted.outputs)
      }
      for output in outputs {
        if let value = program.values[output] {
          valueInfo[output] = TensorInfo(name: output, dataType: value.dataType, shape: value.shape)
        }
      }
    }
  }
}
