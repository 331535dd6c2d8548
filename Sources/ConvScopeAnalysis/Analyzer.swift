import ConvScopeCore
import ConvScopeReport

/// Analyses a graph in one pass in topological order: each node's rule infers
/// its output shapes and counts its cost; the results become a ``Report``. This is the
/// analysis stage of the pipeline; callers normally go through `Pipeline.report(for:)`
/// (module ConvScope), which also applies the mode, the sections and the sweep.
///
/// ```swift
/// let (graph, _) = try ModelLoader.standard.load(path: "Examples/seed-resnet.yaml")
/// let report = try Analyzer.analyze(graph, options: AnalysisOptions(sourceName: "seed.yaml"))
/// print(report.totals.params)   // 326_260
/// ```
public enum Analyzer {
  /// Analyses `graph`. Throws a located ``ConvScopeError`` for invalid graphs and bad shapes.
  public static func analyze(_ graph: Graph, options: AnalysisOptions = AnalysisOptions()) throws(ConvScopeError)
    -> Report
  {
    var walked = try walk(graph, options: options)
    return try walked.report()
  }

  /// `graph` with every weight the importer left deferred (``ConstantTensor/deferredAxes``)
  /// completed as an analysis under `options` completes it: the weights at these input shapes.
  package static func completingWeights(_ graph: Graph, options: AnalysisOptions = AnalysisOptions())
    throws(ConvScopeError) -> Graph
  {
    let tensors = try walk(graph, options: options).tensors
    var completed = graph
    for (name, constant) in graph.initializers where !constant.isComplete {
      guard let sizes = tensors[name]?.info?.shape.sizes else { continue }
      completed.initializers[name] = ConstantTensor(dataType: constant.dataType, dims: sizes, values: constant.values)
    }
    return completed
  }

  /// Runs every node's rule in topological order.
  static func walk(_ graph: Graph, options: AnalysisOptions) throws(ConvScopeError) -> AnalysisWalk {
    let order: [Int]
    do { order = try graph.topologicalOrder() } catch { throw error.inFile(options.sourceName) }
    var walk = try AnalysisWalk(graph: graph, options: options)
    for index in order {
      try walk.analyze(graph.nodes[index])
    }
    return walk
  }

  /// What the walk knows of tensor `name`: the state it recorded, else the graph's stored
  /// tensor of that name. The walk does not copy the stored tensors into its table (a large
  /// model's weights would be most of it); a node that completes a weight's shape records it.
  static func state(_ name: String, tensors: [String: TensorState], graph: Graph) -> TensorState? {
    if let state = tensors[name] { return state }
    return graph.initializers[name].map { TensorState.stored(name, $0) }
  }

  static func analyzeNode(
    _ node: Node, tensors: inout [String: TensorState], builder: inout ReportBuilder,
    options: AnalysisOptions, opset: Int?
  ) throws(OpError) {
    let rule = options.registry.rule(domain: node.domain, opType: node.opType)
    var states: [TensorState?] = node.inputs.map {
      $0.isEmpty ? nil : state($0, tensors: tensors, graph: builder.graph)
    }
    try WeightCompletion.complete(
      node, rule: rule, states: &states, tensors: &tensors, graph: builder.graph, opset: opset ?? 21)
    // Asked only where it matters (a node that could fold), since it costs a lookup by name.
    func deterministic() -> Bool { !OpRegistry.isNondeterministic(domain: node.domain, opType: node.opType) }
    let allInputsConstant = states.allSatisfy { $0?.isConstant ?? true } && deterministic()
    let unknownInput = zip(node.inputs, states).first { !$0.0.isEmpty && $0.1?.info == nil }

    guard unknownInput == nil, let rule else {
      // No rule, or an input whose shape nobody knows: take the file's declared shapes and go on.
      takeDeclaredOutputs(
        of: node, states: states, constant: allInputsConstant, tensors: &tensors, graph: builder.graph)
      try builder.addUnresolved(
        node, supported: unknownInput != nil && options.registry.rule(domain: node.domain, opType: node.opType) != nil,
        inputStates: states, tensors: tensors)
      return
    }

    let context = NodeContext(
      node: node, inputs: states.map { $0?.info }, constants: states.map { $0?.value }, opset: opset ?? 21,
      constantInputs: states.map { $0?.isConstant ?? false })
    if let rule = rule.subgraphRule {
      do {
        try analyzeSubgraphNode(
          node, rule: rule, context: context, tensors: &tensors, builder: &builder, options: options, opset: opset)
      } catch  where error.isUnknownShape {
        takeDeclaredOutputs(of: node, states: states, constant: false, tensors: &tensors, graph: builder.graph)
        try builder.addUnresolved(node, supported: true, inputStates: states, tensors: tensors)
      }
      return
    }
    var outcome: OpOutcome
    do {
      outcome = try rule.infer(context)
    } catch  where error.isUnknownShape {
      takeDeclaredOutputs(
        of: node, states: states, constant: allInputsConstant, tensors: &tensors, graph: builder.graph)
      try builder.addUnresolved(node, supported: true, inputStates: states, tensors: tensors)
      return
    }
    // A rule that knows every output's value (Shape of a concrete shape) folds the node too.
    let folded =
      allInputsConstant
      || (!outcome.outputs.isEmpty && outcome.outputs.allSatisfy { $0.constant?.values != nil } && deterministic())
    if let type = options.dataType {
      for i in outcome.outputs.indices
      where outcome.outputs[i].dataType.isFloatingPoint && outcome.outputs[i].constant == nil {
        outcome.outputs[i].dataType = type
      }
    }
    guard outcome.outputs.count <= node.outputs.count || node.outputs.isEmpty else {
      throw OpError(
        field: "outputs", "the rule produced \(outcome.outputs.count) outputs for \(node.outputs.count) declared")
    }
    for (slot, output) in outcome.outputs.enumerated() where slot < node.outputs.count && !node.outputs[slot].isEmpty {
      let name = node.outputs[slot]
      if output.shape.dims.contains(where: { ($0.value ?? 0) < 0 }) {
        throw OpError(field: "outputs[\(slot)]", "inferred a negative dim in \(output.shape)")
      }
      if let check = builder.declaredShapes, let declared = builder.graph.valueInfo[name]?.shape,
        let warning = check.warning(
          output: name, declared: declared, inferred: output.shape, layout: builder.graph.layout)
      {
        outcome.warnings.append(warning)
      }
      let info = TensorInfo(name: name, dataType: output.dataType, shape: output.shape, kind: output.kind)
      tensors[name] = TensorState(
        info: info, value: output.constant, isConstant: folded,
        origins: folded ? StoredOrigin.ofFolded(inputs: states, roles: outcome.inputRoles, output: info) : [])
    }
    try builder.addAnalyzed(
      node, family: rule.family(of: node.opType), outcome: outcome, inputStates: states, folded: folded)
  }

  /// The outputs of a node that was not analysed, as the file declares them (`value_info`), so
  /// that the layers after it keep their shapes; constant when every input is.
  private static func takeDeclaredOutputs(
    of node: Node, states: [TensorState?], constant: Bool, tensors: inout [String: TensorState], graph: Graph
  ) {
    for output in node.outputs where !output.isEmpty {
      let declared = graph.valueInfo[output]
      var state = TensorState.data(declared)
      if constant {
        state.isConstant = true
        state.origins = StoredOrigin.ofFolded(
          inputs: states, roles: [:],
          output: declared ?? TensorInfo(name: output, dataType: .undefined, shape: Shape([Int]())))
      }
      tensors[output] = state
    }
  }
}
