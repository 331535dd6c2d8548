import ConvScopeCore
import ConvScopeReport

/// The analysis of a node whose attributes hold graphs (`If`, `Loop`, `Scan`): its rule
/// (``SubgraphRule``) says which bodies run with which inputs; each body is analysed like a
/// graph, seeing the enclosing scopes' values; the rule combines the bodies' outputs into
/// the node's. The node's row comes first, then the rows of each counted body named under it
/// (`loop/body/Gemm_3`), their costs × the runs the rule gives. A stored weight counts once,
/// wherever it is first read, bodies included; the weights of a body whose cost does not
/// count (the smaller or untaken branch) count on the node's row.
extension Analyzer {
  static func analyzeSubgraphNode(
    _ node: Node, rule: any SubgraphRule, context: NodeContext, tensors: inout [String: TensorState],
    builder: inout ReportBuilder, options: AnalysisOptions, opset: Int?
  ) throws(OpError) {
    let calls = try rule.bodies(context)
    var results: [SubgraphResult] = []
    var bodies: [[LayerRow]] = []
    for call in calls {
      guard call.runs else {
        results.append(SubgraphResult(call: call, outputs: [], constants: [], cost: .zero))
        bodies.append([])
        continue
      }
      var scope = tensors
      // A body sees the enclosing graph's stored tensors through its scope, by name.
      for (name, constant) in builder.graph.initializers where scope[name] == nil {
        scope[name] = .stored(name, constant)
      }
      var bodyBuilder = ReportBuilder(graph: call.graph, options: options, countedTensors: builder.countedTensors)
      do {
        try walkBody(call, scope: &scope, builder: &bodyBuilder, options: options, opset: opset)
      } catch {
        results.append(SubgraphResult(call: call, outputs: [], constants: [], cost: .zero, failure: error.message))
        bodies.append([])
        continue
      }
      builder.countedTensors = bodyBuilder.countedTensors
      let rows = bodyBuilder.takeRows()
      var cost = Cost.zero
      for row in rows where !row.folded { cost = try cost.adding(row.cost) }
      let outputs = call.graph.outputs.map { scope[$0.name] }
      results.append(
        SubgraphResult(
          call: call, outputs: outputs.map { $0?.info }, constants: outputs.map { $0?.value }, cost: cost))
      bodies.append(rows)
    }

    let outcome = try rule.combine(context, results: results)
    let states: [TensorState?] = node.inputs.map {
      $0.isEmpty ? nil : state($0, tensors: tensors, graph: builder.graph)
    }
    for (slot, output) in outcome.outputs.enumerated() where slot < node.outputs.count && !node.outputs[slot].isEmpty {
      let name = node.outputs[slot]
      tensors[name] = TensorState(
        info: TensorInfo(name: name, dataType: output.dataType, shape: output.shape, kind: output.kind),
        value: output.constant,
        isConstant: output.constant != nil)
    }
    try builder.addAnalyzed(
      node, family: rule.family(of: node.opType),
      outcome: OpOutcome(outputs: outcome.outputs, warnings: outcome.warnings),
      inputStates: states, folded: false)

    var uncounted = (params: 0, statistics: 0, bytes: 0)
    for (index, call) in calls.enumerated() where (outcome.runs[safe: index] ?? nil) == nil {
      for row in bodies[index] {
        uncounted.params = try Checked.add(uncounted.params, row.params)
        uncounted.statistics = try Checked.add(uncounted.statistics, row.nonTrainableParams)
        uncounted.bytes = try Checked.add(uncounted.bytes, row.weightBytes)
      }
      if !call.runs {
        for (name, tensor) in call.graph.initializers where builder.countedTensors.insert(name).inserted {
          let origin = StoredOrigin(
            name: name, info: TensorInfo(name: name, dataType: tensor.dataType, shape: tensor.shape), role: nil)
          guard origin.isSubstantive, let sizes = tensor.shape.sizes else { continue }
          uncounted.params = try Checked.add(uncounted.params, try Checked.product(sizes))
          uncounted.bytes = try Checked.add(uncounted.bytes, try tensor.dataType.bytes(for: Checked.product(sizes)))
        }
      }
    }
    try builder.addToLastRow(params: uncounted.params, statistics: uncounted.statistics, bytes: uncounted.bytes)
    for (index, call) in calls.enumerated() {
      guard let runs = outcome.runs[safe: index] ?? nil else { continue }
      try builder.appendBody(bodies[index], of: node, attribute: call.attribute, runs: runs)
    }
  }

  /// Analyses one body in `scope` (the enclosing values, its own initializers and its bound
  /// formal inputs); an error names the body's layer.
  private static func walkBody(
    _ call: SubgraphCall, scope: inout [String: TensorState], builder: inout ReportBuilder,
    options: AnalysisOptions, opset: Int?
  ) throws(OpError) {
    for (name, constant) in call.graph.initializers {
      scope[name] = .stored(name, constant)
    }
    for (slot, input) in call.inputs.enumerated() {
      let value = call.constants[safe: slot] ?? nil
      scope[input.name] = TensorState(info: input, value: value, isConstant: value != nil)
    }
    let order: [Int]
    do {
      let outer = scope
      order = try call.graph.topologicalOrder(outerScope: { outer[$0] != nil })
    } catch {
      throw OpError(field: call.attribute, error.message)
    }
    for index in order {
      let inner = call.graph.nodes[index]
      do {
        try analyzeNode(inner, tensors: &scope, builder: &builder, options: options, opset: opset)
      } catch {
        throw OpError(
          field: error.field, "in \(call.attribute), layer '\(inner.name)' (\(inner.opType)): \(error.message)")
      }
    }
  }
}
