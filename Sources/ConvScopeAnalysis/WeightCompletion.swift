import ConvScopeCore
import ConvScopeReport

/// Completes the weights an importer emitted with deferred dims (``ConstantTensor/deferredAxes``)
/// from the consuming rule's ``OpRule/expectedWeightShapes(_:)``, before the rule runs.
///
/// The completed shape replaces the tensor's state, so the rule, the parameter count, the weight
/// bytes and every later reader see it; a weight shared by several nodes is completed by the
/// first and only read by the others.
enum WeightCompletion {
  /// Completes the deferred stored inputs of `node` in `tensors` and in `states` (the states of
  /// its inputs, by slot). Throws, naming the weight, when a deferred dim cannot be told or a
  /// known dim disagrees with what the rule expects.
  static func complete(
    _ node: Node, rule: (any OpRule)?, states: inout [TensorState?], tensors: inout [String: TensorState],
    graph: Graph, opset: Int
  ) throws(OpError) {
    let slots = states.indices.filter { slot in states[slot]?.info?.shape.dims.contains(.deferred) ?? false }
    guard let first = slots.first else { return }
    guard let rule else {
      throw failure(node, slot: first, graph: graph, "there is no rule for \(node.opType) to complete it")
    }
    if let unknown = zip(node.inputs, states).first(where: { !$0.0.isEmpty && $0.1?.info == nil }) {
      let reason =
        "its size follows from the shape of '\(unknown.0)', which the analysis cannot tell"
        + " (an op before it has no rule, or its output depends on data)"
      throw failure(node, slot: first, graph: graph, reason)
    }
    let context = NodeContext(
      node: node, inputs: states.map { $0?.info }, constants: states.map { $0?.value }, opset: opset,
      constantInputs: states.map { $0?.isConstant ?? false })
    let expectations = try rule.expectedWeightShapes(context)
    for slot in slots {
      let name = node.inputs[slot]
      guard var state = states[slot], var info = state.info else { continue }
      guard let expected = expectations[slot] else {
        throw failure(node, slot: slot, graph: graph, "\(node.opType) declares no shape for its input \(slot)")
      }
      info.shape = try completed(info.shape, expected: expected, node: node, slot: slot, graph: graph)
      state.info = info
      for i in state.origins.indices where state.origins[i].name == name { state.origins[i].info = info }
      tensors[name] = state
      for other in slots where node.inputs[other] == name { states[other] = state }
    }
  }

  /// `shape` with its deferred dims taken from `expected`, its known dims checked against it.
  private static func completed(_ shape: Shape, expected: Shape, node: Node, slot: Int, graph: Graph)
    throws(OpError) -> Shape
  {
    guard expected.dims.count == shape.dims.count else {
      throw failure(
        node, slot: slot, graph: graph,
        "\(node.opType) expects \(expected) (rank \(expected.dims.count)), but it has rank \(shape.dims.count)")
    }
    var dims = shape.dims
    for (axis, dim) in shape.dims.enumerated() {
      let want = expected.dims[axis]
      if dim == .deferred {
        guard let size = want.value, size >= 0 else {
          throw failure(
            node, slot: slot, graph: graph,
            "\(node.opType) expects \(expected) from its inputs, and dim \(axis) is not a known number")
        }
        dims[axis] = .fixed(size)
      } else if let have = dim.value, let size = want.value, have != size {
        throw failure(
          node, slot: slot, graph: graph,
          "dim \(axis) is \(have), but \(node.opType) expects \(expected) from its inputs and attributes")
      }
    }
    return Shape(dims)
  }

  /// An error naming the weight (the field), its shape so far, the reason, and the file's hint.
  private static func failure(_ node: Node, slot: Int, graph: Graph, _ reason: String) -> OpError {
    let name = node.inputs[slot]
    let constant = graph.initializers[name]
    let hint = constant?.completionHint.map { "; \($0)" } ?? ""
    let shape = constant.map { " \($0.shape)" } ?? ""
    return OpError(field: name, "cannot size the weight '\(name)'\(shape): \(reason)\(hint)")
  }
}
