import ConvScopeCore
import ConvScopeReport

/// Accumulates per-node rows while the analyzer walks the graph, then sums
/// them into a ``Report``. Parameters are attributed to the first non-folded
/// node that reads a stored tensor, so a shared weight counts once.
struct ReportBuilder {
  /// The graph analysed; a streamed one grows as its pieces arrive (``AnalysisWalk/append(_:)``).
  var graph: Graph
  let options: AnalysisOptions
  /// The check of inferred against declared shapes, where the graph's are exact.
  var declaredShapes: DeclaredShapeCheck?
  private var rows: [LayerRow] = []
  /// Equal shapes, windows and formulas the rows share, and the display shape built last (``SharedRowValues``).
  private let shared: SharedRowValues
  /// The stored tensors a row already counts (shared with the builders of subgraph bodies).
  var countedTensors: Set<String> = []

  /// A builder for `graph`'s rows; a streamed graph's header gives `expectedNodes`, the nodes
  /// still to come, and room is made for them (the graph's, the rows', the stored tensors').
  init(graph: Graph, options: AnalysisOptions, countedTensors: Set<String> = [], expectedNodes: Int = 0) {
    self.graph = graph
    self.options = options
    self.countedTensors = countedTensors
    shared = SharedRowValues(sharing: max(graph.nodes.count, expectedNodes) >= SharedRowValues.minimumNodes)
    if expectedNodes > graph.nodes.count {
      self.graph.nodes.reserveCapacity(expectedNodes)
      self.graph.initializers.reserveCapacity(expectedNodes)
    }
    if countedTensors.isEmpty { self.countedTensors.reserveCapacity(max(graph.initializers.count, expectedNodes)) }
    rows.reserveCapacity(max(graph.nodes.count, expectedNodes))
  }

  /// The rows so far, moved out (a subgraph body's rows, for the enclosing builder).
  mutating func takeRows() -> [LayerRow] {
    defer { rows = [] }
    return rows
  }

  /// Appends the rows of a body of the last node (a subgraph op), named under it
  /// (`node/attribute/row`) and grouped with it, their costs counted `runs` times.
  mutating func appendBody(_ body: [LayerRow], of node: Node, attribute: String, runs: Int) throws(OpError) {
    for var row in body {
      row.name = "\(node.name)/\(attribute)/\(row.name)"
      row.group = node.sourceLayer ?? node.name
      if runs != 1 {
        row.cost = try row.cost.scaled(by: runs)
        row.macs = row.cost.macs
        row.flops = try row.cost.flops()
      }
      rows.append(row)
    }
  }

  /// Adds the parameters of bodies whose cost does not count (the smaller branch of an `If`,
  /// the branch a constant condition never takes) to the last row, the subgraph op's.
  mutating func addToLastRow(params: Int, statistics: Int, bytes: Int) throws(OpError) {
    guard !rows.isEmpty else { return }
    rows[rows.count - 1].params = try Checked.add(rows[rows.count - 1].params, params)
    rows[rows.count - 1].nonTrainableParams = try Checked.add(rows[rows.count - 1].nonTrainableParams, statistics)
    rows[rows.count - 1].weightBytes = try Checked.add(rows[rows.count - 1].weightBytes, bytes)
  }

  /// Adds the row of a node its rule analysed; `family` is what the rule says of the node.
  mutating func addAnalyzed(
    _ node: Node, family: OpFamily, outcome: OpOutcome, inputStates: [TensorState?], folded: Bool
  ) throws(OpError) {
    var counted = StoredCount()
    var inputShapes: [TensorSummary] = []
    for (slot, state) in inputStates.enumerated() {
      guard let state, let info = state.info else { continue }
      let role = outcome.inputRoles[slot] ?? .data
      if !state.isConstant && role == .data {
        inputShapes.append(summary(info))
      }
      if !folded {
        try count(state, role: role, packedElements: outcome.packedWeightElements[slot], into: &counted)
      }
    }
    if !folded { try countHeld(by: node, into: &counted) }
    var outputs: [TensorSummary] = []
    var elements = 0
    var bytes = 0
    for (slot, output) in outcome.outputs.enumerated() where slot < node.outputs.count && !node.outputs[slot].isEmpty {
      let info = TensorInfo(name: node.outputs[slot], dataType: output.dataType, shape: output.shape, kind: output.kind)
      outputs.append(summary(info))
      let count = try output.shape.checkedElementCount() ?? 0
      elements = try Checked.add(elements, count)
      bytes = try Checked.add(bytes, try output.dataType.bytes(for: count))
    }
    let cost = folded ? Cost.zero : outcome.cost
    var facts = OpFacts(
      family: family, inputs: node.inputs, roles: outcome.inputRoles, parameters: outcome.parameters)
    if folded {
      facts.foldedCost = outcome.cost
      facts.foldedParams = try parameterElements(inputStates, roles: outcome.inputRoles)
    }
    rows.append(
      LayerRow(
        name: node.name, op: node.opType, inputs: Self.givenInputs(of: node),
        inputShapes: inputShapes, outputs: outputs, window: shared.window(outcome.window),
        shapeFormulas: shared.formulas(outcome.shapeFormulas), paramFormula: shared.text(outcome.paramFormula),
        params: counted.params, nonTrainableParams: counted.statistics, weightBytes: counted.bytes,
        cost: cost, macs: cost.macs, flops: try cost.flops(),
        activationElements: folded ? 0 : elements, activationBytes: folded ? 0 : bytes,
        macsShare: 0, paramsShare: 0, supported: true, folded: folded,
        warnings: outcome.warnings, group: node.sourceLayer, facts: facts))
  }

  /// The parameters a folded node would own as a module: the stored inputs its rule calls a
  /// weight or a bias, and, for an op that declares no weight (an `Add` of a Linear's bias), the
  /// stored operands ``count(_:role:packedElements:into:)`` takes for parameters. A product's
  /// stored data operand is its input (Swin V2's coordinate table), not a weight.
  private func parameterElements(_ inputStates: [TensorState?], roles: [Int: InputRole]) throws(OpError) -> Int {
    let declaresWeight = roles.values.contains(.weight)
    var elements = 0
    for (slot, state) in inputStates.enumerated() {
      guard let state, state.origins.count == 1, let origin = state.origins.first, origin.name == state.info?.name,
        origin.info.dataType.isFloatingPoint, let sizes = origin.info.shape.sizes
      else { continue }
      switch roles[slot] ?? .data {
      case .weight, .bias: break
      case .data where !declaresWeight && origin.isSubstantive && !origin.isGenerated: break
      default: continue
      }
      elements = try Checked.add(elements, try Checked.product(sizes))
    }
    return elements
  }

  /// Parameters, non-trainable statistics and stored bytes a row counts.
  private struct StoredCount {
    var params = 0
    var statistics = 0
    var bytes = 0
  }

  /// Counts the stored tensors behind one input (itself, or what a folded value was computed
  /// from) that no earlier row counted, by role: the file's role for the tensor, else the role
  /// the folded node that consumed it gave it, else `role`, the reading node's. Weights and
  /// biases count whatever their type (an int8 or 4-bit weight is a parameter, at its own
  /// width); quantisation scales and zero points count bytes only; other data counts when it
  /// substantive and stored (``StoredOrigin/isSubstantive``, ``StoredOrigin/isGenerated``). `packedElements` is the number of
  /// weights an input stores packed (two 4-bit weights a byte).
  private mutating func count(
    _ state: TensorState, role: InputRole, packedElements: Int?, into counted: inout StoredCount
  ) throws(OpError) {
    // Claimed first (one hash for the usual weight that no row counted yet), given back when not counted.
    for origin in state.origins where countedTensors.insert(origin.name).inserted {
      let type = origin.info.dataType
      guard type.isFloatingPoint || type.isInteger, let stored = try origin.info.shape.checkedElementCount() else {
        countedTensors.remove(origin.name)
        continue
      }
      let isInput = state.origins.count == 1 && origin.name == state.info?.name
      let elements = isInput ? packedElements ?? stored : stored
      let fileRole = graph.initializerRoles.isEmpty ? nil : graph.initializerRoles[origin.name]
      switch fileRole ?? origin.role ?? role {
      case .weight, .bias:
        counted.params = try Checked.add(counted.params, elements)
      case .statistic:
        counted.statistics = try Checked.add(counted.statistics, elements)
      case .data where origin.isSubstantive && !origin.isGenerated:
        counted.params = try Checked.add(counted.params, elements)
      case .quantization:
        break
      case .data, .configuration:
        countedTensors.remove(origin.name)
        continue
      }
      counted.bytes = try Checked.add(counted.bytes, try storedType(type).bytes(for: stored))
    }
  }

  /// Counts the stored tensors `node` holds without reading them (``Graph/heldTensors``), as
  /// statistics unless the file gives them another role.
  private mutating func countHeld(by node: Node, into counted: inout StoredCount) throws(OpError) {
    guard !graph.heldTensors.isEmpty else { return }  // no hash of the node's name for most graphs
    for name in graph.heldTensors[node.name] ?? [] {
      guard let tensor = graph.initializers[name] else { continue }
      let info = TensorInfo(name: name, dataType: tensor.dataType, shape: tensor.shape)
      let state = TensorState(
        info: info, value: nil, isConstant: true, origins: [StoredOrigin(name: name, info: info, role: nil)])
      try count(state, role: .statistic, packedElements: nil, into: &counted)
    }
  }

  /// The family `node`'s rule declares (``OpFamily/other`` for an op without a rule).
  private func family(of node: Node) -> OpFamily {
    options.registry.rule(domain: node.domain, opType: node.opType)?.family(of: node.opType) ?? .other
  }

  /// Adds the row of a node that could not be analysed (no rule, or an input of unknown shape).
  /// The stored tensors it reads still count (as data: their roles are the rule's to say).
  mutating func addUnresolved(
    _ node: Node, supported: Bool, inputStates: [TensorState?], tensors: [String: TensorState]
  ) throws(OpError) {
    var counted = StoredCount()
    for state in inputStates {
      guard let state else { continue }
      try count(state, role: .data, packedElements: nil, into: &counted)
    }
    try countHeld(by: node, into: &counted)
    let outputs = node.outputs.compactMap { tensors[$0]?.info }.map(summary)
    rows.append(
      LayerRow(
        name: node.name, op: node.opType, inputs: Self.givenInputs(of: node),
        inputShapes: inputStates.compactMap { $0?.info }.map(summary), outputs: outputs,
        window: nil, shapeFormulas: [], paramFormula: nil, params: counted.params,
        nonTrainableParams: counted.statistics, weightBytes: counted.bytes, cost: .zero, macs: 0, flops: 0,
        activationElements: 0, activationBytes: 0,
        macsShare: 0, paramsShare: 0, supported: false, folded: false,
        warnings: [supported ? "an input's shape is unknown; not analysed" : Self.unsupportedRemark(node)],
        group: node.sourceLayer, facts: OpFacts(family: family(of: node))))
  }

  /// The inputs `node` names, omitted optional ones left out (the node's own array when none is).
  private static func givenInputs(of node: Node) -> [String] {
    node.inputs.contains(where: \.isEmpty) ? node.inputs.filter { !$0.isEmpty } : node.inputs
  }

  /// Why a node without a rule was not counted, naming subgraphs and custom domains left unanalysed.
  static func unsupportedRemark(_ node: Node) -> String {
    var remark = "no rule for \(node.opType)"
    if !node.domain.isEmpty && node.domain != "ai.onnx" {
      remark += " in domain '\(node.domain)' (a custom op or a model-local function)"
    }
    let subgraphs = node.attributes.values.reduce(0) { count, value in
      switch value {
      case .graph: count + 1
      case .graphs(let list): count + list.count
      default: count
      }
    }
    if subgraphs > 0 { remark += "; its \(subgraphs) subgraph\(subgraphs == 1 ? "" : "s") not analysed" }
    return remark + "; not counted"
  }

  /// Sums the rows into the report.
  /// Ops without a rule are listed by ``OpRegistry/unsupportedOps(in:)``, the same list as
  /// `convscope ops --unsupported-in` (subgraphs of If/Loop/Scan included).
  /// The rows move into the report (no copy of a large model's rows); the builder is spent.
  mutating func finish(inputs: [TensorInfo], outputs: [TensorInfo], assumptions: [String]) throws(OpError) -> Report {
    let unsupported = options.registry.unsupportedOps(in: graph)
    var totals = Totals(
      params: 0, trainableParams: 0, nonTrainableParams: 0, weightBytes: 0, cost: .zero, macs: 0, flops: 0,
      activationBytes: 0, peakLayerActivationBytes: 0, peakLayer: nil,
      partial: !unsupported.isEmpty || rows.contains { !$0.supported })
    var byOp: [OpTypeSummary] = []  // in the order the ops first appear
    var opIndex: [String: Int] = [:]
    for index in rows.indices where !rows[index].folded {
      try add(row: index, to: &totals)
      let op: Int
      if let known = opIndex[rows[index].op] {
        op = known
      } else {
        op = byOp.count
        opIndex[rows[index].op] = op
        byOp.append(OpTypeSummary(op: rows[index].op, count: 0, params: 0, macs: 0, flops: 0, activationBytes: 0))
      }
      byOp[op].count += 1
      byOp[op].params = try Checked.add(byOp[op].params, rows[index].params)
      byOp[op].macs = try Checked.add(byOp[op].macs, rows[index].macs)
      byOp[op].flops = try Checked.add(byOp[op].flops, rows[index].flops)
      byOp[op].activationBytes = try Checked.add(byOp[op].activationBytes, rows[index].activationBytes)
    }
    totals.trainableParams = totals.params
    totals.macs = totals.cost.macs
    totals.flops = try totals.cost.flops()
    let inputSummaries = inputs.map(summary)
    var sharedRows = rows
    rows = []
    for i in sharedRows.indices {
      sharedRows[i].macsShare = totals.macs == 0 ? 0 : Double(sharedRows[i].macs) / Double(totals.macs)
      sharedRows[i].paramsShare = totals.params == 0 ? 0 : Double(sharedRows[i].params) / Double(totals.params)
    }
    let tensors = RowTensors(rows: sharedRows, inputs: inputSummaries, outputs: outputs.map(\.name))
    let covering = ReceptiveFieldPass.annotate(&sharedRows, tensors: tensors, inputs: inputSummaries)
    let memory = try Liveness.summarize(
      rows: sharedRows, tensors: tensors, inputs: inputSummaries, weightBytes: totals.weightBytes)
    var report = Report(
      schemaVersion: Report.currentSchemaVersion,
      model: ModelSummary(name: graph.name, source: options.sourceName, format: options.format, layout: graph.layout),
      inputs: inputSummaries, outputs: outputs.map(summary), assumptions: assumptions, layers: sharedRows,
      totals: totals,
      byOpType: byOp.map { summary in
        var summary = summary
        summary.macsShare = totals.macs == 0 ? 0 : Double(summary.macs) / Double(totals.macs)
        return summary
      },
      unsupported: unsupported,
      notes: graph.nodes.indices.compactMap { i in graph.nodes[i].note.map { "\(graph.nodes[i].name): \($0)" } }
        + TiedWeightCopies.notes(in: graph, registry: options.registry),
      memory: memory, receptiveFieldCoversInputAt: covering)
    report.stages = StageBalance.stages(of: report, tensors: tensors)
    return report
  }

  /// Adds row `index`'s counts to `totals`, the row read in place.
  private func add(row index: Int, to totals: inout Totals) throws(OpError) {
    totals.params = try Checked.add(totals.params, rows[index].params)
    totals.nonTrainableParams = try Checked.add(totals.nonTrainableParams, rows[index].nonTrainableParams)
    totals.weightBytes = try Checked.add(totals.weightBytes, rows[index].weightBytes)
    totals.cost = try totals.cost.adding(rows[index].cost)
    totals.activationBytes = try Checked.add(totals.activationBytes, rows[index].activationBytes)
    if rows[index].activationBytes > totals.peakLayerActivationBytes {
      totals.peakLayerActivationBytes = rows[index].activationBytes
      totals.peakLayer = rows[index].name
    }
  }

  private func summary(_ info: TensorInfo) -> TensorSummary {
    TensorSummary(
      name: info.name, dtype: info.dataType, shape: shared.shape(info.shape),
      displayShape: shared.display(info.shape, graph.layout),
      kind: info.kind == .tensor ? nil : info.kind)
  }

  private func storedType(_ type: DataType) -> DataType {
    type.isFloatingPoint ? (options.dataType ?? type) : type
  }
}

/// One copy of each shape, window and formula text the rows hold (``SharedValues``), and the
/// display shape built last: a layer's input is mostly the previous layer's output, so one shape
/// is summarised twice in a row and its display shape is built once (a layout that drops the
/// batch or moves the channels builds a new one each time).
///
/// Sharing pays for a graph of ``minimumNodes`` nodes or more: the rows of a smaller one hold a
/// few megabytes at most, and hashing each value cost ViT-B/16 (about 1,000 nodes) 3% of its run.
final class SharedRowValues {
  /// The nodes a graph needs for its rows to share equal values.
  static let minimumNodes = 4_096
  /// Whether equal values are shared (else each row keeps its own).
  let sharing: Bool
  private var shapes = SharedValues<Shape>()
  private var windows = SharedValues<Window>()
  private var formulas = SharedValues<[String]>()
  private var texts = SharedValues<String>()
  private var lastDisplay: (shape: Shape, layout: TensorLayout, display: Shape)?

  init(sharing: Bool) { self.sharing = sharing }

  func shape(_ shape: Shape) -> Shape { sharing ? shapes.shared(shape) : shape }
  func window(_ window: Window?) -> Window? { sharing ? window.map { windows.shared($0) } : window }
  func formulas(_ lines: [String]) -> [String] { sharing && !lines.isEmpty ? formulas.shared(lines) : lines }
  func text(_ text: String?) -> String? { sharing ? text.map { texts.shared($0) } : text }

  /// `layout.display(shape)`, shared: the one built last when it was built for this shape and layout.
  func display(_ shape: Shape, _ layout: TensorLayout) -> Shape {
    if let last = lastDisplay, last.layout == layout, last.shape == shape { return last.display }
    let display = self.shape(layout.display(shape))
    lastDisplay = (shape, layout, display)
    return display
  }
}
